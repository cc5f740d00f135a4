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


class FailureBudgetMixin:
    """For an authentication class: an address over its budget of failures gets a 429 before any check, and
    each failure is counted."""

    def authenticate(self, request):
        scheme = authentication.get_authorization_header(request).split()[:1]
        if not scheme or scheme[0].lower() != self.keyword.lower().encode():
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
