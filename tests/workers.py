"""Parallel runs (pytest-xdist): each worker gets its own Redis database and its own
var/ folder before Django reads its settings, so one worker's `cache.clear()`, Celery queue or open-data files never
touch another's. pytest-django already gives each worker its own test database (test_<name>_gw0, _gw1, …).

Loaded as a plugin (`-p tests.workers` in pyproject.toml), since a conftest would come after pytest-django has read
the settings. Outside a worker (a plain `pytest tests/...`) it changes nothing.

Tests that need a fixed port (an identity provider's redirect address, a standby's port and replication slot) take
it through `worker_port`, so two workers never bind the same one. See docs/contributing/tests.md.
"""

import os
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

REDIS_DATABASES = 16  # Redis's default `databases`
WORKER = os.environ.get("PYTEST_XDIST_WORKER", "")  # "gw0", "gw1", … inside a worker; xdist sets it before config
RUN_REDIS_URL = os.environ.get("REDIS_URL", "")  # the run's, before a worker moves it
WORKER_NUMBER = int(WORKER[2:]) if WORKER.startswith("gw") else 0
PORT_STRIDE = 100  # a fixed port moves this far per worker: the fixed ones in use are never 100 apart


def worker_port(port: int) -> int:
    """A fixed port of the tests, moved to the worker's own (unchanged outside a parallel run)."""
    return port + PORT_STRIDE * WORKER_NUMBER


def worker_redis_url(url: str, number: int) -> str:
    """The run's Redis URL moved to a database of the worker's own: the run's database + 1 + worker number."""
    parts = urlsplit(url)
    base = int(parts.path.strip("/") or 0)
    return urlunsplit(parts._replace(path=f"/{(base + 1 + number) % REDIS_DATABASES}"))


if WORKER.startswith("gw"):
    if os.environ.get("REDIS_URL"):
        os.environ["REDIS_URL"] = worker_redis_url(os.environ["REDIS_URL"], WORKER_NUMBER)
    _var = Path(__file__).resolve().parent.parent / "var" / f"test-{WORKER}"
    _var.mkdir(parents=True, exist_ok=True)
    os.environ["DJANGO_VAR_DIR"] = str(_var)
