"""The public cache: anonymous GET responses of pages and API lists, and partner-key API lists, kept in Redis.

Invalidation by what changed. Every model of our apps belongs to a *family* (its own label, or the one it names
in `public_cache_family`; a many-to-many table belongs to its owner's); each family has a version in Redis, and
a save, delete or relink of one of its rows starts a new version when its transaction commits (signals,
connected in SmartcityConfig.ready; history rows start none). An entry is kept with the *signature* of the
versions of the families its view reads, and is a miss once one of them moves. Which families a view reads is
learned from the SQL it runs (the tables of every query of a miss, `recording()`), per view and process: an
answer whose view read a family outside the signature it was looked up with is not stored (the next one is),
and a view that read no table of ours, or one of the bookkeeping tables that stand for every family, depends on
ALL, which every change bumps. So a progress report leaves the programs list and the map alone.

Bumps are coalesced: at most one new version per family per PUBLIC_CACHE_COALESCE_SECONDS (W, 1 s). The first
change of a window bumps at once; a later one in the same window leaves a *due* mark with the window's end,
and the first lookup after that moment bumps. Single-flight rebuilds: on a miss one worker rebuilds; the others
serve the previous entry when it was read from the database less than W ago (stale-while-revalidate), or wait
up to PUBLIC_CACHE_WAIT_SECONDS for the rebuilt one. The bound: an answer served at time t reflects every change
committed before t − W (before t at once when no other change of its families came in the previous W).

An answer is stored only if it cannot predate the signature it is stored under: the signature must be the one
read when the request began, and, for an answer read from the replica, its versions older than
REPLICA_PIN_SECONDS. Entries expire no later than the next embargo lifts (one UNION query per ALL version). A
lookup reads the versions, the due marks and the entry in one round trip. `invalidate()` starts a new epoch,
which every signature carries: every entry goes (clear_cache, an embargo lifted, bulk writes).
"""

import hashlib
import logging
import re
import time
import uuid
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass
from functools import cache as once
from functools import lru_cache

from django.apps import apps
from django.conf import settings
from django.core.cache import cache
from django.db import connection, connections, transaction
from django.urls import Resolver404, resolve
from django.utils import timezone, translation
from django.utils.http import urlencode
from django_http_compression.middleware import best_coding

from .discovery import project_apps
from .models import PublishableModel

logger = logging.getLogger(__name__)

VERSION_KEY = "public-cache:version"  # the epoch: a new one forgets every entry
ALL = "*"  # the family every change bumps


def new_version(started: float | None = None) -> str:
    """A version: when it started (milliseconds since the epoch, for its age) and a random part."""
    return f"{int((time.time() if started is None else started) * 1000)}-{uuid.uuid4().hex}"


def version_age(version: str) -> float:
    """Seconds since the version started (infinite for one of an older format: it is old)."""
    started, _, rest = version.partition("-")
    return time.time() - int(started) / 1000 if rest and started.isdigit() else float("inf")


def coalesce_seconds() -> float:
    return float(settings.PUBLIC_CACHE_COALESCE_SECONDS)


def _version_key(family: str) -> str:
    return f"public-cache:v:{family}"


def _due_key(family: str) -> str:
    return f"public-cache:due:{family}"


def _guard_key(family: str) -> str:
    return f"public-cache:guard:{family}"


# --- Families ---------------------------------------------------------------------------------------------


def family_of(model) -> str:
    """The family a model's rows are published with: a many-to-many table its owner's, else the model's own
    `public_cache_family` or label."""
    owner = model._meta.auto_created
    if owner:
        model = owner
    return getattr(model, "public_cache_family", None) or model._meta.label


@once
def table_families() -> dict[str, tuple[str, ...]]:
    """The families a read of each table of our apps depends on."""
    from simple_history.models import HistoricalChanges

    found = {}
    for config in project_apps():  # every app of the project, found, not named (smartcity/discovery.py)
        for model in config.get_models(include_auto_created=True):
            if issubclass(model, HistoricalChanges):  # a history row is written with the record it copies
                families = (family_of(model.instance_type),)
            elif getattr(model, "public_cache_reads_as", None):  # bookkeeping that stands for these families
                families = tuple(model.public_cache_reads_as)
            elif getattr(model, "public_cache_ignores", False):  # bookkeeping read as a whole: any change
                families = (ALL,)
            else:
                families = (family_of(model),)
            found[model._meta.db_table.lower()] = families
    return found


