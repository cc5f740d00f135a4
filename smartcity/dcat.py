"""The open data as a DCAT-AP 3 catalogue (JSON-LD and Turtle) that a provincial or national portal's harvester
(CKAN's ckanext-dcat, data.go.id) reads: one dcat:Dataset per listed open-data file pair (empty ones are left out,
as on the catalogue page), with the titles, descriptions and keywords the catalogue page shows in both languages,
its themes (the catalogue's own concept scheme of topics and the city's pillars, each topic mapped to the EU
data-theme vocabulary), publisher, spatial coverage (the city's Kemendagri code), temporal coverage (the years its
rows name), and its distributions (CSV, JSON and the live API list).

Controlled values are the IRIs of the vocabularies DCAT-AP requires: the EU file-type, frequency, language and
data-theme tables and IANA media types. Our own resources (publisher, contact, themes, place, pages) are described
here; the vocabularies' own resources are not (tests/test_open_data_shacl.py loads them to check the classes).

Built only from what the nightly dump wrote (its manifest `index.json` and the files), so the core imports no app,
and nothing unpublished (an indicator the walidata has not approved) can reach the catalogue. A catalogue is built
once per dump and kept in the cache."""

from pathlib import Path

from django.conf import settings
from django.core.cache import cache
from django.utils.translation import gettext_lazy as _
from rdflib import BNode, Graph, Literal, Namespace, URIRef
from rdflib.namespace import DCAT, DCTERMS, FOAF, RDF, SKOS, XSD

from .opendata import LANGUAGES, in_languages, listed_datasets, open_data_index

VCARD = Namespace("http://www.w3.org/2006/vcard/ns#")
GSP = Namespace("http://www.opengis.net/ont/geosparql#")
EU = "http://publications.europa.eu/resource/authority/"
FILE_TYPE, FREQUENCY, LANGUAGE, DATA_THEME = (Namespace(EU + name + "/") for name in
                                              ("file-type", "frequency", "language", "data-theme"))  # fmt: skip
DATA_THEMES = URIRef(EU + "data-theme")
IANA = Namespace("https://www.iana.org/assignments/media-types/")
MEDIA_TYPES = {"csv": "text/csv", "json": "application/json"}
EU_LANGUAGES = {"id": "IND", "en": "ENG"}
DESCRIPTION = _("Every public list of the smart-city portal as CSV and JSON files, rebuilt every night.")
FORMATS = {"jsonld": ("json-ld", "application/ld+json"), "ttl": ("turtle", "text/turtle; charset=utf-8")}
CONTEXT = {"dcat": str(DCAT), "dct": str(DCTERMS), "foaf": str(FOAF), "vcard": str(VCARD), "xsd": str(XSD),
           "skos": str(SKOS)}  # fmt: skip


def _add_text(graph: Graph, subject, predicate, texts: dict[str, str]) -> None:
    for language, text in texts.items():
        if text:
            graph.add((subject, predicate, Literal(text, lang=language)))


def _typed(graph: Graph, node, *classes):
    for rdf_class in classes:
        graph.add((node, RDF.type, rdf_class))
    return node


def _organisation(graph: Graph, node, name: str, homepage: str | None = None):
    _typed(graph, node, FOAF.Organization, FOAF.Agent)
    graph.add((node, FOAF.name, Literal(name)))
    if homepage:
        graph.add((node, FOAF.homepage, _typed(graph, URIRef(homepage), FOAF.Document)))
    return node


def _themes(graph: Graph, base_url: str, themes: dict) -> tuple[URIRef, dict]:
    """The catalogue's concept scheme: its topics (each close to an EU data theme) and the pillars in the rows."""
    scheme = _typed(graph, URIRef(f"{base_url}/open-data/themes"), SKOS.ConceptScheme)
    _add_text(graph, scheme, DCTERMS.title, in_languages(_("Open-data topics and smart-city pillars")))
    concepts = {}
    entries = [(key, labels, labels["eu"]) for key, labels in themes["topics"].items()]
    entries += [(f"pillar-{slug}", labels, None) for slug, labels in themes["pillars"].items()]
    for key, labels, eu in entries:
        concept = _typed(graph, URIRef(f"{base_url}/open-data/themes#{key}"), SKOS.Concept)
        _add_text(graph, concept, SKOS.prefLabel, {language: labels[language] for language in LANGUAGES})
        graph.add((concept, SKOS.inScheme, scheme))
        graph.add((concept, SKOS.topConceptOf, scheme))
        graph.add((scheme, SKOS.hasTopConcept, concept))
        if eu:
            graph.add((concept, SKOS.closeMatch, DATA_THEME[eu]))
        concepts[key] = concept
    return scheme, concepts


