"""The public cache's front (smartcity.middleware.PublicCacheFront): current entries sent before Django's handler
runs, everything else handed to it with what was looked up."""

import pytest

from smartcity import cache as public_cache
from tests.front import handler_starts, served
from tests.pillars.factories import ProgramFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def cache_on(settings):
    settings.PUBLIC_CACHE_SECONDS = 300


@pytest.fixture
def handler_runs():
    with handler_starts() as started:
        yield started


@pytest.fixture
def lookups(monkeypatch):
    made = []
    real = public_cache.lookup

    def counted(*args, **kwargs):
        made.append(args[0])
        return real(*args, **kwargs)

    monkeypatch.setattr(public_cache, "lookup", counted)
    return made


def test_a_current_entry_is_sent_before_djangos_handler_runs(handler_runs):
    ProgramFactory(title_ind="Program di depan")
    first = served("/programs/", HTTP_ACCEPT_ENCODING="gzip")
    second = served("/programs/", HTTP_ACCEPT_ENCODING="gzip")
    assert (first.status, first.headers["x-cache"], second.status, second.headers["x-cache"]) == (
        200,
        "miss",
        200,
        "hit",
    )
    assert len(handler_runs) == 1  # the hit never reached the handler
    assert second.content == first.content and second.headers["content-encoding"] == "gzip"
    assert {k: v for k, v in second.headers.items() if k != "x-cache"} == {
        k: v for k, v in first.headers.items() if k != "x-cache"
    }


def test_a_miss_is_looked_up_once(lookups):
    assert served("/programs/").headers["x-cache"] == "miss"
    assert len(lookups) == 1  # the front's lookup, handed to the middleware
    assert served("/programs/").headers["x-cache"] == "hit" and len(lookups) == 2


def test_the_browsers_copy_gets_a_304_from_the_front(handler_runs):
    etag = served("/programs/").headers["etag"]
    again = served("/programs/", HTTP_IF_NONE_MATCH=etag)
    assert (again.status, again.content, len(handler_runs)) == (304, b"", 1)


def test_a_session_cookie_is_never_answered_from_the_front(handler_runs):
    served("/programs/")
    with_session = served("/programs/", HTTP_COOKIE="sessionid=abc")
    assert with_session.status == 200 and "x-cache" not in with_session.headers and len(handler_runs) == 2


def test_a_head_request_gets_the_headers_of_the_kept_answer_without_its_body(handler_runs):
    got = served("/programs/")
    head = served("/programs/", REQUEST_METHOD="HEAD")
    assert (head.status, head.headers["x-cache"], head.content, len(handler_runs)) == (200, "hit", b"", 1)
    assert head.headers["content-length"] == got.headers["content-length"] == str(len(got.content))


def test_a_bad_host_is_answered_by_djangos_handler():
    assert served("/programs/", HTTP_HOST="evil.example").status == 400
