"""The portfolio API: public reads of what is published, writes by permission and by agency."""

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from pillars.models import BudgetLine, Measurement, Pillar, Program
from tests.api import StandardApiTests

from .factories import (
    AgencyFactory,
    BudgetLineFactory,
    DigitalServiceFactory,
    IndicatorFactory,
    IndicatorTargetFactory,
    InfrastructureAssetFactory,
    MasterplanFactory,
    MeasurementFactory,
    MilestoneFactory,
    ProgramFactory,
)

pytestmark = pytest.mark.django_db


class TestMasterplanApi(StandardApiTests):
    url_name, factory, public = "pillars-api:masterplan", MasterplanFactory, True
    view_perms = ("pillars.view_masterplan",)


class TestProgramApi(StandardApiTests):
    url_name, factory, public, lookup_field = "pillars-api:program", ProgramFactory, True, "slug"
    view_perms = ("pillars.view_program",)


class TestMilestoneApi(StandardApiTests):
    url_name, factory, public = "pillars-api:milestone", MilestoneFactory, True
    view_perms = ("pillars.view_milestone",)


class TestBudgetLineApi(StandardApiTests):
    url_name, factory, public = "pillars-api:budgetline", BudgetLineFactory, True
    view_perms = ("pillars.view_budgetline",)


class TestIndicatorApi(StandardApiTests):
    url_name, factory, public, lookup_field = "pillars-api:indicator", IndicatorFactory, True, "slug"
    view_perms = ("pillars.view_indicator",)


class TestTargetApi(StandardApiTests):
    url_name, factory, public = "pillars-api:indicatortarget", IndicatorTargetFactory, True
    view_perms = ("pillars.view_indicatortarget",)


class TestMeasurementApi(StandardApiTests):
    url_name, factory, public = "pillars-api:measurement", MeasurementFactory, True
    view_perms = ("pillars.view_measurement",)


class TestServiceApi(StandardApiTests):
    url_name, factory, public, lookup_field = "pillars-api:digitalservice", DigitalServiceFactory, True, "slug"
    view_perms = ("pillars.view_digitalservice",)


class TestAssetApi(StandardApiTests):
    url_name, factory, public = "pillars-api:infrastructureasset", InfrastructureAssetFactory, True
    view_perms = ("pillars.view_infrastructureasset",)


# --- publication and embargo ---------------------------------------------------------------------------


def test_anonymous_callers_see_only_published_and_due_programs(api_client):
    ProgramFactory(slug="public")
    ProgramFactory(slug="draft", publication="draft")
    ProgramFactory(slug="embargoed", publish_from=timezone.now() + datetime.timedelta(days=1))
    ProgramFactory(slug="due", publish_from=timezone.now() - datetime.timedelta(minutes=1))
    slugs = {p["slug"] for p in api_client.get(reverse("pillars-api:program-list")).data["results"]}
    assert slugs == {"public", "due"}
    assert api_client.get(reverse("pillars-api:program-detail", args=["embargoed"])).status_code == 404


def test_staff_with_view_permission_see_drafts(api_client, make_user):
    ProgramFactory(slug="draft", publication="draft")
    api_client.force_authenticate(make_user("pillars.view_program"))
    assert api_client.get(reverse("pillars-api:program-detail", args=["draft"])).status_code == 200


def test_children_of_a_draft_program_are_hidden_from_the_public(api_client):
    MilestoneFactory(program=ProgramFactory(publication="draft"))
    BudgetLineFactory(program=ProgramFactory(publication="draft"))
    assert api_client.get(reverse("pillars-api:milestone-list")).data["count"] == 0
    assert api_client.get(reverse("pillars-api:budgetline-list")).data["count"] == 0


# --- writes ---------------------------------------------------------------------------------------------


def program_payload(agency, **overrides):
    """Relations are named by id (the brief object read before is accepted too)."""
    society = Pillar.objects.get(slug="society")
    return {
        "slug": "wifi-kelurahan",
        "title_ind": "Wi-Fi publik di setiap kelurahan",
        "pillar": society.pk,
        "sub_dimensions": [society.sub_dimensions.get(slug="community").pk],
        "lead_agency": agency.pk,
        "first_year": 2021,
        "last_year": 2024,
        "horizon": "quick_win",
        "stage": "in_progress",
        "progress": 40,
        **overrides,
    }


