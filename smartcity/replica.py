"""Reads from a streaming replica (`DATABASE_REPLICA_URL`), writes and the admin on the primary.

With a replica configured (settings.DATABASES["replica"]), `ReplicaMiddleware` marks each request that may read
from it: a GET, HEAD or OPTIONS outside the admin (`REPLICA_EXCLUDED_PATHS`), from a caller that has not written
in the last REPLICA_PIN_SECONDS. While it runs, `ReplicaRouter` sends its reads to the replica; every write goes
to the primary whatever the request, and so does every read of any other request. Whatever decides who may do
what is always read from the primary (`REPLICA_PRIMARY_MODELS`: users, permissions, sessions, API keys), so a
revocation takes effect at once however far the replica lags.

A replica lags the primary by a little (milliseconds on a healthy network), so a caller that just wrote must
read its own write: any request with another method (a POST, PUT, PATCH or DELETE, answered at all) pins its
caller to the primary for REPLICA_PIN_SECONDS: a browser by a short cookie (`REPLICA_PIN_COOKIE`), a caller with
credentials (an API key, HTTP Basic), which may keep no cookies, by a mark in the cache under a hash of its
`Authorization` header. The router knows no app: it routes by the labels settings name.

A replica outage costs no request. The replica's connections have short timeouts (settings: a connect timeout
and a statement timeout, and `wait_with_deadline` on the client side, since a hung server cancels nothing);
a request whose reads fail on the replica is run again on the primary, and the replica is marked down for
REPLICA_DOWN_SECONDS, in this process and in the cache for the others (each process looks at the cache mark
at most once per CHECK_SECONDS). Meanwhile every read goes to the primary. Afterwards one request at a time per
process tries the replica again (the others keep reading the primary) until one reads from it without error.
Each thread of a gthread worker keeps its own persistent connection: one opened before the latest mark is
dropped unused, not health-checked (a check on a hung server waits out the whole statement deadline), so a
request that tries the replica again waits at most the connect deadline on a server that still hangs. And a
request the replica kept past one deadline waits on it no more: Django's health check of a persistent
connection, on a server that hung between two requests, waits out the statement deadline and then connects
again, and that connection is refused at once (it would have added the connect deadline).
"""

import contextvars
import hashlib
import logging
import select
import socket
import threading
import time
from functools import cache as once

import psycopg2
from django.conf import settings
from django.core.cache import cache
from django.db import connections
from psycopg2.extensions import POLL_OK, POLL_READ, POLL_WRITE

logger = logging.getLogger(__name__)

REPLICA = "replica"
SAFE_METHODS = ("GET", "HEAD", "OPTIONS")
DOWN_KEY = "replica:down-until"
CHECK_SECONDS = 1  # how often a process looks at the cache for another process's mark
_reading_replica = contextvars.ContextVar("reading_replica", default=False)
# Set when the replica kept a request past a deadline: the rest of that request does not wait on it again.
_hung_here = contextvars.ContextVar("replica_hung_here", default=False)


def configured() -> bool:
    return REPLICA in settings.DATABASES


def reading() -> bool:
    """Whether the current request reads from the replica (so may see data a little older than the primary's)."""
    return _reading_replica.get()


@once
def _primary_labels() -> frozenset[str]:
    return frozenset(settings.REPLICA_PRIMARY_MODELS)


def reads_primary(model) -> bool:
    """Models whose rows decide who may do what (settings.REPLICA_PRIMARY_MODELS: app labels or app.Model)."""
    labels = _primary_labels()
    return model._meta.app_label in labels or model._meta.label in labels


class ReplicaRouter:
    """Reads of a read-only request (marked by ReplicaMiddleware) from the replica; all else on the primary."""

    def db_for_read(self, model, **hints):
        return REPLICA if _reading_replica.get() and not reads_primary(model) else "default"

    def db_for_write(self, model, **hints):
        return "default"

    def allow_relation(self, obj1, obj2, **hints):
        return True  # the same rows on both servers

    def allow_migrate(self, db, app_label, model_name=None, **hints):
        return db == "default"  # the replica follows the primary's schema through the WAL


