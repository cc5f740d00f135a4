"""Satu Data Indonesia: MS-Ind metadata on every indicator, the producer → walidata approval, only approved
indicators public; and the framework codes (ISO 37120/37122, SDG, SPBE) as filters."""

import json

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse

from pillars.models import Indicator
from smartcity.opendata import open_data_build
from smartcity.roles import DISKOMINFO_EDITOR, OPD_EDITOR
from tests.factories import UserFactory
from tests.snapshots import changed_tables, snapshot

from .factories import AgencyFactory, IndicatorFactory, MeasurementFactory

pytestmark = pytest.mark.django_db
EMPTY_METADATA = dict.fromkeys(["concept", "definition", "interpretation", "method", "measure", "estimation_level"], "")


def role(name, agency=None):
    user = UserFactory(is_staff=True)
    user.groups.add(Group.objects.get(name=name))
    if agency is not None:
        agency.members.add(user)
    return user


def step(api_client, indicator, name, data=None):
    return api_client.post(reverse(f"pillars-api:indicator-{name}", args=[indicator.slug]), data or {}, format="json")


def test_the_producer_submits_and_the_walidata_approves_then_it_can_be_published(api_client):
    agency = AgencyFactory()
    indicator = IndicatorFactory(owner_agency=agency, approval="draft", publication="draft")
    api_client.force_authenticate(role(OPD_EDITOR, agency))
    assert step(api_client, indicator, "approve").status_code == 403  # the producer cannot approve its own
    response = step(api_client, indicator, "submit")
    assert response.status_code == 200 and response.data["approval"] == "submitted"
    api_client.force_authenticate(role(DISKOMINFO_EDITOR))
    response = step(api_client, indicator, "approve")
    assert response.status_code == 200 and response.data["approval"] == "approved" and response.data["approved_at"]
    url = reverse("pillars-api:indicator-detail", args=[indicator.slug])
    assert api_client.patch(url, {"publication": "published"}, format="json").status_code == 200
    assert Indicator.objects.public().filter(pk=indicator.pk).exists()


def test_submitting_without_the_metadata_is_400_naming_each_missing_field_and_changes_nothing(api_client):
    agency = AgencyFactory()
    indicator = IndicatorFactory(owner_agency=agency, approval="draft", publication="draft", **EMPTY_METADATA)
    api_client.force_authenticate(role(OPD_EDITOR, agency))
    before = snapshot(indicator)
    response = step(api_client, indicator, "submit")
    assert response.status_code == 400
    assert {"concept", "definition", "method"} <= set(response.data["errors"])
    assert response.data["errors"]["concept"][0].code == "metadata_missing"
    after = snapshot(indicator)
    assert after[1] == before[1] and not changed_tables(before, after)


def test_an_opd_editor_submits_only_their_own_agencys_indicators(api_client):
    indicator = IndicatorFactory(approval="draft", publication="draft")
    api_client.force_authenticate(role(OPD_EDITOR, AgencyFactory()))
    assert step(api_client, indicator, "submit").status_code == 403
    assert Indicator.objects.get(pk=indicator.pk).approval == "draft"


def test_publishing_an_unapproved_indicator_is_refused_with_a_clear_error(api_client):
    indicator = IndicatorFactory(approval="submitted", publication="draft")
    api_client.force_authenticate(role(DISKOMINFO_EDITOR))
    url = reverse("pillars-api:indicator-detail", args=[indicator.slug])
    response = api_client.patch(url, {"publication": "published"}, format="json")
    assert response.status_code == 400
    assert response.data["errors"]["publication"][0].code == "not_approved"
    assert "walidata" in str(response.data["errors"]["publication"][0])
    assert Indicator.objects.get(pk=indicator.pk).publication == "draft"
    response = api_client.post(reverse("pillars-api:indicator-list"), {
        "slug": "baru", "name_ind": "Baru", "unit": "%", "owner_agency": indicator.owner_agency.slug,
        "publication": "published"}, format="json")  # fmt: skip
    assert response.status_code == 400 and not Indicator.objects.filter(slug="baru").exists()


def test_the_approval_is_read_only_outside_its_steps(api_client):
    indicator = IndicatorFactory(approval="draft", publication="draft")
    api_client.force_authenticate(role(DISKOMINFO_EDITOR))
    url = reverse("pillars-api:indicator-detail", args=[indicator.slug])
    response = api_client.patch(url, {"approval": "approved"}, format="json")
    assert response.status_code == 400 and "approval" in response.data["errors"]
    assert step(api_client, indicator, "approve").data["code"] == "not_submitted"
    assert Indicator.objects.get(pk=indicator.pk).approval == "draft"