TABLE_RE = re.compile(r'\b(?:FROM|JOIN)\s+"?([A-Za-z0-9_]+)"?', re.IGNORECASE)


class Reads:
    """A database execute wrapper that notes the tables each query reads."""

    def __init__(self):
        self.tables = set()

    def __call__(self, execute, sql, params, many, context):
        self.tables.update(name.lower() for name in TABLE_RE.findall(sql))
        return execute(sql, params, many, context)

    def families(self) -> frozenset[str]:
        """The families the recorded queries read; ALL when they read no table of ours (a page built from files
        or settings, which no family's version follows)."""
        known = table_families()
        found = {family for table in self.tables for family in known.get(table, ())}
        return frozenset(found or {ALL})


@contextmanager
def recording():
    """Within the block, every query on every database connection is noted (`Reads`)."""
    reads = Reads()
    with ExitStack() as stack:
        for each in connections.all():
            stack.enter_context(each.execute_wrapper(reads))
        yield reads


_learned: dict[str, frozenset[str]] = {}  # per process: view -> families its answers were seen to read


def families_for(view: str, declared=()) -> tuple[str, ...]:
    """The families a view's answers are looked up by: what it was seen to read (ALL before it was seen)."""
    found = _learned.get(view, frozenset({ALL})) | frozenset(declared)
    return tuple(sorted(found))


def learn(view: str, read: frozenset[str]) -> None:
    if ALL in read:
        _learned[view] = frozenset({ALL})
    else:
        _learned[view] = (_learned.get(view, frozenset()) - {ALL}) | read


def covered(read: frozenset[str], families) -> bool:
    """Whether an answer that read these families may be kept under a signature of `families`."""
    return ALL in families or read <= frozenset(families)


def cache_families(*families: str):
    """Declare families a view depends on beyond its queries (e.g. ALL for a page built from files)."""

    def mark(view):
        view.cache_families = families
        return view

    return mark


# --- Versions and bumps -----------------------------------------------------------------------------------


def _start(family: str, now: float) -> None:
    """A new version of `family` (the guard for this window is held): the due mark goes first, so a change
    that marks it afterwards is not lost."""
    cache.delete(_due_key(family))
    cache.set(_version_key(family), new_version(now), timeout=None)


def bump(families) -> None:
    """A change of rows of these families committed: a new version of each (and of ALL), coalesced."""
    window = coalesce_seconds()
    for family in {*families, ALL}:
        now = time.time()
        if window <= 0 or cache.add(_guard_key(family), now + window, timeout=window):
            _start(family, now)
            continue
        until = cache.get(_guard_key(family))  # the window's end: the first lookup after it bumps
        cache.set(_due_key(family), until if until is not None else now, timeout=None)


def _flush_due(family: str, due: float, now: float) -> bool:
    """A lookup past a due mark's moment starts the version the coalesced change waited for."""
    if now < due:
        return False
    window = coalesce_seconds()
    if cache.add(_guard_key(family), now + max(window, 0.001), timeout=max(window, 0.001)):
        _start(family, now)
        return True
    return False  # another bump is under way (or was just made): its version follows the change


def invalidate(**kwargs) -> None:
    """A new epoch: every entry cached so far becomes unreachable (and expires on its own)."""
    cache.set(VERSION_KEY, new_version(), timeout=None)


def invalidate_on_commit(sender=None, using=None, **kwargs) -> None:
    """Rows changed: new versions once the change is committed (before, a request could read the old rows and
    store them under the new version; at once, in autocommit). From a signal, the sender's family (and, for a
    relink, the related model's); called alone (a queryset update or a bulk insert), a new epoch."""
    if sender is None:
        transaction.on_commit(invalidate, using=using)
        return
    families = {family_of(sender)}
    if kwargs.get("model") is not None:  # m2m_changed: the other side's model
        families.add(family_of(kwargs["model"]))
    transaction.on_commit(lambda: bump(families), using=using)


def _read_versions(families, found: dict) -> dict[str, str]:
    """The epoch and the families' versions from `found`; one that is missing (never set, evicted, flushed)
    is set to a fresh one that no change started (so "old"), the first writer winning."""
    keys = [VERSION_KEY, *(_version_key(f) for f in families)]
    missing = [k for k in keys if found.get(k) is None]
    if missing:
        for key in missing:
            cache.add(key, new_version(started=0), timeout=None)
        found = {**found, **cache.get_many(missing)}
    return {key: found.get(key) or "" for key in keys}


