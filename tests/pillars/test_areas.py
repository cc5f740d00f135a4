"""Districts and villages with their Kemendagri codes: loaded from the office's file (all or nothing), carried by
programs and assets, and filtering the lists and the map's GeoJSON."""

import pytest
from django.contrib.auth.models import Group
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from pillars.models import District, InfrastructureAsset, Village
from tests.api import StandardApiTests
from tests.factories import UserFactory
from tests.snapshots import changed_tables, snapshot

from .factories import DistrictFactory, InfrastructureAssetFactory, ProgramFactory

pytestmark = pytest.mark.django_db

GOOD = b"code,name,note\n13.71.04,Padang Selatan,\n13.71.04.1001,Air Manis,\n13.71.06,Padang Barat,to verify\n"


def diskominfo():
    user = UserFactory(is_staff=True)
    user.groups.add(Group.objects.get(name="Diskominfo editor"))
    return user


def load(api_client, content: bytes):
    upload = SimpleUploadedFile("wilayah.csv", content, content_type="text/csv")
    return api_client.post(reverse("pillars-api:district-load"), {"file": upload}, format="multipart")


def test_the_office_file_loads_districts_and_villages_and_a_second_load_renames(api_client):
    api_client.force_authenticate(diskominfo())
    response = load(api_client, GOOD)
    assert response.status_code == 200 and response.data == {"districts": 2, "villages": 1, "created": 3}
    assert Village.objects.get(code="13.71.04.1001").district.name == "Padang Selatan"
    response = load(api_client, b"code,name\n13.71.06,Padang Barat (baru)\n")
    assert response.data["created"] == 0 and District.objects.get(code="13.71.06").name == "Padang Barat (baru)"


@pytest.mark.parametrize(
    "content",
    [
        b"\xff\xfe not text",
        b"kode;nama\n13.71.04;Padang Selatan\n",  # not our columns
        b"code,name\n13.71.04,Padang Selatan\n13.71,Kota Padang\n",  # a city code, not a district's
        b"code,name\n13.71.04,Padang Selatan\n13.71.04,Lagi\n",  # repeated
        b"code,name\n13.71.04,\n",  # no name
        b"code,name\n13.71.09.1001,Kuranji\n",  # a village of an unknown district
        b"code,name\n",  # nothing
    ],
)
def test_a_malformed_file_is_400_and_changes_nothing(api_client, content):
    api_client.force_authenticate(diskominfo())
    before = snapshot()
    response = load(api_client, content)
    assert response.status_code == 400 and "file" in response.data["errors"], response.data
    assert not changed_tables(before, snapshot())


def test_only_diskominfo_loads_areas(api_client, make_user):
    api_client.force_authenticate(make_user("pillars.view_district"))
    assert load(api_client, GOOD).status_code == 403 and not District.objects.exists()


def test_the_admin_upload_shows_a_malformed_file_as_a_form_error(client):
    client.force_login(diskominfo())
    url = reverse("admin:pillars_district_load")
    upload = SimpleUploadedFile("wilayah.csv", b"code,name\n13.71.4,Salah\n", content_type="text/csv")
    response = client.post(url, {"file": upload})
    assert response.status_code == 200 and "13.71.4" in str(response.context["form"].errors)
    assert not District.objects.exists()
    upload = SimpleUploadedFile("wilayah.csv", GOOD, content_type="text/csv")
    assert client.post(url, {"file": upload}).status_code == 302 and District.objects.count() == 2


@pytest.fixture
def areas():
    south = District.objects.create(code="13.71.04", name="Padang Selatan")
    west = District.objects.create(code="13.71.06", name="Padang Barat")
    village = Village.objects.create(code="13.71.04.1001", name="Air Manis", district=south)
    return south, west, village


def test_programs_filter_by_district_code_and_an_unknown_code_is_400(api_client, client, areas):
    south, west, _village = areas
    ProgramFactory(slug="selatan", title_ind="Wifi selatan").districts.set([south])
    ProgramFactory(slug="barat", title_ind="Wifi barat").districts.set([west])
    ProgramFactory(slug="kota")
    rows = api_client.get(reverse("pillars-api:program-list") + "?district=13.71.04").data["results"]
    assert [row["slug"] for row in rows] == ["selatan"] and rows[0]["districts"][0]["code"] == "13.71.04"
    response = api_client.get(reverse("pillars-api:program-list") + "?district=13.71.99")
    assert response.status_code == 400 and "district" in response.data["errors"]
    html = client.get("/programs/?district=13.71.06").content.decode()
    assert "Wifi barat" in html and "Wifi selatan" not in html


def test_assets_and_the_map_geojson_filter_by_district_and_village(api_client, client, areas):
    south, west, village = areas
    InfrastructureAssetFactory(name="Air Manis Wi-Fi", district=south, village=village)
    InfrastructureAssetFactory(name="Belakang Tangsi Wi-Fi", district=west)
    geojson = api_client.get(reverse("pillars-api:infrastructureasset-geojson") + "?district=13.71.04").json()
    assert [f["properties"]["name"] for f in geojson["features"]] == ["Air Manis Wi-Fi"]
    rows = api_client.get(reverse("pillars-api:infrastructureasset-list") + "?village=13.71.04.1001").data["results"]
    assert [row["name"] for row in rows] == ["Air Manis Wi-Fi"] and rows[0]["village"]["name"] == "Air Manis"
    assert (
        api_client.get(reverse("pillars-api:infrastructureasset-geojson") + "?village=13.71.04.9999").status_code == 400
    )
    html = client.get("/map/?district=13.71.06").content.decode()
    assert "Belakang Tangsi Wi-Fi" in html and "Air Manis Wi-Fi" not in html


def test_an_asset_in_a_village_of_another_district_is_400(api_client, areas):
    _south, west, village = areas
    api_client.force_authenticate(diskominfo())
    data = {"kind": "wifi", "name": "Salah tempat", "district": west.pk, "village": village.pk}
    response = api_client.post(reverse("pillars-api:infrastructureasset-list"), data, format="json")
    assert response.status_code == 400 and "village" in response.data["errors"]
    assert not InfrastructureAsset.objects.filter(name="Salah tempat").exists()


class TestDistrictApi(StandardApiTests):
    url_name, factory, public = "pillars-api:district", DistrictFactory, True
    view_perms = ("pillars.view_district",)
