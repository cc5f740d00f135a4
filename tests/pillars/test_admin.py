import pytest
from django.urls import reverse

from pillars.models import Agency, Pillar

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff_client(client, make_user):
    user = make_user(is_staff=True, is_superuser=True)
    client.force_login(user)
    return client


def test_pillars_cannot_be_added_or_deleted_from_the_admin(staff_client):
    pillar = Pillar.objects.get(slug="society")
    assert staff_client.get(reverse("admin:pillars_pillar_add")).status_code == 403
    assert (
        staff_client.post(reverse("admin:pillars_pillar_delete", args=[pillar.pk]), {"post": "yes"}).status_code == 403
    )
    assert Pillar.objects.count() == 6


def test_pillar_changelist_and_history_load(staff_client):
    pillar = Pillar.objects.get(slug="society")
    assert staff_client.get(reverse("admin:pillars_pillar_changelist")).status_code == 200
    assert staff_client.get(reverse("admin:pillars_pillar_history", args=[pillar.pk])).status_code == 200


def test_bad_colour_is_a_form_error_and_changes_nothing(staff_client):
    pillar = Pillar.objects.with_related().get(slug="society")
    data = {
        "order": pillar.order,
        "name_ind": pillar.name_ind,
        "name_en": pillar.name_en,
        "description_ind": pillar.description_ind,
        "description_en": pillar.description_en,
        "colour": "purple",
        "sub_dimensions-TOTAL_FORMS": 3,
        "sub_dimensions-INITIAL_FORMS": 3,
    }
    for i, sub in enumerate(pillar.sub_dimensions.all()):
        data |= {
            f"sub_dimensions-{i}-id": sub.pk,
            f"sub_dimensions-{i}-pillar": pillar.pk,
            f"sub_dimensions-{i}-order": sub.order,
            f"sub_dimensions-{i}-name_ind": sub.name_ind,
            f"sub_dimensions-{i}-name_en": sub.name_en,
        }
    response = staff_client.post(reverse("admin:pillars_pillar_change", args=[pillar.pk]), data)
    assert response.status_code == 200 and "colour" in response.context["adminform"].form.errors
    pillar.refresh_from_db()
    assert pillar.colour != "purple"


def test_agency_can_be_created_in_the_admin(staff_client):
    response = staff_client.post(
        reverse("admin:pillars_agency_add"), {"name": "Dinas Perhubungan", "acronym": "Dishub", "slug": "dishub"}
    )
    assert response.status_code == 302
    assert Agency.objects.get(slug="dishub").history.first().history_user is not None