class reading_replica:  # noqa: N801 (used like a function: `with reading_replica():`)
    """Within the block, reads go to the replica (when one is configured), and a replica that keeps one of them past
    its deadline is not waited on again (`_hung_here`, scoped to the block: a thread serves request after request
    in one context)."""

    def __enter__(self):
        self.token = _reading_replica.set(configured())
        self.hung = _hung_here.set(False)

    def __exit__(self, *exc):
        _hung_here.reset(self.hung)
        _reading_replica.reset(self.token)


# --- The replica's health: marked down for a while when it fails ------------------------------------------


class _Health:
    down_until = 0.0  # wall-clock time, shared through the cache
    looked_at = 0.0  # when this process last read the cache's mark (monotonic)
    marks = 0  # marks seen by this process: a connection opened before the latest one is dropped unused
    on_trial = False  # after a mark, until a request reads from the replica again without error
    trial = threading.Lock()  # held by the one request of this process that tries the replica on trial
    lock = threading.Lock()


_health = _Health()


def usable() -> bool:
    """Whether reads may go to the replica now: not marked down, here or (looked at once a second) elsewhere."""
    now = time.monotonic()
    if now - _health.looked_at >= CHECK_SECONDS:
        _health.looked_at = now
        elsewhere = cache.get(DOWN_KEY) or 0.0
        if elsewhere > _health.down_until:  # another process marked it down
            _note_mark(elsewhere)
    return time.time() >= _health.down_until


def _note_mark(until: float) -> None:
    with _health.lock:
        _health.down_until = max(_health.down_until, until)
        _health.marks += 1
        _health.on_trial = True


def mark_down(reason: str) -> None:
    """The replica failed: reads go to the primary for REPLICA_DOWN_SECONDS, in every process."""
    seconds = settings.REPLICA_DOWN_SECONDS
    until = time.time() + seconds
    _note_mark(until)
    cache.set(DOWN_KEY, until, timeout=seconds)
    logger.warning("replica marked down for %s s: %s", seconds, reason)


def _cleared(marks: int) -> None:
    """A request on trial read from the replica without error: every request may read from it again (unless
    it was marked down meanwhile)."""
    with _health.lock:
        if _health.marks == marks:
            _health.on_trial = False


def drop_stale_connection() -> None:
    """Drop this thread's replica connection if it was opened before the latest mark: it may lead to a server
    that hangs, where Django's health check would wait out the statement deadline before connecting again."""
    wrapper = connections[REPLICA]
    if wrapper.connection is not None and getattr(wrapper, "opened_after_mark", None) != _health.marks:
        discard_connection()
    wrapper.opened_after_mark = _health.marks


def discard_connection() -> None:
    """Close this thread's replica connection, whatever state the failure left it in."""
    try:
        connections[REPLICA].close()
    except Exception:  # a broken connection may fail to close; it is dropped all the same
        connections[REPLICA].connection = None


def failed() -> bool:
    """Whether a database error occurred on this thread's replica connection (Django flags every one)."""
    return configured() and connections[REPLICA].errors_occurred


def wait_with_deadline(conn, cursor=None) -> None:
    """psycopg2's wait callback (installed when a replica is configured): waits as the driver would, but gives the
    replica's connections (by their application name) a deadline, REPLICA_CONNECT_TIMEOUT while connecting and
    REPLICA_STATEMENT_TIMEOUT plus a second for an answer. A hung server (a frozen machine) holds every request
    that waits on it, and cancels no statement itself; past the deadline its socket is shut and the driver fails.
    The primary's connections wait as before, without a deadline."""
    seconds = _deadline(conn)
    deadline = None if seconds is None else time.monotonic() + seconds
    while True:
        state = conn.poll()
        if state == POLL_OK:
            return
        remaining = None if deadline is None else deadline - time.monotonic()
        if remaining is not None and remaining <= 0:
            _shut(conn)
            _hung_here.set(True)
            raise psycopg2.OperationalError(f"the replica did not answer within {seconds} s")
        if state == POLL_READ:
            select.select([conn.fileno()], [], [], remaining)
        elif state == POLL_WRITE:
            select.select([], [conn.fileno()], [], remaining)
        else:
            raise psycopg2.OperationalError(f"unexpected poll state {state}")