def _signature(versions: dict[str, str]) -> str:
    return ";".join(f"{key}={value}" for key, value in versions.items())


def signature(families) -> str:
    """The current signature of these families (with the epoch): what an entry of a view reading them is kept
    under. Due marks are not flushed here."""
    families = tuple(sorted(set(families)))
    keys = [VERSION_KEY, *(_version_key(f) for f in families)]
    return _signature(_read_versions(families, cache.get_many(keys)))


@dataclass
class Lookup:
    families: tuple[str, ...]  # what an answer built now is kept under
    signature: str
    read_at: float
    versions: dict
    value: object = None  # the entry, when it is current
    previous: object = None  # an entry that is not: (families, signature, read_at, value)
    also: dict = None  # the other keys asked for, read in the same round trip


def lookup(key: str, families, also=(), view: str | None = None) -> Lookup:
    """The current signature of `families` and the entry under `key`, in one round trip (two when a due mark's
    moment has come or a version is missing), with the cache keys `also` (a credential's kept check). An entry
    is current when the versions of the families it was kept under have not moved: ALL's are read too, so an
    answer kept before its view's families were learned still serves. An entry kept by a worker that learned
    more families of the view (this one is fresh, or the view's reads vary) is checked against their versions
    too, one more round trip (their due marks are left to the workers that read them), and this worker learns
    them for `view`: a fresh worker, or two whose learned families differ, would otherwise take each other's
    entries for misses and rebuild them in turn."""
    families = tuple(sorted(set(families)))
    fetched = tuple(sorted({*families, ALL}))
    now = time.time()
    keys = [VERSION_KEY, *(_version_key(f) for f in fetched), *(_due_key(f) for f in fetched), key, *also]
    found = cache.get_many(keys)
    flushed = [f for f in fetched if found.get(_due_key(f)) is not None and _flush_due(f, found[_due_key(f)], now)]
    if flushed:
        found = {**found, **cache.get_many([_version_key(f) for f in flushed])}
    versions = _read_versions(fetched, found)

    def signed(names) -> str:
        return _signature({k: versions[k] for k in (VERSION_KEY, *(_version_key(f) for f in sorted(names)))})

    result = Lookup(families, signed(families), now, versions, also={name: found.get(name) for name in also})
    entry = found.get(key)
    wider = tuple(family for family in entry[0] if family not in fetched) if entry is not None else ()
    if wider:
        more = cache.get_many([_version_key(family) for family in wider])
        versions.update(_read_versions(wider, {VERSION_KEY: versions[VERSION_KEY], **more}))
        if view is not None:
            learn(view, frozenset(wider))  # added to what it had learned (a fresh worker: to nothing)
    if entry is not None and entry[1] == signed(entry[0]):
        result.value = entry[3]
    elif entry is not None:
        result.previous = entry
    return result


def fresh_enough(entry, now: float | None = None) -> bool:
    """Whether an entry that is no longer current may still be served while its view is rebuilt: it was read
    from the database less than the coalescing window ago."""
    return entry is not None and ((now or time.time()) - entry[2]) < coalesce_seconds()


def storable(found: Lookup, replica_read: bool = False) -> bool:
    """Whether an answer computed since `found` was looked up may be kept under its signature: no change was
    committed meanwhile, and an answer read from the replica was not read soon after a change (it may predate
    it)."""
    if signature(found.families) != found.signature:
        return False
    if not replica_read:
        return True
    names = (VERSION_KEY, *(_version_key(f) for f in found.families))
    return min(version_age(found.versions[k]) for k in names) >= settings.REPLICA_PIN_SECONDS


def store(key: str, found: Lookup, value, replica_read: bool = False) -> bool:
    """Keep `value` under `key` with the signature read when the request began, if it may be kept."""
    if not storable(found, replica_read):
        return False
    cache.set(key, (found.families, found.signature, found.read_at, value), timeout())
    return True


# --- Single flight ----------------------------------------------------------------------------------------

REBUILD_SECONDS = 30  # a rebuild that takes longer (or a worker that died) lets another one try


def claim(key: str) -> bool:
    """Whether this worker rebuilds the entry (no other one is)."""
    return cache.add(f"{key}:rebuilding", 1, timeout=REBUILD_SECONDS)