def _area(graph: Graph, base_url: str, area: dict | None):
    """The city as a dct:Location: its Kemendagri code, name and the box around its outline."""
    if not area:
        return None
    place = _typed(graph, URIRef(f"{base_url}/open-data/catalog#area"), DCTERMS.Location)
    graph.add((place, DCTERMS.identifier, Literal(area["code"])))
    graph.add((place, SKOS.prefLabel, Literal(area["name"], lang="id")))
    if area.get("bbox"):
        west, south, east, north = area["bbox"]
        box = f"POLYGON(({west} {south}, {east} {south}, {east} {north}, {west} {north}, {west} {south}))"
        graph.add((place, DCAT.bbox, Literal(box, datatype=GSP.wktLiteral)))
    return place


def _distribution(graph: Graph, dataset, *, url: str, fmt: str, title: str, download: bool, modified: str) -> None:
    node = _typed(graph, URIRef(f"{url}#distribution"), DCAT.Distribution)
    graph.add((dataset, DCAT.distribution, node))
    graph.add((node, DCTERMS.title, Literal(title)))
    graph.add((node, DCAT.accessURL, URIRef(url)))
    graph.add((node, DCAT.mediaType, IANA[MEDIA_TYPES[fmt]]))
    graph.add((node, DCTERMS["format"], FILE_TYPE[fmt.upper()]))
    graph.add((node, DCTERMS.license, URIRef(settings.OPEN_DATA_LICENSE)))
    graph.add((node, DCTERMS.modified, Literal(modified, datatype=XSD.dateTime)))
    if download:
        graph.add((node, DCAT.downloadURL, URIRef(url)))
        path = Path(settings.OPEN_DATA_ROOT) / url.rsplit("/", 1)[1]
        if path.is_file():
            graph.add((node, DCAT.byteSize, Literal(path.stat().st_size, datatype=XSD.nonNegativeInteger)))


def _publisher(graph: Graph, base_url: str, info: dict, walidata):
    slug = info.get("publisher")
    agency = next((agency for agency in info.get("agencies", []) if agency["slug"] == slug), None)
    if agency is None:
        return walidata
    return _organisation(graph, URIRef(f"{base_url}/open-data/#agency-{slug}"), agency["name"])


