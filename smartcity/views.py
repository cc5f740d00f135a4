"""Portal-wide pages: the site search, the open-data catalogue, one page per dataset, and the files and DCAT feed
behind them.

The open-data pages read only what the nightly dump wrote (its manifest index.json and fields.json): no query runs,
and nothing an anonymous API call would not return can show."""

import json
import re
from datetime import datetime
from pathlib import Path

from django import forms
from django.conf import settings
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import render
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from .cache import ALL, cache_families
from .dcat import FORMATS, catalogue_document
from .models import translated_name
from .opendata import LANGUAGES, listed_datasets, open_data_index
from .search import MAX_QUERY_CHARS, check_query, site_search

FILE_NAME = re.compile(r"^[a-z-]+\.(csv|json)$")
CONTENT_TYPES = {"csv": "text/csv; charset=utf-8", "json": "application/json"}
KEY_COLUMNS = ("name", "title_ind", "name_ind", "title", "slug", "code", "number")  # a preview's pinned column


class CatalogueFilter(forms.Form):
    """The catalogue's search and filters; the choices are the topics, pillars and agencies the datasets have."""

    q = forms.CharField(label=_("Search datasets"), required=False, max_length=100)
    topic = forms.ChoiceField(label=_("Topic or pillar"), required=False)
    opd = forms.ChoiceField(label=_("Agency (OPD)"), required=False)

    def __init__(self, data, *, topics, agencies):
        super().__init__(data)
        self.fields["topic"].choices = [("", _("All topics"))] + topics
        self.fields["opd"].choices = [("", _("All agencies"))] + agencies

    @property
    def form(self):  # read by includes/filter_form.html, written for FilterSets
        return self


def _language() -> str:
    language = (translation.get_language() or LANGUAGES[0])[:2]
    return language if language in LANGUAGES else LANGUAGES[0]


def _other(language: str) -> str:
    return next(other for other in LANGUAGES if other != language)


def _themes_of(info: dict, themes: dict, language: str) -> list[tuple[str, str]]:
    """(key, label) of a dataset's topic, then of the pillars its rows name."""
    topic = themes["topics"].get(info["topic"])
    found = [(info["topic"], topic[language])] if topic else []
    pillars = themes.get("pillars", {})
    return found + [(f"pillar-{slug}", pillars[slug][language]) for slug in info["pillars"] if slug in pillars]


def _card(name: str, info: dict, index: dict, language: str) -> dict:
    """A dataset as the pages show it, in the page's language (and its title and description in the other)."""
    other = _other(language)
    agencies = {agency["slug"]: agency["name"] for agency in info["agencies"]}
    return {
        "name": name,
        "info": info,
        "title": info["title"][language],
        "description": info["description"][language],
        "other": {"language": other, "title": info["title"][other], "description": info["description"][other]},
        "keywords": info["keywords"][language],
        "themes": _themes_of(info, index["themes"], language),
        "publisher": agencies.get(info["publisher"]) or settings.OPEN_DATA_PUBLISHER,
        "agencies": agencies,
        "updated": datetime.fromisoformat(info["updated"]),
        "searchable": " ".join(
            [*info["title"].values(), *info["description"].values(), *sum(info["keywords"].values(), []), name]
        ).casefold(),
    }


def _matches(card: dict, data: dict) -> bool:
    words = (data.get("q") or "").casefold().split()
    if any(word not in card["searchable"] for word in words):
        return False
    if data.get("topic") and data["topic"] not in dict(card["themes"]):
        return False
    return not data.get("opd") or data["opd"] in card["agencies"]


def _page_context(index: dict | None) -> dict:
    licence = {"name": settings.OPEN_DATA_LICENSE_NAME, "url": settings.OPEN_DATA_LICENSE}
    generated_at = datetime.fromisoformat(index["generated_at"]) if index else None
    return {"index": index, "generated_at": generated_at, "licence": licence}


