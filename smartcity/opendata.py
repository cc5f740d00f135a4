"""Open-data dumps: every public API list as CSV and JSON files, with a field dictionary, rebuilt nightly.

A dataset is any list of /api/v1/ that anonymous callers may read; its rows are exactly what an
anonymous API call returns (published and due records only), without pages. The files are written by the
one download path (smartcity/downloads.py, as a page's `?download=csv|json` is), with the list's serializer
as its export. The datasets are found by walking the URL patterns, so the core names no app.

What a citizen and a harvester read about a dataset (its title and description in both languages, topic,
keywords, the field naming its producing agency) is declared once, on the list's viewset as `open_data =
OpenDataset(...)`. The build adds what the rows say (count, years, last update, agencies, pillars, the first
rows as a preview) to the manifest `index.json`, which the catalogue pages (smartcity/views.py) and the DCAT
feed (smartcity/dcat.py) read; neither touches the database.
"""

import json
import os
import re
import shutil
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.urls import URLPattern, URLResolver, get_resolver
from django.utils import timezone, translation
from django.utils.module_loading import import_string
from django.utils.translation import gettext_lazy as _
from rest_framework import exceptions
from rest_framework.request import Request
from rest_framework.test import APIRequestFactory

from . import cache as public_cache
from .downloads import SerializerExport, cell, csv_chunks, json_chunks
from .models import translated_name

INDEX = "index.json"
LANGUAGES = ("id", "en")
PREVIEW_ROWS = 5
PREVIEW_CHARACTERS = 80  # a preview cell longer than this is cut
# The catalogue's topics (its skos:ConceptScheme, with the city's pillars found in the rows), each mapped to the
# EU data-theme vocabulary that European-style harvesters read.
TOPICS = {
    "planning": (_("Planning and budget"), "GOVE"),
    "performance": (_("Indicators and evaluation"), "GOVE"),
    "services": (_("Digital services and infrastructure"), "TECH"),
    "partnerships": (_("Partnerships"), "ECON"),
    "participation": (_("Public participation"), "SOCI"),
    "regulation": (_("Regulations"), "JUST"),
    "reference": (_("Reference data"), "REGI"),
    "data-governance": (_("Data governance"), "GOVE"),
}
# Fields whose values place a row in time, read to give each dataset its temporal coverage.
TIME_FIELDS = ("year", "first_year", "last_year", "baseline_year", "launched_year", "measured_on", "installed_on",
               "valid_from", "valid_until", "letter_date", "due_on", "reported_on", "visited_on", "issued_on",
               "read_at")  # fmt: skip
YEAR = re.compile(r"^(\d{4})")
KINDS = {  # a serializer field's class -> the kind of value the field dictionary names
    "IntegerField": "integer", "DecimalField": "number", "FloatField": "number", "BooleanField": "boolean",
    "DateField": "date", "DateTimeField": "date-time", "URLField": "link", "FileField": "link",
    "ListSerializer": "list", "ListField": "list", "ManyRelatedField": "list", "BriefRelatedField": "record",
    "JSONField": "record", "DictField": "record", "ChoiceField": "code", "SlugField": "code",
}  # fmt: skip


@dataclass(frozen=True)
class OpenDataset:
    """What the open-data catalogue says about one public API list, declared on its viewset (`open_data`).

    `agency` names the row field holding the producing agency (OPD) as a brief record: a dataset whose rows all
    come from one agency has that agency as its publisher, any other the walidata (settings.OPEN_DATA_PUBLISHER)."""

    title: str
    description: str
    topic: str
    keywords: tuple[str, ...] = ()
    agency: str = ""


def dataset_about(viewset) -> OpenDataset:
    """The declaration of `viewset`'s dataset; a list without one is named after the records it serves."""
    about = getattr(viewset, "open_data", None)
    if about is not None:
        return about
    model = viewset.queryset.model
    return OpenDataset(title=model._meta.verbose_name_plural, description="", topic="data-governance")


def in_languages(text) -> dict[str, str]:
    """A translatable text in each language of the catalogue, Indonesian first."""
    result = {}
    for language in LANGUAGES:
        with translation.override(language):
            result[language] = str(text)
    return result


def public_list_views() -> dict[str, type]:
    """{dataset name: viewset} for every list route under /api/v1/, named after its path (e.g. budget-lines)."""
    found = {}

    def walk(patterns, prefix=""):
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                walk(pattern.url_patterns, prefix + str(pattern.pattern))
            elif isinstance(pattern, URLPattern) and (pattern.name or "").endswith("-list"):
                view = pattern.callback
                if getattr(view, "actions", {}).get("get") == "list":
                    found[str(pattern.pattern).strip("^$/")] = view.cls

    walk(get_resolver().url_patterns)
    return found


