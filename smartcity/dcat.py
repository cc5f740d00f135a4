"""The open data as a DCAT catalogue (JSON-LD and Turtle) that a provincial or national portal's harvester (CKAN's
ckanext-dcat) reads: one dcat:Dataset per open-data file pair, with its publisher, update frequency, temporal
coverage, licence and distributions (CSV, JSON, and the live API list).

Built only from what the nightly dump wrote (its manifest `index.json`, `fields.json` and the files themselves),
so the core imports no app: what a dataset is called comes from the model its API list serves. The dump holds only
what an anonymous caller may read, so nothing unpublished (an indicator the walidata has not approved) can reach
the catalogue. A catalogue is built once per dump and kept in the cache."""

import json
import re
from pathlib import Path

from django.conf import settings
from django.core.cache import cache
from django.utils import translation
from django.utils.translation import gettext
from rdflib import BNode, Graph, Literal, Namespace, URIRef
from rdflib.namespace import DCAT, DCTERMS, FOAF, RDF, XSD

from .opendata import open_data_index, public_list_views

VCARD = Namespace("http://www.w3.org/2006/vcard/ns#")
FREQ = Namespace("http://purl.org/cld/freq/")
IANA = "https://www.iana.org/assignments/media-types/"
MEDIA_TYPES = {"csv": "text/csv", "json": "application/json"}
LANGUAGES = ("id", "en")
# Fields whose values place a row in time, read to give each dataset its temporal coverage.
TIME_FIELDS = ("year", "first_year", "last_year", "baseline_year", "launched_year", "measured_on", "installed_on",
               "valid_from", "valid_until", "letter_date", "due_on", "reported_on", "visited_on")  # fmt: skip
YEAR = re.compile(r"^(\d{4})")
FORMATS = {"jsonld": ("json-ld", "application/ld+json"), "ttl": ("turtle", "text/turtle; charset=utf-8")}
CONTEXT = {"dcat": str(DCAT), "dct": str(DCTERMS), "foaf": str(FOAF), "vcard": str(VCARD), "xsd": str(XSD)}


def _titles(name: str, viewset) -> dict[str, str]:
    """The dataset's title in each language: the plural name of the records its API list serves."""
    model = getattr(getattr(viewset, "queryset", None), "model", None)
    titles = {}
    for language in LANGUAGES:
        with translation.override(language):
            titles[language] = str(model._meta.verbose_name_plural).capitalize() if model else name
    return titles


def _years(rows: list[dict]) -> tuple[int, int] | None:
    """The first and last year any row's time fields name, or None."""
    years = [
        int(match.group(1)) for row in rows for field in TIME_FIELDS if (match := YEAR.match(str(row.get(field) or "")))
    ]
    return (min(years), max(years)) if years else None


def _add_text(graph: Graph, subject, predicate, texts: dict[str, str]) -> None:
    for language, text in texts.items():
        if text:
            graph.add((subject, predicate, Literal(text, lang=language)))


def _distribution(graph: Graph, dataset, *, url: str, fmt: str, title: str, download: bool, licence) -> None:
    node = URIRef(f"{url}#distribution")
    graph.add((dataset, DCAT.distribution, node))
    graph.add((node, RDF.type, DCAT.Distribution))
    graph.add((node, DCTERMS.title, Literal(title)))
    graph.add((node, DCAT.accessURL, URIRef(url)))
    if download:
        graph.add((node, DCAT.downloadURL, URIRef(url)))
    graph.add((node, DCAT.mediaType, URIRef(IANA + MEDIA_TYPES[fmt])))
    graph.add((node, DCTERMS["format"], Literal(fmt.upper())))
    graph.add((node, DCTERMS.license, licence))


def _publisher(graph: Graph, base_url: str):
    node = URIRef(f"{base_url}/#publisher")
    graph.add((node, RDF.type, FOAF.Organization))
    graph.add((node, FOAF.name, Literal(settings.OPEN_DATA_PUBLISHER)))
    graph.add((node, FOAF.homepage, URIRef(f"{base_url}/")))
    return node


