"""The kecamatan and kelurahan pages: their public programs, assets and feedback counts only, links to them from
program pages and the map, the dashed address moved to the code, unknown codes 404, constant queries."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.pillars.factories import (
    DistrictFactory,
    FeedbackFactory,
    InfrastructureAssetFactory,
    ProgramFactory,
    VillageFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def kuranji():
    return DistrictFactory(code="13.71.09", name="Kuranji", bps_code="1371030")


def program_in(district, **fields):
    program = ProgramFactory(**fields)
    program.districts.add(district)
    return program


def test_the_list_counts_each_districts_public_programs_and_assets(client, kuranji):
    other = DistrictFactory(code="13.71.01", name="Padang Selatan")
    program_in(kuranji, title_ind="Sensor banjir")
    program_in(kuranji, title_ind="Draf", publication="draft")
    InfrastructureAssetFactory(district=kuranji)
    InfrastructureAssetFactory(district=kuranji, publication="draft")
    response = client.get("/kecamatan/")
    assert response.status_code == 200
    rows = {district.name: (district.program_count, district.asset_count) for district in response.context["districts"]}
    assert rows == {"Kuranji": (1, 1), "Padang Selatan": (0, 0)}
    assert 'href="/kecamatan/13.71.09/"' in response.text and other.name in response.text


def test_a_district_page_shows_its_public_programs_assets_and_feedback_counts(client, kuranji):
    shown = program_in(kuranji, title_ind="Sensor banjir Kuranji")
    program_in(kuranji, title_ind="Program draf rahasia", publication="draft")
    ProgramFactory(title_ind="Program kecamatan lain")
    village = VillageFactory(district=kuranji, code="13.71.09.1001", name="Kalumbuk")
    InfrastructureAssetFactory(district=kuranji, village=village, kind="cctv")
    InfrastructureAssetFactory(district=kuranji, kind="cctv", publication="draft")
    FeedbackFactory(program=shown, status="published", reply="Sudah diperbaiki.")
    FeedbackFactory(program=shown, status="published")
    FeedbackFactory(program=shown)  # waiting for moderation: not counted
    response = client.get("/kecamatan/13.71.09/")
    assert response.status_code == 200
    assert "Sensor banjir Kuranji" in response.text
    assert "rahasia" not in response.text and "kecamatan lain" not in response.text
    assert response.context["counts"] == {"cctv": 1}
    assert response.context["feedback"] == {"total": 2, "replied": 1}
    assert "2 pesan yang diterbitkan" in response.text
    assert 'data-geojson="/api/v1/assets/geojson/?district=13.71.09"' in response.text
    assert 'data-focus-code="13.71.09"' in response.text
    assert 'href="/kelurahan/13.71.09.1001/"' in response.text
    assert "kode BPS 1371030" in response.text


def test_the_district_page_reads_in_english(client, kuranji):
    program_in(kuranji, title_ind="Sensor banjir", title_en="Flood sensors")
    response = client.get("/en/kecamatan/13.71.09/")
    assert response.status_code == 200
    assert "Kecamatan Kuranji" in response.text and "Flood sensors" in response.text
    assert '<html lang="en"' in response.text


def test_many_programs_link_to_the_program_list_filtered_by_the_district(client, kuranji):
    for _ in range(13):
        program_in(kuranji)
    response = client.get("/kecamatan/13.71.09/")
    assert len(response.context["programs"]) == 12 and response.context["program_count"] == 13
    assert 'href="/programs/?district=13.71.09"' in response.text
    assert len(client.get("/programs/?district=13.71.09").context["page"].object_list) == 13


def test_unknown_codes_404_and_the_dashed_address_moves_to_the_code(client, kuranji):
    assert client.get("/kecamatan/13.71.99/").status_code == 404
    assert client.get("/kecamatan/kuranji/").status_code == 404
    assert client.get("/kecamatan/13-71-99-nowhere/").status_code == 404
    moved = client.get("/kecamatan/13-71-09-kuranji/")
    assert moved.status_code == 301 and moved["Location"] == "/kecamatan/13.71.09/"
    assert client.get("/en/kecamatan/13-71-09/")["Location"] == "/en/kecamatan/13.71.09/"


def test_a_village_page_exists_where_public_assets_stand(client, kuranji):
    village = VillageFactory(district=kuranji, code="13.71.09.1001", name="Kalumbuk")
    empty = VillageFactory(district=kuranji, code="13.71.09.1002")
    program = ProgramFactory(title_ind="CCTV simpang")
    InfrastructureAssetFactory(district=kuranji, village=village, program=program)
    InfrastructureAssetFactory(district=kuranji, village=empty, publication="draft")
    response = client.get("/kelurahan/13.71.09.1001/")
    assert response.status_code == 200
    assert "Kelurahan Kalumbuk" in response.text and "CCTV simpang" in response.text
    assert 'href="/kecamatan/13.71.09/"' in response.text
    assert client.get("/kelurahan/13.71.09.1002/").status_code == 404  # only a draft asset there
    assert client.get("/kelurahan/13.71.09.9999/").status_code == 404


def test_program_pages_and_the_map_link_to_the_district_pages(client, kuranji):
    program = program_in(kuranji, title_ind="Sensor banjir")
    city_wide = ProgramFactory()
    village = VillageFactory(district=kuranji, code="13.71.09.1001")
    InfrastructureAssetFactory(district=kuranji, village=village)
    assert 'href="/kecamatan/13.71.09/">Kuranji</a>' in client.get(f"/programs/{program.slug}/").text
    assert "Seluruh kota" in client.get(f"/programs/{city_wide.slug}/").text
    assert 'href="/en/kecamatan/13.71.09/">Kuranji</a>' in client.get(f"/en/programs/{program.slug}/").text
    the_map = client.get("/map/").text
    assert 'href="/kecamatan/13.71.09/">Kuranji</a>' in the_map
    assert 'href="/kelurahan/13.71.09.1001/"' in the_map and 'href="/kecamatan/"' in the_map


def world(kuranji, size: int) -> None:
    for number in range(size):
        program = program_in(kuranji)
        FeedbackFactory(program=program, status="published")
        village = VillageFactory(district=kuranji, code=f"13.71.09.{2000 + number}")
        InfrastructureAssetFactory(district=kuranji, village=village, program=program)


def count(client, url) -> int:
    client.get(url)
    with CaptureQueriesContext(connection) as context:
        response = client.get(url)
    assert response.status_code == 200
    return len(context)


@pytest.mark.parametrize("url", ["/kecamatan/", "/kecamatan/13.71.09/", "/kelurahan/13.71.09.2000/"])
def test_the_query_count_is_the_same_for_a_small_and_a_large_world(client, kuranji, url):
    world(kuranji, 1)
    small = count(client, url)
    DistrictFactory.create_batch(5)
    world(kuranji, 25)
    assert count(client, url) == small