def portal_host() -> str:
    """A host name the portal answers to, for the absolute links (to uploaded files) a dump contains."""
    names = [name.lstrip(".") for name in settings.ALLOWED_HOSTS if name.strip(".*")]
    return names[0] if names else "localhost"


def _anonymous_view(viewset_class):
    # Outside a request: a GET as an anonymous caller would send it to the portal's own host name, so
    # serializers can build absolute URLs (DRF's default "testserver" is not an allowed host).
    factory = APIRequestFactory()
    request = Request(factory.get("/", HTTP_HOST=portal_host(), secure=settings.SECURE_SSL_REDIRECT), authenticators=[])
    request._user = AnonymousUser()
    view = viewset_class(request=request, format_kwarg=None, action="list", kwargs={}, args=())
    return view


def dataset_rows(viewset_class) -> tuple[list[dict], SerializerExport] | None:
    """What an anonymous list call returns, all pages, and its export (columns and field dictionary); None if
    not public."""
    view = _anonymous_view(viewset_class)
    try:
        view.check_permissions(view.request)
    except (exceptions.NotAuthenticated, exceptions.PermissionDenied):
        return None
    queryset = view.get_queryset()
    export = SerializerExport(view.get_serializer(queryset, many=True))
    return list(export.records(queryset)), export


def _briefs(rows: list[dict], fields: tuple[str, ...]) -> list[dict]:
    """The brief records (with a slug) that `fields` of the rows name, one per slug, in first-seen order."""
    found = {}
    for row in rows:
        for field in fields:
            values = row.get(field)
            for value in values if isinstance(values, list) else [values]:
                if isinstance(value, dict) and value.get("slug"):
                    found.setdefault(value["slug"], value)
    return list(found.values())


def _years(rows: list[dict]) -> list[int] | None:
    """[first, last] year any row's time fields name, or None."""
    years = [
        int(match.group(1)) for row in rows for field in TIME_FIELDS if (match := YEAR.match(str(row.get(field) or "")))
    ]
    return [min(years), max(years)] if years else None


LABEL_BASES = ("name", "title", "label")  # what names a related record in a preview, the first one found


def _cut(text: str) -> str:
    return text if len(text) <= PREVIEW_CHARACTERS else text[: PREVIEW_CHARACTERS - 1] + "…"


def _label(record: dict, language: str) -> tuple[str, str] | None:
    """A related record's name for a reader of `language`: (the text, the language it is in, "" when it has one
    name for both), or None when it has none. A link row ({"indicator": {…}, "role": …}) is named by its record."""
    for base in LABEL_BASES:
        for code in (language, *(other for other in LANGUAGES if other != language)):
            if record.get(translated_name(base, code)):
                return str(record[translated_name(base, code)]), code
        if record.get(base):
            return str(record[base]), ""
    return next((found for value in record.values() if isinstance(value, dict) if (found := _label(value, language))),
                None)  # fmt: skip


def _one_language(labels: list[tuple[str, str]]) -> str:
    """The language all the labels are in, or "" when they mix (or have one name for both)."""
    return labels[0][1] if len({language for _, language in labels}) == 1 else ""


def _preview_cell(value) -> str | dict:
    """One preview cell: a related record, or a list of them, by name in each language ({language: [text, the
    text's language]}), as a person reads it; anything else as the CSV writes it. Both cut to PREVIEW_CHARACTERS."""
    records = value if isinstance(value, list) else [value]
    if value and all(isinstance(record, dict) for record in records):
        named = {code: [_label(record, code) for record in records] for code in LANGUAGES}
        if all(None not in found for found in named.values()):
            return {
                code: [_cut(", ".join(text for text, _ in found)), _one_language(found)]
                for code, found in named.items()
            }
    return _cut("" if (written := cell(value)) is None else str(written))


def _preview(rows: list[dict], headers: list[str]) -> list[list[str | dict]]:
    """The first rows, each cell as `_preview_cell` gives it (the files keep the whole records)."""
    return [[_preview_cell(row.get(name)) for name in headers] for row in rows[:PREVIEW_ROWS]]


