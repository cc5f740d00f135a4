"""One download path (smartcity/downloads.py): every public list page offers `?download=csv|json`, with its own
filters, streamed; CSV and JSON say the same rows; a list of plain values reads "a; b" in CSV, as in the dump."""

import csv
import io
import json

import pytest

from tests.evaluations.factories import EvaluationFactory
from tests.partnerships.factories import MoUFactory, PartnerFactory
from tests.pillars.factories import DigitalServiceFactory, IndicatorFactory, InfrastructureAssetFactory, ProgramFactory
from tests.responses import body

pytestmark = pytest.mark.django_db

# Every public list page, with the column that names a row in its downloads.
LIST_PAGES = {
    "/programs/": "slug",
    "/indicators/": "slug",
    "/services/": "slug",
    "/map/": "name",
    "/partnerships/": "slug",
    "/partnerships/partners/": "slug",
    "/evaluations/": "year",
}


@pytest.fixture
def one_of_each():
    ProgramFactory()
    IndicatorFactory()
    DigitalServiceFactory()
    InfrastructureAssetFactory()
    MoUFactory()
    PartnerFactory()
    EvaluationFactory()


@pytest.mark.parametrize("path", LIST_PAGES)
def test_every_public_list_offers_csv_and_json_of_the_same_rows(client, one_of_each, path):
    html = client.get(path).content.decode()
    assert "download=csv" in html and "download=json" in html
    as_csv = client.get(path + "?download=csv")
    as_json = client.get(path + "?download=json")
    assert as_csv.streaming and as_json.streaming and "attachment" in as_csv["Content-Disposition"]
    rows = list(csv.DictReader(io.StringIO(body(as_csv).decode("utf-8-sig"))))
    records = json.loads(body(as_json))
    column = LIST_PAGES[path]
    assert rows and [row[column] for row in rows] == [str(record[column]) for record in records]


def test_a_list_of_plain_values_reads_the_same_in_a_page_download_and_in_the_dump(client, settings, tmp_path):
    from smartcity.opendata import open_data_build

    settings.OPEN_DATA_ROOT = tmp_path / "open-data"
    mou = MoUFactory(slug="dua-program")
    mou.programs.set([ProgramFactory(slug="wifi"), ProgramFactory(slug="cctv")])
    page = list(csv.DictReader(io.StringIO(body(client.get("/partnerships/?download=csv")).decode("utf-8-sig"))))
    assert set(page[0]["programs"].split("; ")) == {"wifi", "cctv"}
    assert sorted(json.loads(body(client.get("/partnerships/?download=json")))[0]["programs"]) == ["cctv", "wifi"]
    open_data_build()
    dump = list(csv.DictReader(io.StringIO((tmp_path / "open-data" / "mous.csv").read_text(encoding="utf-8-sig"))))
    said = json.loads((tmp_path / "open-data" / "mous.json").read_text())[0]["programs"]
    plain = all(not isinstance(value, list | dict) for value in said)
    expected = "; ".join(map(str, said)) if plain else json.dumps(said, ensure_ascii=False)
    assert dump[0]["slug"] == "dua-program" and dump[0]["programs"] == expected


# Every public list with filters (smartcity/list_views.py), two rows of it and a search that finds only the first:
# (the factory, what makes the first row found, the search, the column that names a row in the downloads).
FILTERED = {
    "pillars:program-list": (ProgramFactory, {"location": "Kampung Zebra"}, "slug"),
    "pillars:indicator-list": (IndicatorFactory, {"data_source": "Sumber Zebra"}, "slug"),
    "pillars:service-list": (DigitalServiceFactory, {"name": "Layanan Zebra"}, "slug"),
    "pillars:asset-map": (InfrastructureAssetFactory, {"name": "Menara Zebra"}, "name"),
    "partnerships:mou-list": (MoUFactory, {"city_number": "ZEBRA/2026"}, "slug"),
    "partnerships:partner-list": (PartnerFactory, {"name": "PT Zebra"}, "slug"),
    "evaluations:evaluation-list": (EvaluationFactory, {"evaluating_body": "Tim Zebra"}, "year"),
}


def public_list_views() -> dict[str, type]:
    """URL name -> view class of every page served by the one public list view."""
    from django.urls import URLResolver, get_resolver

    from smartcity.list_views import PublicListView

    found = {}

    def walk(patterns, namespace):
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                walk(pattern.url_patterns, pattern.namespace or namespace)
            elif issubclass(getattr(pattern.callback, "view_class", object), PublicListView):
                found[f"{namespace}:{pattern.name}"] = pattern.callback.view_class

    walk(get_resolver().url_patterns, "")
    return found


def test_every_filtered_public_list_is_served_by_the_one_list_view_and_tested_here():
    views = public_list_views()
    assert {name for name, view in views.items() if view.filterset_class} == set(FILTERED)
    assert {name for name, view in views.items() if not view.filterset_class} == {"evaluations:portal-comparison"}


@pytest.mark.parametrize("url_name", FILTERED)
def test_every_public_list_downloads_exactly_its_filtered_rows_in_both_formats(client, url_name):
    from django.urls import reverse

    factory, found, column = FILTERED[url_name]
    if url_name == "evaluations:evaluation-list":
        first, other = factory(year=2024, **found), factory(year=2023)
    else:
        first, other = factory(**found), factory()
    search = next(iter(found.values())).split()[-1].split("/")[0]  # "Zebra", "ZEBRA"
    path = reverse(url_name)

    def downloaded(query: str) -> tuple[list, list]:
        as_csv = client.get(f"{path}?{query}download=csv")
        as_json = client.get(f"{path}?{query}download=json")
        assert as_csv.streaming and as_json.streaming
        rows = [row[column] for row in csv.DictReader(io.StringIO(body(as_csv).decode("utf-8-sig")))]
        return rows, [str(record[column]) for record in json.loads(body(as_json))]

    key = str(getattr(first, column))
    assert sorted(downloaded("")[0]) == sorted([key, str(getattr(other, column))])  # both rows when unfiltered
    assert downloaded(f"q={search}&") == ([key], [key])  # the page's filter, in both formats
    assert downloaded(f"q={search}&page=2&") == ([key], [key])  # every filtered row, not one page of them
