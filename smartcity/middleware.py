"""Middleware of the portal."""

import re
from http import HTTPStatus
from typing import NamedTuple

from django.conf import settings
from django.core.handlers.wsgi import WSGIRequest
from django.http import HttpResponse
from django.utils.cache import get_conditional_response
from django_http_compression.middleware import HttpCompressionMiddleware

from . import cache as public_cache

# A stored answer may vary only on what its key holds (Accept, Accept-Encoding), the language (taken from the
# URL, checked when it is stored) and Cookie (only requests without a session cookie are served from it).
STORABLE_VARY = frozenset({"accept", "accept-encoding", "accept-language", "cookie"})


# What PublicCacheFront looked up, handed to PublicCacheMiddleware on a miss through the request's WSGI environ
# (Django's handler makes its request's META of the same dict), so that a miss costs one lookup, not two.
PAGE_LOOKUP, KEYED_TRIED = "kotacerdas.public_cache.page", "kotacerdas.public_cache.keyed_tried"


class PageLookup(NamedTuple):
    language: str
    where: public_cache.Route
    key: str
    families: tuple[str, ...]
    found: public_cache.Lookup


def frozen(response) -> tuple:
    """What is kept of an answer: its status, headers and bytes (rebuilt into a plain HttpResponse on a hit)."""
    return (response.status_code, list(response.headers.items()), response.content)


def thawed(entry, state: str) -> HttpResponse:
    status, headers, content = entry
    response = HttpResponse(content, status=status, headers=dict(headers))
    response["X-Cache"] = state
    return response


def varies_only_as_kept(response) -> bool:
    vary = {v.strip().lower() for v in response.get("Vary", "").split(",") if v.strip()}
    return vary <= STORABLE_VARY


