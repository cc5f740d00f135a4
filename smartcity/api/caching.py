"""Cached API lists for the callers the page cache cannot serve: partner systems calling with their keys.

The page cache (smartcity/middleware.py) answers anonymous requests before any middleware runs, so it must pass
by any request that carries credentials. Here DRF has already authenticated the key, checked permissions and
counted the throttle; only then is a list read from the cache: the answer as it was sent (rendered, compressed
in the caller's coding), so a hit renders nothing. A miss marks the request, and PublicCacheMiddleware keeps
the answer once every middleware has finished it. Entries are kept per key (a partner's answer may include its
own unpublished MoUs, so it is never served to anyone else) and under the versions of the families the list reads
(smartcity/cache.py).

A hit is answered before the middleware too (`kept_answer`, called by PublicCacheMiddleware): the same checks as
DRF's, in the same order (the key, from its kept check; the view's permissions; its throttles, counted once), each
from the cache alone, in two round trips (the key's check, the failure budget and the entry; the throttle).
Whatever they cannot decide alone (a key not checked within the minute, a last use to record, an address over its
failure budget, a refusal, a miss) goes through the whole stack as before.
"""

from functools import lru_cache

from django.core.exceptions import DisallowedHost
from django.urls import Resolver404, resolve
from django.utils.cache import patch_vary_headers
from rest_framework import exceptions

from smartcity import cache as public_cache
from smartcity.middleware import thawed

from .authentication import NotKept


class CachedListMixin:
    def list(self, request, *args, **kwargs):
        key = public_cache.api_list_key(request)
        if key is None:
            return super().list(request, *args, **kwargs)
        where = public_cache.route(request.path_info, request.LANGUAGE_CODE)
        found = public_cache.lookup(key, public_cache.families_for(where.view, where.declared), view=where.view)
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


@lru_cache(maxsize=1024)
def _cached_list(path: str):
    """The viewset list at `path` whose answers are cached here (view function, args, kwargs), else None."""
    try:
        match = resolve(path)
    except Resolver404:
        return None
    view_class = getattr(match.func, "cls", None)
    actions = getattr(match.func, "actions", None) or {}
    if view_class is None or not issubclass(view_class, CachedListMixin) or actions.get("get") != "list":
        return None
    return match.func, match.args, match.kwargs


def kept_answer(request):
    """A credentialed API list's cached answer, served before any middleware ran, or None for the whole stack.

    The view is set up as DRF's `as_view` does, and asked what `initial()` would ask: the caller's credentials
    (an authentication class's `kept_plan` names the cache keys its check is kept under, read in the entry's round
    trip; `authenticate_kept` judges them), then, once an entry is found, the view's permissions and throttles
    (counted here, once: a hit is not seen again). Entries are the key's own (`entry_owner`), so the key names its
    entry before it is checked; nothing is served unless the check passes."""
    listed = _cached_list(request.path_info)
    if listed is None:
        return None
    func, args, kwargs = listed
    view = func.cls(**func.initkwargs)
    view.action_map, view.action = func.actions, "list"
    view.args, view.kwargs, view.format_kwarg, view.headers = args, kwargs, None, {}
    language = public_cache.path_language(request.path_info)  # as LocaleMiddleware picks it for /api/
    try:
        drf_request = view.request = view.initialize_request(request)
        for authenticator in drf_request.authenticators:
            kept_plan = getattr(authenticator, "kept_plan", None)
            if kept_plan is None:  # a class that cannot tell from the cache (a session): the whole stack decides
                return None
            plan = kept_plan(drf_request)
            if plan is not None:
                break
        else:
            return None
        owner, kept_keys = plan
        key = public_cache.api_list_key(request, language, owner)  # Django's request: no DRF proxy per attribute
        if key is None:
            return None
        where = public_cache.route(request.path_info, language)
        families = public_cache.families_for(where.view, where.declared)
        found = public_cache.lookup(key, families, also=kept_keys, view=where.view)
        if found.value is None:
            return None
        drf_request.user, drf_request.auth = authenticator.authenticate_kept(drf_request, found.also)
        view.check_permissions(drf_request)
        view.check_throttles(drf_request)
    except (NotKept, exceptions.APIException, DisallowedHost):
        return None  # the whole stack answers it: with its error, or with what the cache could not decide
    finally:
        request.__dict__.pop("user", None)  # DRF set it on the request: AuthenticationMiddleware sets its own
    return found.value
