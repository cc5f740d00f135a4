"""The provincial view against real portals (issue 17, item 4): this project's demo city served by gunicorn on
loopback twice, from two databases holding different results, plus a port where nothing answers and one that
answers garbage. The hub (this test's own database) harvests them with the periodic task and its comparison page
shows the two live cities and the down one marked stale with its reason; when a live portal later goes down, its
last good figures stay, marked stale.

Ports: free ones, or FEDERATION_TEST_PORTS="8181,8182,8183,8184" (live A, live B, down, garbage)."""

import os
import socket
import subprocess
import sys
import threading
import uuid
from decimal import Decimal

import pytest
from django.conf import settings
from django.test import Client

from federation.models import PortalSnapshot
from federation.services import FOLLOWED_PORTAL
from federation.tasks import harvest_followed_portals
from tests.live import ROOT, free_port, manage, portal_env, serve

pytestmark = pytest.mark.slow
PAGE = "/evaluations/cities/"  # Indonesian, the default (reverse() would follow the language a request left active)


def _ports() -> list[int]:
    given = os.environ.get("FEDERATION_TEST_PORTS")
    return [int(port) for port in given.split(",")] if given else [free_port() for _ in range(4)]


def _postgres(*command: str) -> None:
    server = settings.DATABASES["default"]
    env = portal_env(PGHOST=server["HOST"] or "127.0.0.1", PGPORT=str(server["PORT"] or 5432), PGUSER=server["USER"])
    subprocess.run(command, env=env, check=True, capture_output=True)


def _database_url(name: str) -> str:
    server = settings.DATABASES["default"]
    return f"postgres://{server['USER']}@{server['HOST'] or '127.0.0.1'}:{server['PORT'] or 5432}/{name}"


# City B's results differ from the demo city's: every final index is 3.77 and Smart Economy scores 1.11.
CITY_B = """
UPDATE evaluations_evaluation SET official_index = 3.77 WHERE stage = 'final';
UPDATE evaluations_pillarscore SET score = 1.11
  WHERE pillar_id = (SELECT id FROM pillars_pillar WHERE slug = 'economy');
"""


@pytest.fixture(scope="module")
def two_cities(tmp_path_factory):
    """The demo city in database A (migrated, loaded), copied to database B and changed there."""
    suffix = f"{os.getpid()}_{uuid.uuid4().hex[:6]}"
    names = [f"kc_fed_a_{suffix}", f"kc_fed_b_{suffix}"]
    var = tmp_path_factory.mktemp("federation")
    envs = [
        portal_env(
            DATABASE_URL=_database_url(name),
            REDIS_URL=None,
            DJANGO_DEBUG=None,
            DJANGO_VAR_DIR=str(var / name),
            DJANGO_STATICFILES_STORAGE="django.contrib.staticfiles.storage.StaticFilesStorage",
            PUBLIC_CACHE_SECONDS="0",
            PORTAL_CITY_NAME=city,
        )
        for name, city in zip(names, ["Kota Padang", "Kota Bukittinggi"], strict=True)
    ]
    _postgres("createdb", names[0])
    try:
        for command in (["migrate", "--noinput"], ["load_demo"]):
            done = manage(*command, "--verbosity", "0", env=envs[0])
            assert done.returncode == 0, done.stderr
        _postgres("createdb", "-T", names[0], names[1])
        _postgres("psql", "-v", "ON_ERROR_STOP=1", "-d", names[1], "-c", CITY_B)
        yield envs
    finally:
        for name in names:
            _postgres("dropdb", "--if-exists", "--force", name)


