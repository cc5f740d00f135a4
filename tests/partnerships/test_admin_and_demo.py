import re

import pytest
from django.contrib.messages import get_messages
from django.core.management import call_command
from django.urls import reverse

from partnerships import demo
from partnerships.models import Commitment, MoU, PartnerAPIKey

from .factories import MoUFactory, PartnerFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(client, make_user):
    client.force_login(make_user(is_staff=True, is_superuser=True))
    return client


def test_a_new_key_is_shown_once_and_only_its_hash_is_kept(admin_client):
    partner = PartnerFactory()
    response = admin_client.post(
        reverse("admin:partnerships_partnerapikey_add"), {"partner": partner.pk, "name": "Sistem TBG"}, follow=True
    )
    key = PartnerAPIKey.objects.get(partner=partner)
    message = str(next(iter(get_messages(response.wsgi_request))))
    shown = re.search(r"\b[A-Za-z0-9]{8}\.[A-Za-z0-9]{32}\b", message).group()
    assert shown.startswith(key.prefix) and key.is_valid(shown)
    page = admin_client.get(reverse("admin:partnerships_partnerapikey_change", args=[key.pk])).content.decode()
    assert shown not in page  # never again
    assert PartnerAPIKey.objects.get_from_key(shown) == key


def test_partner_page_lists_its_mous_and_keys(admin_client):
    partner = PartnerFactory()
    MoUFactory(title_ind="MoU mitra", party__partner=partner)
    PartnerAPIKey.objects.create_key(partner=partner, name="Kunci produksi")
    html = admin_client.get(reverse("admin:partnerships_partner_change", args=[partner.pk])).content.decode()
    assert "MoU mitra" in html and "Kunci produksi" in html


@pytest.mark.parametrize(
    "query", ["", "?status=active", "?partner_kind=private", "?expiring=90", "?q=uji", "?scope_areas__id__exact=5"]
)
def test_mou_changelist_filters_and_search_load(admin_client, query):
    MoUFactory()
    assert admin_client.get(reverse("admin:partnerships_mou_changelist") + query).status_code == 200


def test_mou_history_page_loads(admin_client):
    mou = MoUFactory()
    assert admin_client.get(reverse("admin:partnerships_mou_history", args=[mou.pk])).status_code == 200


def test_expiring_within_90_days_filter(admin_client):
    import datetime

    today = datetime.date.today()
    soon = MoUFactory(title_ind="Segera berakhir", valid_until=today + datetime.timedelta(days=60))
    MoUFactory(title_ind="Masih lama", valid_until=today + datetime.timedelta(days=400))
    response = admin_client.get(reverse("admin:partnerships_mou_changelist") + "?expiring=90")
    assert list(response.context["cl"].result_list) == [soon]


def test_admin_refuses_a_commitment_of_a_partner_who_is_not_a_party(admin_client):
    mou = MoUFactory()
    party, outsider = mou.parties.get(), PartnerFactory()
    data = {
        "title_ind": mou.title_ind,
        "slug": mou.slug,
        "state": "signed",
        "signed_on": mou.signed_on,
        "signed_place": "Padang",
        "valid_from": mou.valid_from,
        "valid_until": mou.valid_until,
        "scope_areas": [],
        "publication": "published",
        "parties-TOTAL_FORMS": 1,
        "parties-INITIAL_FORMS": 1,
        "parties-0-id": party.pk,
        "parties-0-mou": mou.pk,
        "parties-0-partner": party.partner_id,
        "commitments-TOTAL_FORMS": 1,
        "commitments-INITIAL_FORMS": 0,
        "commitments-0-partner": outsider.pk,
        "commitments-0-description_ind": "Menara",
        "commitments-0-target_quantity": "80",
        "commitments-0-unit_ind": "menara",
    }
    response = admin_client.post(reverse("admin:partnerships_mou_change", args=[mou.pk]), data)
    assert response.status_code == 200  # the form again, with the error
    assert not Commitment.objects.exists()
    data["commitments-0-partner"] = party.partner_id
    response = admin_client.post(reverse("admin:partnerships_mou_change", args=[mou.pk]), data)
    assert response.status_code == 302 and Commitment.objects.get().partner == party.partner


def test_demo_loads_the_seeded_mous_twice_without_duplicates():
    first = demo.load()
    assert demo.load() == first == {"partners": 4, "mous": 5, "commitments": 2, "progress reports": 1}
    tbg = MoU.objects.with_commitments().get(slug="tower-bersama-smart-city-2021")
    assert tbg.signed_online and not tbg.signed_place
    assert {a.slug for a in tbg.scope_areas.all()} == {
        "digital-applications",
        "communication-infrastructure",
        "cctv-integration",
        "command-center",
    }
    towers = tbg.commitments.get()
    assert (towers.target_quantity, towers.progress_percent) == (80, 100)
    telkom = MoU.objects.get(slug="telkom-smart-city-2015")
    assert (telkom.signed_on.isoformat(), telkom.signed_place, telkom.status) == ("2015-05-30", "Bandung", "expired")
    assert MoU.objects.get(slug="banyuwangi-berbagi-aplikasi").status == "draft"


def test_load_demo_runs_partnerships_after_pillars(capsys):
    call_command("load_demo")
    out = capsys.readouterr().out
    assert out.index("agencies") < out.index("mous: 5")
