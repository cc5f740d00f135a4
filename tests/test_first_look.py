"""The first-look path of the README: no DATABASE_URL (SQLite), migrate, demo data, the home page."""

import pytest

from tests.live import get, manage, portal_env, serve

pytestmark = pytest.mark.slow

PILLARS_ID = [
    "Tata Kelola Cerdas",
    "Branding Cerdas",
    "Ekonomi Cerdas",
    "Kehidupan Cerdas",
    "Masyarakat Cerdas",
    "Lingkungan Cerdas",
]


def test_first_look_on_sqlite_serves_the_six_pillars(tmp_path):
    env = portal_env(
        DATABASE_URL=None,
        REDIS_URL=None,
        DJANGO_SECRET_KEY=None,
        DJANGO_DEBUG=None,
        DJANGO_VAR_DIR=str(tmp_path),
        DJANGO_STATICFILES_STORAGE="django.contrib.staticfiles.storage.StaticFilesStorage",
    )
    for command in (["migrate", "--noinput"], ["load_demo"], ["load_demo"]):  # demo data loads twice, no dupes
        result = manage(*command, env=env)
        assert result.returncode == 0, result.stderr
    assert "agencies: 12" in result.stdout
    assert (tmp_path / "kotacerdas.sqlite3").exists()

    with serve(env) as base:
        status, html = get(f"{base}/")
        api_status, api_body = get(f"{base}/api/v1/pillars/")
    assert status == 200
    assert all(name in html for name in PILLARS_ID)
    assert api_status == 200 and '"count":6' in api_body
