"""The open-data catalogue a citizen reads (issue 26, item 4): every listed dataset with its title, description,
topic, publisher, keywords, record count and last update in both languages, searchable and filtered by topic and
agency; a page per dataset with a preview of its first rows and its field dictionary; empty datasets not listed;
nothing unpublished anywhere; a constant number of queries; every CSV valid under Frictionless."""

import json
import re
from pathlib import Path

import frictionless
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation
from rdflib import Graph, URIRef
from rdflib.namespace import DCTERMS, FOAF

from smartcity.opendata import PREVIEW_ROWS, TOPICS, dataset_about, in_languages, open_data_build, public_list_views
from tests.evaluations.factories import EvaluationFactory, FindingFactory, LegalInstrumentFactory
from tests.opendata_city import small_city
from tests.partnerships.factories import MoUFactory
from tests.pillars.factories import (
    ActivityFactory,
    AgencyFactory,
    BudgetLineFactory,
    DigitalServiceFactory,
    IndicatorFactory,
    InfrastructureAssetFactory,
    MeasurementFactory,
    MilestoneFactory,
    ProgramFactory,
    ProgramIndicatorFactory,
    SubDimensionFactory,
)

pytestmark = pytest.mark.django_db
SECRET = "rahasia-draf"


@pytest.fixture(autouse=True)
def dump_folder(settings, tmp_path) -> Path:
    settings.OPEN_DATA_ROOT = tmp_path / "open-data"
    return settings.OPEN_DATA_ROOT


