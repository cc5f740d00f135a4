"""The public cache on the real Redis: hits, invalidation on save, embargo, bypass, and Redis down."""

import base64
import datetime
import io
import threading
import time

import pytest
from django.conf import settings
from django.core.cache import cache
from django.core.management import call_command
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from django_redis import get_redis_connection

from smartcity import cache as public_cache
from tests.pillars.factories import ProgramFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def cache_on(settings):
    settings.PUBLIC_CACHE_SECONDS = 300


def basic(username, password) -> str:
    return "Basic " + base64.b64encode(f"{username}:{password}".encode()).decode()


def get(client, url, **headers):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url, **headers)
    assert response.status_code == 200
    return response, len(queries)


def test_second_anonymous_view_is_a_hit_without_queries(client):
    first, _ = get(client, "/programs/")
    second, queries = get(client, "/programs/")
    assert (first["X-Cache"], second["X-Cache"], queries) == ("miss", "hit", 0)
    assert second.content == first.content


def test_saving_a_record_shows_at_once(client, django_capture_on_commit_callbacks):
    program = ProgramFactory(title_ind="Judul lama")
    assert "Judul lama" in get(client, "/programs/")[0].content.decode()
    program.title_ind = "Judul baru"
    with django_capture_on_commit_callbacks(execute=True):  # the test's transaction never commits: as if it did
        program.save()
    response, _ = get(client, "/programs/")
    assert response["X-Cache"] == "miss" and "Judul baru" in response.content.decode()


def kept_under_learned_families(client) -> dict:
    """/programs/ kept under the families its view was seen to read (the first answer of a process is kept under
    ALL, before anything is learned); what this worker learned."""
    get(client, "/programs/")
    public_cache.bump(["pillars.Program"])
    assert get(client, "/programs/")[0]["X-Cache"] == "miss"
    return dict(public_cache._learned)


def test_a_fresh_worker_serves_the_entry_another_worker_kept_and_learns_its_families(client, monkeypatch):
    learned = kept_under_learned_families(client)
    monkeypatch.setattr(public_cache, "_learned", {})  # a worker just started (or recycled): it has seen nothing
    again, queries = get(client, "/programs/")
    assert (again["X-Cache"], queries) == ("hit", 0)  # was a miss, rebuilt from the database by every fresh worker
    (view, families), *_ = public_cache._learned.items()
    assert families == learned[view] and public_cache.ALL not in families


def test_an_entry_of_wider_families_is_a_miss_once_one_of_them_moves(client, monkeypatch):
    kept_under_learned_families(client)
    monkeypatch.setattr(public_cache, "_learned", {})
    public_cache.bump(["pillars.Agency"])  # read by the list page (its filter's agencies), not by this worker yet
    assert get(client, "/programs/")[0]["X-Cache"] == "miss"


def test_entries_expire_before_the_next_embargo_lifts():
    ProgramFactory(publish_from=timezone.now() + datetime.timedelta(seconds=40))
    assert public_cache.timeout() <= 40


def test_without_a_coming_embargo_entries_live_the_full_time():
    ProgramFactory(publish_from=timezone.now() - datetime.timedelta(seconds=40))  # already lifted
    assert public_cache.timeout() == 300


def test_once_an_embargo_lifts_the_next_store_starts_a_new_epoch(client, monkeypatch):
    ProgramFactory(slug="sebentar-lagi", publish_from=timezone.now() + datetime.timedelta(seconds=30))
    assert get(client, "/programs/")[0]["X-Cache"] == "miss"  # kept until the embargo lifts
    epoch = cache.get(public_cache.VERSION_KEY)
    later = timezone.now() + datetime.timedelta(seconds=31)
    monkeypatch.setattr(timezone, "now", lambda: later)  # it has lifted; no periodic job has run
    listed, _ = get(client, "/api/v1/programs/?limit=500")
    assert "sebentar-lagi" in {row["slug"] for row in listed.json()["results"]}
    assert cache.get(public_cache.VERSION_KEY) != epoch  # a new epoch: whatever was kept before it is gone
    public_cache.store("probe", public_cache.lookup("probe", [public_cache.ALL]), "x")
    assert cache.ttl("probe") > 60  # was 1 s for every entry until the periodic job ran


