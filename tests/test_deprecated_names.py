"""The Indonesian text fields' old names (`<base>_id`, issue 24 "Names"), kept for one release next to the new ones
(`<base>_ind`) by every serializer (smartcity/api/serializers.py): answered, accepted, 400 when they disagree.

The old names are written through `OLD` so that the codemod (rename_ind.py) leaves this file's strings alone."""

import pytest
from django.urls import reverse
from drf_spectacular.generators import SchemaGenerator

from pillars.api.serializers import ProgramSerializer
from pillars.models import Milestone
from smartcity.api.serializers import DEPRECATED_NAMES_REMOVED_IN
from smartcity.downloads import SerializerExport

from .pillars.factories import MilestoneFactory, ProgramFactory

pytestmark = pytest.mark.django_db

OLD = "_id"  # rename_ind: keep


@pytest.fixture
def staff(api_client, make_user):
    api_client.force_authenticate(make_user(is_superuser=True, is_staff=True))
    return api_client


def test_the_old_name_is_accepted_on_a_write_and_answered_on_a_read(staff):
    program = ProgramFactory()
    created = staff.post(
        reverse("pillars-api:milestone-list"),
        {"program": program.pk, "title" + OLD: "Tahap lama", "title_en": "Old stage", "due_on": "2025-03-31"},
        format="json",
    )
    assert created.status_code == 201, created.data
    milestone = Milestone.objects.get(pk=created.data["id"])
    assert milestone.title_ind == "Tahap lama"

    read = staff.get(reverse("pillars-api:milestone-detail", args=[milestone.pk])).json()
    assert read["title_ind"] == read["title" + OLD] == "Tahap lama"

    changed = staff.patch(
        reverse("pillars-api:milestone-detail", args=[milestone.pk]), {"title" + OLD: "Tahap baru"}, format="json"
    )
    assert changed.status_code == 200, changed.data
    milestone.refresh_from_db()
    assert milestone.title_ind == "Tahap baru" and changed.json()["title" + OLD] == "Tahap baru"


def test_old_and_new_names_with_different_values_are_a_400_naming_the_old_field_and_change_nothing(staff):
    milestone = MilestoneFactory(title_ind="Tetap")
    url = reverse("pillars-api:milestone-detail", args=[milestone.pk])

    response = staff.patch(url, {"title_ind": "Satu", "title" + OLD: "Dua"}, format="json")

    assert response.status_code == 400
    assert list(response.data["errors"]) == ["title" + OLD], response.data
    milestone.refresh_from_db()
    assert milestone.title_ind == "Tetap"
    same = staff.patch(url, {"title_ind": "Sama", "title" + OLD: "Sama"}, format="json")  # a record read, sent back
    assert same.status_code == 200 and Milestone.objects.get(pk=milestone.pk).title_ind == "Sama"


def test_briefs_answer_the_old_name_too(staff):
    milestone = MilestoneFactory(title_ind="Tahap")
    program = staff.get(reverse("pillars-api:program-detail", args=[milestone.program.slug])).json()
    assert program["title_ind"] == program["title" + OLD] == milestone.program.title_ind
    row = staff.get(reverse("pillars-api:milestone-list"), {"brief": "1"}).json()["results"][0]
    assert row["title_ind"] == row["title" + OLD] == "Tahap"


def test_ordering_takes_the_old_name(api_client):
    for title in ("Beta", "Alfa", "Gamma"):
        ProgramFactory(title_ind=title)
    url = reverse("pillars-api:program-list")

    def titles(ordering):
        return [row["title_ind"] for row in api_client.get(url, {"ordering": ordering}).json()["results"]]

    assert titles("-title" + OLD) == titles("-title_ind") == ["Gamma", "Beta", "Alfa"]


def test_the_schema_marks_the_old_names_deprecated_and_says_until_when():
    schema = SchemaGenerator().get_schema(request=None, public=True)["components"]["schemas"]
    old = schema["Program"]["properties"]["title" + OLD]
    assert old["deprecated"] is True and DEPRECATED_NAMES_REMOVED_IN in old["description"]
    assert "deprecated" not in schema["Program"]["properties"]["title_ind"]
    assert "title" + OLD not in schema["ProgramRequest"]["required"]


def test_downloads_and_open_data_files_have_the_new_names_only(rf):
    serializer = ProgramSerializer(many=True, context={"request": None})
    headers = SerializerExport(serializer).headers()
    assert "title_ind" in headers and "title" + OLD not in headers and "description" + OLD not in headers
