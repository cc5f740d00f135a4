"""Reads from a streaming replica (`DATABASE_REPLICA_URL`), writes and the admin on the primary.

With a replica configured (settings.DATABASES["replica"]), `ReplicaMiddleware` marks each request that may read
from it: a GET, HEAD or OPTIONS outside the admin (`REPLICA_EXCLUDED_PATHS`), from a caller that has not written
in the last REPLICA_PIN_SECONDS. While it runs, `ReplicaRouter` sends its reads to the replica; every write goes
to the primary whatever the request, and so does every read of any other request.

A replica lags the primary by a little (milliseconds on a healthy network), so a caller that just wrote must
read its own write: any request with another method (a POST, PUT, PATCH or DELETE, answered at all) pins its
caller to the primary for REPLICA_PIN_SECONDS: a browser by a short cookie (`REPLICA_PIN_COOKIE`), a caller with
credentials (an API key, HTTP Basic), which may keep no cookies, by a mark in the cache under a hash of its
`Authorization` header. The router knows no app: it routes every model alike.
"""

import contextvars
import hashlib

from django.conf import settings
from django.core.cache import cache

REPLICA = "replica"
SAFE_METHODS = ("GET", "HEAD", "OPTIONS")
_reading_replica = contextvars.ContextVar("reading_replica", default=False)


def configured() -> bool:
    return REPLICA in settings.DATABASES


class ReplicaRouter:
    """Reads of a read-only request (marked by ReplicaMiddleware) from the replica; all else on the primary."""

    def db_for_read(self, model, **hints):
        return REPLICA if _reading_replica.get() else "default"

    def db_for_write(self, model, **hints):
        return "default"

    def allow_relation(self, obj1, obj2, **hints):
        return True  # the same rows on both servers

    def allow_migrate(self, db, app_label, model_name=None, **hints):
        return db == "default"  # the replica follows the primary's schema through the WAL


class reading_replica:  # noqa: N801 (used like a function: `with reading_replica():`)
    """Within the block, reads go to the replica (when one is configured)."""

    def __enter__(self):
        self.token = _reading_replica.set(configured())

    def __exit__(self, *exc):
        _reading_replica.reset(self.token)


def _credential_mark(request) -> str | None:
    header = request.META.get("HTTP_AUTHORIZATION")
    if not header:
        return None
    return "replica-pin:" + hashlib.sha256(header.encode("latin-1", "replace")).hexdigest()


def pinned(request) -> bool:
    """Whether this caller wrote in the last REPLICA_PIN_SECONDS (so reads its own writes on the primary)."""
    if settings.REPLICA_PIN_COOKIE in request.COOKIES:
        return True
    mark = _credential_mark(request)
    return mark is not None and cache.get(mark) is not None


def may_read_replica(request) -> bool:
    if request.method not in SAFE_METHODS:
        return False
    if any(request.path_info.startswith(prefix) for prefix in settings.REPLICA_EXCLUDED_PATHS):
        return False
    return not pinned(request)


def pin(request, response) -> None:
    """After a write: this caller reads from the primary for REPLICA_PIN_SECONDS."""
    seconds = settings.REPLICA_PIN_SECONDS
    response.set_cookie(
        settings.REPLICA_PIN_COOKIE,
        "1",
        max_age=seconds,
        secure=settings.SESSION_COOKIE_SECURE,
        httponly=True,
        samesite="Lax",
    )
    mark = _credential_mark(request)
    if mark is not None:
        cache.set(mark, 1, timeout=seconds)


class ReplicaMiddleware:
    """Marks read-only requests for the replica and pins writers to the primary (a no-op without a replica)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not configured():
            return self.get_response(request)
        if may_read_replica(request):
            with reading_replica():
                return self.get_response(request)
        response = self.get_response(request)
        if request.method not in SAFE_METHODS:
            pin(request, response)
        return response
