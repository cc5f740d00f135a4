"""Settings come from the environment only: check the safe defaults and the refusals."""

import subprocess
import sys

import pytest
from django.conf import settings

from tests.live import ROOT, portal_env

PRINT_SETTINGS = (
    "import django; django.setup(); from django.conf import settings as s; "
    "print(s.DEBUG, s.DATABASES['default']['ENGINE'], s.CACHES['default']['BACKEND'], s.CELERY_TASK_ALWAYS_EAGER)"
)


def python(code: str, **env: str | None) -> subprocess.CompletedProcess:
    environment = portal_env(DJANGO_SETTINGS_MODULE="smartcity.settings", **env)
    return subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=environment, capture_output=True, text=True)


def test_language_and_time_zone():
    assert settings.LANGUAGE_CODE == "id"
    assert [code for code, _ in settings.LANGUAGES] == ["id", "en"]
    assert settings.TIME_ZONE == "Asia/Jakarta"


def test_with_no_variable_the_portal_uses_embedded_defaults(tmp_path):
    result = python(
        PRINT_SETTINGS,
        DATABASE_URL=None,
        REDIS_URL=None,
        DJANGO_SECRET_KEY=None,
        DJANGO_DEBUG=None,
        DJANGO_VAR_DIR=str(tmp_path),
    )
    assert result.returncode == 0, result.stderr
    debug, engine, cache, eager = result.stdout.split()
    assert (debug, engine, eager) == ("False", "django.db.backends.sqlite3", "True")
    assert cache.endswith("LocMemCache")
    assert (tmp_path / "secret_key").stat().st_mode & 0o777 == 0o600


def test_database_and_redis_urls_switch_to_postgresql_and_redis():
    result = python(
        PRINT_SETTINGS,
        DATABASE_URL="postgres://postgres@127.0.0.1:5432/x",
        REDIS_URL="redis://127.0.0.1:6379/0",
        DJANGO_SECRET_KEY="k" * 50,
        DJANGO_DEBUG=None,
    )
    assert result.returncode == 0, result.stderr
    debug, engine, cache, eager = result.stdout.split()
    assert (debug, engine, eager) == ("False", "django.db.backends.postgresql", "False")
    assert cache.endswith("RedisCache")


def test_a_real_secret_key_is_required_when_debug_is_off():
    for key in (None, "short", "django-insecure-" + "x" * 40):
        result = python(
            PRINT_SETTINGS,
            DATABASE_URL="postgres://postgres@127.0.0.1:5432/x",
            DJANGO_SECRET_KEY=key,
            DJANGO_DEBUG=None,
        )
        assert result.returncode != 0 and "DJANGO_SECRET_KEY" in result.stderr


def test_the_portals_postgresql_sessions_run_without_jit(db):
    """JIT compiling cost the home page 0.6 s at 10,000 programs for a query that runs in 0.12 s: off for every
    connection of the portal (the test database's included), unless DATABASE_JIT asks for the server's setting."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SHOW jit")
        assert cursor.fetchone()[0] == "off"
    print_options = (
        "import django; django.setup(); from django.conf import settings as s; "
        "print(repr(s.DATABASES['default'].get('OPTIONS', {}).get('options')), "
        "repr(s.DATABASES['replica']['OPTIONS']['options']))"
    )
    urls = {
        "DATABASE_URL": "postgres://postgres@127.0.0.1:5432/x?options=-c%20work_mem%3D8MB",
        "DATABASE_REPLICA_URL": "postgres://postgres@127.0.0.1:5442/x",
        "DJANGO_SECRET_KEY": "k" * 50,
    }
    off = python(print_options, **urls)
    assert off.returncode == 0, off.stderr
    assert off.stdout.split("' '") == ["'-c work_mem=8MB -c jit=off", "-c statement_timeout=2000 -c jit=off'\n"]
    server = python(print_options, DATABASE_JIT="true", **urls)
    assert server.stdout.strip() == "'-c work_mem=8MB' '-c statement_timeout=2000'"
    default_only = print_options.replace(", repr(s.DATABASES['replica']['OPTIONS']['options'])", "")
    sqlite = python(default_only, DATABASE_URL=None, DATABASE_REPLICA_URL=None, DJANGO_SECRET_KEY="k" * 50)
    assert sqlite.stdout.strip() == "None"


def test_gunicorn_workers_hand_the_gil_over_sooner_than_pythons_default(monkeypatch):
    """A cached read waiting for the GIL beside a write in the same worker waited up to 5 ms per Redis round trip."""
    import runpy

    before = sys.getswitchinterval()
    try:
        monkeypatch.setenv("GUNICORN_SWITCH_INTERVAL", "0.0007")
        runpy.run_path(str(ROOT / "gunicorn.conf.py"))["post_worker_init"](None)
        assert sys.getswitchinterval() == pytest.approx(0.0007)
        monkeypatch.delenv("GUNICORN_SWITCH_INTERVAL")
        runpy.run_path(str(ROOT / "gunicorn.conf.py"))["post_worker_init"](None)
        assert sys.getswitchinterval() == pytest.approx(0.0005) and 0.0005 < before
    finally:
        sys.setswitchinterval(before)
