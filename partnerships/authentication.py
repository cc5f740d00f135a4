"""Partner API keys: `Authorization: Api-Key <key>` authenticates a partner's system, and each key is throttled.

Keys come from djangorestframework-api-key (only a hash is stored). A valid key makes `request.user` a
PartnerKeyUser: no Django account and no model permissions, so every model-permission check refuses it
(403), while the partnerships querysets and services recognise its `partner_id` and let it read its own
records and report progress on its own commitments. The core never names this class: settings lists it
by string (REST_FRAMEWORK, UPLOAD_AUTHENTICATION_CLASSES), and the public cache and the anonymous throttle
read the key user's `cache_audience`.

A key check counts failures per address and refuses an address over its budget before verifying anything
(smartcity.api.authentication.FailureBudgetMixin).
"""

from django.contrib.auth.models import AnonymousUser
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from rest_framework import authentication, exceptions

from smartcity.api.authentication import FailureBudgetMixin
from smartcity.api.throttling import CounterThrottle

from .models import PartnerAPIKey

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

    @property
    def cache_audience(self) -> str:
        """Whose view of the records this caller has (smartcity.cache.audience): public rows plus its partner's."""
        return f"partner-{self.partner_id}"


class KeyCheck(authentication.BaseAuthentication):
    """The key check alone (PartnerAPIKeyAuthentication adds the scheme test and the failure budget):
    `Authorization: Api-Key <prefix>.<secret>`; an unknown, revoked or expired key is a 401."""

    keyword = "Api-Key"

    def authenticate(self, request):
        parts = authentication.get_authorization_header(request).split()
        if len(parts) != 2:
            raise exceptions.AuthenticationFailed(_("Invalid API key header: give the key after Api-Key."))
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


class PartnerKeyRateThrottle(CounterThrottle):
    """Each partner key gets its own budget (DEFAULT_THROTTLE_RATES["partner_key"]), whatever its address."""

    scope = "partner_key"

    def get_cache_key(self, request, view):
        if not isinstance(request.user, PartnerKeyUser):
            return None
        return self.cache_format % {"scope": self.scope, "ident": request.user.api_key.prefix}


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
