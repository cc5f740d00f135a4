import datetime
import json
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation

from pillars.models import Pillar
from tests.responses import body

from .factories import (
    AgencyFactory,
    BudgetLineFactory,
    DigitalServiceFactory,
    IndicatorFactory,
    IndicatorTargetFactory,
    InfrastructureAssetFactory,
    MeasurementFactory,
    MilestoneFactory,
    PillarFactory,
    ProgramFactory,
)

pytestmark = pytest.mark.django_db


def test_home_names_the_six_pillars_and_their_sub_dimensions_in_indonesian(client):
    html = client.get("/").content.decode()
    for pillar in Pillar.objects.with_related():
        assert pillar.name_ind in html
        for sub in pillar.sub_dimensions.all():
            assert sub.name_ind in html
    assert '<html lang="id"' in html


def test_home_in_english_under_en(client):
    response = client.get("/en/")
    html = response.content.decode()
    assert response.status_code == 200 and '<html lang="en"' in html
    assert "Smart Environment" in html and "Waste" in html
    assert "Lingkungan Cerdas" not in html


def test_language_switch_links_to_the_same_page_in_the_other_language(client):
    html = client.get("/pillars/branding/").content.decode()
    assert 'href="/en/pillars/branding/" lang="en"' in html
    html = client.get("/en/pillars/branding/").content.decode()
    assert 'href="/pillars/branding/" lang="id"' in html


def test_home_query_count_is_fixed_and_does_not_grow(client, django_assert_num_queries):
    headline = IndicatorFactory(is_headline=True, pillar=None)
    MeasurementFactory(indicator=headline)
    # Inside the test's transaction the change marks are this transaction's own, so the figures are counted (the
    # state query and one grouped query per counted kind, 5) rather than read from the cache; the cached path,
    # one query and no write, is tests/pillars/test_figures.py's. Then the indicators' standings (read as values),
    # the headline, its targets and series, the programs under way and late (one aggregate), pillars (+subs) and
    # evaluation results (their pillar scores are a 14th query once there is a result).
    with django_assert_num_queries(13):
        client.get("/")
    PillarFactory.create_batch(3)
    grow_portfolio(5)
    with django_assert_num_queries(13):
        assert client.get("/").status_code == 200


def test_pillar_page_shows_its_sub_dimensions_and_links_the_others(client):
    with translation.override("id"):
        url = reverse("pillars:pillar-detail", args=["living"])
    html = client.get(url).content.decode()
    assert "Kehidupan Cerdas" in html and "Kesehatan" in html and "Mobilitas dan transportasi" in html
    others = ["governance", "branding", "economy", "society", "environment"]
    assert all(f'href="/pillars/{slug}/" class="pillar-{slug}"' in html for slug in others)
    assert 'href="/pillars/living/" class=' not in html


def test_unknown_pillar_is_404(client):
    assert client.get("/pillars/smart-weather/").status_code == 404


def test_pillar_colours_are_served_as_css_classes(client):
    response = client.get(reverse("pillars:pillar-colours"))
    assert response["Content-Type"].startswith("text/css")
    assert ".pillar-governance{--pillar-colour:#1d4ed8}" in response.content.decode()
    assert "max-age=3600" in response["Cache-Control"] and "public" in response["Cache-Control"]
    again = client.get(reverse("pillars:pillar-colours"), HTTP_IF_NONE_MATCH=response["ETag"])
    assert again.status_code == 304  # after the hour, a browser revalidates it without the body


def test_pages_load_nothing_from_another_host(client):
    html = client.get("/").content.decode()
    assets = re.findall(r'(?:src|href)="([^"]+)"', html)
    assert assets and not [url for url in assets if url.startswith(("http:", "https:", "//"))]


def grow_portfolio(n: int, pillar: str = "governance"):
    """n more published rows of every kind, each with children, all in one pillar."""
    pillar = Pillar.objects.get(slug=pillar)
    for _ in range(n):
        program = ProgramFactory(pillar=pillar)
        program.supporting_agencies.add(AgencyFactory())
        program.sub_dimensions.set(pillar.sub_dimensions.all()[:1])
        MilestoneFactory(program=program)
        BudgetLineFactory(program=program)
        indicator = IndicatorFactory(pillar=pillar)
        IndicatorTargetFactory(indicator=indicator)
        MeasurementFactory(indicator=indicator)
        DigitalServiceFactory(pillar=pillar)
        InfrastructureAssetFactory(program=program)


def queries(client, url) -> int:
    with CaptureQueriesContext(connection) as context:
        response = client.get(url)
    assert response.status_code == 200
    return len(context)


@pytest.mark.parametrize(
    "url", ["/pillars/governance/", "/programs/", "/indicators/", "/services/", "/map/", "/en/programs/?stage=planned"]
)
def test_page_query_counts_do_not_grow_with_data(client, url):
    grow_portfolio(1)
    one = queries(client, url)
    grow_portfolio(6)
    assert queries(client, url) == one