def page(client, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200
    return response.content.decode()


def listed(html: str) -> set[str]:
    """The datasets a catalogue page lists, by name."""
    return set(re.findall(r'<h2><a href="(?:/en)?/open-data/([a-z-]+)/"', html))


def title(name: str, language: str) -> str:
    return in_languages(dataset_about(public_list_views()[name]).title)[language]


def test_every_public_dataset_is_declared_with_a_topic_and_titles_in_both_languages():
    open_data_build()
    for name, viewset in public_list_views().items():
        about = getattr(viewset, "open_data", None)
        if about is None:
            continue  # a list anonymous callers cannot read is no dataset
        titles, descriptions = in_languages(about.title), in_languages(about.description)
        assert about.topic in TOPICS and about.keywords, name
        assert titles["id"] != titles["en"] and descriptions["id"] != descriptions["en"], name  # translated
    from smartcity.opendata import open_data_index

    assert all(public_list_views()[name].open_data for name in open_data_index()["datasets"])


def test_the_catalogue_shows_each_dataset_in_the_page_language(client, settings):
    agency = AgencyFactory(name="Dinas Kesehatan Uji")
    ProgramFactory(lead_agency=agency, first_year=2021, last_year=2024)
    open_data_build()
    html = page(client, reverse("open-data"))
    assert title("programs", "id") in html and title("programs", "en") not in html
    assert "Perencanaan dan anggaran" in html  # its topic
    assert "Dinas Kesehatan Uji" in html  # one agency owns every row: it publishes the dataset
    assert "2021–2024" in html and "/open-data/files/programs.csv" in html
    assert settings.OPEN_DATA_LICENSE in html and settings.OPEN_DATA_LICENSE_NAME in html
    with translation.override("en"):
        english = page(client, reverse("open-data"))
    assert title("programs", "en") in english and "Planning and budget" in english


def test_search_and_filters(client):
    health, works = AgencyFactory(name="Dinas Kesehatan Uji"), AgencyFactory(name="Dinas PU Uji")
    program = ProgramFactory(lead_agency=health)
    ActivityFactory(program=program)
    BudgetLineFactory(program=program)
    DigitalServiceFactory(owner_agency=works)
    open_data_build()
    url = reverse("open-data")
    everything = listed(page(client, url))
    assert {"programs", "activities", "budget-lines", "services", "pillars"} <= everything
    assert listed(page(client, url + "?q=anggaran")) == {"budget-lines"}  # an Indonesian keyword
    assert listed(page(client, url + "?q=budget")) == {"budget-lines"}  # and the English one
    planning = listed(page(client, url + "?topic=planning"))
    assert {"programs", "activities", "budget-lines"} <= planning and not planning & {"services", "pillars"}
    assert {"programs", "services"} <= listed(page(client, url + "?topic=pillar-governance"))  # rows' pillar
    assert "pillars" not in listed(page(client, url + "?topic=pillar-governance"))
    assert listed(page(client, url + f"?opd={health.slug}")) == {"programs", "activities"}
    assert listed(page(client, url + f"?opd={works.slug}&q=aplikasi")) == {"services"}
    unknown = page(client, url + "?topic=no-such-topic")  # a choice that does not exist: said, not a 500
    assert listed(unknown) == everything and 'class="error"' in unknown
    assert "Tidak ada dataset yang cocok" in page(client, url + "?q=zzzz-nothing")


def test_a_dataset_page_shows_its_preview_and_field_dictionary(client, dump_folder):
    for number in range(PREVIEW_ROWS + 2):
        ProgramFactory(title_ind=f"Program pratinjau {number}", description_ind="x" * 200)
    open_data_build()
    html = page(client, reverse("open-data-dataset", args=["programs"]))
    assert f"<h1>{title('programs', 'id')}</h1>" in html and title("programs", "en") in html  # the other in its lang
    preview = html.split('id="preview-heading"')[1].split('id="fields-heading"')[0]
    assert len(re.findall(r"<tr><th scope=\"row\"", preview)) == PREVIEW_ROWS
    # the key column first, not the id; an Indonesian column's cells are marked as Indonesian
    assert '<th scope="row" lang="id">Program pratinjau' in preview
    assert preview.count('<td lang="id">') >= PREVIEW_ROWS and "<td>" in preview  # description_ind too; others not
    assert "x" * 200 not in preview and "x" * 70 + "…" in preview  # long values are cut
    fields = html.split('id="fields-heading"')[1]
    assert "<code>lead_agency</code>" in fields
    assert 'lang="id"' in fields and 'lang="en"' in fields
    about = json.loads((dump_folder / "fields.json").read_text())["programs"]["lead_agency"]
    assert about["label_ind"] != about["label_en"] and about["label_ind"] in fields and about["label_en"] in fields
    assert "/open-data/files/programs.csv" in html and "/api/v1/programs/" in html
    assert client.get(reverse("open-data-dataset", args=["no-such-dataset"])).status_code == 404


def test_a_dataset_of_many_agencies_is_published_by_the_walidata(client, settings):
    ProgramFactory(), ProgramFactory()
    one = AgencyFactory(name="Dinas Tunggal Uji")
    IndicatorFactory(owner_agency=one)
    open_data_build()
    assert settings.OPEN_DATA_PUBLISHER in page(client, reverse("open-data-dataset", args=["programs"]))
    assert "Dinas Tunggal Uji" in page(client, reverse("open-data-dataset", args=["indicators"]))
    feed = Graph().parse(data=page(client, reverse("open-data-catalogue-turtle")), format="turtle")
    publisher = feed.value(URIRef("http://testserver/open-data/indicators/#dataset"), DCTERMS.publisher)
    assert str(feed.value(publisher, FOAF.name)) == "Dinas Tunggal Uji"
    publisher = feed.value(URIRef("http://testserver/open-data/programs/#dataset"), DCTERMS.publisher)
    assert str(feed.value(publisher, FOAF.name)) == settings.OPEN_DATA_PUBLISHER


def test_an_empty_dataset_keeps_its_files_but_is_not_listed(client):
    ProgramFactory()
    index = open_data_build()
    assert index["datasets"]["villages"]["rows"] == 0
    html = page(client, reverse("open-data"))
    assert "villages" not in listed(html) and "programs" in listed(html)
    assert title("villages", "id") in html.split("Tidak ditampilkan karena")[1]  # named as not listed
    assert client.get(reverse("open-data-dataset", args=["villages"])).status_code == 404
    assert client.get(reverse("open-data-file", args=["villages.csv"])).status_code == 200
    assert "/open-data/villages/" not in page(client, reverse("open-data-catalogue-turtle"))
    assert "/open-data/villages/" not in page(client, reverse("sitemap"))


def test_nothing_unpublished_reaches_any_dataset_page_file_or_feed(client, dump_folder):
    draft = ProgramFactory(slug=f"{SECRET}-program", title_ind=f"{SECRET} program", publication="draft")
    ActivityFactory(program=draft, title_ind=f"{SECRET} kegiatan")
    MilestoneFactory(program=draft, title_ind=f"{SECRET} tahap")
    BudgetLineFactory(program=draft, note=f"{SECRET} anggaran")
    hidden = IndicatorFactory(slug=f"{SECRET}-indikator", approval="submitted")
    MeasurementFactory(indicator=hidden, source_note=f"{SECRET} ukur")
    DigitalServiceFactory(name=f"{SECRET} aplikasi", publication="draft")
    InfrastructureAssetFactory(name=f"{SECRET} aset", publication="draft")
    MoUFactory(slug=f"{SECRET}-mou", title_ind=f"{SECRET} mou", publication="draft")
    FindingFactory(evaluation=EvaluationFactory(), text_ind=f"{SECRET} temuan", publication="draft")
    LegalInstrumentFactory(title_ind=f"{SECRET} perwako", publication="draft")
    ProgramFactory(), IndicatorFactory(), DigitalServiceFactory()  # published neighbours, so pages are not empty
    index = open_data_build()
    files = "".join(path.read_text() for path in dump_folder.iterdir() if path.is_file())
    assert SECRET not in files
    pages = [reverse("open-data"), reverse("open-data-catalogue"), reverse("open-data-catalogue-turtle")]
    pages += [reverse("open-data-dataset", args=[name]) for name, info in index["datasets"].items() if info["rows"]]
    for url in pages:
        assert SECRET not in page(client, url), url


def test_the_pages_run_the_same_queries_however_many_rows(client, django_assert_max_num_queries):
    def counts() -> list[int]:
        open_data_build()
        found = []
        for url in (reverse("open-data"), reverse("open-data-dataset", args=["programs"]), reverse("sitemap")):
            with CaptureQueriesContext(connection) as queries:
                page(client, url)
            found.append(len(queries))
        return found

    small_city(programs=1)
    one = counts()
    small_city(programs=6)
    assert counts() == one == [0, 0, 0]  # the pages read the dump's files, never the database


def test_the_build_reads_the_same_number_of_queries_however_many_rows():
    small_city(programs=1)
    with CaptureQueriesContext(connection) as queries:
        open_data_build()
    one = len(queries)
    small_city(programs=6)
    with CaptureQueriesContext(connection) as queries:
        open_data_build()
    assert len(queries) == one


def test_the_sitemap_lists_the_catalogue_and_every_dataset_page_in_both_languages(client):
    ProgramFactory()
    open_data_build()
    xml = page(client, reverse("sitemap"))
    for path in ("/open-data/", "/open-data/programs/", "/open-data/pillars/"):
        assert f"<loc>http://testserver{path}</loc>" in xml and f"<loc>http://testserver/en{path}</loc>" in xml


def test_every_csv_is_valid_under_frictionless(dump_folder):
    """Each CSV as a data portal's validator reads it: a header, then rows of the same width, no blank or
    duplicate header, no type errors against the schema Frictionless infers."""
    small_city(programs=3)
    index = open_data_build()
    assert len(list(dump_folder.glob("*.csv"))) == len(index["datasets"])
    errors, rows = {}, 0
    for path in sorted(dump_folder.glob("*.csv")):
        report = frictionless.Resource(path=path.name, basepath=str(dump_folder)).validate()
        found = [error.message for task in report.tasks for error in task.errors] + [e.message for e in report.errors]
        if found:
            errors[path.name] = found
        rows += report.tasks[0].stats.get("rows", 0)
    assert errors == {} and rows == sum(info["rows"] for info in index["datasets"].values())


def test_a_manifest_from_before_the_catalogue_shows_an_empty_list_not_an_error(client, dump_folder):
    dump_folder.mkdir(parents=True)
    old = {"generated_at": "2026-01-01T00:00:00+07:00", "datasets": {"programs": {"rows": 3, "formats": ["csv"]}}}
    (dump_folder / "index.json").write_text(json.dumps(old))
    assert listed(page(client, reverse("open-data"))) == set()
    assert client.get(reverse("open-data-dataset", args=["programs"])).status_code == 404
    assert client.get(reverse("open-data-catalogue-turtle")).status_code == 200


def test_a_preview_names_related_records_in_the_pages_language(client, dump_folder):
    """The files keep a related record whole (JSON in a CSV cell); the preview a person reads names it: a pillar in
    the page's language, an agency by its one name, a list of records and the program's indicator links by name."""
    program = ProgramFactory(title_ind="Program bernama")
    program.sub_dimensions.set([SubDimensionFactory(pillar=program.pillar, name_ind="Sub satu", name_en="Sub one")])
    untranslated = IndicatorFactory(name_ind="Indikator tertaut", name_en="")
    link = ProgramIndicatorFactory(program=program, indicator=untranslated)
    open_data_build()

    def preview(language: str) -> str:
        with translation.override(language):
            html = page(client, reverse("open-data-dataset", args=["programs"]))
        return html.split('id="preview-heading"')[1].split('id="fields-heading"')[0]

    indonesian, english = preview("id"), preview("en")
    assert f'<td lang="id">{program.pillar.name_ind}</td>' in indonesian
    assert f'<td lang="en">{program.pillar.name_en}</td>' in english
    assert '<td lang="id">Sub satu</td>' in indonesian and '<td lang="en">Sub one</td>' in english
    assert f"<td>{program.lead_agency.name}</td>" in indonesian  # one name for both languages: not marked
    # an indicator with no English name: its Indonesian one, marked as such on the English page
    assert f'<td lang="id">{link.indicator.name_ind}</td>' in english
    for shown in (indonesian, english):
        assert "{" not in shown and "&quot;" not in shown  # no record as JSON
    written = (dump_folder / "programs.csv").read_text(encoding="utf-8-sig")
    assert f'""name_ind"": ""{program.pillar.name_ind}""' in written  # the file keeps the whole record