def dataset_entry(about: OpenDataset, rows: list[dict], export: SerializerExport, generated_at: str) -> dict:
    """A dataset's manifest entry: its declaration in both languages and what its rows say."""
    agencies = _briefs(rows, (about.agency,)) if about.agency else []
    stamps = [str(row["updated_at"]) for row in rows if row.get("updated_at")]
    return {
        "rows": len(rows),
        "formats": ["csv", "json"],
        "title": in_languages(about.title),
        "description": in_languages(about.description),
        "topic": about.topic,
        "keywords": {language: [in_languages(word)[language] for word in about.keywords] for language in LANGUAGES},
        "agencies": [{"slug": agency["slug"], "name": agency.get("name", agency["slug"])} for agency in agencies],
        "publisher": agencies[0]["slug"] if len(agencies) == 1 else None,
        "pillars": [pillar["slug"] for pillar in _briefs(rows, ("pillar", "pillars"))],
        "years": _years(rows),
        "updated": max(stamps) if stamps else generated_at,
        "columns": export.headers(),
        "preview": _preview(rows, export.headers()),
    }


def _pillar_labels(rows: list[dict]) -> dict[str, dict[str, str]]:
    return {
        pillar["slug"]: {"id": pillar.get("name_ind", pillar["slug"]), "en": pillar.get("name_en", pillar["slug"])}
        for pillar in _briefs(rows, ("pillar", "pillars"))
    }


def _themes(pillars: dict) -> dict:
    topics = {key: {**in_languages(label), "eu": eu} for key, (label, eu) in TOPICS.items()}
    return {"topics": topics, "pillars": pillars}


def _area() -> dict | None:
    area = import_string(settings.OPEN_DATA_AREA)() if settings.OPEN_DATA_AREA else None
    return area if area and area.get("code") else None


def _write(folder: Path, name: str, rows: list[dict], export: SerializerExport) -> None:
    with (folder / f"{name}.json").open("w", encoding="utf-8") as file:
        file.writelines(json_chunks(rows))
    with (folder / f"{name}.csv").open("w", encoding="utf-8", newline="") as file:
        file.writelines(csv_chunks(export.headers(), rows))


def open_data_build(*, progress: Callable[[str], None] = lambda name: None) -> dict:
    """Write every public dataset into a fresh folder, then swap it in whole: readers never see a half dump,
    and a build that fails (or is interrupted) removes its folder and leaves the last dump in place."""
    root = Path(settings.OPEN_DATA_ROOT)
    root.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=".open-data-", dir=root.parent))
    try:
        index = _write_all(staging, progress)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    old = root.with_name(root.name + ".old")
    shutil.rmtree(old, ignore_errors=True)  # left by a crash between the two renames below
    if root.exists():
        os.replace(root, old)
    os.replace(staging, root)
    shutil.rmtree(old, ignore_errors=True)
    public_cache.invalidate()  # the catalogue pages show the new dump at once
    return index


def _write_all(staging: Path, progress: Callable[[str], None]) -> dict:
    index = {"generated_at": timezone.now().isoformat(), "datasets": {}}
    dictionary, pillars = {}, {}
    for name, viewset_class in sorted(public_list_views().items()):
        result = dataset_rows(viewset_class)
        if result is not None:
            rows, export = result
            _write(staging, name, rows, export)
            index["datasets"][name] = dataset_entry(dataset_about(viewset_class), rows, export, index["generated_at"])
            dictionary[name] = field_dictionary(export)
            pillars.update(_pillar_labels(rows))
        progress(name)
    index["themes"] = _themes(pillars)
    index["area"] = _area()
    (staging / "fields.json").write_text(json.dumps(dictionary, ensure_ascii=False, indent=1))
    (staging / INDEX).write_text(json.dumps(index, ensure_ascii=False, indent=1))
    return index


def field_dictionary(export: SerializerExport) -> dict:
    """Each column's type, kind of value, label and help in both languages (`label_ind`, `help_ind`, `label_en`,
    `help_en`; `label` and `help`: Indonesian)."""
    fields = {}
    for language in LANGUAGES:
        with translation.override(language):
            for name, about in export.fields().items():
                entry = fields.setdefault(name, {"type": about["type"], "kind": KINDS.get(about["type"], "text")})
                label, help_text = translated_name("label", language), translated_name("help", language)
                entry[label], entry[help_text] = about["label"], about["help"]
    for entry in fields.values():
        entry["label"], entry["help"] = entry["label_ind"], entry["help_ind"]
    return fields


def listed_datasets(index: dict | None) -> list[tuple[str, dict]]:
    """The datasets the catalogue lists, by name: those with rows (an empty one keeps its files but is not listed),
    described by this version of the build (a manifest from before it is listed once rebuilt)."""
    datasets = (index or {}).get("datasets", {})
    return [(name, info) for name, info in sorted(datasets.items()) if info.get("rows") and "title" in info]


def open_data_index() -> dict | None:
    path = Path(settings.OPEN_DATA_ROOT) / INDEX
    return json.loads(path.read_text()) if path.exists() else None