@pytest.fixture
def opd_editor(make_user):
    """An OPD editor of one agency, with the program permissions of the role."""
    agency = AgencyFactory(slug="diskominfo")
    user = make_user("pillars.view_program", "pillars.add_program", "pillars.change_program")
    agency.members.add(user)
    return user, agency


def test_opd_editor_creates_a_program_for_their_own_agency(api_client, opd_editor):
    user, agency = opd_editor
    api_client.force_authenticate(user)
    response = api_client.post(reverse("pillars-api:program-list"), program_payload(agency), format="json")
    assert response.status_code == 201, response.data
    assert response.data["lead_agency"] == {
        "id": agency.pk,
        "slug": "diskominfo",
        "name": agency.name,
        "acronym": agency.acronym,
    }
    assert [sub["slug"] for sub in response.data["sub_dimensions"]] == ["community"]
    assert Program.objects.get(slug="wifi-kelurahan").history.first().history_user == user


def test_opd_editor_cannot_create_for_another_agency(api_client, opd_editor):
    user, _ = opd_editor
    other = AgencyFactory(slug="dishub")
    api_client.force_authenticate(user)
    response = api_client.post(reverse("pillars-api:program-list"), program_payload(other), format="json")
    assert response.status_code == 403 and not Program.objects.exists()


def test_opd_editor_cannot_change_or_take_over_another_agencys_program(api_client, opd_editor):
    user, agency = opd_editor
    theirs = ProgramFactory(slug="theirs", lead_agency=AgencyFactory())
    api_client.force_authenticate(user)
    url = reverse("pillars-api:program-detail", args=["theirs"])
    response = api_client.patch(url, {"progress": 90, "lead_agency": agency.pk}, format="json")
    assert response.status_code == 403
    theirs.refresh_from_db()
    assert theirs.progress == 0 and theirs.lead_agency != agency


def test_bad_program_input_is_400_with_field_errors_and_saves_nothing(api_client, make_user):
    agency = AgencyFactory()
    api_client.force_authenticate(make_user("pillars.add_program", "pillars.manage_all_agencies"))
    tourism = Pillar.objects.get(slug="branding").sub_dimensions.get(slug="tourism")
    cases = [
        ({"progress": 140}, "progress"),
        ({"first_year": 2025, "last_year": 2020}, "last_year"),
        ({"sub_dimensions": [tourism.pk]}, "sub_dimensions"),  # a Smart Branding sub-dimension
        ({"stage": "completed", "progress": 100}, "completed_on"),
        ({"latitude": "40.7", "longitude": "-74.0"}, "latitude"),  # New York, not Indonesia
        ({"pillar": 999999}, "pillar"),
        ({"pillar": "society"}, "pillar"),  # a slug: relations are named by id
    ]
    for overrides, field in cases:
        response = api_client.post(reverse("pillars-api:program-list"), program_payload(agency, **overrides))
        assert response.status_code == 400, (overrides, response.data)
        assert response.data["code"] == "invalid" and field in response.data["errors"], response.data
    assert not Program.objects.exists()


def test_negative_budget_is_refused(api_client, make_user):
    program = ProgramFactory()
    api_client.force_authenticate(make_user("pillars.add_budgetline", "pillars.manage_all_agencies"))
    payload = {"program": program.pk, "year": 2024, "source": "apbd", "planned_amount": -5}
    response = api_client.post(reverse("pillars-api:budgetline-list"), payload)
    assert response.status_code == 400 and "planned_amount" in response.data["errors"]
    assert not BudgetLine.objects.exists()