@once
def _application_name() -> str:
    return f"application_name={settings.DATABASES[REPLICA]['OPTIONS']['application_name']}"


def _deadline(conn) -> float | None:
    if _application_name() not in conn.dsn:
        return None
    if conn.status == psycopg2.extensions.STATUS_SETUP:  # still connecting
        # Once the replica kept this request past a deadline, a new connection is not waited for: Django's health
        # check of a persistent connection (SELECT 1, waiting out the statement deadline on a hung server) closes
        # it and connects again, which on that server would add the connect deadline to the request.
        return 0.0 if _hung_here.get() else settings.REPLICA_CONNECT_TIMEOUT
    return settings.REPLICA_STATEMENT_TIMEOUT + 1


def _shut(conn) -> None:
    try:
        with socket.fromfd(conn.fileno(), socket.AF_INET, socket.SOCK_STREAM) as sock:  # a duplicate descriptor
            sock.shutdown(socket.SHUT_RDWR)  # the driver sees the connection closed, and the connection is dropped
    except OSError:
        pass


def install_deadlines() -> None:
    if configured():
        psycopg2.extensions.set_wait_callback(wait_with_deadline)


def state() -> dict:
    """For /healthz: "absent" without a replica; else "ok" with its replay lag in seconds, or "down". While the
    replica is marked down, "down" without asking it (a hung replica would hold /healthz for its deadline)."""
    if not configured():
        return {"replica": "absent"}
    if not usable():
        return {"replica": "down", "replica_lag_seconds": None}
    drop_stale_connection()
    hung = _hung_here.set(False)  # this check's own: a thread's context outlives its request
    lag_sql = (
        "SELECT CASE WHEN pg_last_wal_receive_lsn() = pg_last_wal_replay_lsn() THEN 0 "
        "ELSE EXTRACT(EPOCH FROM now() - pg_last_xact_replay_timestamp()) END"
    )
    try:
        with connections[REPLICA].cursor() as cursor:
            cursor.execute(lag_sql)
            lag = cursor.fetchone()[0]
    except Exception as error:  # any driver error means "down" here; the log keeps the cause
        discard_connection()
        mark_down(f"healthz: {error}")
        return {"replica": "down", "replica_lag_seconds": None}
    finally:
        _hung_here.reset(hung)
    return {"replica": "ok", "replica_lag_seconds": None if lag is None else round(float(lag), 3)}


# --- Pinning a caller that wrote to the primary -------------------------------------------------------------


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
    """Marks read-only requests for the replica and pins writers to the primary (a no-op without a replica).

    A read-only request that fails on the replica (a 5xx answer after a database error on its replica
    connection) is answered again from the primary: a read-only request writes nothing, so running it twice is
    safe. The replica is then marked down, so the next requests go to the primary at once; once the mark
    expires, one request at a time per process tries the replica (on trial) until one succeeds."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not configured():
            return self.get_response(request)
        if may_read_replica(request) and usable():
            on_trial, marks = _health.on_trial, _health.marks
            if not on_trial:
                return self.from_replica(request, on_trial=False, marks=marks)
            if _health.trial.acquire(blocking=False):  # one per process tries it; the others read the primary
                try:
                    return self.from_replica(request, on_trial=True, marks=marks)
                finally:
                    _health.trial.release()
        response = self.get_response(request)
        if request.method not in SAFE_METHODS:
            pin(request, response)
        return response

    def from_replica(self, request, *, on_trial: bool, marks: int):
        drop_stale_connection()
        connections[REPLICA].errors_occurred = False  # a failed connect leaves it set (no connection to check)
        request.reads_replica = True  # the public cache keeps such an answer only under old versions
        with reading_replica():
            response = self.get_response(request)
        if not failed():
            if on_trial and connections[REPLICA].connection is not None:  # it did read from the replica
                _cleared(marks)
            return response
        discard_connection()
        mark_down(f"{request.method} {request.path} answered {response.status_code}")
        if response.status_code < 500 or response.streaming:
            return response
        return self.get_response(request)  # once more, on the primary