def test_sending_back_needs_a_reason_and_takes_the_indicator_off_every_public_surface(api_client, client, settings,
                                                                                       tmp_path):  # fmt: skip
    settings.OPEN_DATA_ROOT = tmp_path / "open-data"
    indicator = IndicatorFactory(slug="ditolak-walidata", name_ind="Indikator ditolak walidata")
    MeasurementFactory(indicator=indicator)
    api_client.force_authenticate(role(DISKOMINFO_EDITOR))
    assert step(api_client, indicator, "send-back").status_code == 400
    response = step(api_client, indicator, "send-back", {"note": "Definisi belum sesuai standar"})
    assert response.status_code == 200 and response.data["approval"] == "sent_back"
    api_client.force_authenticate(None)
    surfaces = [
        api_client.get(reverse("pillars-api:indicator-list")).content,
        api_client.get(reverse("pillars-api:measurement-list")).content,
        client.get("/indicators/").content,
        client.get("/en/indicators/").content,
        client.get("/").content,
        client.get("/pillars/governance/").content,
    ]
    assert all(b"ditolak-walidata" not in body and b"ditolak walidata" not in body for body in surfaces)
    assert client.get("/indicators/ditolak-walidata/").status_code == 404
    assert api_client.get(reverse("pillars-api:indicator-detail", args=[indicator.slug])).status_code == 404
    open_data_build()
    dumped = (tmp_path / "open-data" / "indicators.json").read_text() + (
        tmp_path / "open-data" / "measurements.json"
    ).read_text()
    assert "ditolak-walidata" not in dumped and json.loads((tmp_path / "open-data" / "index.json").read_text())


def test_the_metadata_is_in_the_api_the_downloads_the_field_dictionary_and_the_page(api_client, client, settings,
                                                                                  tmp_path):  # fmt: skip
    settings.OPEN_DATA_ROOT = tmp_path / "open-data"
    IndicatorFactory(slug="wifi", definition="Jumlah titik Wi-Fi publik aktif", iso_theme="telecommunication",
                     iso_number="17.2", sdg_target="9.c", spbe_indicator=43)  # fmt: skip
    row = api_client.get(reverse("pillars-api:indicator-detail", args=["wifi"])).data
    assert row["definition"] == "Jumlah titik Wi-Fi publik aktif" and row["approval"] == "approved"
    assert (row["iso_theme"], row["sdg_target"], row["spbe_indicator"]) == ("telecommunication", "9.c", 43)
    open_data_build()
    fields = json.loads((tmp_path / "open-data" / "fields.json").read_text())["indicators"]
    assert {"concept", "definition", "method", "estimation_level", "iso_theme"} <= set(fields)
    assert "Jumlah titik Wi-Fi" in (tmp_path / "open-data" / "indicators.csv").read_text()
    html = client.get("/en/indicators/wifi/").content.decode()
    assert "Metadata (Satu Data Indonesia)" in html and "Jumlah titik Wi-Fi publik aktif" in html
    assert "Telecommunication" in html and "17.2" in html


@pytest.mark.parametrize(
    ("query", "expected"),
    [("iso_theme=transportation", {"bus"}), ("sdg_target=11", {"bus", "air"}), ("sdg_target=11.6", {"air"}),
     ("spbe_indicator=43", {"data"}), ("iso_number=5.1", {"bus"})],
)  # fmt: skip
def test_framework_codes_filter_the_api_list(api_client, query, expected):
    IndicatorFactory(slug="bus", iso_theme="transportation", iso_number="5.1", sdg_target="11.2.1")
    IndicatorFactory(slug="air", iso_theme="environment", sdg_target="11.6.2")
    IndicatorFactory(slug="data", spbe_indicator=43, sdg_target="16.10")
    rows = api_client.get(reverse("pillars-api:indicator-list") + "?" + query).data["results"]
    assert {row["slug"] for row in rows} == expected


def test_framework_codes_filter_the_public_list(client):
    IndicatorFactory(slug="bus", name_ind="Penumpang bus", iso_theme="transportation", sdg_target="11.2")
    IndicatorFactory(slug="air", name_ind="Kualitas udara", iso_theme="environment", sdg_target="11.6")
    html = client.get("/indicators/?iso_theme=transportation").content.decode()
    assert "Penumpang bus" in html and "Kualitas udara" not in html
    html = client.get("/indicators/?sdg_target=11.6").content.decode()
    assert "Kualitas udara" in html and "Penumpang bus" not in html


def test_a_malformed_sdg_target_is_400(api_client):
    indicator = IndicatorFactory()
    api_client.force_authenticate(role(DISKOMINFO_EDITOR))
    url = reverse("pillars-api:indicator-detail", args=[indicator.slug])
    response = api_client.patch(url, {"sdg_target": "eleven"}, format="json")
    assert response.status_code == 400 and "sdg_target" in response.data["errors"]


def test_the_public_download_carries_the_metadata(client):
    IndicatorFactory(slug="wifi", definition="Jumlah titik Wi-Fi publik aktif", sdg_target="9.c")
    body = b"".join(client.get("/indicators/?download=csv").streaming_content).decode("utf-8-sig")
    header, row = body.splitlines()[:2]
    assert "definition" in header and "sdg_target" in header
    assert "Jumlah titik Wi-Fi publik aktif" in row and "9.c" in row
