"""Cached API lists for partner keys (smartcity/api/caching.py): served only after the key is checked, kept
apart per partner, and renewed by every save."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from partnerships.models import PartnerAPIKey
from smartcity.roles import DISKOMINFO_EDITOR
from smartcity.services import writer_for
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