class PublicCacheMiddleware:
    """The public cache (smartcity/cache.py), first of the portal's middleware: an anonymous GET of a public
    page or API list is answered from Redis before sessions, locale, CSRF, authentication and conditional-get
    run; a miss goes through them all and the answer, as they left it (compressed, with its ETag and security
    headers), is kept.

    Served from the cache: GET and HEAD without credentials and without cookies other than the language and
    CSRF ones (a session cookie may be a signed-in user's), never the admin or health checks; the language is
    the URL's, as LocaleMiddleware picks it. Kept: a 200 that sets no cookie, to an anonymous caller, in the
    language the URL names, varying only on what the key holds. It also keeps a partner key's API list answer
    that CachedListMixin (smartcity/api/caching.py) marked, after DRF authenticated the key.

    A cache that fails (Redis down) only costs speed: the response is built from the database."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not self.applies(request):
            return self.get_response(request)
        page = request.META.pop(PAGE_LOOKUP, None) or self.page(request)  # the front's, when it missed
        if page is None:
            return self.keyed(request)
        language, where, key, families, found = page
        if found.value is not None:
            return self.hit(request, found.value, "hit")
        rebuilding = public_cache.claim(key)
        if not rebuilding:  # another worker rebuilds it: its previous answer if read just now, or wait for it
            if public_cache.fresh_enough(found.previous, found.read_at):
                return self.hit(request, found.previous[3], "stale")
            value = public_cache.wait_for(key, families, settings.PUBLIC_CACHE_WAIT_SECONDS)
            if value is not None:
                return self.hit(request, value, "hit")
        try:
            with public_cache.recording() as reads:
                response = self.get_response(request)
            if self.may_keep(request, response, language):
                read = reads.families()
                public_cache.learn(where.view, read)
                if public_cache.covered(read, families):
                    public_cache.store(key, found, frozen(response), getattr(request, "reads_replica", False))
        finally:
            if rebuilding:
                public_cache.release(key)
        response["X-Cache"] = "miss"
        return response

    @staticmethod
    def applies(request) -> bool:
        return request.method in ("GET", "HEAD") and bool(settings.PUBLIC_CACHE_SECONDS)

    @staticmethod
    def page(request) -> PageLookup | None:
        """The page-cache lookup of an anonymous-looking GET (its entry, if any, and what a miss keeps it
        under), or None for a request the page cache may not answer."""
        if not public_cache.is_cacheable_shape(request):
            return None
        language = public_cache.path_language(request.path_info)
        where = public_cache.route(request.path_info, language)
        key = public_cache.response_key(request, language, where.parameters)
        families = public_cache.families_for(where.view, where.declared)
        return PageLookup(language, where, key, families, public_cache.lookup(key, families, view=where.view))

    @classmethod
    def current_entry(cls, request):
        """The current kept answer to this request, from the cache alone, or None (PublicCacheFront). What was
        looked up is left on the request's WSGI environ, so that on a miss this middleware, run by Django's
        handler on the same environ, does not look it up again."""
        if not cls.applies(request):
            return None
        page = cls.page(request)
        if page is not None:
            request.META[PAGE_LOOKUP] = page
            return page.found.value
        if "HTTP_AUTHORIZATION" not in request.META:
            return None
        from .api.caching import kept_answer  # noqa: PLC0415 (it builds on this module)

        request.META[KEYED_TRIED] = True
        return kept_answer(request)

    @staticmethod
    def hit(request, entry, state: str):
        """The kept answer, or a 304 when the browser has it (as ConditionalGetMiddleware would answer)."""
        response = thawed(entry, state)
        etag = response.get("ETag")
        if etag and "HTTP_IF_NONE_MATCH" in request.META:
            return get_conditional_response(request, etag=etag, response=response)
        return response

    @staticmethod
    def may_keep(request, response, language: str) -> bool:
        user = getattr(request, "user", None)
        return (
            response.status_code == 200
            and not response.streaming
            and not response.cookies
            and not response.has_header("Set-Cookie")
            and (user is None or not user.is_authenticated)
            and getattr(request, "LANGUAGE_CODE", language) == language
            and varies_only_as_kept(response)
        )

    def keyed(self, request):
        """A request the page cache may not answer. A credentialed API list (a partner's key) is answered from
        the key's own entry when the cache alone can check the credentials (smartcity/api/caching.py); one that
        CachedListMixin found missing is kept here once every middleware has finished it (compressed, as sent)."""
        if "HTTP_AUTHORIZATION" in request.META and not request.META.pop(KEYED_TRIED, False):
            from .api.caching import kept_answer  # noqa: PLC0415 (it builds on this module)

            entry = kept_answer(request)
            if entry is not None:
                return self.hit(request, entry, "hit")
        with public_cache.recording() as reads:
            request.public_cache_reads = reads  # CachedListMixin forgets what the key check read
            response = self.get_response(request)
        marked = getattr(request, "public_cache_keyed", None)
        if marked is None:
            return response
        key, view, found = marked
        if response.status_code == 200 and not response.streaming and not response.cookies:
            read = reads.families()
            public_cache.learn(view, read)
            if public_cache.covered(read, found.families):
                public_cache.store(key, found, frozen(response), getattr(request, "reads_replica", False))
        return response


class PublicCacheFront:
    """The WSGI application in front of Django's handler (smartcity/wsgi.py): a current public-cache entry
    (PublicCacheMiddleware.current_entry: the same lookup and rules, a partner key's list included) is sent
    from here, before Django's handler runs: no request signals (they only recycle database connections, which
    a hit does not use), no HttpResponse rebuilt. Everything else (a miss, a stale entry, a request the cache may
    not answer, anything that raises) goes to Django's handler, whose PublicCacheMiddleware answers or keeps it
    with what was looked up here. A warm hit took 0.52 ms in-process answered by the middleware, 0.39 ms here
    (docs/operating/performance.md)."""

    def __init__(self, handler):
        self.handler = handler

    def __call__(self, environ, start_response):
        entry = None
        if environ.get("REQUEST_METHOD") in ("GET", "HEAD") and settings.PUBLIC_CACHE_SECONDS:  # else no request made
            try:
                request = WSGIRequest(environ)
                entry = PublicCacheMiddleware.current_entry(request)
            except Exception:  # noqa: BLE001 - a bad Host, say: Django's handler answers it as it answers any error
                entry = None
        if entry is None:
            return self.handler(environ, start_response)
        if "HTTP_IF_NONE_MATCH" in environ:  # a 304 when the browser has it, as the middleware answers
            response = PublicCacheMiddleware.hit(request, entry, "hit")
            start_response(f"{response.status_code} {response.reason_phrase}", list(response.items()))
            return [response.content]
        status, headers, content = entry
        headers = [(name, value) for name, value in headers if name.lower() != "x-cache"]
        headers.append(("X-Cache", "hit"))
        start_response(f"{status} {HTTPStatus(status).phrase}", headers)
        return [] if environ["REQUEST_METHOD"] == "HEAD" else [content]  # HEAD: the headers (Content-Length too)


class CompressionMiddleware(HttpCompressionMiddleware):
    """Compress HTML, JSON, GeoJSON and CSV answers (zstd, brotli or gzip, whichever the client prefers;
    django-http-compression), streamed downloads included, but never an answer that may put a secret beside
    input the request chose (BREACH): a compressed answer's length would let an attacker who can make a
    victim's browser send requests guess the secret a character at a time. So nothing is compressed

    - for a signed-in user or a caller with credentials a browser sends on its own (a session cookie, HTTP
      Basic): their answers may show drafts, personal data, beside the filters the request reflects;
    - under the admin (`COMPRESSION_EXCLUDED_PATHS`: it shows a new partner key once, and echoes searches);
    - when the page carries a CSRF token (any page with a form that posts).

    A partner's API key is compressed like public data: it travels in an `Authorization: Api-Key` header that
    only the partner's own system sets (no browser adds it to a request an attacker makes it send), and its
    answers reflect no secret (the key itself is never echoed). What remains is the same for every caller of
    one audience. The public cache (smartcity/middleware.py) keeps answers as this middleware leaves them.

    The API schema is the exception: one document for every caller (its view marks it `same_for_everyone`), with
    nothing secret in it, so it is compressed for signed-in staff too."""

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
    if carries_csrf_token(request, response):
        return False
    credentials = request.META.get("HTTP_AUTHORIZATION")
    if credentials is not None and not credentials.startswith("Api-Key "):
        return False
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated:
        return False
    return not any(part in request.path_info for part in settings.COMPRESSION_EXCLUDED_PATHS)


def carries_csrf_token(request, response) -> bool:
    """Whether the view put a CSRF token in the page: `get_token()` flags the request until CsrfViewMiddleware
    (outside this one) sets the cookie; a view decorated with `csrf_protect` has set it already."""
    return bool(request.META.get("CSRF_COOKIE_NEEDS_UPDATE")) or settings.CSRF_COOKIE_NAME in response.cookies
