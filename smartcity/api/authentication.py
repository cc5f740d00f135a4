"""The API's credential schemes as far as the core knows them: HTTP Basic, and the failure budget.

Partner API keys (`Authorization: Api-Key <key>`) live in their app, partnerships/authentication.py, and
settings names them by string; they reuse FailureBudgetMixin.

Both credential schemes of the API (keys and HTTP Basic) count failures per address and refuse an address
over its budget before verifying anything (smartcity/api/throttling.py): a password guesser gets a 429,
and costs no password hash.
"""

from drf_spectacular import authentication as authentication_schemes
from rest_framework import authentication, exceptions

from .throttling import FailedAuthenticationThrottle


class NotKept(Exception):  # noqa: N818 - a signal to fall back, not an error
    """What is kept in the cache cannot decide this request alone: the whole stack must (DRF's authentication)."""


class FailureBudgetMixin:
    """For an authentication class: an address over its budget of failures gets a 429 before any check, and
    each failure is counted.

    A credential class that can be checked from the cache alone offers `kept_keys(request)` and
    `kept_user(request, found)`; with them this mixin offers `kept_plan` and `authenticate_kept`, which the early
    answer of a cached API list uses (smartcity/api/caching.py)."""

    def matches(self, request) -> bool:
        scheme = authentication.get_authorization_header(request).split()[:1]
        return bool(scheme) and scheme[0].lower() == self.keyword.lower().encode()

    def kept_plan(self, request):
        """What the early answer of a cached API list (smartcity/api/caching.py) reads to check this request's
        credentials from the cache alone: (whose entry it would be, the cache keys), from the header alone,
        the address's failure budget included. None for another scheme's header; NotKept for a class that
        cannot check from the cache."""
        if not self.matches(request):
            return None
        kept_keys = getattr(super(), "kept_keys", None)  # the credential class's, after this mixin
        if kept_keys is None:
            raise NotKept
        owner, keys = kept_keys(request)
        budget = FailedAuthenticationThrottle().budget_key(request)
        return owner, (*keys, budget) if budget else tuple(keys)

    def authenticate_kept(self, request, found: dict):
        """`authenticate` from what `kept_plan`'s keys held (`found`): no database, no write. NotKept when only
        the whole check can answer (a check not kept, an address over its budget: the whole check refuses it)."""
        budget = FailedAuthenticationThrottle()
        key = budget.budget_key(request)
        if key and budget.exhausted(request, found.get(key) or 0):
            raise NotKept
        return super().kept_user(request, found)

    def authenticate(self, request):
        if not self.matches(request):
            return None
        budget = FailedAuthenticationThrottle()
        if budget.exhausted(request):
            raise exceptions.Throttled(budget.wait())
        try:
            return super().authenticate(request)
        except exceptions.AuthenticationFailed:
            budget.record_failure(request)
            raise


class BasicAuthentication(FailureBudgetMixin, authentication.BasicAuthentication):
    """DRF's HTTP Basic, with the failure budget (django-axes still locks a username at an address)."""

    keyword = "Basic"


class BasicScheme(authentication_schemes.BasicScheme):
    """Documents our HTTP Basic class as the standard basic scheme."""

    target_class = BasicAuthentication
