import pytest
from django.urls import reverse

from tests.api import StandardApiTests

from .factories import AgencyFactory, PillarFactory

pytestmark = pytest.mark.django_db


class TestPillarApi(StandardApiTests):
    url_name, factory, public, lookup_field = "pillars-api:pillar", PillarFactory, True, "slug"

    def test_lists_six_pillars_with_three_sub_dimensions_each(self, api_client):
        response = api_client.get(self.list_url)
        assert response.data["count"] == 6
        assert all(len(pillar["sub_dimensions"]) == 3 for pillar in response.data["results"])
        assert response.data["results"][0]["name_ind"] == "Tata Kelola Cerdas"

    def test_search_matches_sub_dimension_names(self, api_client):
        response = api_client.get(self.list_url, {"q": "pariwisata"})
        assert [p["slug"] for p in response.data["results"]] == ["branding"]

    def test_ordering_by_english_name(self, api_client):
        response = api_client.get(self.list_url, {"ordering": "-name_en"})
        assert response.data["results"][0]["slug"] == "society"

    def test_bad_filter_value_is_400_in_the_error_format(self, api_client):
        response = api_client.get(self.list_url, {"id": "not-a-number"})
        assert response.status_code == 400
        assert response.data["code"] == "invalid" and "id" in response.data["errors"]

    def test_read_only_even_with_every_permission(self, api_client, make_user):
        api_client.force_authenticate(make_user("pillars.add_pillar", "pillars.delete_pillar"))
        assert api_client.post(self.list_url, {"slug": "x"}).status_code == 405
        assert api_client.delete(reverse("pillars-api:pillar-detail", args=["living"])).status_code == 405


class TestAgencyApi(StandardApiTests):
    url_name, factory, public, lookup_field = "pillars-api:agency", AgencyFactory, True, "slug"

    def test_search_by_acronym(self, api_client):
        AgencyFactory(name="Dinas Komunikasi dan Informatika", acronym="Diskominfo")
        AgencyFactory(name="Dinas Perhubungan", acronym="Dishub")
        response = api_client.get(self.list_url, {"q": "kominfo"})
        assert [a["acronym"] for a in response.data["results"]] == ["Diskominfo"]

    def test_filter_by_slug(self, api_client):
        AgencyFactory(slug="dishub")
        AgencyFactory(slug="dinkes")
        response = api_client.get(self.list_url, {"slug": "dinkes"})
        assert [a["slug"] for a in response.data["results"]] == ["dinkes"]


def test_pagination_is_limit_offset(api_client):
    response = api_client.get(reverse("pillars-api:pillar-list"), {"limit": 2, "offset": 2})
    assert response.data["count"] == 6
    assert [p["slug"] for p in response.data["results"]] == ["economy", "living"]


def test_schema_is_a_valid_openapi_3_document(api_client, tmp_path):
    from django.core.management import call_command

    call_command("spectacular", "--validate", "--fail-on-warn", "--file", str(tmp_path / "schema.yaml"))
    response = api_client.get(reverse("schema"), {"format": "json"})
    assert response.status_code == 200
    assert response.json()["openapi"].startswith("3.")
    assert "/api/v1/pillars/" in response.json()["paths"]


def test_docs_load_their_assets_from_our_own_static_files(client):
    html = client.get(reverse("docs")).content.decode()
    assert "/static/drf_spectacular_sidecar/swagger-ui-dist/" in html
    assert "cdn" not in html.lower()
