"""Partner API keys: `Authorization: Api-Key <key>` authenticates a partner's system, and each key is throttled.

Keys come from djangorestframework-api-key (only a hash is stored). A valid key makes `request.user` a
PartnerKeyUser: no Django account and no model permissions, so every model-permission check refuses it
(403), while the partnerships querysets and services recognise its `partner_id` and let it read its own
records and report progress on its own commitments.

Both credential schemes of the API (keys and HTTP Basic) count failures per address and refuse an address
over its budget before verifying anything (smartcity/api/throttling.py): a password guesser gets a 429,
and costs no password hash.
"""

from django.contrib.auth.models import AnonymousUser
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from drf_spectacular import authentication as authentication_schemes
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from rest_framework import authentication, exceptions

from .throttling import FailedAuthenticationThrottle

# A key's last use is written at most this often, so a busy partner does not cost a write per request.
LAST_USED_RESOLUTION = timezone.timedelta(minutes=1)


class PartnerKeyUser(AnonymousUser):
    """A partner's system calling with its API key: it acts for `partner_id` through `api_key`."""

    def __init__(self, api_key):
        super().__init__()
        self.api_key = api_key
        self.partner_id = api_key.partner_id

    def __str__(self):
        return f"api-key:{self.api_key.prefix}"


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


class KeyCheck(authentication.BaseAuthentication):
    """The key check alone (PartnerAPIKeyAuthentication adds the scheme test and the failure budget):
    `Authorization: Api-Key <prefix>.<secret>`; an unknown, revoked or expired key is a 401."""

    keyword = "Api-Key"

    def authenticate(self, request):
        parts = authentication.get_authorization_header(request).split()
        if len(parts) != 2:
            raise exceptions.AuthenticationFailed(_("Invalid API key header: give the key after Api-Key."))
        from partnerships.models import PartnerAPIKey

        try:
            api_key = PartnerAPIKey.objects.get_from_key(parts[1].decode("latin-1"))
        except PartnerAPIKey.DoesNotExist:
            raise exceptions.AuthenticationFailed(_("Unknown or revoked API key.")) from None
        if api_key.has_expired:
            raise exceptions.AuthenticationFailed(_("This API key has expired."))
        now = timezone.now()
        if api_key.last_used_at is None or now - api_key.last_used_at > LAST_USED_RESOLUTION:
            PartnerAPIKey.objects.filter(pk=api_key.pk).update(last_used_at=now)
        return PartnerKeyUser(api_key), api_key

    def authenticate_header(self, request):
        return self.keyword


class PartnerAPIKeyAuthentication(FailureBudgetMixin, KeyCheck):
    """Partner keys, with the failure budget."""


class PartnerAPIKeyScheme(OpenApiAuthenticationExtension):
    """Documents the Api-Key header in the OpenAPI schema."""

    target_class = PartnerAPIKeyAuthentication
    name = "partnerApiKey"

    def get_security_definition(self, auto_schema):
        return {
            "type": "apiKey",
            "in": "header",
            "name": "Authorization",
            "description": str(_('A partner\'s key, sent as "Api-Key <key>".')),
        }


class BasicScheme(authentication_schemes.BasicScheme):
    """Documents our HTTP Basic class as the standard basic scheme."""

    target_class = BasicAuthentication
