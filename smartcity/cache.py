"""The public cache: anonymous GET responses of pages and API lists, kept in Redis.

Each entry carries the portal-wide version (generation) it was made in; every save or delete of a record
starts a new one when its transaction commits (signals, connected in SmartcityConfig.ready), and an entry of
an older generation is a miss. An answer is stored only if it cannot predate the generation it is stored
under: the generation must be the one read when the request began, and, for an answer read from the replica,
older than REPLICA_PIN_SECONDS (the replica may not have replayed the change that started it). Entries
expire no later than the next embargo lifts, so a cached page never shows a stale record nor hides one whose
publish-from moment has come. A lookup reads the version and the entry in one round trip to Redis.
"""

import hashlib
import logging
import time
import uuid
from functools import cache as once

from django.apps import apps
from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.db.models import Min
from django.urls import Resolver404, resolve
from django.utils import timezone
from django.utils.http import urlencode
from django_http_compression.middleware import best_coding

from . import replica
from .models import PublishableModel

logger = logging.getLogger(__name__)

VERSION_KEY = "public-cache:version"
CACHED_APPS = ("pillars", "partnerships", "evaluations")


def new_version(started: float | None = None) -> str:
    """A generation: when it started (milliseconds since the epoch, for its age) and a random part."""
    return f"{int((time.time() if started is None else started) * 1000)}-{uuid.uuid4().hex}"


def version_age(version: str) -> float:
    """Seconds since the generation started (infinite for one of an older format: it is old)."""
    started, _, rest = version.partition("-")
    return time.time() - int(started) / 1000 if rest and started.isdigit() else float("inf")


def current_version() -> str:
    version = cache.get(VERSION_KEY)
    if version is None:  # never set, evicted or flushed: a fresh generation, which no change started (so "old")
        version = new_version(started=0)
        cache.set(VERSION_KEY, version, timeout=None)
    return version


def invalidate(**kwargs) -> None:
    """Start a new generation: every entry cached so far becomes unreachable (and expires on its own)."""
    cache.set(VERSION_KEY, new_version(), timeout=None)


def invalidate_on_commit(sender=None, using=None, **kwargs) -> None:
    """A record changed: a new generation once the change is committed (before, a request could read the old
    row and store it under the new generation; at once, in autocommit)."""
    transaction.on_commit(invalidate, using=using)


def seconds_until_next_embargo(now=None) -> float | None:
    """Seconds until the earliest future publish-from moment of any publishable record, if there is one."""
    now = now or timezone.now()
    moments = [
        model.objects.filter(publish_from__gt=now).aggregate(next=Min("publish_from"))["next"]
        for model in apps.get_models()
        if issubclass(model, PublishableModel)
    ]
    upcoming = [m for m in moments if m]
    return (min(upcoming) - now).total_seconds() if upcoming else None


def timeout(version: str) -> int:
    """How long a fresh entry may live: PUBLIC_CACHE_SECONDS, cut short by the next embargo (looked up once
    per generation, since only a save can bring an embargo forward, and a save starts a new generation)."""
    key = f"public-cache:{version}:next-embargo"
    moment = cache.get(key)
    if moment is None:
        embargo = seconds_until_next_embargo()
        moment = timezone.now().timestamp() + embargo if embargo is not None else float("inf")
        cache.set(key, moment, timeout=settings.PUBLIC_CACHE_SECONDS)
    remaining = moment - timezone.now().timestamp()
    return max(1, int(min(settings.PUBLIC_CACHE_SECONDS, remaining)))


def lookup(key: str):
    """(the current version, the value cached under `key` in that version or None), in one round trip."""
    found = cache.get_many([VERSION_KEY, key])
    version = found.get(VERSION_KEY) or current_version()
    entry = found.get(key)
    return version, (entry[1] if entry is not None and entry[0] == version else None)


def storable(version: str) -> bool:
    """Whether an answer computed since `version` was read may be kept under it: no change was committed
    meanwhile, and an answer read from the replica was not read soon after a change (it may predate it)."""
    if cache.get(VERSION_KEY) != version:
        return False
    return not replica.reading() or version_age(version) >= settings.REPLICA_PIN_SECONDS


def store(key: str, version: str, value) -> bool:
    """Keep `value` under `key` in generation `version` (read when the request began), if it may be kept."""
    if not storable(version):
        return False
    cache.set(key, (version, value), timeout(version))
    return True


# Query parameters read outside FilterSets: page numbers, downloads, DRF's pages, ordering and format, the
# schema's language, the open-data catalogue's filters (smartcity/views.py). Whatever else a request carries
# changes no page, so it must not make a new entry.
PLAIN_PARAMETERS = {
    "page",
    "download",
    "limit",
    "offset",
    "ordering",
    "format",
    "lang",
    "version",
    "brief",
    "topic",
    "opd",
}