def test_program_and_indicator_pages_query_counts_do_not_grow_with_children(client):
    program, indicator = ProgramFactory(slug="p"), IndicatorFactory(slug="i")
    before = queries(client, "/programs/p/"), queries(client, "/indicators/i/")
    for year in range(2018, 2024):
        MilestoneFactory(program=program)
        BudgetLineFactory(program=program, year=year)
        program.supporting_agencies.add(AgencyFactory())
        IndicatorTargetFactory(indicator=indicator, year=year)
        MeasurementFactory(indicator=indicator, measured_on=datetime.date(year, 12, 31))
    assert (queries(client, "/programs/p/"), queries(client, "/indicators/i/")) == before


def test_drafts_and_embargoed_records_stay_off_every_public_page(client):
    tomorrow = timezone.now() + datetime.timedelta(days=1)
    ProgramFactory(slug="draft-program", title_ind="Program rahasia", publication="draft")
    ProgramFactory(slug="embargoed-program", title_ind="Program embargo", publish_from=tomorrow)
    IndicatorFactory(slug="draft-indicator", name_ind="Indikator rahasia", publication="draft")
    DigitalServiceFactory(name="Aplikasi rahasia", publication="draft")
    InfrastructureAssetFactory(name="CCTV rahasia", publish_from=tomorrow)
    pages = "".join(
        client.get(url).content.decode()
        for url in ["/", "/pillars/governance/", "/programs/", "/indicators/", "/services/", "/map/"]
    )
    downloads = "".join(
        body(client.get(url)).decode()
        for url in ["/programs/?download=csv", "/services/?download=json", "/map/?download=csv"]
    )
    for secret in ("rahasia", "embargo"):
        assert secret not in pages and secret not in downloads
    for url in ["/programs/draft-program/", "/programs/embargoed-program/", "/indicators/draft-indicator/"]:
        assert client.get(url).status_code == 404


def test_program_list_filters_and_downloads_the_filtered_rows(client):
    ProgramFactory(slug="a", title_ind="Parkir elektronik", stage="in_progress")
    ProgramFactory(slug="b", title_ind="Bank sampah", stage="planned")
    html = client.get("/programs/", {"q": "parkir"}).content.decode()
    assert "Parkir elektronik" in html and "Bank sampah" not in html
    response = client.get("/programs/", {"stage": "planned", "download": "csv"})
    assert response["Content-Type"].startswith("text/csv")
    assert "attachment;" in response["Content-Disposition"]
    text = body(response).decode("utf-8-sig")
    assert text.splitlines()[0].startswith("slug,") and "Bank sampah" in text and "Parkir" not in text
    data = json.loads(body(client.get("/programs/", {"download": "json"})))
    assert sorted(row["slug"] for row in data) == ["a", "b"]


def test_service_catalog_counts_applications_per_year(client):
    DigitalServiceFactory.create_batch(12, launched_year=2018)
    html = client.get("/en/services/").content.decode()
    assert "12 applications in 2018" in html


def test_program_page_shows_timeline_and_budget_in_rupiah(client):
    program = ProgramFactory(slug="wifi", title_ind="Wi-Fi publik")
    MilestoneFactory(program=program, title_ind="Kajian", due_on=datetime.date(2021, 6, 30))
    BudgetLineFactory(program=program, year=2021, source="csr", planned_amount=1_250_000_000, realised_amount=0)
    html = client.get("/programs/wifi/").content.decode()
    assert "Kajian" in html and "Rp1.250.000.000" in html and "CSR" in html
    assert 'data-chart="budget-chart"' in html and "chart.umd.min.js" in html


def test_map_page_points_at_the_geojson_with_the_same_filters(client):
    html = client.get("/map/", {"kind": "cctv"}).content.decode()
    assert 'data-geojson="/api/v1/assets/geojson/?kind=cctv"' in html
    assert "leaflet.js" in html and html.count("<script>") == 1  # no inline script but the page's `js` mark


def test_a_refused_map_filter_shows_every_asset_on_the_list_and_on_the_map(client):
    html = client.get("/map/", {"year": "0", "kind": "cctv"}).content.decode()
    assert 'class="error"' in html  # the list shows the form's error and every asset...
    assert 'data-geojson="/api/v1/assets/geojson/?"' in html  # ...and the map asks for every one, not for a 400


def test_pillar_page_shows_a_bounded_sample_and_links_to_the_rest(client):
    for n in range(8):
        indicator = IndicatorFactory(name_en=f"Indicator {n}:")
        MeasurementFactory(indicator=indicator, measured_on=datetime.date(2020, 1, 1) + datetime.timedelta(days=n))
    DigitalServiceFactory.create_batch(14)
    html = client.get("/en/pillars/governance/").content.decode()
    assert html.count('data-chart="indicator-chart-') == 6
    assert "Indicator 7:" in html and "Indicator 0:" not in html  # the most recently measured come first
    assert "See all 8 indicators" in html and "See all 14 services" in html
