"""A real streaming replica (deploy/replica.py: pg_basebackup -R of the test PostgreSQL, a hot standby on
127.0.0.1:5442) behind a served portal with DATABASE_REPLICA_URL: read-only requests read from the replica,
writes and the admin use the primary, and a caller that just wrote reads its own write.

To tell the two servers apart, the replica's replay is paused: a change committed on the primary afterwards is
on the primary only, so whoever sees it read from the primary."""

import base64
import contextlib
import http.cookiejar
import itertools
import json
import os
import re
import threading
import time
import urllib.error
import urllib.parse
import urllib.request

import pytest

from deploy import replica as cluster
from partnerships.models import PartnerAPIKey
from pillars.models import Program
from smartcity.services import writer_for
from tests.factories import UserFactory
from tests.live import portal_env, serve, served_database_url
from tests.partnerships.factories import PartnerFactory, make_key
from tests.pillars.factories import ProgramFactory
from tests.workers import worker_port

REPLICA_PORT = worker_port(int(os.environ.get("TEST_REPLICA_PORT", "5442")))  # its slot is named after it
PASSWORD = "correct horse battery staple"

pytestmark = [
    pytest.mark.skipif(cluster.available() is not None, reason=f"no streaming replica here: {cluster.available()}"),
    pytest.mark.django_db(transaction=True, serialized_rollback=True),  # committed rows, so the replica has them
]


@pytest.fixture(scope="module")
def standby(django_db_setup, django_db_blocker):
    """A hot standby of the whole test cluster, started once the test database exists."""
    with django_db_blocker.unblock(), cluster.streaming_replica(port=REPLICA_PORT) as standby:
        yield standby


@pytest.fixture(scope="module")
def replica_url(standby):
    from django.conf import settings

    return standby(settings.DATABASES["default"]["NAME"])


def replica_portal(replica_url: str, **overrides: str) -> dict[str, str]:
    """A served portal's environment: the test database its primary, the standby its replica."""
    return portal_env(
        DATABASE_URL=served_database_url(),
        DATABASE_REPLICA_URL=replica_url,
        DJANGO_STATICFILES_STORAGE="django.contrib.staticfiles.storage.StaticFilesStorage",
        **overrides,
    )


def opener():
    return urllib.request.build_opener(urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()), NoRedirect())


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def call(session, url, *, method="GET", data=None, headers=None) -> tuple[int, str]:
    request = urllib.request.Request(url, data=data, method=method, headers=headers or {})
    try:
        with session.open(request, timeout=30) as response:
            return response.status, response.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode()


def sees(session, base, title, **headers) -> bool:
    status, body = call(session, f"{base}/api/v1/programs/?limit=500", headers=headers)
    assert status == 200, body
    return title in body


