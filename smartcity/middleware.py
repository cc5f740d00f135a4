"""Middleware of the portal."""

import re

from django.conf import settings
from django_http_compression.middleware import HttpCompressionMiddleware

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


class CompressionMiddleware(HttpCompressionMiddleware):
    """Compress HTML, JSON, GeoJSON and CSV answers (zstd, brotli or gzip, whichever the client prefers;
    django-http-compression), streamed downloads included, but never an answer that may put a secret beside
    input the request chose (BREACH): a compressed answer's length would let an attacker who can make a
    victim's browser send requests guess the secret a character at a time. So nothing is compressed

    - for a signed-in user or a caller with credentials (their answers may show drafts, a partner's own MoUs,
      personal data, beside the filters the request reflects);
    - under the admin (`COMPRESSION_EXCLUDED_PATHS`: it shows a new partner key once, and echoes searches);
    - when the page carries a CSRF token (any page with a form that posts).

    The API schema is the exception: one document for every caller (its view marks it `same_for_everyone`), with
    nothing secret in it, so it is compressed for signed-in staff too.

    What remains is public data only, the same for every caller, where there is nothing to guess. It runs
    inside the public cache (smartcity/cache.py keys entries by the coding), so a hit is served compressed
    without compressing again."""

    # The API schema's own media types too (application/vnd.oai.openapi, +json): 845 KB of YAML, 25 KB in brotli.
    content_type_re = re.compile(
        rf"{HttpCompressionMiddleware.content_type_re.pattern} | ^application/vnd\.oai\.openapi(?:\+json)?$",
        HttpCompressionMiddleware.content_type_re.flags,
    )

    def maybe_compress(self, request, response) -> None:
        if may_compress(request, response):
            super().maybe_compress(request, response)


def may_compress(request, response) -> bool:
    if getattr(response, "same_for_everyone", False):  # the API schema: the one answer for every caller
        return True
    if carries_csrf_token(request, response) or "HTTP_AUTHORIZATION" in request.META:
        return False
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated:
        return False
    return not any(part in request.path_info for part in settings.COMPRESSION_EXCLUDED_PATHS)


def carries_csrf_token(request, response) -> bool:
    """Whether the view put a CSRF token in the page: `get_token()` flags the request until CsrfViewMiddleware
    (outside this one) sets the cookie; a view decorated with `csrf_protect` has set it already."""
    return bool(request.META.get("CSRF_COOKIE_NEEDS_UPDATE")) or settings.CSRF_COOKIE_NAME in response.cookies
