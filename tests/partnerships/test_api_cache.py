"""Cached API lists for partner keys (smartcity/api/caching.py): served only after the key is checked, kept
apart per partner, and renewed by every save."""

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from partnerships.authentication import _check_key
from partnerships.models import PartnerAPIKey
from smartcity.api import caching
from smartcity.api.caching import CachedListMixin
from smartcity.roles import DISKOMINFO_EDITOR
from smartcity.services import writer_for
from tests.front import handler_starts, served
from tests.pillars.factories import ProgramFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def cache_on(settings):
    settings.PUBLIC_CACHE_SECONDS = 300


def listed(client, url, key=None):
    headers = {"HTTP_AUTHORIZATION": f"Api-Key {key}"} if key else {}
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url, **headers)
    assert response.status_code == 200, response.content
    return response, len(queries)


def slugs(response):
    return {row["slug"] for row in response.json()["results"]}


def test_a_keys_second_list_is_served_from_the_cache_after_the_key_check(client, world):
    ProgramFactory.create_batch(3)
    first, first_queries = listed(client, "/api/v1/programs/?limit=50", world.keys["partner_a"])
    second, second_queries = listed(client, "/api/v1/programs/?limit=50", world.keys["partner_a"])
    assert (first["X-Cache"], second["X-Cache"]) == ("miss", "hit")
    assert second.json() == first.json()
    assert second_queries == 0 < first_queries  # the key's check is kept too (partnerships/authentication.py)


def test_a_partners_own_drafts_are_never_served_to_anyone_else(client, world):
    url = "/api/v1/mous/"
    own, _ = listed(client, url, world.keys["partner_b"])
    assert world.hidden_mou_b.slug in slugs(own)
    other, _ = listed(client, url, world.keys["partner_a"])
    anonymous, _ = listed(client, url)
    assert world.hidden_mou_b.slug not in slugs(other) | slugs(anonymous)
    again, _ = listed(client, url, world.keys["partner_b"])
    assert again["X-Cache"] == "hit" and world.hidden_mou_b.slug in slugs(again)


def test_a_save_is_listed_at_once_for_key_callers(client, world, django_capture_on_commit_callbacks):
    listed(client, "/api/v1/programs/", world.keys["partner_a"])
    with django_capture_on_commit_callbacks(execute=True):  # the test's transaction never commits: as if it did
        ProgramFactory(slug="baru")
    response, _ = listed(client, "/api/v1/programs/", world.keys["partner_a"])
    assert response["X-Cache"] == "miss" and "baru" in slugs(response)


def test_a_revoked_key_is_refused_even_while_its_list_is_cached(client, world):
    url = "/api/v1/programs/"
    listed(client, url, world.keys["partner_a"])
    writer_for(PartnerAPIKey).update(instance=world.key_rows["partner_a"], data={"revoked": True}, actor=None)
    response = client.get(url, HTTP_AUTHORIZATION=f"Api-Key {world.keys['partner_a']}")
    assert response.status_code == 401


def test_signed_in_staff_are_never_answered_from_the_cache(api_client, world, role_user):
    listed(api_client, "/api/v1/mous/")  # anonymous: cached without the draft
    api_client.force_login(role_user(DISKOMINFO_EDITOR))  # a real session, as the admin's users have
    response = api_client.get("/api/v1/mous/")
    assert "X-Cache" not in response and world.hidden_mou_b.slug in slugs(response)


# --- Answered before the middleware (smartcity/api/caching.py `kept_answer`) --------------------------------


