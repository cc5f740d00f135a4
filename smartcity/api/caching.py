"""Cached API lists for the callers the page cache cannot serve: partner systems calling with their keys.

The page cache (smartcity/middleware.py) answers anonymous requests before DRF runs, so it must pass by any
request that carries credentials. Here DRF has already authenticated the key, checked permissions and
counted the throttle; only then is a list read from the cache. Entries belong to the public-cache
generation (a save starts a new one; the next embargo ends them) and to the caller's audience, so a
partner's answer, which may include its own unpublished MoUs, is never served to anyone else.
"""

from rest_framework.response import Response

from smartcity import cache as public_cache


class CachedListMixin:
    def list(self, request, *args, **kwargs):
        key = public_cache.api_list_key(request)
        if key is None:
            return super().list(request, *args, **kwargs)
        version, data = public_cache.lookup(key)
        if data is not None:
            return Response(data, headers={"X-Cache": "hit"})
        response = super().list(request, *args, **kwargs)
        if response.status_code == 200:
            public_cache.store(key, version, response.data)
        response["X-Cache"] = "miss"
        return response
