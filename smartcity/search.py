"""The site search (/cari/, /en/search/): public records of every kind, grouped by kind, one query per kind.

Each app registers its kinds (`register_kind`, from its `search.py`), so the core names no app. On PostgreSQL a
kind is matched by full-text search: Indonesian text and names through the 'simple' configuration (PostgreSQL has
no Indonesian stemmer; every word is matched as a prefix, so "pendidik" finds "pendidikan" and "layan" finds
"layanan"), English text through the 'english' one as well (so "cities" finds "city"), ranked by `ts_rank`. Any
other database (the first-look mode's SQLite) gets the lists' own match: every word in one of the fields,
case-insensitively. Only public rows are searched, whoever asks: the results page is the citizens' page.
"""

import re
from collections.abc import Callable
from dataclasses import dataclass, field

from django.contrib.postgres.search import SearchQuery, SearchRank, SearchVector
from django.db import connection
from django.db.models import Count, F, Q, QuerySet, Value, Window
from django.utils.translation import gettext_lazy as _

from .filters import SEARCH_WORDS

MAX_QUERY_CHARS = 200
PER_KIND = 5
FULLTEXT, CONTAINS = "fulltext", "contains"
# Letters and digits only: what a tsquery lexeme may hold without quoting, so no input can break the query.
WORD = re.compile(r"[^\W_]+")


@dataclass(frozen=True)
class SearchKind:
    """One kind of public record the search finds: its public rows, the fields it matches and how a hit reads."""

    key: str
    label: object  # the kind's plural name, lazily translated
    queryset: Callable[[], QuerySet]  # the public rows, with what `title`, `summary` and `url` read
    fields: tuple[str, ...]  # Indonesian text and names: the 'simple' configuration
    fields_en: tuple[str, ...] = ()  # English text: the 'english' configuration as well
    title: str = "title"  # the attribute a hit is named by (a `Translated` one is marked with its language); "": str()
    summary: str = ""  # the attribute of its short description, if any
    url: Callable[[object], str] = lambda row: row.get_absolute_url()
    list_url: Callable[[str], str] | None = None  # the kind's list filtered by the query ("see all")
    order: int = 100


@dataclass(frozen=True)
class Hit:
    """One record found: its name and description (with their language when they fall back to Indonesian on a page
    in English) and its page."""

    title: str
    url: str
    summary: str = ""
    title_lang: str = ""
    summary_lang: str = ""


def hit(kind: SearchKind, row) -> Hit:
    from .templatetags.portal import shown_lang

    summary = getattr(row, kind.summary, "") if kind.summary else ""
    return Hit(
        title=str(getattr(row, kind.title) if kind.title else row),
        url=kind.url(row),
        summary=summary or "",
        title_lang=shown_lang(row, kind.title) if kind.title else "",
        summary_lang=shown_lang(row, kind.summary) if summary else "",
    )


@dataclass
class SearchGroup:
    """The hits of one kind: the first few, their total and where to see them all."""

    kind: SearchKind
    hits: list = field(default_factory=list)
    total: int = 0
    more_url: str = ""


KINDS: dict[str, SearchKind] = {}
# Kinds found without the database (the open-data datasets): key -> function(words) -> SearchGroup.
OTHER_KINDS: dict[str, Callable[[list[str]], SearchGroup]] = {}


def register_kind(kind: SearchKind) -> SearchKind:
    KINDS[kind.key] = kind
    return kind


def list_url(url_name: str) -> Callable[[str], str]:
    """A kind's `list_url`: the public list `url_name` searched for the query (each list reads `?q=`)."""
    from urllib.parse import urlencode

    from django.urls import reverse

    return lambda query: f"{reverse(url_name)}?{urlencode({'q': query})}"


def search_backend(vendor: str | None = None) -> str:
    """Full-text search on PostgreSQL; the lists' word-by-word `icontains` match on any other database."""
    return FULLTEXT if (vendor or connection.vendor) == "postgresql" else CONTAINS