@pytest.fixture
def rates(settings):
    def set_rates(**rates):
        settings.REST_FRAMEWORK = {
            **settings.REST_FRAMEWORK,
            "DEFAULT_THROTTLE_RATES": {**settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"], **rates},
        }

    return set_rates


@pytest.fixture
def view_never_runs(monkeypatch):
    """From here on, a request that reaches the list view fails the test."""

    def refuse(*args, **kwargs):
        raise AssertionError("the request went through the stack to the view")

    def start():
        monkeypatch.setattr(CachedListMixin, "list", refuse)

    return start


def keyed(client, url, key, **extra):
    return client.get(url, HTTP_AUTHORIZATION=f"Api-Key {key}", **extra)


def test_a_kept_hit_never_reaches_the_view_and_counts_the_keys_throttle_once(client, world, view_never_runs):
    url, key = "/api/v1/programs/?limit=50", world.keys["partner_a"]
    ProgramFactory.create_batch(3)
    first = keyed(client, url, key)
    counter = f"throttle_partner_key_{world.key_rows['partner_a'].prefix}"
    counted = cache.get(counter)
    view_never_runs()
    with CaptureQueriesContext(connection) as queries:
        second = keyed(client, url, key)
    assert (first["X-Cache"], second["X-Cache"], len(queries)) == ("miss", "hit", 0)
    assert second.content == first.content and second["Content-Type"] == first["Content-Type"]
    assert second["Vary"] == first["Vary"] and second["ETag"] == first["ETag"]
    assert cache.get(counter) == counted + 1
    assert keyed(client, url, key, HTTP_IF_NONE_MATCH=first["ETag"]).status_code == 304


def test_a_kept_hit_stays_within_the_keys_budget(client, world, rates):
    rates(partner_key="2/hour")
    url, key = "/api/v1/programs/", world.keys["partner_a"]
    statuses = [keyed(client, url, key).status_code for _ in range(3)]
    assert statuses == [200, 200, 429]  # the second one was a kept hit; the third is refused by the whole stack


def test_an_address_over_its_failure_budget_is_refused_even_with_a_kept_hit(client, world, rates):
    rates(failed_auth="2/hour")
    url, key = "/api/v1/programs/", world.keys["partner_a"]
    keyed(client, url, key)
    assert keyed(client, url, key)["X-Cache"] == "hit"
    prefix = key.split(".")[0]
    wrong = [keyed(client, url, f"{prefix}.{n:032d}").status_code for n in range(2)]
    assert wrong == [401, 401]
    assert keyed(client, url, key).status_code == 429
    assert keyed(client, url, key, REMOTE_ADDR="10.1.1.1")["X-Cache"] == "hit"  # everyone else's address is fine


def test_a_last_use_to_record_goes_through_the_stack(client, world, view_never_runs):
    url, key = "/api/v1/programs/", world.keys["partner_a"]
    keyed(client, url, key)
    row = world.key_rows["partner_a"]
    long_ago = timezone.now() - timezone.timedelta(minutes=5)
    PartnerAPIKey.objects.filter(pk=row.pk).update(last_used_at=long_ago)
    check = _check_key(key)
    cache.set(check, {**cache.get(check), "last_used_at": long_ago}, timeout=60)
    response = keyed(client, url, key)
    assert response["X-Cache"] == "hit"  # the list is still the view's cached one, after the key check wrote
    row.refresh_from_db()
    assert row.last_used_at > long_ago
    view_never_runs()
    assert keyed(client, url, key)["X-Cache"] == "hit"


def test_an_expired_key_is_refused_even_while_its_check_and_list_are_kept(client, world):
    url, key = "/api/v1/programs/", world.keys["partner_a"]
    keyed(client, url, key)
    check = _check_key(key)
    cache.set(check, {**cache.get(check), "expiry_date": timezone.now() - timezone.timedelta(seconds=1)}, timeout=60)
    assert keyed(client, url, key).status_code == 401


def test_a_partner_only_list_is_never_answered_early_for_another_audience(client, world, view_never_runs):
    url = "/api/v1/mous/"
    own = keyed(client, url, world.keys["partner_b"])
    assert world.hidden_mou_b.slug in slugs(own)
    other = keyed(client, url, world.keys["partner_a"])  # partner A's first call: a miss of its own audience
    assert other["X-Cache"] == "miss" and world.hidden_mou_b.slug not in slugs(other)
    view_never_runs()
    assert world.hidden_mou_b.slug not in slugs(keyed(client, url, world.keys["partner_a"]))
    assert world.hidden_mou_b.slug in slugs(keyed(client, url, world.keys["partner_b"]))


def test_a_kept_hit_is_sent_by_the_front_and_a_miss_checks_the_kept_answer_once(world, monkeypatch):
    """Through the WSGI application as gunicorn calls it: the hit never starts Django's handler; a miss is not
    asked of the cache again by the middleware (smartcity.middleware.PublicCacheFront)."""
    url, auth = "/api/v1/programs/?limit=50", f"Api-Key {world.keys['partner_a']}"
    ProgramFactory.create_batch(2)
    asked, real = [], caching.kept_answer
    monkeypatch.setattr(caching, "kept_answer", lambda request: asked.append(1) or real(request))
    with handler_starts() as started:
        first = served(url, HTTP_AUTHORIZATION=auth)
        assert (first.status, first.headers["x-cache"], len(asked), len(started)) == (200, "miss", 1, 1)
        second = served(url, HTTP_AUTHORIZATION=auth)
    assert (second.status, second.headers["x-cache"], len(asked), len(started)) == (200, "hit", 2, 1)
    assert second.content == first.content
