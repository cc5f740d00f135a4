"""A related row a caller may not view is not shown through another record (issue 24): an unpublished partner named
as a published asset's operator appears neither on the public map page (nor its download) nor in the API (the
asset list, its detail, the map's GeoJSON) for anonymous callers or another partner's key. The relation reads as
null (to-one) or is left out (to-many), and deciding it adds no query per row."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.partnerships.factories import MoUFactory, MoUPartyFactory, PartnerFactory, make_key
from tests.pillars.factories import InfrastructureAssetFactory, ProgramFactory

pytestmark = pytest.mark.django_db

DRAFT_NAME = "PT Operator Rahasia"


@pytest.fixture
def hidden_operator():
    return PartnerFactory(name=DRAFT_NAME, slug="operator-rahasia", publication="draft")


@pytest.fixture
def asset(hidden_operator):
    return InfrastructureAssetFactory(name="Wi-Fi Taman Kota", operator=hidden_operator)


@pytest.fixture
def other_key():
    return make_key(PartnerFactory())[1]


def _callers(other_key):
    return {"anonymous": {}, "another partner's key": {"HTTP_AUTHORIZATION": f"Api-Key {other_key}"}}


def test_the_public_map_page_and_its_download_do_not_name_a_draft_operator(client, asset, admin_user):
    for reader in (None, admin_user):  # public pages are the same for everyone, staff included
        if reader is not None:
            client.force_login(reader)
        page = client.get(reverse("pillars:asset-map"))
        assert page.status_code == 200
        assert "Wi-Fi Taman Kota" in page.content.decode()
        assert DRAFT_NAME not in page.content.decode()
        download = client.get(reverse("pillars:asset-map") + "?format=csv")
        assert download.status_code == 200
        assert b"operator-rahasia" not in b"".join(
            download.streaming_content if download.streaming else [download.content]
        )


def test_the_api_does_not_name_a_draft_operator(api_client, asset, other_key):
    for caller, headers in _callers(other_key).items():
        listed = api_client.get(reverse("pillars-api:infrastructureasset-list"), **headers)
        assert listed.status_code == 200, caller
        row = next(r for r in listed.json()["results"] if r["id"] == asset.pk)
        assert row["operator"] is None, caller
        detail = api_client.get(reverse("pillars-api:infrastructureasset-detail", args=[asset.pk]), **headers)
        assert detail.json()["operator"] is None, caller
        geojson = api_client.get(reverse("pillars-api:infrastructureasset-geojson"), **headers)
        assert geojson.status_code == 200, caller
        assert DRAFT_NAME not in geojson.content.decode(), caller
        zoomed = api_client.get(
            reverse("pillars-api:infrastructureasset-geojson") + "?bbox=100,-1.1,100.5,-0.9&zoom=18", **headers
        )
        assert DRAFT_NAME not in zoomed.content.decode(), caller


def test_staff_and_the_operators_own_key_still_see_it(api_client, asset, hidden_operator, make_user):
    api_client.force_authenticate(make_user("pillars.view_infrastructureasset", "partnerships.view_partner"))
    assert (
        api_client.get(reverse("pillars-api:infrastructureasset-detail", args=[asset.pk])).json()["operator"]["id"]
        == asset.operator_id
    )
    api_client.force_authenticate(None)
    own = {"HTTP_AUTHORIZATION": f"Api-Key {make_key(hidden_operator)[1]}"}
    assert api_client.get(reverse("pillars-api:infrastructureasset-detail", args=[asset.pk]), **own).json()["operator"][
        "id"
    ] == (hidden_operator.pk)


def test_a_draft_program_named_by_an_asset_reads_as_null(api_client):
    asset = InfrastructureAssetFactory(program=ProgramFactory(publication="draft"))
    assert api_client.get(reverse("pillars-api:infrastructureasset-detail", args=[asset.pk])).json()["program"] is None


def test_a_to_many_relation_leaves_a_hidden_row_out_and_a_to_one_reads_null(api_client, hidden_operator):
    mou = MoUFactory(publication="published")
    MoUPartyFactory(mou=mou, partner=hidden_operator)
    mou.programs.add(ProgramFactory(title_ind="Program Rahasia", publication="draft"), shown := ProgramFactory())
    body = api_client.get(reverse("partnerships-api:mou-detail", args=[mou.slug])).json()
    assert [program["id"] for program in body["programs"]] == [shown.pk]
    assert None in [party["partner"] for party in body["parties"]]
    assert DRAFT_NAME not in str(body) and "Program Rahasia" not in str(body)


def _queries(api_client, url, headers) -> int:
    api_client.get(url, **headers)  # a key's first call looks the key up; the second reads it from the cache
    with CaptureQueriesContext(connection) as context:
        response = api_client.get(url, **headers)
    assert response.status_code == 200
    return len(context)


def test_hiding_costs_no_query_per_row(api_client, other_key):
    """Drafts named as operators and programs: the list's queries stay the same from 1 asset to 6."""

    def one():
        InfrastructureAssetFactory(
            operator=PartnerFactory(publication="draft"), program=ProgramFactory(publication="draft")
        )

    one()
    url = reverse("pillars-api:infrastructureasset-list")
    for headers in _callers(other_key).values():
        before = _queries(api_client, url, headers)
        for _ in range(5):
            one()
        after = _queries(api_client, url, headers)
        assert after == before
