import pytest
from django.urls import reverse

from tests.live import get, portal_env, serve, served_database_url

UNREACHABLE_DB = "postgres://postgres@127.0.0.1:1/nowhere"
UNREACHABLE_REDIS = "redis://127.0.0.1:1/0"


@pytest.mark.django_db
def test_healthz_reports_database_and_cache(client):
    response = client.get(reverse("healthz"))
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok", "cache": "ok", "replica": "absent"}
    assert "no-cache" in response["Cache-Control"]


def test_healthz_is_503_when_the_database_is_unreachable():
    env = portal_env(DATABASE_URL=UNREACHABLE_DB, REDIS_URL=UNREACHABLE_REDIS, DJANGO_CONN_MAX_AGE="0")
    with serve(env) as base:
        status, body = get(f"{base}/healthz")
    assert status == 503
    assert '"database": "unreachable"' in body and '"cache": "unreachable"' in body


@pytest.mark.django_db
def test_healthz_stays_200_when_only_the_cache_is_unreachable():
    # The test database, not DATABASE_URL's: the README's `make test` must pass where that one does not exist.
    with serve(portal_env(DATABASE_URL=served_database_url(), REDIS_URL=UNREACHABLE_REDIS)) as base:
        status, body = get(f"{base}/healthz")
    assert status == 200 and '"cache": "unreachable"' in body
