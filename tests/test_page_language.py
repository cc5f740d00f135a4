"""English pages mark the Indonesian text they fall back to (issue 26, item 6): a record whose English text is
blank is shown in Indonesian, inside an element with `lang="id"`, so a screen reader reads it as Indonesian and
the page stays honest about its language. Checked on the demo city with every English text blanked, by crawling
every public English page reachable from /en/ and reading each text node with the nearest `lang` above it."""

import re
from collections import Counter, deque
from html.parser import HTMLParser
from urllib.parse import urlsplit

import pytest
from django.apps import apps
from django.db import models
from django.test import Client
from django.urls import Resolver404, resolve

from smartcity.management.commands.load_demo import demo_loaders
from smartcity.opendata import open_data_build

pytestmark = pytest.mark.django_db

MAX_PAGES = 160
PER_SHAPE = 2  # pages of one shape (/en/programs/<slug>/ …) read: the template is the same
SKIPPED_TEXT_PARENTS = {"script", "style", "template", "title", "head"}
VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}
SHORTEST = 16  # shorter texts (a pillar's "Smart Living", a unit) may also be the same in both languages


def bilingual_fields(model) -> list[tuple[str, str]]:
    """(Indonesian field, English field) of each text that a model keeps in both languages."""
    names = {field.name: field for field in model._meta.concrete_fields}
    pairs = []
    for name, field in names.items():
        if not name.endswith("_en") or not isinstance(field, (models.CharField, models.TextField)):
            continue
        base = name[: -len("_en")]
        indonesian = next((names[f"{base}{suffix}"] for suffix in ("_ind", "_id") if f"{base}{suffix}" in names), None)
        if isinstance(indonesian, (models.CharField, models.TextField)):
            pairs.append((indonesian.name, name))
    return pairs


@pytest.fixture
def indonesian_only_texts(settings, tmp_path):
    """The demo city with no English text at all, and its open-data files (their dataset pages preview the rows);
    returns the Indonesian texts the pages may show."""
    settings.OPEN_DATA_ROOT = tmp_path / "open-data"
    for load in demo_loaders():
        load()
    texts = set()
    for model in apps.get_models():
        if model._meta.proxy or model.__name__.startswith("Historical"):
            continue
        for indonesian, english in bilingual_fields(model):
            model.objects.update(**{english: ""})  # test setup: every English text blank
            for value in model.objects.values_list(indonesian, flat=True):
                first_line = " ".join((value or "").split("\n")[0].split())
                if len(first_line) >= SHORTEST:
                    texts.add(first_line[:40])
    assert texts, "the demo city has no bilingual texts"
    open_data_build()
    return texts


class LanguageOfText(HTMLParser):
    """Each visible text node of <body> with the `lang` of its nearest ancestor that declares one."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.stack: list[tuple[str, str | None]] = []  # (tag, lang declared on it or None)
        self.texts: list[tuple[str, str]] = []
        self.links: list[str] = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "a" and attrs.get("href"):
            self.links.append(attrs["href"])
        if tag not in VOID:
            self.stack.append((tag, attrs.get("lang")))

    def handle_endtag(self, tag):
        for index in range(len(self.stack) - 1, -1, -1):  # tolerant of optional end tags (</li>, </p>)
            if self.stack[index][0] == tag:
                del self.stack[index:]
                break

    def handle_data(self, data):
        text = " ".join(data.split())
        if not text or any(tag in SKIPPED_TEXT_PARENTS for tag, _ in self.stack):
            return
        language = next((lang for _, lang in reversed(self.stack) if lang), "")
        self.texts.append((text, language))


def shape(path: str) -> str:
    """A path's shape: the view its URL resolves to (/en/programs/a/ and /en/programs/b/ share one; an evaluation's
    page and its changes page, both three segments deep under /en/evaluations/, do not)."""
    try:
        return resolve(path).view_name
    except Resolver404:
        return path


def crawl_english_pages(client: Client):
    """Public English pages reachable from /en/ by links (no downloads, no query strings), at most PER_SHAPE of
    each shape, breadth first: yields (path, parser)."""
    seen, queue, shapes = {"/en/"}, deque(["/en/"]), Counter()
    while queue and len(seen) <= MAX_PAGES:
        path = queue.popleft()
        response = client.get(path)
        if response.status_code != 200 or "text/html" not in response.get("Content-Type", ""):
            continue
        page = LanguageOfText()
        page.feed(response.content.decode())
        yield path, page
        for href in page.links:
            parts = urlsplit(href)
            if parts.netloc or parts.query or not parts.path.startswith("/en/") or parts.path in seen:
                continue
            if shapes[shape(parts.path)] >= PER_SHAPE:
                continue
            shapes[shape(parts.path)] += 1
            if re.search(r"\.(csv|json|geojson|xlsx|pdf|xml|ttl|jsonld)$", parts.path):
                continue
            seen.add(parts.path)
            queue.append(parts.path)


def test_english_pages_mark_every_indonesian_fallback_with_lang_id(indonesian_only_texts):
    client = Client()
    unmarked, visited, fallbacks_seen = [], 0, 0
    for path, page in crawl_english_pages(client):
        visited += 1
        for text, language in page.texts:
            if not any(value in text for value in indonesian_only_texts):
                continue
            fallbacks_seen += 1
            if language != "id":
                unmarked.append(f"{path}: {text[:70]!r} read as {language or 'no language'!r}")
    assert visited >= 25, f"the crawl reached only {visited} English pages"
    assert fallbacks_seen >= 50, f"only {fallbacks_seen} Indonesian texts seen: the check would prove nothing"
    assert not unmarked, f"{len(unmarked)} Indonesian texts on English pages without lang='id':\n" + "\n".join(
        sorted(set(unmarked))[:60]
    )