def _dataset(graph: Graph, catalogue, name: str, info: dict, context: dict) -> None:
    base_url = context["base_url"]
    dataset = _typed(graph, URIRef(f"{base_url}/open-data/{name}/#dataset"), DCAT.Dataset)
    graph.add((catalogue, DCAT.dataset, dataset))
    graph.add((dataset, DCTERMS.identifier, Literal(name)))
    _add_text(graph, dataset, DCTERMS.title, info["title"])
    _add_text(graph, dataset, DCTERMS.description, info["description"])
    for language, words in info["keywords"].items():
        for word in words:
            graph.add((dataset, DCAT.keyword, Literal(word, lang=language)))
    concepts = context["concepts"]
    themes = [concepts[info["topic"]], DATA_THEME[context["topics"][info["topic"]]["eu"]]]
    themes += [concepts[f"pillar-{slug}"] for slug in info["pillars"] if f"pillar-{slug}" in concepts]
    for theme in themes:
        graph.add((dataset, DCAT.theme, theme))
    graph.add((dataset, DCTERMS.publisher, _publisher(graph, base_url, info, context["walidata"])))
    graph.add((dataset, DCAT.contactPoint, context["contact"]))
    graph.add((dataset, DCTERMS.accrualPeriodicity, FREQUENCY.DAILY))  # the dump is rebuilt every night
    graph.add((dataset, DCTERMS.modified, Literal(info["updated"], datatype=XSD.dateTime)))
    for language in LANGUAGES:
        graph.add((dataset, DCTERMS.language, LANGUAGE[EU_LANGUAGES[language]]))
    page = _typed(graph, URIRef(f"{base_url}/open-data/{name}/"), FOAF.Document)
    graph.add((dataset, DCAT.landingPage, page))
    if context["area"] is not None:
        graph.add((dataset, DCTERMS.spatial, context["area"]))
    if info.get("years"):
        period = _typed(graph, BNode(), DCTERMS.PeriodOfTime)
        graph.add((dataset, DCTERMS.temporal, period))
        graph.add((period, DCAT.startDate, Literal(f"{info['years'][0]}-01-01", datatype=XSD.date)))
        graph.add((period, DCAT.endDate, Literal(f"{info['years'][1]}-12-31", datatype=XSD.date)))
    title = info["title"]["id"]
    for fmt in info.get("formats", ["csv", "json"]):
        _distribution(graph, dataset, url=f"{base_url}/open-data/files/{name}.{fmt}", fmt=fmt,
                      title=f"{title} ({fmt.upper()})", download=True, modified=context["generated_at"])  # fmt: skip
    _distribution(graph, dataset, url=f"{base_url}/api/v1/{name}/", fmt="json", title=f"{title} (API)",
                  download=False, modified=context["generated_at"])  # fmt: skip


def catalogue_graph(*, base_url: str) -> Graph | None:
    """The catalogue of the last dump as an RDF graph, or None before the first dump."""
    index = open_data_index()
    if index is None:
        return None
    base_url = base_url.rstrip("/")
    graph = Graph()
    for prefix, namespace in CONTEXT.items():
        graph.bind(prefix, namespace)
    catalogue = _typed(graph, URIRef(f"{base_url}/open-data/catalog"), DCAT.Catalog)
    city = {"city": settings.PORTAL_CITY_NAME}
    titles = {language: text % city for language, text in in_languages(_("Open data of %(city)s")).items()}
    _add_text(graph, catalogue, DCTERMS.title, titles)
    _add_text(graph, catalogue, DCTERMS.description, in_languages(DESCRIPTION))
    walidata = _organisation(graph, URIRef(f"{base_url}/#publisher"), settings.OPEN_DATA_PUBLISHER, f"{base_url}/")
    contact = _typed(graph, URIRef(f"{base_url}/#contact"), VCARD.Organization, VCARD.Kind)
    graph.add((contact, VCARD.fn, Literal(settings.OPEN_DATA_PUBLISHER)))
    graph.add((contact, VCARD.hasURL, URIRef(f"{base_url}/")))
    graph.add((catalogue, DCTERMS.publisher, walidata))
    graph.add((catalogue, DCTERMS.license, URIRef(settings.OPEN_DATA_LICENSE)))
    graph.add((catalogue, FOAF.homepage, _typed(graph, URIRef(f"{base_url}/open-data/"), FOAF.Document)))
    graph.add((catalogue, DCTERMS.modified, Literal(index["generated_at"], datatype=XSD.dateTime)))
    for language in LANGUAGES:
        graph.add((catalogue, DCTERMS.language, LANGUAGE[EU_LANGUAGES[language]]))
    themes = index.get("themes") or {"topics": {}, "pillars": {}}
    scheme, concepts = _themes(graph, base_url, themes)
    graph.add((catalogue, DCAT.themeTaxonomy, scheme))
    graph.add((catalogue, DCAT.themeTaxonomy, DATA_THEMES))
    area = _area(graph, base_url, index.get("area"))
    if area is not None:
        graph.add((catalogue, DCTERMS.spatial, area))
    context = {"base_url": base_url, "concepts": concepts, "topics": themes["topics"], "walidata": walidata,
               "contact": contact, "area": area, "generated_at": index["generated_at"]}  # fmt: skip
    for name, info in listed_datasets(index):
        _dataset(graph, catalogue, name, info, context)
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