def _dataset(graph: Graph, catalogue, *, base_url, name, info, viewset, publisher, licence, modified) -> None:
    root = Path(settings.OPEN_DATA_ROOT)
    dataset = URIRef(f"{base_url}/open-data/#{name}")
    graph.add((catalogue, DCAT.dataset, dataset))
    graph.add((dataset, RDF.type, DCAT.Dataset))
    graph.add((dataset, DCTERMS.identifier, Literal(name)))
    titles = _titles(name, viewset)
    _add_text(graph, dataset, DCTERMS.title, titles)
    with translation.override("id"):
        description_id = gettext("Every public record of this list, as the portal's API lists it: %(rows)s rows.")
    with translation.override("en"):
        description_en = gettext("Every public record of this list, as the portal's API lists it: %(rows)s rows.")
    _add_text(graph, dataset, DCTERMS.description, {"id": description_id % {"rows": info["rows"]},
                                                    "en": description_en % {"rows": info["rows"]}})  # fmt: skip
    graph.add((dataset, DCTERMS.publisher, publisher))
    graph.add((dataset, DCTERMS.accrualPeriodicity, FREQ.daily))  # the dump is rebuilt every night
    graph.add((dataset, DCTERMS.modified, Literal(modified, datatype=XSD.dateTime)))
    graph.add((dataset, DCTERMS.license, licence))
    graph.add((dataset, DCAT.landingPage, URIRef(f"{base_url}/open-data/")))
    contact = BNode()
    graph.add((dataset, DCAT.contactPoint, contact))
    graph.add((contact, RDF.type, VCARD.Organization))
    graph.add((contact, VCARD.fn, Literal(settings.OPEN_DATA_PUBLISHER)))
    path = root / f"{name}.json"
    years = _years(json.loads(path.read_text())) if path.exists() else None
    if years:
        period = BNode()
        graph.add((dataset, DCTERMS.temporal, period))
        graph.add((period, RDF.type, DCTERMS.PeriodOfTime))
        graph.add((period, DCAT.startDate, Literal(f"{years[0]}-01-01", datatype=XSD.date)))
        graph.add((period, DCAT.endDate, Literal(f"{years[1]}-12-31", datatype=XSD.date)))
    for fmt in info.get("formats", ["csv", "json"]):
        url = f"{base_url}/open-data/files/{name}.{fmt}"
        _distribution(graph, dataset, url=url, fmt=fmt, title=f"{titles['id']} ({fmt.upper()})", download=True,
                      licence=licence)  # fmt: skip
    if viewset is not None:
        _distribution(graph, dataset, url=f"{base_url}/api/v1/{name}/", fmt="json", title=f"{titles['id']} (API)",
                      download=False, licence=licence)  # fmt: skip


def catalogue_graph(*, base_url: str) -> Graph | None:
    """The catalogue of the last dump as an RDF graph, or None before the first dump."""
    index = open_data_index()
    if index is None:
        return None
    base_url = base_url.rstrip("/")
    graph = Graph()
    for prefix, namespace in CONTEXT.items():
        graph.bind(prefix, namespace)
    catalogue = URIRef(f"{base_url}/open-data/catalog")
    graph.add((catalogue, RDF.type, DCAT.Catalog))
    titles = {}
    for language in LANGUAGES:
        with translation.override(language):
            titles[language] = gettext("Open data of %(city)s") % {"city": settings.PORTAL_CITY_NAME}
    _add_text(graph, catalogue, DCTERMS.title, titles)
    _add_text(graph, catalogue, DCTERMS.description, titles)
    publisher, licence = _publisher(graph, base_url), URIRef(settings.OPEN_DATA_LICENSE)
    graph.add((catalogue, DCTERMS.publisher, publisher))
    graph.add((catalogue, DCTERMS.license, licence))
    graph.add((catalogue, FOAF.homepage, URIRef(f"{base_url}/open-data/")))
    graph.add((catalogue, DCTERMS.modified, Literal(index["generated_at"], datatype=XSD.dateTime)))
    for language in LANGUAGES:
        graph.add((catalogue, DCTERMS.language, URIRef(f"http://id.loc.gov/vocabulary/iso639-1/{language}")))
    views = public_list_views()
    for name, info in sorted(index["datasets"].items()):
        _dataset(graph, catalogue, base_url=base_url, name=name, info=info, viewset=views.get(name),
                 publisher=publisher, licence=licence, modified=index["generated_at"])  # fmt: skip
    return graph


def catalogue_document(*, base_url: str, fmt: str) -> str | None:
    """The catalogue serialised as JSON-LD (`jsonld`) or Turtle (`ttl`), built once per dump and base address."""
    index = open_data_index()
    if index is None:
        return None
    key = f"dcat:{index['generated_at']}:{base_url}:{fmt}"
    document = cache.get(key)
    if document is None:
        graph = catalogue_graph(base_url=base_url)
        rdf_format = FORMATS[fmt][0]
        options = {"context": CONTEXT, "auto_compact": True} if rdf_format == "json-ld" else {}
        document = graph.serialize(format=rdf_format, **options)
        cache.set(key, document, timeout=24 * 3600)
    return document