def test_reads_from_the_replica_writes_and_the_admin_on_the_primary(replica_url, settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.PBKDF2PasswordHasher"]  # the served portal's own
    database = settings.DATABASES["default"]["NAME"]
    staff = UserFactory(username="editor-replica", is_staff=True, is_superuser=True)
    program = ProgramFactory(title_ind="Program sebelum jeda", slug="sebelum-jeda")
    cluster.wait_until(
        "SELECT EXISTS (SELECT 1 FROM pillars_program WHERE slug = 'sebelum-jeda')",
        database=database,
        port=REPLICA_PORT,
    )
    cluster.psql("SELECT pg_wal_replay_pause()", port=REPLICA_PORT)
    try:
        ProgramFactory(title_ind="Program setelah jeda")  # on the primary only, while the replica is paused
        env = replica_portal(replica_url, PUBLIC_CACHE_SECONDS="0", DJANGO_SECURE_COOKIES="false")
        with serve(env) as base:
            anonymous = opener()
            # Read-only requests read from the replica: pages and API lists alike.
            assert sees(anonymous, base, "Program sebelum jeda")
            assert not sees(anonymous, base, "Program setelah jeda")
            status, page = call(anonymous, f"{base}/programs/")
            assert status == 200 and "Program sebelum jeda" in page and "Program setelah jeda" not in page

            # The admin reads from the primary.
            browser = opener()
            status, login = call(browser, f"{base}/admin/login/")
            token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', login).group(1)
            form = urllib.parse.urlencode(
                {"username": staff.username, "password": PASSWORD, "csrfmiddlewaretoken": token, "next": "/admin/"}
            ).encode()
            status, _ = call(
                browser, f"{base}/admin/login/", method="POST", data=form, headers={"Referer": f"{base}/admin/login/"}
            )
            assert status == 302  # signed in (a write: the session, on the primary)
            status, changelist = call(browser, f"{base}/admin/pillars/program/")
            assert status == 200 and "Program setelah jeda" in changelist

            # A browser that just wrote (here, its login) reads its own writes on the primary for a while.
            assert sees(browser, base, "Program setelah jeda")

            # An API caller with credentials: reads from the replica until it writes, then from the primary.
            basic = {"Authorization": "Basic " + base64.b64encode(f"{staff.username}:{PASSWORD}".encode()).decode()}
            caller = urllib.request.build_opener()  # keeps no cookies
            assert not sees(caller, base, "Program setelah jeda", **basic)
            status, body = call(
                caller,
                f"{base}/api/v1/programs/sebelum-jeda/",
                method="PATCH",
                data=json.dumps({"title_ind": "Program sebelum jeda, diubah"}).encode(),
                headers={**basic, "Content-Type": "application/json"},
            )
            assert status == 200, body
            assert Program.objects.get(pk=program.pk).title_ind == "Program sebelum jeda, diubah"
            assert sees(caller, base, "Program sebelum jeda, diubah", **basic)  # its own write, at once
            assert not sees(anonymous, base, "Program sebelum jeda, diubah")  # others: the replica, still paused

            cluster.psql("SELECT pg_wal_replay_resume()", port=REPLICA_PORT)
            cluster.wait_until(
                "SELECT EXISTS (SELECT 1 FROM pillars_program WHERE title_ind = 'Program sebelum jeda, diubah')",
                database=database,
                port=REPLICA_PORT,
            )
            assert sees(anonymous, base, "Program setelah jeda") and sees(anonymous, base, "diubah")
    finally:
        cluster.psql("SELECT pg_wal_replay_resume()", port=REPLICA_PORT)


@contextlib.contextmanager
def replay_paused():
    """Changes committed on the primary meanwhile stay off the replica."""
    cluster.psql("SELECT pg_wal_replay_pause()", port=REPLICA_PORT)
    try:
        yield
    finally:
        cluster.psql("SELECT pg_wal_replay_resume()", port=REPLICA_PORT)


def cached_portal(replica_url: str) -> dict[str, str]:
    return replica_portal(replica_url, PUBLIC_CACHE_SECONDS="300")


def test_a_revoked_key_is_refused_at_once_however_far_the_replica_lags(replica_url, settings):
    database = settings.DATABASES["default"]["NAME"]
    row, key = make_key(PartnerFactory())
    cluster.wait_until(
        f"SELECT EXISTS (SELECT 1 FROM partnerships_partnerapikey WHERE prefix = '{row.prefix}')",  # noqa: S608
        database=database,
        port=REPLICA_PORT,
    )
    with replay_paused(), serve(cached_portal(replica_url)) as base:
        caller, headers = urllib.request.build_opener(), {"Authorization": f"Api-Key {key}"}
        assert call(caller, f"{base}/api/v1/programs/", headers=headers)[0] == 200  # its check now kept
        writer_for(PartnerAPIKey).update(instance=row, data={"revoked": True}, actor=None)
        status, body = call(caller, f"{base}/api/v1/programs/", headers=headers)
        assert status == 401, body  # the key is read from the primary, whatever the replica still holds


def test_an_answer_read_from_a_lagging_replica_is_not_kept_under_a_new_generation(replica_url, settings):
    database = settings.DATABASES["default"]["NAME"]
    program = ProgramFactory(title_ind="Program sebelum ubah", slug="sebelum-ubah")
    cluster.wait_until(
        "SELECT EXISTS (SELECT 1 FROM pillars_program WHERE slug = 'sebelum-ubah')",
        database=database,
        port=REPLICA_PORT,
    )
    with serve(cached_portal(replica_url)) as base:
        anonymous = opener()
        with replay_paused():
            assert sees(anonymous, base, "Program sebelum ubah")
            program.title_ind = "Program sesudah ubah"
            program.save()  # committed: a new generation, on the primary only
            assert sees(anonymous, base, "Program sebelum ubah")  # the replica lags: the old title, not kept
        cluster.wait_until(
            "SELECT EXISTS (SELECT 1 FROM pillars_program WHERE title_ind = 'Program sesudah ubah')",
            database=database,
            port=REPLICA_PORT,
        )
        assert sees(anonymous, base, "Program sesudah ubah")


PUBLIC_PATHS = ("/", "/programs/", "/api/v1/programs/", "/en/programs/")


class Load:
    """A few anonymous visitors reading public pages and API lists back to back, for as long as the block runs:
    when each request started, how long it took, its status (0: no answer) and its path."""

    def __init__(self, base: str, visitors: int = 2):
        self.base, self.visitors, self.done = base, visitors, threading.Event()
        self.requests: list[tuple[float, float, int, str]] = []

    def visit(self, offset: int) -> None:
        for number in itertools.count(offset):
            if self.done.is_set():
                return
            started, path = time.monotonic(), PUBLIC_PATHS[number % len(PUBLIC_PATHS)]
            try:
                with urllib.request.urlopen(self.base + path, timeout=60) as answer:
                    answer.read()
                    status = answer.status
            except urllib.error.HTTPError as error:
                status = error.code
            except OSError:
                status = 0
            self.requests.append((started, time.monotonic() - started, status, path))

    def __enter__(self):
        self.threads = [threading.Thread(target=self.visit, args=(n,)) for n in range(self.visitors)]
        for thread in self.threads:
            thread.start()
        return self

    def __exit__(self, *exc):
        self.done.set()
        for thread in self.threads:
            thread.join(timeout=90)

    def started_between(self, start: float, end: float) -> list[tuple[float, float, int, str]]:
        return [request for request in self.requests if start <= request[0] < end]


def outage(load: Load, *, begin, end, seconds: float, healthz_url: str) -> dict:
    """Start an outage, keep it `seconds` under the load, then end it: its figures, /healthz meanwhile included."""
    start = time.monotonic()
    begin()
    time.sleep(seconds / 2)
    health = call(urllib.request.build_opener(), healthz_url)
    time.sleep(seconds / 2)
    end()
    requests = load.started_between(start, start + seconds)
    later = [r for r in requests if r[0] >= start + 1]  # the first second of an outage may cost a request
    return {
        "requests": len(requests),
        "failed": sum(1 for r in requests if r[2] != 200),
        "failed after 1 s": sum(1 for r in later if r[2] != 200),
        "worst seconds": round(max((r[1] for r in requests), default=0), 2),
        "failures after 1 s": sorted({(r[3], r[2]) for r in later if r[2] != 200}),
        # (seconds into the outage it started, seconds it took, path): where a slow request came from
        "slowest": [(round(r[0] - start, 2), round(r[1], 2), r[3]) for r in sorted(requests, key=lambda r: -r[1])[:4]],
        "healthz": health,
    }


def replica_connections(database: str) -> int:
    return int(
        cluster.psql(
            f"SELECT count(*) FROM pg_stat_activity WHERE backend_type = 'client backend' AND datname = '{database}'",  # noqa: S608 - the test database's own name
            port=REPLICA_PORT,
        )
    )


# The load is the production shape (gthread workers of 4 threads, so each thread keeps its own replica connection)
# with more visitors than threads. The anonymous API budget (API_ANONYMOUS_RATE, 300 a minute per address) is lifted:
# every visitor here is 127.0.0.1, and at 40 requests a second a quarter of them (/api/v1/programs/) used it up
# within the test and were answered 429, the budget's answer and no replica failure (issue 23: the xfail of
# 2026-12-06, 141 of 564 failed, all of one path of four).
VISITORS = 12
DEADLINE = 3  # REPLICA_STATEMENT_TIMEOUT (2 s) and the client's second more: the longest a hung replica holds a read


def test_a_stopped_or_hung_replica_fails_no_public_request(standby, replica_url, settings):
    database = settings.DATABASES["default"]["NAME"]
    ProgramFactory(title_ind="Program untuk gangguan", slug="gangguan")
    cluster.wait_until(
        "SELECT EXISTS (SELECT 1 FROM pillars_program WHERE slug = 'gangguan')", database=database, port=REPLICA_PORT
    )
    env = replica_portal(
        replica_url,
        PUBLIC_CACHE_SECONDS="0",  # every request reads the database
        REPLICA_DOWN_SECONDS="3",
        API_ANONYMOUS_RATE="1000000/minute",  # one address sends all the load: the budget is not the subject
    )
    with serve(env, workers=2, threads=4) as base, Load(base, visitors=VISITORS) as load:
        time.sleep(3)
        assert load.requests and all(status == 200 for _, _, status, _ in load.requests)
        # The slowest request of the last two seconds without an outage: on a machine shared with other test runs the
        # load's own latency varies, so an outage is judged by what it adds to it.
        calm = max((r[1] for r in load.started_between(time.monotonic() - 2.5, time.monotonic())), default=0)
        assert replica_connections(database) > 0  # the portal reads from the replica

        stopped = outage(load, begin=standby.stop, end=standby.start, seconds=6, healthz_url=f"{base}/healthz")
        for _ in range(30):  # the mark expires: reads return to the replica
            if replica_connections(database) > 0:
                break
            time.sleep(0.5)
        else:
            pytest.fail("reads never returned to the replica")
        paused = outage(load, begin=standby.pause, end=standby.resume, seconds=8, healthz_url=f"{base}/healthz")
        time.sleep(1)
        before = calm
        time.sleep(2.5)
        # The slowest of the seconds after the outages too: the machine's load may have risen meanwhile (CI's other
        # worker starting a browser), and what is judged is the delay an outage adds, not the machine's (the failure
        # of 2026-12-07: 4.39 s against 0.38 + 4 measured before).
        after = max((r[1] for r in load.started_between(time.monotonic() - 2.5, time.monotonic() - 0.5)), default=0)
        calm = max(before, after)
        print(  # noqa: T201
            f"\nslowest before: {before:.2f} s, after: {after:.2f} s"
            f"\nreplica stopped: {stopped}\nreplica paused (SIGSTOP): {paused}"
        )
    for figures in (stopped, paused):
        assert figures["requests"] >= 2 * VISITORS, figures  # the load kept running through the outage
        assert figures["failed after 1 s"] == 0, figures
        # A hung replica holds a thread at most its statement deadline (REPLICA_STATEMENT_TIMEOUT + 1 = 3 s), then the
        # thread answers again from the primary. With more visitors than threads, a request that arrived meanwhile
        # waits in the queue for that rerun and then runs itself: the deadline and two calm requests, and half a
        # second of margin (CI of 2026-12-07: 4.27 s against a calm 0.55 s). Whether a request waits on the replica
        # once only is the next test's, without a queue.
        assert figures["worst seconds"] < DEADLINE + 2 * calm + 0.5, (figures, calm)
        status, body = figures["healthz"]
        assert status == 200, body
        assert json.loads(body)["database"] == "ok" and json.loads(body)["replica"] == "down"


def timed(url: str) -> tuple[int, float]:
    started = time.monotonic()
    status, _ = call(urllib.request.build_opener(), url)
    return status, time.monotonic() - started


def test_a_request_waits_on_a_hung_replica_once(standby, replica_url, settings):
    """One thread, one visitor: the replica hangs between two requests. The next request's first read (Django's
    health check of the persistent connection, SELECT 1) waits out the statement deadline; the request then runs
    on the primary at once. It used to connect to the hung replica again first and wait the connect deadline too
    (4.1-4.4 s where 3.0-3.3 s was due)."""
    env = replica_portal(replica_url, PUBLIC_CACHE_SECONDS="0", REPLICA_DOWN_SECONDS="3")
    database = settings.DATABASES["default"]["NAME"]
    with serve(env) as base:
        url = f"{base}/programs/"
        before = [timed(url) for _ in range(3)]
        assert replica_connections(database) == 1  # the one thread's persistent connection to the replica
        standby.pause()
        try:
            status, hung = timed(url)
        finally:
            standby.resume()
        after = [timed(url) for _ in range(3)]
    assert {status for status, _ in [*before, *after]} == {200} and status == 200
    calm = max(seconds for _, seconds in [*before, *after])  # one request's own time, on either server
    assert DEADLINE <= hung < DEADLINE + calm + 0.6, (hung, calm)
