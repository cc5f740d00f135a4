"""Two real clients updating one record at the same moment, against the portal served by gunicorn: neither change
is lost silently. Without If-Match both PATCHes of different fields keep their field; with If-Match of the same
read, exactly one wins and the other is told (412)."""

import base64
import json
import threading
import urllib.error
import urllib.request

import pytest
from django.contrib.auth.models import Group

from pillars.models import Program
from smartcity.roles import DISKOMINFO_EDITOR
from tests.live import portal_env, serve, served_database_url
from tests.pillars.factories import ProgramFactory

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)  # keeps the role groups
ROUNDS = 5


@pytest.fixture
def portal(make_user, settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.PBKDF2PasswordHasher"]  # what the served portal reads
    user = make_user(username="editor")
    user.set_password("rahasia-sekali")
    user.save()
    user.groups.add(Group.objects.get(name=DISKOMINFO_EDITOR))
    env = portal_env(DATABASE_URL=served_database_url())
    with serve(env, workers=2) as base:
        yield base


def call(method: str, url: str, body: dict | None = None, **headers) -> tuple[int, dict, str]:
    token = base64.b64encode(b"editor:rahasia-sekali").decode()
    request = urllib.request.Request(
        url,
        data=json.dumps(body).encode() if body is not None else None,
        method=method,
        headers={"Authorization": f"Basic {token}", "Content-Type": "application/json", **headers},
    )
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return response.status, json.loads(response.read() or b"{}"), response.headers.get("ETag", "")
    except urllib.error.HTTPError as error:
        return error.code, json.loads(error.read() or b"{}"), ""


def at_once(*calls) -> list:
    """Run the calls in threads released together; their answers in order."""
    barrier, answers = threading.Barrier(len(calls)), [None] * len(calls)

    def run(index, fn):
        barrier.wait()
        answers[index] = fn()

    threads = [threading.Thread(target=run, args=(i, fn)) for i, fn in enumerate(calls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return answers


def test_two_concurrent_patches_of_different_fields_both_keep_their_change(portal):
    program = ProgramFactory(title_en="start", progress=0)
    url = f"{portal}/api/v1/programs/{program.slug}/"
    for round_ in range(1, ROUNDS + 1):
        first, second = at_once(
            lambda r=round_: call("PATCH", url, {"title_en": f"title {r}"}),
            lambda r=round_: call("PATCH", url, {"progress": r}),
        )
        assert first[0] == 200 and second[0] == 200, (first, second)
        program.refresh_from_db()
        assert (program.title_en, program.progress) == (f"title {round_}", round_)


def test_two_concurrent_patches_from_the_same_read_one_wins_one_is_412(portal):
    program = ProgramFactory(title_en="start")
    url = f"{portal}/api/v1/programs/{program.slug}/"
    for round_ in range(ROUNDS):
        status, _body, etag = call("GET", url)
        assert status == 200 and etag
        first, second = at_once(
            lambda r=round_, tag=etag: call("PATCH", url, {"title_en": f"a{r}"}, **{"If-Match": tag}),
            lambda r=round_, tag=etag: call("PATCH", url, {"title_en": f"b{r}"}, **{"If-Match": tag}),
        )
        assert sorted([first[0], second[0]]) == [200, 412], (first, second)
        winner = f"a{round_}" if first[0] == 200 else f"b{round_}"
        assert Program.objects.get(pk=program.pk).title_en == winner
