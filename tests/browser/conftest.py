"""The portal as a citizen's phone meets it: the demo city on a database of its own, served by gunicorn with the
production settings and collected static files, read by Debian's Chromium driven by Playwright.

One portal and one browser serve the whole session; every test opens a fresh browser context (no cookies
carried over) at a phone's width.
"""

import os
import subprocess
import sys
import uuid
from pathlib import Path

import pytest
from django.conf import settings

from tests.live import COMMAND_TIMEOUT, ROOT, free_port, manage, portal_env, serve

CHROMIUM = Path(os.environ.get("BROWSER_TESTS_CHROMIUM", "/usr/bin/chromium"))
AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
PHONE = {"width": 390, "height": 844}
LAPTOP = {"width": 1366, "height": 900}  # the staff's screen (the admin)
# How long a step may wait before the test calls it a hang. Generous on purpose: these tests check what a page
# shows, not how fast (speed is the benchmark's to measure); a loaded CI machine once took over 10 s for one page.
STEP_TIMEOUT_MS = 60_000


def _postgres(*command: str) -> None:
    server = settings.DATABASES["default"]
    env = portal_env(PGHOST=server["HOST"] or "127.0.0.1", PGPORT=str(server["PORT"] or 5432), PGUSER=server["USER"])
    subprocess.run(command, env=env, check=True, capture_output=True)


def _database_url(name: str) -> str:
    server = settings.DATABASES["default"]
    return f"postgres://{server['USER']}@{server['HOST'] or '127.0.0.1'}:{server['PORT'] or 5432}/{name}"


@pytest.fixture(scope="session")
def portal(portal_with_env):
    """The base URL of the portal serving the demo city, as `make run` would build it but on PostgreSQL."""
    return portal_with_env[0]


@pytest.fixture(scope="session")
def portal_with_env(tmp_path_factory):
    """The portal's base URL and the environment it runs in (for `manage.py` commands on its database)."""
    var = tmp_path_factory.mktemp("portal")
    database = f"kc_browser_{os.getpid()}_{uuid.uuid4().hex[:6]}"
    env = portal_env(
        DATABASE_URL=_database_url(database),
        REDIS_URL=None,  # nothing of these tests lands in the shared Redis; the page cache is local memory
        DJANGO_DEBUG=None,
        DJANGO_VAR_DIR=str(var),
        DJANGO_MEDIA_ROOT=str(var / "media"),
        DJANGO_PRIVATE_MEDIA_ROOT=str(var / "private"),
        DJANGO_OPEN_DATA_ROOT=str(var / "open-data"),
        DJANGO_STATIC_ROOT=str(var / "static"),
        DJANGO_STATICFILES_STORAGE=None,  # production's hashed, compressed static files, as WhiteNoise serves them
        PROVINCIAL_HUB="true",  # the comparison page: the portal follows itself and a port where nothing answers
        PROVINCIAL_HUB_ALLOW_LOOPBACK="true",
    )
    _postgres("createdb", database)
    # collectstatic (compressing every file, about 20 s) needs no database: it runs while the database is built.
    collect = subprocess.Popen(
        [sys.executable, "manage.py", "collectstatic", "--noinput", "--verbosity", "0"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        for command in (["migrate", "--noinput"], ["load_demo"], ["build_open_data"]):
            done = manage(*command, "--verbosity", "0", env=env)
            assert done.returncode == 0, done.stderr
        assert collect.wait(timeout=COMMAND_TIMEOUT) == 0, collect.stderr.read()
        with serve(env, workers=2) as base:
            for address, city in ((base, "Kota Padang"), (f"http://127.0.0.1:{free_port()}/", "Kota Sawahlunto")):
                done = manage("follow_portal", address, city, env=env)
                assert done.returncode == 0, done.stderr
            done = manage("harvest_portals", env=env)
            assert done.returncode == 0 and "Kota Padang: read in full" in done.stdout, done.stdout + done.stderr
            yield base, env
    finally:
        collect.kill()  # already ended unless the database steps failed
        _postgres("dropdb", "--if-exists", "--force", database)


@pytest.fixture(scope="session")
def browser():
    """Debian's Chromium (never a downloaded browser build), headless, one for the whole session."""
    from playwright.sync_api import sync_playwright

    if not CHROMIUM.exists():
        pytest.fail(f"{CHROMIUM} is missing: `make test` installs Debian's chromium package (make chromium).")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), headless=True)
        yield browser
        browser.close()


@pytest.fixture(scope="session")
def axe_source() -> str:
    """axe-core from npm, injected by the tests only: never among the static files served to citizens."""
    return AXE.read_text()
