"""The public cache under writes (smartcity/cache.py): invalidation by the families a view reads, coalesced
bumps, single-flight rebuilds, hits before the middleware, and partner-key answers kept as sent."""

import datetime
import gzip
import time

import pytest
from django.conf import settings as django_settings
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from bench.endpoints import map_view_path
from smartcity import cache as public_cache
from tests import cache_probe
from tests.pillars.factories import ProgramFactory

pytestmark = pytest.mark.django_db

PROGRAM_LIST, PROGRAMS_API, MAP_PAGE = "/programs/", "/api/v1/programs/?limit=50", "/map/"


@pytest.fixture(autouse=True)
def cache_on(settings):
    settings.PUBLIC_CACHE_SECONDS = 300


def get(client, url, **headers):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url, **headers)
    assert response.status_code == 200, (url, response.status_code)
    return response, len(queries)


def vary(response) -> set[str]:
    return {v.strip().lower() for v in response["Vary"].split(",")}


def families_of(url: str) -> tuple[str, ...]:
    path = url.split("?")[0]
    where = public_cache.route(path, public_cache.path_language(path))
    return public_cache.families_for(where.view, where.declared)


def report_progress(client, world):
    response = client.post(
        "/api/v1/progress-reports/",
        {"commitment": world.commitment_a.pk, "reported_on": "2025-01-31", "quantity_reached": "1", "note": "uji"},
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Api-Key {world.keys['partner_a']}",
    )
    assert response.status_code == 201, response.content


def test_a_progress_report_leaves_the_program_list_and_the_map_alone(client, world, django_capture_on_commit_callbacks):
    ProgramFactory.create_batch(2)
    urls = [PROGRAM_LIST, PROGRAMS_API, MAP_PAGE, map_view_path(), "/"]
    for url in urls:  # seen once: each view's families are learned from the queries it ran
        get(client, url)
    before = {url: public_cache.signature(families_of(url)) for url in urls}
    assert all("partnerships.ProgressReport" not in families_of(url) for url in urls)
    with django_capture_on_commit_callbacks(execute=True):
        report_progress(client, world)
    assert {url: public_cache.signature(families_of(url)) for url in urls} == before
    for url in urls:
        get(client, url)  # kept under the learned families
        assert get(client, url)[0]["X-Cache"] == "hit", url


def test_a_program_edit_moves_the_program_list_and_its_api(client, django_capture_on_commit_callbacks):
    program = ProgramFactory(title_ind="Judul lama")
    for url in (PROGRAM_LIST, PROGRAMS_API):
        get(client, url)
    before = {url: public_cache.signature(families_of(url)) for url in (PROGRAM_LIST, PROGRAMS_API)}
    assert all("pillars.Program" in families_of(url) for url in before)
    program.title_ind = "Judul baru"
    with django_capture_on_commit_callbacks(execute=True):
        program.save()
    for url in before:
        assert public_cache.signature(families_of(url)) != before[url]
        response, _ = get(client, url)
        assert response["X-Cache"] == "miss" and "Judul baru" in response.content.decode()


def test_history_rows_never_bump(django_capture_on_commit_callbacks, world):
    program = ProgramFactory()
    families = [public_cache.ALL, "pillars.Program", "partnerships.ProgressReport"]
    before = public_cache.signature(families)
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        program.history.first().save()
        world.mou_a.history.first().save()
    assert callbacks == [] and public_cache.signature(families) == before


def test_a_burst_of_writes_bumps_a_family_once_then_once_more_after_the_window(settings):
    settings.PUBLIC_CACHE_COALESCE_SECONDS = 1
    families = ["pillars.Program"]
    seen = [public_cache.signature(families)]
    started = time.monotonic()
    for _ in range(50):  # what each committed save of a program does (invalidate_on_commit)
        public_cache.bump(families)
        seen.append(public_cache.signature(families))
    elapsed = time.monotonic() - started
    changes = sum(a != b for a, b in zip(seen, seen[1:], strict=False))
    assert 1 <= changes <= 1 + int(elapsed)  # once in a second
    time.sleep(1.05)  # the window is over: the next lookup starts the version the later writes waited for
    after = public_cache.lookup("public-cache:page:none", families).signature
    assert after != seen[-1] and public_cache.signature(families) == after


