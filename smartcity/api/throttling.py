"""Request budgets, counted atomically in the cache (Redis INCR), and the one rule for a caller's address.

DRF's own throttles keep a list of timestamps that each request reads and writes back: concurrent requests
read the same list and undercount. Here every budget is a counter per window that the cache increments in
one step (`cache.add` then `cache.incr`: SET NX EX and INCRBY on Redis, a lock on the local-memory cache),
so no request is ever left uncounted. A cache that fails (Redis down) lets requests through: like the page
cache, it costs protection for a while, never an error.

The caller's address follows TRUSTED_PROXY_COUNT (REST_FRAMEWORK["NUM_PROXIES"]): with no trusted proxy,
X-Forwarded-For is ignored and the socket's address counts; behind N proxies, the address the Nth proxy from
the right saw. django-axes resolves addresses with the same function (AXES_CLIENT_IP_CALLABLE).

Budgets and repeat guards count a caller by `client_address`: that address, with an IPv6 address reduced to its
/64 (one household's or one machine's prefix: a host picks any of its 2^64 addresses at will, so counting them
one by one counts nothing). Never by a browser's own strings (User-Agent, cookies), which a robot changes freely.
"""

import ipaddress

from django.core.cache import cache
from rest_framework import throttling
from rest_framework.settings import api_settings


def client_ip(request) -> str:
    """The caller's address, trusting X-Forwarded-For only as far as TRUSTED_PROXY_COUNT proxies wrote it."""
    return throttling.BaseThrottle().get_ident(request)


def client_address(request) -> str:
    """The caller as budgets and repeat guards count it: its address (`client_ip`), an IPv6 one as its /64.
    Worked out once per request (a cached API list's answer asks three times: smartcity/api/caching.py)."""
    django_request = getattr(request, "_request", request)  # DRF's Request wraps Django's
    known = vars(django_request).get("_client_address")
    if known is None:
        known = django_request._client_address = _address(client_ip(request) or "")
    return known


def _address(ip: str) -> str:
    try:
        parsed = ipaddress.ip_address(ip)
    except ValueError:
        return ip
    if isinstance(parsed, ipaddress.IPv6Address):
        if parsed.ipv4_mapped is not None:
            return str(parsed.ipv4_mapped)
        return str(ipaddress.IPv6Network((parsed, 64), strict=False))
    return str(parsed)


# INCR, and the window's expiry set by the hit that opens it, in one atomic step (a Lua script runs alone).
COUNT_SCRIPT = """
local count = redis.call('INCR', KEYS[1])
if count == 1 then redis.call('EXPIRE', KEYS[1], ARGV[1]) end
return count
"""
_count_script = None


def count_hit(key: str, window: int) -> int | None:
    """Add one to the counter `key` of a `window`-second window; its new value (None if the cache is away).
    On Redis, one round trip and one reply (COUNT_SCRIPT, sent by its hash once Redis knows it); elsewhere
    `cache.add` then `cache.incr`."""
    global _count_script  # noqa: PLW0603 - the script's hash, computed once per process
    client = _redis_client()
    if client is not None:
        try:
            if _count_script is None:
                _count_script = client.register_script(COUNT_SCRIPT)
            return _count_script(keys=[cache.make_key(key)], args=[window], client=client)
        except Exception:  # noqa: BLE001 (Redis away: requests pass, as with IGNORE_EXCEPTIONS)
            return None
    cache.add(key, 0, timeout=window)  # starts the window; a no-op while one is open
    try:
        return cache.incr(key)
    except ValueError:  # the window closed between add and incr: this hit opens the next one
        cache.add(key, 1, timeout=window)
        return 1


def _redis_client():
    """The raw Redis client behind the cache (django-redis), or None for another backend."""
    get_client = getattr(getattr(cache, "client", None), "get_client", None)
    return get_client(write=True) if get_client else None


def hits(key: str) -> int:
    return cache.get(key) or 0


def seconds_left(key: str, window: int) -> int:
    ttl = getattr(cache, "ttl", None)  # django-redis knows a key's time to live; the local cache does not
    left = ttl(key) if ttl else None
    return left if isinstance(left, int) and left > 0 else window


class CounterThrottle(throttling.SimpleRateThrottle):
    """A fixed-window budget of `rate` requests per caller, counted atomically (see the module)."""

    def get_rate(self):
        return api_settings.DEFAULT_THROTTLE_RATES.get(self.scope)  # read per request: settings overrides apply

    def allow_request(self, request, view):
        self.rate = self.get_rate()
        if self.rate is None:
            return True
        self.num_requests, self.duration = self.parse_rate(self.rate)
        self.key = self.get_cache_key(request, view)
        if self.key is None:
            return True
        count = count_hit(self.key, self.duration)
        return count is None or count <= self.num_requests

    def wait(self):
        return seconds_left(self.key, self.duration)


class AnonymousRateThrottle(CounterThrottle):
    """Anonymous callers, per address. Callers with an audience of their own (a partner's key, which has its own
    budget: partnerships.authentication.PartnerKeyRateThrottle) and signed-in staff are not counted here."""

    scope = "anon"

    def get_cache_key(self, request, view):
        from ..cache import audience

        if audience(request.user) != "public":
            return None
        return self.cache_format % {"scope": self.scope, "ident": client_address(request)}


class DownloadRateThrottle(CounterThrottle):
    """Whole-table downloads by anonymous callers, per address (DEFAULT_THROTTLE_RATES["download"])."""

    scope = "download"

    def get_cache_key(self, request, view):
        if request.user.is_authenticated:
            return None
        return self.cache_format % {"scope": self.scope, "ident": client_address(request)}


class FailedAuthenticationThrottle(CounterThrottle):
    """Failed credentials on the API (HTTP Basic, API keys), per address. Checked before any credential is
    verified, so an address over its budget costs no password hash (DEFAULT_THROTTLE_RATES["failed_auth"])."""

    scope = "failed_auth"

    def get_cache_key(self, request, view=None):
        return self.cache_format % {"scope": self.scope, "ident": client_address(request)}

    def budget_key(self, request) -> str | None:
        """The counter of this address's failures, or None when failures are not limited."""
        self.rate = self.get_rate()
        if self.rate is None:
            return None
        self.num_requests, self.duration = self.parse_rate(self.rate)
        self.key = self.get_cache_key(request)
        return self.key

    def exhausted(self, request, count: int | None = None) -> bool:
        """Whether this address has used its budget of failures, without counting this request (`count`: the
        counter as already read, e.g. in a batch with other reads)."""
        key = self.budget_key(request)
        if key is None:
            return False
        return (hits(key) if count is None else count) >= self.num_requests

    def record_failure(self, request) -> None:
        if self.get_rate() is not None:
            self.num_requests, self.duration = self.parse_rate(self.get_rate())
            count_hit(self.get_cache_key(request), self.duration)