def _garbage_server(port: int):
    """Answers every connection with bytes that are not HTTP, then hangs up."""
    listener = socket.create_server(("127.0.0.1", port))

    def run():
        while True:
            try:
                connection, _ = listener.accept()
            except OSError:
                return
            with connection:
                connection.recv(1024)
                connection.sendall(b"\x16\x03\x01 this is no portal\r\n\r\n")

    threading.Thread(target=run, daemon=True).start()
    return listener


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_the_hub_compares_two_live_portals_and_marks_the_down_one_stale(two_cities, settings):
    settings.PROVINCIAL_HUB = True
    settings.PROVINCIAL_HUB_ALLOW_LOOPBACK = True
    settings.PROVINCIAL_HUB_TIMEOUT = 8.0
    port_a, port_b, port_down, port_garbage = _ports()
    garbage = _garbage_server(port_garbage)
    for name, port in [
        ("Kota Padang", port_a),
        ("Kota Bukittinggi", port_b),
        ("Kota Sawahlunto", port_down),
        ("Kota Solok", port_garbage),
    ]:
        FOLLOWED_PORTAL.create(data={"name": name, "base_url": f"http://127.0.0.1:{port}"}, actor=None)
    try:
        with serve(two_cities[0], port=port_a), serve(two_cities[1], port=port_b) as base_b:
            assert harvest_followed_portals() == 4  # the periodic task, run now
            page = Client().get(PAGE).content.decode()
            english = Client().get("/en" + PAGE).content.decode()
            csv = b"".join(Client().get(PAGE, {"download": "csv"}).streaming_content)
            assert base_b.endswith(str(port_b))
        states = dict(PortalSnapshot.objects.values_list("portal__name", "ok"))
        assert states == {"Kota Padang": True, "Kota Bukittinggi": True, "Kota Sawahlunto": False, "Kota Solok": False}
        reasons = dict(PortalSnapshot.objects.filter(ok=False).values_list("portal__name", "reason"))
        assert (
            "could not be reached" in reasons["Kota Sawahlunto"] and "Connection refused" in reasons["Kota Sawahlunto"]
        )
        assert reasons["Kota Solok"]

        # the page: both live cities with their own figures, the down ones stale with their reasons
        assert page.count('class="badge stage-completed"') == 2 and page.count("Usang") >= 2
        assert reasons["Kota Sawahlunto"] in page and "3,77" in page and "1,11" in page
        padang = PortalSnapshot.objects.get(portal__name="Kota Padang").data
        assert padang["evaluations"][-1]["index"] != "3.77" and len(padang["pillars"]) == 6
        assert padang["headline"]["targets"], "the headline indicator's targets were read"
        # the one API shape read in full: pillar and dimension briefs, the scheme's scale from its own endpoint
        latest = padang["evaluations"][-1]
        assert latest["pillars"] and all(latest["pillars"].values())
        assert latest["dimensions"] and all(d["name_ind"] and d["score"] for d in latest["dimensions"])
        assert Decimal(latest["scale_max"]) == 4, latest
        assert "Stale" in english and "Cities compared" in english
        assert b"Kota Bukittinggi" in csv and b"3.77" in csv and b"stale" in csv

        # Kota Padang's portal has stopped (the `with` ended): a new harvest keeps its last figures, marked stale
        assert harvest_followed_portals() == 4
        page = Client().get(PAGE).content.decode()
        padang_row = page.split("<strong>Kota Padang</strong>")[1][:400]
        assert "Usang" in padang_row
        assert PortalSnapshot.objects.filter(portal__name="Kota Padang", ok=True).count() == 1
    finally:
        garbage.close()


def test_the_harvest_is_scheduled_on_a_hub_only():
    code = "from django.conf import settings; print('harvest-followed-portals' in settings.CELERY_BEAT_SCHEDULE)"
    answers = [
        subprocess.run(
            [sys.executable, "-c", f"import django; django.setup(); {code}"],
            cwd=ROOT,
            env=portal_env(DJANGO_SETTINGS_MODULE="smartcity.settings", PROVINCIAL_HUB=hub),
            capture_output=True,
            text=True,
            check=True,
        ).stdout.strip()
        for hub in ("true", "false")
    ]
    assert answers == ["True", "False"]
