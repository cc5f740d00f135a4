"""Middleware of the portal."""

from . import cache as public_cache


class PublicCacheMiddleware:
    """Serve anonymous GETs of public pages and API lists from the public cache (smartcity/cache.py).

    A cache that fails (Redis down) only costs speed: the response is built from the database."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not public_cache.is_cacheable_request(request):
            return self.get_response(request)
        key = public_cache.response_key(request)
        version, cached = public_cache.lookup(key)
        if cached is not None:
            cached["X-Cache"] = "hit"
            return cached
        response = self.get_response(request)
        if response.status_code == 200 and not response.cookies and not response.streaming:
            public_cache.store(key, version, response)
        response["X-Cache"] = "miss"
        return response
