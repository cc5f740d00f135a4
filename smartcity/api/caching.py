"""Cached API lists for the callers the page cache cannot serve: partner systems calling with their keys.

The page cache (smartcity/middleware.py) answers anonymous requests before any middleware runs, so it must pass
by any request that carries credentials. Here DRF has already authenticated the key, checked permissions and
counted the throttle; only then is a list read from the cache: the answer as it was sent (rendered, compressed
in the caller's coding), so a hit renders nothing. A miss marks the request, and PublicCacheMiddleware keeps
the answer once every middleware has finished it. Entries are keyed by the caller's audience (a partner's
answer may include its own unpublished MoUs, so it is never served to anyone else) and kept under the versions
of the families the list reads (smartcity/cache.py).
"""

from django.utils.cache import patch_vary_headers

from smartcity import cache as public_cache
from smartcity.middleware import thawed


class CachedListMixin:
    def list(self, request, *args, **kwargs):
        key = public_cache.api_list_key(request)
        if key is None:
            return super().list(request, *args, **kwargs)
        where = public_cache.route(request.path_info, request.LANGUAGE_CODE)
        found = public_cache.lookup(key, public_cache.families_for(where.view, where.declared))
        if found.value is not None:
            response = thawed(found.value, "hit")
            response.kept_vary = response.get("Vary", "")  # DRF's finalize_response sets its own Vary
            return response
        request._request.public_cache_keyed = (key, where.view, found)
        reads = getattr(request._request, "public_cache_reads", None)
        if reads is not None:  # what the answer depends on is read from here on (not the key check's rows)
            reads.tables.clear()
        response = super().list(request, *args, **kwargs)
        response["X-Cache"] = "miss"
        return response

    def finalize_response(self, request, response, *args, **kwargs):
        response = super().finalize_response(request, response, *args, **kwargs)
        kept = getattr(response, "kept_vary", "")
        if kept:
            patch_vary_headers(response, [v.strip() for v in kept.split(",") if v.strip()])
        return response
