"""Fixtures every test may use: an API client, users with given permissions, fast hashing, a clean cache."""

import pytest
from django.conf import settings
from django.contrib.auth.models import Permission
from django.core.cache import cache
from django.utils import translation
from rest_framework.test import APIClient

from tests.factories import UserFactory


def pytest_configure(config):
    if settings.DATABASES["default"]["ENGINE"] != "django.db.backends.postgresql" or not settings.REDIS_URL:
        pytest.exit(
            "The tests run on the real PostgreSQL and Redis: run `make test`, or set DATABASE_URL and REDIS_URL."
        )


@pytest.fixture(autouse=True)
def _fast_and_isolated(settings):
    translation.activate(settings.LANGUAGE_CODE)  # a language an earlier test left active must not move reverse()
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.PUBLIC_CACHE_SECONDS = 0  # query-count tests measure the database; tests/test_cache.py turns it on
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    yield
    cache.clear()  # the cache is the real Redis when REDIS_URL is set: no test sees another's entries


@pytest.fixture
def api_client():
    return APIClient()


@pytest.fixture
def make_user(db):
    """A user holding exactly `perms` ("app_label.codename"), and nothing else."""

    def make(*perms: str, **fields):
        user = UserFactory(**fields)
        for perm in perms:
            app_label, codename = perm.split(".")
            user.user_permissions.add(Permission.objects.get(content_type__app_label=app_label, codename=codename))
        return user

    return make
