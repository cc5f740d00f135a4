"""gunicorn settings for Kota Cerdas (`gunicorn -c gunicorn.conf.py smartcity.wsgi`); each one can be
overridden by a GUNICORN_* environment variable or on the command line."""

import multiprocessing
import os
import sys

bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8000")
workers = int(os.environ.get("GUNICORN_WORKERS", multiprocessing.cpu_count() * 2 + 1))
# Threaded workers, so that a long answer is never killed: a sync worker that spends more than `timeout` on one
# request (a whole-list download of 100,000 rows takes about 80 s, longer on a slow link) is killed mid-answer;
# a gthread worker's main loop keeps telling the arbiter it is alive while a thread streams, so `timeout` only
# catches a worker that is truly stuck (issue 27: downloads that never time out; tests/test_download_live.py).
worker_class = os.environ.get("GUNICORN_WORKER_CLASS", "gthread")
threads = int(os.environ.get("GUNICORN_THREADS", 4))
timeout = int(os.environ.get("GUNICORN_TIMEOUT", 30))
graceful_timeout = 20
keepalive = 5
# Recycle workers now and then, with jitter so they do not all restart at once. Not too often: a restarted
# worker spends about a second loading Django, and at 1,000 req/s a limit of 2,000 recycled each one every 8 s.
max_requests = int(os.environ.get("GUNICORN_MAX_REQUESTS", 20000))
max_requests_jitter = max_requests // 10
accesslog = "-"
errorlog = "-"
# One JSON object per request, like the application's own log lines.
access_log_format = (
    '{"time": "%(t)s", "logger": "gunicorn.access", "remote": "%(h)s", "method": "%(m)s", "path": "%(U)s", '
    '"query": "%(q)s", "status": %(s)s, "bytes": "%(B)s", "duration_ms": %(M)s, "agent": "%(a)s"}'
)
forwarded_allow_ips = os.environ.get("GUNICORN_FORWARDED_ALLOW_IPS", "127.0.0.1")
# How long a thread may hold the GIL while another waits for it (Python's default: 5 ms). A cached answer needs
# the GIL back after each Redis round trip; beside a thread busy with a write in the same worker, each of those
# waits took up to the whole interval, so cached reads fell 3-4x while a partner posted 30 reports a second.
switch_interval = float(os.environ.get("GUNICORN_SWITCH_INTERVAL", 0.0005))


def post_worker_init(worker):
    """A fresh worker (at start, and each time one is recycled) loads every app's URLs and views and the
    translation catalogs before it takes a request, not during its first one: on a loaded 2-core machine a fresh
    worker's first answer (a download's first byte included) came after 3-11 s without it (issue 27). The worker
    has loaded the WSGI application, so Django is set up (the portal's, or the benchmark's bare project)."""
    sys.setswitchinterval(switch_interval)
    from django.conf import settings
    from django.urls import get_resolver
    from django.utils import translation

    get_resolver().url_patterns  # noqa: B018 - evaluated for the imports it makes
    for code, _name in settings.LANGUAGES:
        with translation.override(code):
            translation.gettext("Programs")
