"""Middleware of the portal."""

from django.core.cache import cache

from . import cache as public_cache


class PublicCacheMiddleware:
    """Serve anonymous GETs of public pages and API lists from the public cache (smartcity/cache.py).

    A cache that fails (Redis down) only costs speed: the response is built from the database."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not public_cache.is_cacheable_request(request):
            return self.get_response(request)
        version = public_cache.current_version()
        key = public_cache.response_key(request, version)
        cached = cache.get(key)
        if cached is not None:
            cached["X-Cache"] = "hit"
            return cached
        response = self.get_response(request)
        if response.status_code == 200 and not response.cookies and not response.streaming:
            cache.set(key, response, public_cache.timeout(version))
        response["X-Cache"] = "miss"
        return response