def _filter_names(filterset_class) -> set[str]:
    return set(filterset_class.base_filters)


@once
def read_parameters() -> frozenset[str]:
    """Every query parameter some page or API list of the portal reads: its FilterSets' filters and the above."""
    from django_filters import FilterSet

    names, pending = set(PLAIN_PARAMETERS), [FilterSet]
    while pending:
        filterset_class = pending.pop()
        pending.extend(filterset_class.__subclasses__())
        names |= _filter_names(filterset_class)
    return frozenset(names)


def view_parameters(path: str) -> frozenset[str]:
    """The query parameters the view at `path` reads: an API viewset's own filters, pages, ordering and
    format; for other views, every parameter some view of the portal reads."""
    try:
        view = resolve(path).func
    except Resolver404:  # a page outside the URL patterns (a 404 page): keep every parameter any view reads
        return read_parameters()
    view_class = getattr(view, "cls", None)
    filterset_class = getattr(view_class, "filterset_class", None)
    if filterset_class is None:
        return read_parameters()
    # A viewset names the parameters its actions read beside its filters (e.g. a map view's bbox and zoom).
    own = frozenset(getattr(view_class, "query_parameters", ()))
    return frozenset(_filter_names(filterset_class) | PLAIN_PARAMETERS | own)


def known(name: str, names: frozenset[str]) -> bool:
    # Range and multi-widget filters read `<name>_min`, `<name>_after`, `<name>_0`...
    return name in names or name.rsplit("_", 1)[0] in names


def canonical_query(request) -> str:
    """The query string as far as the page reads it: known parameters only, in a fixed order."""
    if not request.GET:
        return ""
    names = view_parameters(request.path_info)
    return urlencode(sorted((k, v) for k, v in request.GET.lists() if known(k, names)), doseq=True)


def response_key(request) -> str:
    query = canonical_query(request)
    parts = [
        request.get_host(),
        request.path,
        query,
        request.LANGUAGE_CODE,
        request.META.get("HTTP_ACCEPT", ""),
        best_coding(request.META.get("HTTP_ACCEPT_ENCODING", "")),  # entries are stored compressed
    ]
    return f"public-cache:page:{hashlib.sha256('|'.join(parts).encode()).hexdigest()}"


def audience(user) -> str | None:
    """Whose view of the records a caller has: the caller's own `cache_audience` when its user object names one
    (a partner's API key: public rows plus its own, partnerships.authentication.PartnerKeyUser), "public" for
    anonymous callers, and None for signed-in users, whose permissions may show them drafts."""
    own = getattr(user, "cache_audience", None)
    if own:
        return own
    return None if user.is_authenticated else "public"


def api_list_key(request) -> str | None:
    """The key of an API list answer to this caller once DRF has authenticated it, or None when the answer
    must not be shared (the cache is off, or the caller is signed in)."""
    who = audience(request.user)
    if not settings.PUBLIC_CACHE_SECONDS or who is None:
        return None
    parts = [who, request.get_host(), request.path, canonical_query(request), request.LANGUAGE_CODE]
    return f"public-cache:api:{hashlib.sha256('|'.join(parts).encode()).hexdigest()}"


def is_cacheable_request(request) -> bool:
    """Anonymous GETs of public paths; never the admin, health checks, or calls carrying credentials."""
    if not settings.PUBLIC_CACHE_SECONDS:
        return False
    if request.method not in ("GET", "HEAD") or "HTTP_AUTHORIZATION" in request.META:
        return False
    if request.user.is_authenticated:
        return False
    path = request.path_info
    return not any(part in path for part in settings.PUBLIC_CACHE_EXCLUDED_PATHS)


def connect_invalidation() -> None:
    """Bump the version whenever a row of our apps is saved, deleted or relinked (the one allowed use of signals),
    once the change commits. History rows (simple-history's Historical* models) are written beside the record
    they copy, whose own save starts the new generation."""
    from django.db.models.signals import m2m_changed, post_delete, post_save
    from simple_history.models import HistoricalChanges

    for signal in (post_save, post_delete, m2m_changed):
        for app_label in CACHED_APPS:
            for model in apps.get_app_config(app_label).get_models():
                if getattr(model, "public_cache_ignores", False) or issubclass(model, HistoricalChanges):
                    continue  # bookkeeping rows, not public data
                signal.connect(
                    invalidate_on_commit, sender=model, dispatch_uid=f"public-cache-{signal}-{model._meta.label}"
                )
