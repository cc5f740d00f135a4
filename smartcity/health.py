"""/healthz: whether this node can reach its database and its cache, for load balancers and monitors."""

import logging

from django.core.cache import cache
from django.db import connection
from django.http import JsonResponse
from django.views.decorators.cache import never_cache

from . import replica

logger = logging.getLogger(__name__)


def _database_ok() -> bool:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            return cursor.fetchone() == (1,)
    except Exception:  # any driver error means "unreachable" here; the log keeps the cause
        logger.warning("healthz: database unreachable", exc_info=True)
        return False


def _cache_ok() -> bool:
    try:
        cache.set("healthz", "ok", timeout=10)
        return cache.get("healthz") == "ok"
    except Exception:
        logger.warning("healthz: cache unreachable", exc_info=True)
        return False


@never_cache
def healthz(request):
    """200 while the database answers (a cache or replica outage only degrades speed), 503 when it does not.
    The replica's state is reported beside: "absent" (none configured), "ok" with its replay lag in seconds, or
    "down" (then reads go to the primary for a while, smartcity/replica.py)."""
    database, cache_state = _database_ok(), _cache_ok()
    body = {
        "status": "ok" if database else "unavailable",
        "database": "ok" if database else "unreachable",
        "cache": "ok" if cache_state else "unreachable",
        **replica.state(),
    }
    return JsonResponse(body, status=200 if database else 503)