def test_a_hit_is_answered_before_sessions_and_authentication(client, settings):
    settings.MIDDLEWARE = [settings.MIDDLEWARE[0], "tests.cache_probe.ProbeMiddleware", *settings.MIDDLEWARE[1:]]
    ProgramFactory()
    first, _ = get(client, PROGRAM_LIST, HTTP_ACCEPT_ENCODING="gzip")
    cache_probe.SEEN.clear()
    second, queries = get(client, PROGRAM_LIST, HTTP_ACCEPT_ENCODING="gzip")
    assert (first["X-Cache"], second["X-Cache"], queries, cache_probe.SEEN) == ("miss", "hit", 0, [])
    assert not second.cookies and second["Vary"] == first["Vary"] and second["ETag"] == first["ETag"]
    assert second["Content-Encoding"] == "gzip" and gzip.decompress(second.content) == gzip.decompress(first.content)
    # A language cookie changes no page: served from the cache too; a session cookie may be a user's: never.
    client.cookies[django_settings.LANGUAGE_COOKIE_NAME] = "en"
    assert get(client, PROGRAM_LIST, HTTP_ACCEPT_ENCODING="gzip")[0]["X-Cache"] == "hit"
    client.cookies[django_settings.SESSION_COOKIE_NAME] = "not-a-session"
    assert "X-Cache" not in get(client, PROGRAM_LIST, HTTP_ACCEPT_ENCODING="gzip")[0]
    assert cache_probe.SEEN == [PROGRAM_LIST]


def test_a_signed_in_user_never_gets_a_cached_public_answer(client, make_user):
    ProgramFactory()
    get(client, PROGRAM_LIST)
    assert get(client, PROGRAM_LIST)[0]["X-Cache"] == "hit"
    client.force_login(make_user(is_staff=True))
    response, queries = get(client, PROGRAM_LIST)
    assert "X-Cache" not in response and queries > 0


def test_a_browser_that_has_a_cached_page_gets_a_304_from_the_cache(client):
    first, _ = get(client, PROGRAM_LIST)
    get(client, PROGRAM_LIST)
    again = client.get(PROGRAM_LIST, HTTP_IF_NONE_MATCH=first["ETag"])
    assert again.status_code == 304 and not again.content


def test_while_another_worker_rebuilds_the_previous_answer_serves_if_just_read(
    client, settings, django_capture_on_commit_callbacks
):
    settings.PUBLIC_CACHE_WAIT_SECONDS = 0.2
    program = ProgramFactory(title_ind="Judul lama")
    get(client, PROGRAM_LIST)
    get(client, PROGRAM_LIST)  # kept under its learned families
    key = public_cache.response_key(client.get(PROGRAM_LIST).wsgi_request)
    program.title_ind = "Judul baru"
    with django_capture_on_commit_callbacks(execute=True):
        program.save()
    assert public_cache.claim(key)  # as another worker does when it starts the rebuild
    stale, queries = get(client, PROGRAM_LIST)
    assert (stale["X-Cache"], queries) == ("stale", 0) and "Judul lama" in stale.content.decode()
    time.sleep(settings.PUBLIC_CACHE_COALESCE_SECONDS)  # older than the bound: never served again
    waited, _ = get(client, PROGRAM_LIST)
    assert waited["X-Cache"] == "miss" and "Judul baru" in waited.content.decode()
    public_cache.release(key)


def test_the_next_embargo_is_found_in_one_query():
    ProgramFactory(publish_from=timezone.now() + datetime.timedelta(hours=2))
    with CaptureQueriesContext(connection) as queries:
        seconds = public_cache.seconds_until_next_embargo()
    assert len(queries) == 1 and 7000 < seconds <= 7200


def test_a_keyed_answer_is_kept_compressed_and_never_served_to_another_partner(client, world):
    headers = {"HTTP_ACCEPT_ENCODING": "gzip"}
    url = "/api/v1/mous/"
    first, _ = get(client, url, HTTP_AUTHORIZATION=f"Api-Key {world.keys['partner_b']}", **headers)
    again, queries = get(client, url, HTTP_AUTHORIZATION=f"Api-Key {world.keys['partner_b']}", **headers)
    assert (first["X-Cache"], again["X-Cache"], again["Content-Encoding"], queries) == ("miss", "hit", "gzip", 0)
    assert vary(again) == vary(first) and "accept-encoding" in vary(again)
    assert world.hidden_mou_b.slug.encode() in gzip.decompress(again.content)
    other, _ = get(client, url, HTTP_AUTHORIZATION=f"Api-Key {world.keys['partner_a']}", **headers)
    assert other["X-Cache"] == "miss" and world.hidden_mou_b.slug.encode() not in gzip.decompress(other.content)
    assert cache.get(public_cache.VERSION_KEY)  # the epoch is set once and kept
