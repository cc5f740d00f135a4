"""Reads need no writes: no public GET (every public page type, its downloads, every API list and detail, the
GeoJSON) inserts, updates, deletes or locks a row, so any of them can be served by a read-only replica and no
reader takes a row lock. Checked twice: on the statements Django sends, and inside a PostgreSQL transaction set
READ ONLY, which refuses any write whatever issued it."""

import re

import pytest
from django.core.management import call_command
from django.db import connection, transaction
from django.test import Client
from django.test.utils import CaptureQueriesContext

from smartcity.opendata import public_list_views

pytestmark = pytest.mark.django_db

PAGES = [
    "/",
    "/en/",
    "/pillars/society/",
    "/programs/",
    "/programs/?stage=in_progress&q=generasi",
    "/programs/?download=csv",
    "/programs/?download=json",
    "/indicators/",
    "/services/",
    "/map/",
    "/map/boundaries.geojson",
    "/pillar-colours.css",
    "/partnerships/",
    "/partnerships/?download=csv",
    "/partnerships/partners/?download=json",
    "/partnerships/partners/",
    "/evaluations/",
    "/open-data/",
    "/en/programs/",
    "/api/v1/assets/geojson/",
    "/cari/?q=layanan+kota",
    "/en/search/?q=smart+city",
    "/kecamatan/",
    "/kecamatan/13.71.09/",
]
# Detail pages, found by following the first link of the kind from a list page.
DETAILS = {
    "/programs/": r'href="(/programs/[\w-]+/)"',
    "/indicators/": r'href="(/indicators/[\w-]+/)"',
    "/partnerships/": r'href="(/partnerships/mou/[\w-]+/)"',
    "/partnerships/partners/": r'href="(/partnerships/partners/[\w-]+/)"',
    "/evaluations/": r'href="(/evaluations/\d{4}-[\w-]+/)"',  # an evaluation's slug starts with its year
}
WRITE = re.compile(r"^\s*(INSERT|UPDATE|DELETE|MERGE|TRUNCATE)\b|\bFOR (NO KEY )?UPDATE\b|\bFOR SHARE\b", re.I)


@pytest.fixture
def public_urls():
    call_command("load_demo", verbosity=0)
    call_command("generate_portfolio", "30", verbosity=0)
    client = Client()
    urls = list(PAGES)
    for page, link in DETAILS.items():
        found = re.findall(link, client.get(page).content.decode())
        assert found, f"no detail link on {page}"
        urls += [found[0], f"/en{found[0]}"]
    urls.append(found[0] + "changes/")  # an evaluation's changes since the previous one
    for name in sorted(public_list_views()):
        if client.get(f"/api/v1/{name}/?limit=1").status_code not in (401, 403):  # some are for partner keys only
            urls.append(f"/api/v1/{name}/?limit=50")
    program = re.findall(r'"slug":\s*"([\w-]+)"', client.get("/api/v1/programs/?limit=1").content.decode())[0]
    urls.append(f"/api/v1/programs/{program}/")
    return urls


def body(response) -> bytes:
    return b"".join(response.streaming_content) if response.streaming else response.content


def test_no_public_get_writes(public_urls):
    client = Client()
    client.get("/")  # the first read after the bulk load regroups the dashboard's figures (in the cache)
    written = {}
    for url in public_urls:
        with CaptureQueriesContext(connection) as context:
            response = client.get(url)
            body(response)  # a streamed download reads while it is sent
        assert response.status_code == 200, (url, response.status_code)
        writes = [q["sql"] for q in context if WRITE.search(q["sql"])]
        if writes:
            written[url] = writes
    assert written == {}


def test_no_public_get_writes_inside_a_read_only_transaction(public_urls):
    client = Client()
    refused = {}
    for url in public_urls:
        with transaction.atomic():
            with connection.cursor() as cursor:
                cursor.execute("SET TRANSACTION READ ONLY")
            response = client.get(url)
            body(response)
        if response.status_code != 200:
            refused[url] = response.status_code
    assert refused == {}