def query_words(query: str) -> list[str]:
    """The words of `query` the search reads: letters and digits, at most SEARCH_WORDS of them."""
    return WORD.findall(query)[:SEARCH_WORDS]


def check_query(query: str) -> str | None:
    """Why `query` cannot be searched (a message for the reader), or None when it can."""
    if len(query) > MAX_QUERY_CHARS:
        return _("The search is too long: use at most %(count)s characters.") % {"count": MAX_QUERY_CHARS}
    if not query_words(query):
        return _("Type one or more words to search for.")
    return None


def fulltext_match(queryset: QuerySet, kind: SearchKind, words: list[str]) -> QuerySet:
    vector = SearchVector(*kind.fields, config="simple", weight="A")
    if kind.fields_en:
        vector = vector + SearchVector(*kind.fields_en, config="english", weight="B")
    terms = " & ".join(f"{word}:*" for word in words)  # every word, each as a prefix
    query = SearchQuery(terms, config="simple", search_type="raw")
    if kind.fields_en:
        query = query | SearchQuery(terms, config="english", search_type="raw")
    return (
        queryset.annotate(search_document=vector)
        .filter(search_document=query)
        .annotate(search_rank=SearchRank(F("search_document"), query))
        .order_by("-search_rank", "pk")
    )


def contains_match(queryset: QuerySet, kind: SearchKind, words: list[str]) -> QuerySet:
    for word in words:
        any_field = Q()
        for name in kind.fields + kind.fields_en:
            any_field |= Q(**{f"{name}__icontains": word})
        queryset = queryset.filter(any_field)
    return queryset.annotate(search_rank=Value(0))


def search_kind(kind: SearchKind, words: list[str], *, backend: str, limit: int = PER_KIND) -> SearchGroup:
    """The first `limit` public rows of `kind` matching every word, with their total: one query (the total is a
    window count over the same rows)."""
    match = fulltext_match if backend == FULLTEXT else contains_match
    rows = list(match(kind.queryset(), kind, words).annotate(search_total=Window(Count("pk")))[:limit])
    total = rows[0].search_total if rows else 0
    more = kind.list_url(" ".join(words)) if kind.list_url and total > len(rows) else ""
    return SearchGroup(kind=kind, hits=[hit(kind, row) for row in rows], total=total, more_url=more)


def site_search(query: str, *, backend: str | None = None, limit: int = PER_KIND) -> list[SearchGroup]:
    """The groups of hits for `query` (already checked by `check_query`), kinds with hits only, in the kinds'
    order."""
    backend = backend or search_backend()
    words = query_words(query)
    groups = [
        search_kind(kind, words, backend=backend, limit=limit)
        for kind in sorted(KINDS.values(), key=lambda kind: kind.order)
    ]
    groups += [find(words) for find in OTHER_KINDS.values()]
    return [group for group in groups if group.total]


def dataset_group(words: list[str]) -> SearchGroup:
    """The open-data datasets whose name or title (in either language) holds every word; read from the last
    dump's index, without the database."""
    from django.urls import reverse
    from django.utils.translation import get_language, gettext

    from .opendata import listed_datasets, open_data_index

    kind = SearchKind(key="datasets", label=_("Open-data datasets"), queryset=QuerySet.none, fields=(), order=900)
    language = (get_language() or "id").split("-")[0]
    hits = []
    for name, info in listed_datasets(open_data_index()):  # the catalogue's own list: titled, with rows
        titles = info.get("title") or {}
        text = " ".join([name.replace("-", " "), *titles.values()]).casefold()
        if all(word.casefold() in text for word in words):
            summary = gettext("%(rows)s rows, CSV and JSON") % {"rows": info.get("rows", 0)}
            url = reverse("open-data-dataset", args=[name])
            hits.append(Hit(title=titles.get(language) or titles.get("id") or name, url=url, summary=summary))
    more = reverse("open-data") if len(hits) > PER_KIND else ""
    return SearchGroup(kind=kind, hits=hits[:PER_KIND], total=len(hits), more_url=more)


OTHER_KINDS["datasets"] = dataset_group