def test_measurement_in_the_future_is_refused(api_client, make_user):
    indicator = IndicatorFactory()
    api_client.force_authenticate(make_user("pillars.add_measurement", "pillars.manage_all_agencies"))
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    payload = {"indicator": indicator.pk, "measured_on": tomorrow.isoformat(), "value": "10"}
    response = api_client.post(reverse("pillars-api:measurement-list"), payload)
    assert response.status_code == 400 and "measured_on" in response.data["errors"]
    assert not Measurement.objects.exists()


def test_deleting_a_program_still_referenced_is_409(api_client, make_user):
    program = ProgramFactory()
    InfrastructureAssetFactory(program=program)
    MilestoneFactory(program=program)
    api_client.force_authenticate(make_user("pillars.delete_program", "pillars.manage_all_agencies"))
    response = api_client.delete(reverse("pillars-api:program-detail", args=[program.slug]))
    assert response.status_code == 204  # milestones go with it, the asset keeps its place without a program
    assert not Program.objects.exists()


# --- reads ----------------------------------------------------------------------------------------------


def test_indicator_shows_targets_latest_measurement_and_achievement(api_client):
    indicator = IndicatorFactory(slug="capaian", is_headline=True, pillar=None)
    IndicatorTargetFactory(indicator=indicator, year=2023, value=Decimal("90.00"))
    IndicatorTargetFactory(indicator=indicator, year=2024, value=Decimal("92.30"))
    MeasurementFactory(indicator=indicator, measured_on=datetime.date(2023, 12, 31), value=Decimal("85.00"))
    MeasurementFactory(indicator=indicator, measured_on=datetime.date(2024, 12, 31), value=Decimal("88.10"))
    data = api_client.get(reverse("pillars-api:indicator-detail", args=["capaian"])).data
    assert [t["year"] for t in data["targets"]] == [2023, 2024]
    assert (data["latest_value"], data["latest_measured_on"]) == ("88.10", "2024-12-31")
    assert data["latest_achievement"] == "95.45"  # 88.10 / 92.30


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"pillar": "living"}, {"a"}),
        ({"stage": "completed"}, {"b"}),
        ({"horizon": "quick_win"}, {"a"}),
        ({"year": 2019}, {"b"}),
        ({"agency": "dishub"}, {"a", "b"}),
        ({"lead_agency": "dishub"}, {"a"}),
        ({"sub_dimension": "mobility"}, {"a"}),
        ({"q": "parkir"}, {"a"}),
    ],
)
def test_program_filters(api_client, params, expected):
    dishub, dinkes = AgencyFactory(slug="dishub"), AgencyFactory(slug="dinkes")
    living = Pillar.objects.get(slug="living")
    a = ProgramFactory(
        slug="a",
        title_ind="Parkir elektronik",
        pillar=living,
        lead_agency=dishub,
        horizon="quick_win",
        first_year=2021,
        last_year=2023,
    )
    a.sub_dimensions.set(a.pillar.sub_dimensions.filter(slug="mobility"))
    b = ProgramFactory(
        slug="b",
        lead_agency=dinkes,
        stage="completed",
        progress=100,
        completed_on=datetime.date(2020, 1, 1),
        first_year=2018,
        last_year=2020,
    )
    b.supporting_agencies.add(dishub)
    response = api_client.get(reverse("pillars-api:program-list"), params)
    assert {p["slug"] for p in response.data["results"]} == expected


def test_assets_as_geojson_only_public_ones_with_coordinates(api_client):
    InfrastructureAssetFactory(name="Wi-Fi Pantai Air Manis", kind="wifi")
    InfrastructureAssetFactory(name="CCTV draft", kind="cctv", publication="draft")
    InfrastructureAssetFactory(name="Fiber", kind="fiber", latitude=None, longitude=None)
    InfrastructureAssetFactory(name="Menara", kind="tower")
    response = api_client.get(reverse("pillars-api:infrastructureasset-geojson"), {"kind": "wifi"})
    assert response.status_code == 200 and response["Content-Type"].startswith("application/geo+json")
    body = response.json()
    assert body["type"] == "FeatureCollection"
    assert [f["properties"]["name"] for f in body["features"]] == ["Wi-Fi Pantai Air Manis"]
    assert body["features"][0]["geometry"]["coordinates"] == [100.364, -0.9925]
