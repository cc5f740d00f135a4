"""A real streaming replica (deploy/replica.py: pg_basebackup -R of the test PostgreSQL, a hot standby on
127.0.0.1:5442) behind a served portal with DATABASE_REPLICA_URL: read-only requests read from the replica,
writes and the admin use the primary, and a caller that just wrote reads its own write.

To tell the two servers apart, the replica's replay is paused: a change committed on the primary afterwards is
on the primary only, so whoever sees it read from the primary."""

import base64
import http.cookiejar
import json
import os
import re
import urllib.parse
import urllib.request

import pytest

from deploy import replica as cluster
from pillars.models import Program
from tests.factories import UserFactory
from tests.live import portal_env, serve, served_database_url
from tests.pillars.factories import ProgramFactory

REPLICA_PORT = int(os.environ.get("TEST_REPLICA_PORT", "5442"))
PASSWORD = "correct horse battery staple"

pytestmark = [
    pytest.mark.skipif(cluster.available() is not None, reason=f"no streaming replica here: {cluster.available()}"),
    pytest.mark.django_db(transaction=True, serialized_rollback=True),  # committed rows, so the replica has them
]


@pytest.fixture(scope="module")
def replica_url(django_db_setup, django_db_blocker):
    """A hot standby of the whole test cluster, started once the test database exists."""
    with django_db_blocker.unblock(), cluster.streaming_replica(port=REPLICA_PORT) as url_for:
        from django.conf import settings

        yield url_for(settings.DATABASES["default"]["NAME"])


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
    program = ProgramFactory(title_id="Program sebelum jeda", slug="sebelum-jeda")
    cluster.wait_until("SELECT EXISTS (SELECT 1 FROM pillars_program WHERE slug = 'sebelum-jeda')", database=database)
    cluster.psql("SELECT pg_wal_replay_pause()", port=REPLICA_PORT)
    try:
        ProgramFactory(title_id="Program setelah jeda")  # on the primary only, while the replica is paused
        env = portal_env(
            DATABASE_URL=served_database_url(),
            DATABASE_REPLICA_URL=replica_url,
            PUBLIC_CACHE_SECONDS="0",
            DJANGO_SECURE_COOKIES="false",
            DJANGO_STATICFILES_STORAGE="django.contrib.staticfiles.storage.StaticFilesStorage",
        )
        with serve(env, port=8145) as base:
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
                data=json.dumps({"title_id": "Program sebelum jeda, diubah"}).encode(),
                headers={**basic, "Content-Type": "application/json"},
            )
            assert status == 200, body
            assert Program.objects.get(pk=program.pk).title_id == "Program sebelum jeda, diubah"
            assert sees(caller, base, "Program sebelum jeda, diubah", **basic)  # its own write, at once
            assert not sees(anonymous, base, "Program sebelum jeda, diubah")  # others: the replica, still paused

            cluster.psql("SELECT pg_wal_replay_resume()", port=REPLICA_PORT)
            cluster.wait_until(
                "SELECT EXISTS (SELECT 1 FROM pillars_program WHERE title_id = 'Program sebelum jeda, diubah')",
                database=database,
            )
            assert sees(anonymous, base, "Program setelah jeda") and sees(anonymous, base, "diubah")
    finally:
        cluster.psql("SELECT pg_wal_replay_resume()", port=REPLICA_PORT)