def test_languages_and_formats_are_cached_apart(client):
    indonesian, _ = get(client, "/")
    english, _ = get(client, "/en/")
    assert english["X-Cache"] == "miss" and indonesian.content != english.content
    api_json, _ = get(client, "/api/v1/programs/", HTTP_ACCEPT="application/json")
    api_html, _ = get(client, "/api/v1/programs/", HTTP_ACCEPT="text/html")
    assert api_html["X-Cache"] == "miss" and api_json["Content-Type"] != api_html["Content-Type"]


def test_staff_and_credentialed_calls_bypass_the_cache(client, make_user):
    get(client, "/api/v1/programs/")
    user = make_user(password="kata-sandi-rahasia")
    response, _ = get(client, "/api/v1/programs/", HTTP_AUTHORIZATION=basic(user.username, "kata-sandi-rahasia"))
    assert "X-Cache" not in response
    client.force_login(make_user())
    response, _ = get(client, "/programs/")
    assert "X-Cache" not in response


def test_with_redis_down_pages_are_served_from_the_database(client, settings):
    settings.CACHES = {
        "default": {
            "BACKEND": "django_redis.cache.RedisCache",
            "LOCATION": "redis://127.0.0.1:1/0",
            "OPTIONS": {"SOCKET_CONNECT_TIMEOUT": 0.2, "SOCKET_TIMEOUT": 0.2, "IGNORE_EXCEPTIONS": True},
        }
    }
    ProgramFactory(title_ind="Tetap tampil")
    for _ in range(2):
        response, queries = get(client, "/programs/")
        assert response["X-Cache"] == "miss" and queries > 0 and "Tetap tampil" in response.content.decode()


def test_a_browser_that_has_the_page_gets_a_304(client):
    first, _ = get(client, "/programs/")
    again = client.get("/programs/", HTTP_IF_NONE_MATCH=first["ETag"])
    assert first.has_header("ETag") and again.status_code == 304 and not again.content


def test_a_change_starts_a_new_version_when_it_commits_not_before(django_capture_on_commit_callbacks):
    before = public_cache.signature(["pillars.Program"])
    with django_capture_on_commit_callbacks(execute=True):
        program = ProgramFactory()
        program.title_ind = "Judul baru"
        program.save()
        assert public_cache.signature(["pillars.Program"]) == before  # open: a request now reads the old rows
    assert public_cache.signature(["pillars.Program"]) != before


def test_history_rows_start_no_generation(django_capture_on_commit_callbacks):
    program = ProgramFactory()
    before = public_cache.signature([public_cache.ALL, "pillars.Program"])
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        program.history.first().save()  # a history row alone
    assert callbacks == [] and public_cache.signature([public_cache.ALL, "pillars.Program"]) == before


@pytest.mark.django_db(transaction=True, serialized_rollback=True)  # two connections: real commits
def test_an_answer_read_while_a_change_is_uncommitted_is_not_kept_under_its_generation(client):
    program = ProgramFactory(title_ind="Judul lama")
    saved, commit = threading.Event(), threading.Event()

    def edit():  # another request's write, its transaction open while this one reads
        try:
            with transaction.atomic():
                program.title_ind = "Judul baru"
                program.save()
                saved.set()
                commit.wait(10)
        finally:
            connection.close()

    writer = threading.Thread(target=edit)
    writer.start()
    assert saved.wait(10)
    during, _ = get(client, "/programs/")
    commit.set()
    writer.join(10)
    assert "Judul lama" in during.content.decode()  # the committed rows, as it should
    time.sleep(settings.PUBLIC_CACHE_COALESCE_SECONDS)  # the bound: the change came within the creation's window
    after, _ = get(client, "/programs/")
    assert after["X-Cache"] == "miss" and "Judul baru" in after.content.decode()


def test_clear_cache_forgets_every_entry_of_the_portal_and_nothing_else(client):
    """After a restore (deploy/restore.sh runs it): no page, no kept key check of the old database survives, and
    Celery's keys in the same Redis stay."""
    get(client, "/programs/")
    cache.set("api-key-check:abc", {"generation": ""})
    redis = get_redis_connection("default")
    redis.set("celery-not-the-portals", "queued")
    try:
        out = io.StringIO()
        call_command("clear_cache", stdout=out)
        assert "cache cleared" in out.getvalue()
        assert get(client, "/programs/")[0]["X-Cache"] == "miss"
        assert cache.get("api-key-check:abc") is None
        assert redis.get("celery-not-the-portals") == b"queued"
    finally:
        redis.delete("celery-not-the-portals")