@cache_families(ALL)  # built from the nightly dump's files, which no family's version follows
def open_data(request):
    """The catalogue: every listed dataset of the last nightly dump, searchable and filtered by topic and agency."""
    index = open_data_index()
    language = _language()
    cards = [_card(name, info, index, language) for name, info in listed_datasets(index)] if index else []
    topics = {key: label for card in cards for key, label in card["themes"]}
    agencies = {slug: agency for card in cards for slug, agency in card["agencies"].items()}
    catalogue_filter = CatalogueFilter(
        request.GET or None,
        topics=sorted(topics.items(), key=lambda item: (item[0].startswith("pillar-"), item[1])),
        agencies=sorted(agencies.items(), key=lambda item: item[1]),
    )
    data = catalogue_filter.cleaned_data if catalogue_filter.is_valid() else {}
    listed = {name for name, _info in listed_datasets(index)}
    every = sorted((index or {}).get("datasets", {}).items())
    empty = [info.get("title", {}).get(language, name) for name, info in every if name not in listed]
    context = _page_context(index) | {
        "datasets": sorted((card for card in cards if _matches(card, data)), key=lambda card: card["title"].casefold()),
        "total": len(cards),
        "filter": catalogue_filter,
        "empty": empty,
    }
    return render(request, "open_data.html", context)


def _dictionary(name: str, language: str) -> list[dict]:
    path = Path(settings.OPEN_DATA_ROOT) / "fields.json"
    fields = json.loads(path.read_text()).get(name, {}) if path.exists() else {}
    return [
        {"name": field, "kind": about.get("kind", about["type"]),
         "labels": [(code, about.get(translated_name("label", code), about["label"]),
                     about.get(translated_name("help", code), about["help"]))
                    for code in (language, _other(language))]}
        for field, about in fields.items()
    ]  # fmt: skip


def _preview(info: dict, language: str) -> tuple[list[str], list[list[tuple[str, str]]]]:
    """The preview's columns and rows, its key column (a name or title rather than the id) moved first; each cell
    as (value, language): "id" in a bilingual field's Indonesian column, so a page in English marks it, and a
    related record's name in the page's language (or the language it has, marked)."""
    columns = info["columns"]
    key = next((column for column in KEY_COLUMNS if column in columns), columns[0] if columns else None)
    order = [columns.index(key)] + [i for i, column in enumerate(columns) if column != key] if key else []
    indonesian = translated_name("", "id")  # the suffix of the Indonesian column: "_ind"
    languages = ["id" if columns[i].endswith(indonesian) else "" for i in order]

    def shown(value, column_language: str) -> tuple[str, str]:
        if isinstance(value, dict):  # a related record by name: {language: [text, its language]}
            text, text_language = value.get(language) or value.get("id") or ["", ""]
            return text, text_language
        return value, column_language

    rows = [[shown(row[i], lang) for i, lang in zip(order, languages, strict=True)] for row in info["preview"]]
    return [columns[i] for i in order], rows


@cache_families(ALL)  # built from the nightly dump's files, like the catalogue page
def open_data_dataset(request, name: str):
    """One dataset: what it is, who publishes it, its first rows, what each field means and its files."""
    index = open_data_index()
    info = dict(listed_datasets(index)).get(name)
    if info is None:
        raise Http404
    language = _language()
    columns, rows = _preview(info, language)
    context = _page_context(index) | {
        "dataset": _card(name, info, index, language),
        "columns": columns,
        "rows": rows,
        "fields": _dictionary(name, language),
    }
    return render(request, "open_data_dataset.html", context)


def open_data_file(request, name: str):
    """One file of the dump; only names the dump writes are served."""
    if not FILE_NAME.match(name) and name != "fields.json":
        raise Http404
    path = Path(settings.OPEN_DATA_ROOT) / name
    if not path.is_file():
        raise Http404
    return FileResponse(path.open("rb"), content_type=CONTENT_TYPES[name.rsplit(".", 1)[1]], as_attachment=True)


@cache_families(ALL)
def open_data_catalogue(request, fmt: str):
    """The open data's DCAT catalogue (catalog.jsonld or catalog.ttl), for harvesters such as CKAN's."""
    document = catalogue_document(base_url=request.build_absolute_uri("/").rstrip("/"), fmt=fmt)
    if document is None:
        raise Http404
    return HttpResponse(document, content_type=FORMATS[fmt][1])


def search(request):
    """The site search: public records of every kind matching `q`, grouped by kind, each group with its first few
    hits and a link to its whole list searched the same way. An empty or too long query gets a message."""
    query = request.GET.get("q", "")
    problem = check_query(query) if query.strip() else None
    groups = site_search(query) if query.strip() and not problem else []
    context = {
        "search_query": query,
        "problem": problem,
        "groups": groups,
        "total": sum(group.total for group in groups),
        "max_chars": MAX_QUERY_CHARS,
    }
    return render(request, "search.html", context, status=400 if problem else 200)