def release(key: str) -> None:
    cache.delete(f"{key}:rebuilding")


def wait_for(key: str, families, seconds: float):
    """The rebuilt entry, waiting up to `seconds` for the worker that rebuilds it; None when it did not come."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        time.sleep(0.02)
        found = lookup(key, families)
        if found.value is not None:
            return found.value
    return None


# --- Embargoes --------------------------------------------------------------------------------------------


def seconds_until_next_embargo(now=None) -> float | None:
    """Seconds until the earliest future publish-from moment of any publishable record, if there is one: one
    query (the earliest of each model, in a UNION ALL) where the database allows it."""
    now = now or timezone.now()
    models = [model for model in apps.get_models() if issubclass(model, PublishableModel)]
    parts = [
        model.objects.filter(publish_from__gt=now).order_by("publish_from").values_list("publish_from", flat=True)[:1]
        for model in models
    ]
    if not parts:
        return None
    if connection.features.supports_slicing_ordering_in_compound:
        moments = list(parts[0].union(*parts[1:], all=True))
    else:
        moments = [moment for part in parts for moment in part]
    upcoming = [m for m in moments if m]
    return (min(upcoming) - now).total_seconds() if upcoming else None


def timeout() -> int:
    """How long a fresh entry may live: PUBLIC_CACHE_SECONDS, cut short by the next embargo (looked up once per
    version of ALL, since only a save can bring an embargo forward, and a save bumps ALL). Once that moment has
    passed, every entry may show the record it let out: the first store after it starts a new epoch (the answer
    it brings is not kept under the old one), so entries do not live a second each until the periodic job
    (smartcity.tasks.refresh_cache_for_lifted_embargoes) would start it."""
    key = f"public-cache:next-embargo:{hashlib.sha256(signature([ALL]).encode()).hexdigest()}"
    moment = cache.get(key)
    if moment is None:
        embargo = seconds_until_next_embargo()
        moment = timezone.now().timestamp() + embargo if embargo is not None else float("inf")
        cache.set(key, moment, timeout=settings.PUBLIC_CACHE_SECONDS)
    remaining = moment - timezone.now().timestamp()
    if remaining <= 0 and cache.add(f"{key}:lifted", 1, timeout=settings.PUBLIC_CACHE_SECONDS):
        invalidate()
    return max(1, int(min(settings.PUBLIC_CACHE_SECONDS, remaining)))


# --- Keys -------------------------------------------------------------------------------------------------

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


@dataclass(frozen=True)
class Route:
    view: str  # what families are learned by
    parameters: frozenset[str]  # the query parameters the view reads
    declared: tuple[str, ...] = ()


@lru_cache(maxsize=4096)
def route(path: str, language: str) -> Route:
    """The view at `path` (resolved in `language`, for the language prefix): its name, the query parameters it
    reads (an API viewset's own filters, pages, ordering and format; for other views, every parameter some
    view of the portal reads) and the families it declares."""
    try:
        with translation.override(language):
            match = resolve(path)
    except Resolver404:  # a page outside the URL patterns (a 404 page): keep every parameter any view reads
        return Route("", read_parameters(), (ALL,))
    view = match.func
    view_class = getattr(view, "cls", None) or getattr(view, "view_class", None)
    declared = tuple(getattr(view, "cache_families", ()) or getattr(view_class, "cache_families", ()))
    name = match.view_name or match._func_path
    filterset_class = getattr(view_class, "filterset_class", None)
    if filterset_class is None:
        return Route(name, read_parameters(), declared)
    # A viewset names the parameters its actions read beside its filters (e.g. a map view's bbox and zoom).
    own = frozenset(getattr(view_class, "query_parameters", ()))
    return Route(name, frozenset(_filter_names(filterset_class) | PLAIN_PARAMETERS | own), declared)


def view_parameters(path: str) -> frozenset[str]:
    return route(path, translation.get_language() or settings.LANGUAGE_CODE).parameters


def known(name: str, names: frozenset[str]) -> bool:
    # Range and multi-widget filters read `<name>_min`, `<name>_after`, `<name>_0`...
    return name in names or name.rsplit("_", 1)[0] in names


def canonical_query(request, names: frozenset[str] | None = None) -> str:
    """The query string as far as the page reads it: known parameters only, in a fixed order."""
    if not request.GET:
        return ""
    names = view_parameters(request.path_info) if names is None else names
    return urlencode(sorted((k, v) for k, v in request.GET.lists() if known(k, names)), doseq=True)


def path_language(path: str) -> str:
    """The language a page is served in: its URL prefix (/en/...), else the default (Indonesian), as
    LocaleMiddleware picks it with prefix_default_language=False."""
    return translation.get_language_from_path(path) or settings.LANGUAGE_CODE


def _coding(request) -> str:
    return best_coding(request.META.get("HTTP_ACCEPT_ENCODING", ""))  # entries are stored compressed


def response_key(request, language: str | None = None, names: frozenset[str] | None = None) -> str:
    language = language or getattr(request, "LANGUAGE_CODE", None) or path_language(request.path_info)
    parts = [
        request.get_host(),
        request.path,
        canonical_query(request, names),
        language,
        request.META.get("HTTP_ACCEPT", ""),
        _coding(request),
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


def entry_owner(user) -> str | None:
    """Whose entries a caller's answers are kept as: its credential's own when its user object names one (each
    partner key its own, known from the request's header before the key is checked: smartcity/api/caching.py),
    else its audience (None for signed-in users)."""
    who = audience(user)
    return who and (getattr(user, "cache_entry_owner", None) or who)


def api_list_key(request, language: str | None = None, owner: str | None = None) -> str | None:
    """The key of an API list answer to this caller once DRF has authenticated it, or None when the answer
    must not be shared (the cache is off, or the caller is signed in). The answer is kept as sent: rendered in
    the caller's format and compressed in its coding. Before DRF and LocaleMiddleware ran: `owner`, the
    credential's own `entry_owner`, and `language`, the one LocaleMiddleware picks."""
    who = owner or entry_owner(request.user)
    if not settings.PUBLIC_CACHE_SECONDS or who is None:
        return None
    parts = [
        who,
        request.get_host(),
        request.path,
        canonical_query(request),
        language or request.LANGUAGE_CODE,
        request.META.get("HTTP_ACCEPT", ""),
        _coding(request),
    ]
    return f"public-cache:api:{hashlib.sha256('|'.join(parts).encode()).hexdigest()}"


def harmless_cookies() -> frozenset[str]:
    """Cookies that change no public answer: the language choice (pages take theirs from the URL) and the CSRF
    cookie (a page that puts a token in sets the cookie, so it is never stored)."""
    return frozenset({settings.LANGUAGE_COOKIE_NAME, settings.CSRF_COOKIE_NAME})


def is_cacheable_shape(request) -> bool:
    """Anonymous-looking GETs of public paths, judged before any middleware ran: no credentials, no cookie but
    harmless ones (a session cookie may be a signed-in user's), never the admin or health checks."""
    if not settings.PUBLIC_CACHE_SECONDS:
        return False
    if request.method not in ("GET", "HEAD") or "HTTP_AUTHORIZATION" in request.META:
        return False
    if request.COOKIES and not set(request.COOKIES) <= harmless_cookies():
        return False
    if settings.SECURE_SSL_REDIRECT and not request.is_secure():  # SecurityMiddleware redirects it
        return False
    path = request.path_info
    if settings.STATIC_URL and path.startswith(settings.STATIC_URL):  # WhiteNoise's
        return False
    return not any(part in path for part in settings.PUBLIC_CACHE_EXCLUDED_PATHS)


def is_cacheable_request(request) -> bool:
    """Anonymous GETs of public paths; never the admin, health checks, or calls carrying credentials."""
    return is_cacheable_shape(request) and not request.user.is_authenticated


def connect_invalidation() -> None:
    """Bump the family's version whenever a row of our apps is saved, deleted or relinked (the one allowed use
    of signals), once the change commits. History rows (simple-history's Historical* models) are written
    beside the record they copy, whose own save bumps its family."""
    from django.db.models.signals import m2m_changed, post_delete, post_save
    from simple_history.models import HistoricalChanges

    for signal in (post_save, post_delete, m2m_changed):
        for config in project_apps():
            for model in config.get_models():
                if getattr(model, "public_cache_ignores", False) or issubclass(model, HistoricalChanges):
                    continue  # bookkeeping rows, not public data
                signal.connect(
                    invalidate_on_commit, sender=model, dispatch_uid=f"public-cache-{signal}-{model._meta.label}"
                )
