"""Requests sent to the portal's WSGI application as gunicorn sends them (smartcity/wsgi.py: PublicCacheFront in
front of Django's handler), in the test's thread, so on its database transaction."""

import io
from contextlib import contextmanager
from dataclasses import dataclass

from django.core.signals import request_finished, request_started
from django.db import close_old_connections

from smartcity.wsgi import application


@dataclass
class Answer:
    status: int
    headers: dict[str, str]  # by lower-case name
    content: bytes


@contextmanager
def handler_signals_kept_off_the_test_connection():
    """Django's handler closes the database connection at a request's end when it is in a transaction (as the test's
    is); Django's test client disconnects that receiver for its requests, and so does this."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        yield
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)


@contextmanager
def handler_starts():
    """The requests Django's handler starts meanwhile (a list that grows by one each); the front's hits start none."""
    started = []

    def count(**kwargs):
        started.append(1)

    request_started.connect(count)
    try:
        yield started
    finally:
        request_started.disconnect(count)


def served(path: str, **meta) -> Answer:
    """GET `path` through the WSGI application; `meta` as WSGI environ keys (HTTP_AUTHORIZATION=...)."""
    path, _, query = path.partition("?")
    environ = {
        "REQUEST_METHOD": "GET",
        "PATH_INFO": path,
        "QUERY_STRING": query,
        "SERVER_NAME": "testserver",
        "SERVER_PORT": "80",
        "SERVER_PROTOCOL": "HTTP/1.1",
        "HTTP_HOST": "testserver",
        "REMOTE_ADDR": "127.0.0.1",
        "wsgi.url_scheme": "http",
        "wsgi.input": io.BytesIO(),
        "wsgi.errors": io.StringIO(),
        **meta,
    }
    started = {}

    def start_response(status, headers, exc_info=None):
        started.update(status=int(status.split()[0]), headers={name.lower(): value for name, value in headers})

    with handler_signals_kept_off_the_test_connection():
        body = application(environ, start_response)
        try:
            content = b"".join(body)
        finally:
            if hasattr(body, "close"):
                body.close()
    return Answer(started["status"], started["headers"], content)
