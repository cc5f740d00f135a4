"""The open data's DCAT catalogue: it parses as RDF (rdflib, the maintained RDF library CKAN's harvester also
uses), names every listed dataset with its distributions, and carries nothing that is not public. Its conformance
to DCAT-AP 3 is tests/test_open_data_shacl.py's."""

import json

import pytest
from django.urls import reverse
from rdflib import Graph, URIRef
from rdflib.namespace import DCAT, DCTERMS, FOAF, RDF, SKOS

from smartcity.opendata import listed_datasets, open_data_build
from tests.opendata_city import small_city
from tests.pillars.factories import IndicatorFactory, MeasurementFactory

pytestmark = pytest.mark.django_db
EU = "http://publications.europa.eu/resource/authority"


@pytest.fixture(autouse=True)
def dump_folder(settings, tmp_path):
    settings.OPEN_DATA_ROOT = tmp_path / "open-data"
    return settings.OPEN_DATA_ROOT


def parsed(client, url: str, rdf_format: str) -> tuple[Graph, str]:
    response = client.get(url)
    assert response.status_code == 200
    body = response.content.decode()
    return Graph().parse(data=body, format=rdf_format), body


def test_the_catalogue_names_every_public_dataset_with_its_distributions_in_both_formats(client):
    small_city()
    index = open_data_build()
    turtle, _ = parsed(client, reverse("open-data-catalogue-turtle"), "turtle")
    jsonld, _ = parsed(client, reverse("open-data-catalogue"), "json-ld")
    assert len(turtle) == len(jsonld) > 0  # the same triples, however written
    catalogues = list(turtle.subjects(RDF.type, DCAT.Catalog))
    assert len(catalogues) == 1
    datasets = set(turtle.objects(catalogues[0], DCAT.dataset))
    identifiers = {str(turtle.value(dataset, DCTERMS.identifier)) for dataset in datasets}
    assert identifiers == {name for name, _info in listed_datasets(index)} and len(identifiers) > 10
    for dataset in datasets:
        name = str(turtle.value(dataset, DCTERMS.identifier))
        assert (dataset, RDF.type, DCAT.Dataset) in turtle
        assert {title.language for title in turtle.objects(dataset, DCTERMS.title)} == {"id", "en"}
        assert {keyword.language for keyword in turtle.objects(dataset, DCAT.keyword)} == {"id", "en"}
        assert turtle.value(dataset, DCTERMS.accrualPeriodicity) == URIRef(f"{EU}/frequency/DAILY")
        assert set(turtle.objects(dataset, DCTERMS.language)) == {URIRef(f"{EU}/language/{c}") for c in ("IND", "ENG")}
        themes = {str(theme) for theme in turtle.objects(dataset, DCAT.theme)}
        assert any(theme.startswith(f"{EU}/data-theme/") for theme in themes)
        assert any(theme.startswith("http://testserver/open-data/themes#") for theme in themes)
        assert str(turtle.value(turtle.value(dataset, DCTERMS.spatial), DCTERMS.identifier)) == "13.71"
        assert turtle.value(turtle.value(dataset, DCTERMS.publisher), FOAF.name) is not None
        for distribution in turtle.objects(dataset, DCAT.distribution):
            assert turtle.value(distribution, DCTERMS.license) == URIRef("https://creativecommons.org/licenses/by/4.0/")
            assert str(turtle.value(distribution, DCTERMS["format"])).startswith(f"{EU}/file-type/")
            assert str(turtle.value(distribution, DCAT.mediaType)).startswith("https://www.iana.org/assignments/")
        downloads = {str(turtle.value(d, DCAT.downloadURL)) for d in turtle.objects(dataset, DCAT.distribution)}
        assert {
            f"http://testserver/open-data/files/{name}.csv",
            f"http://testserver/open-data/files/{name}.json",
        } <= downloads
        for url in (u for u in downloads if u != "None"):
            assert client.get(url.removeprefix("http://testserver")).status_code == 200  # each distribution is there
    scheme = URIRef("http://testserver/open-data/themes")
    assert scheme in set(turtle.objects(catalogues[0], DCAT.themeTaxonomy))
    assert (URIRef("http://testserver/open-data/themes#pillar-governance"), SKOS.inScheme, scheme) in turtle
    programs = URIRef("http://testserver/open-data/programs/#dataset")
    period = turtle.value(programs, DCTERMS.temporal)
    assert (str(turtle.value(period, DCAT.startDate)), str(turtle.value(period, DCAT.endDate))) == (
        "2021-01-01",
        "2024-12-31",
    )


def test_an_indicator_the_walidata_has_not_approved_is_absent_from_the_catalogue_and_its_files(client, dump_folder):
    shown = IndicatorFactory(slug="disetujui-walidata")
    hidden = IndicatorFactory(slug="belum-disetujui", name_ind="Belum disetujui walidata", approval="submitted")
    MeasurementFactory(indicator=hidden, source_note="catatan-tersembunyi")
    open_data_build()
    files = "".join(path.read_text() for path in dump_folder.iterdir() if path.is_file())
    assert shown.slug in files
    assert "belum-disetujui" not in files and "catatan-tersembunyi" not in files
    for url in (reverse("open-data-catalogue"), reverse("open-data-catalogue-turtle")):
        body = client.get(url).content.decode()
        assert "belum-disetujui" not in body and "Belum disetujui" not in body
    rows = json.loads((dump_folder / "index.json").read_text())["datasets"]["indicators"]["rows"]
    assert rows == 1


def test_no_catalogue_before_the_first_dump(client):
    assert client.get(reverse("open-data-catalogue")).status_code == 404
