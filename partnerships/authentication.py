"""Partner API keys: `Authorization: Api-Key <key>` authenticates a partner's system, and each key is throttled.

Keys come from djangorestframework-api-key (only a hash is stored). A valid key makes `request.user` a
PartnerKeyUser: no Django account and no model permissions, so every model-permission check refuses it
(403), while the partnerships querysets and services recognise its `partner_id` and let it read its own
records and report progress on its own commitments. The core never names this class: settings lists it
by string (REST_FRAMEWORK, UPLOAD_AUTHENTICATION_CLASSES), and the public cache and the anonymous throttle
read the key user's `cache_audience`.

A key check counts failures per address and refuses an address over its budget before verifying anything
(smartcity.api.authentication.FailureBudgetMixin).

A valid key is verified against the database once per KEY_CHECK_SECONDS: the check's outcome is kept in the
cache under a hash of the whole key (never the prefix alone, so a wrong secret always reaches the database),
with the key's expiry, so an expiry takes effect at the moment it passes. Revocation, any other change and
deletion take effect at once: the key's writer (partnerships/services.py) renews the key's generation in the
cache when the change commits, and a kept check of an older generation is not used. Unknown keys are never
kept. Without the cache (Redis away) every request is verified against the database, as before.
"""

import hashlib
import uuid

from django.contrib.auth.models import AnonymousUser
from django.core.cache import cache
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from rest_framework import authentication, exceptions

from smartcity.api.authentication import FailureBudgetMixin, NotKept
from smartcity.api.throttling import CounterThrottle

from .models import PartnerAPIKey

# A key's last use is written at most this often, so a busy partner does not cost a write per request.
LAST_USED_RESOLUTION = timezone.timedelta(minutes=1)
# A valid key is verified against the database at most this often (revocation still takes effect at once).
KEY_CHECK_SECONDS = 60


def _check_key(raw: str) -> str:
    return "api-key-check:" + hashlib.sha256(raw.encode("latin-1", "replace")).hexdigest()


def _generation_key(prefix: str) -> str:
    return f"api-key-generation:{prefix}"


def entry_owner(check: str) -> str:
    """Whose cached answers a key's are: the key's own, named by the hash of the whole key (its check's)."""
    return f"key-{check.rpartition(':')[2]}"


def forget_key(prefix: str) -> None:
    """The key was revoked, changed or deleted: from now on its kept checks are void, the next call re-verifies."""
    cache.set(_generation_key(prefix), uuid.uuid4().hex, timeout=None)


def forget_key_on_commit(prefix: str) -> None:
    """`forget_key` now and again when the current transaction commits: a check made in between read the row
    as it was before the change, and the second renewal voids it."""
    forget_key(prefix)
    transaction.on_commit(lambda: forget_key(prefix))


def _kept(api_key, generation: str) -> dict:
    fields = ("pk", "prefix", "name", "partner_id", "expiry_date", "last_used_at")
    return {"generation": generation, **{name: getattr(api_key, name) for name in fields}}


def _from_kept(entry: dict) -> PartnerAPIKey:
    """The key as checked (a row read then; its `revoked` is False, or it would not have been kept)."""
    api_key = PartnerAPIKey(
        id=entry["pk"],
        prefix=entry["prefix"],
        name=entry["name"],
        partner_id=entry["partner_id"],
        expiry_date=entry["expiry_date"],
        last_used_at=entry["last_used_at"],
    )
    api_key._state.adding, api_key._state.db = False, "default"
    return api_key


class PartnerKeyUser(AnonymousUser):
    """A partner's system calling with its API key: it acts for `partner_id` through `api_key`."""

    def __init__(self, api_key, check: str = ""):
        super().__init__()
        self.api_key = api_key
        self.partner_id = api_key.partner_id
        self.check = check  # the cache key of the key's check: a hash of the whole key

    def __str__(self):
        return f"api-key:{self.api_key.prefix}"

    @property
    def cache_audience(self) -> str:
        """Whose view of the records this caller has (smartcity.cache.audience): public rows plus its partner's."""
        return f"partner-{self.partner_id}"

    @property
    def cache_entry_owner(self) -> str | None:
        """Whose cached answers this caller's are (smartcity.cache.entry_owner): its key's own, so an answer can
        be looked up with the key's check in one round trip, before the key is known to be its partner's. A key
        never moves to another partner (api_key_rules), so its entries stay its partner's view."""
        return entry_owner(self.check) if self.check else None


class KeyCheck(authentication.BaseAuthentication):
    """The key check alone (PartnerAPIKeyAuthentication adds the scheme test and the failure budget):
    `Authorization: Api-Key <prefix>.<secret>`; an unknown, revoked or expired key is a 401."""

    keyword = "Api-Key"

    @staticmethod
    def raw_key(request) -> str:
        parts = authentication.get_authorization_header(request).split()
        if len(parts) != 2:
            raise exceptions.AuthenticationFailed(_("Invalid API key header: give the key after Api-Key."))
        return parts[1].decode("latin-1")

    def kept_keys(self, request):
        """(whose cache entries this key's answers are, the cache keys its kept check is under), from the header
        alone: see FailureBudgetMixin.kept_plan."""
        try:
            raw = self.raw_key(request)
        except exceptions.AuthenticationFailed:
            raise NotKept from None
        check, prefix = _check_key(raw), raw.partition(".")[0]
        return entry_owner(check), (check, _generation_key(prefix))

    def kept_user(self, request, found: dict):
        """The key's check as kept (`found`: what `kept_keys` named). NotKept when the check must reach the
        database or write: no check kept (unknown keys never are), one of an older generation, an expired key,
        a last use to record."""
        raw = self.raw_key(request)
        check = _check_key(raw)
        entry = found.get(check)
        if entry is None or entry["generation"] != (found.get(_generation_key(raw.partition(".")[0])) or ""):
            raise NotKept
        api_key = _from_kept(entry)
        last_used = api_key.last_used_at
        if api_key.has_expired or last_used is None or timezone.now() - last_used > LAST_USED_RESOLUTION:
            raise NotKept
        return PartnerKeyUser(api_key, check), api_key

    def authenticate(self, request):
        raw = self.raw_key(request)
        check, generation_key = _check_key(raw), _generation_key(raw.partition(".")[0])
        found = cache.get_many([check, generation_key])  # one round trip
        generation, entry = found.get(generation_key, ""), found.get(check)
        if entry is not None and entry["generation"] == generation:
            api_key = _from_kept(entry)
        else:
            try:
                api_key = PartnerAPIKey.objects.get_from_key(raw)
            except PartnerAPIKey.DoesNotExist:
                raise exceptions.AuthenticationFailed(_("Unknown or revoked API key.")) from None
            entry = _kept(api_key, generation)  # kept with the generation read before the row: never newer
            cache.set(check, entry, timeout=KEY_CHECK_SECONDS)
        if api_key.has_expired:  # against the expiry the key had when checked: it takes effect when it passes
            raise exceptions.AuthenticationFailed(_("This API key has expired."))
        now = timezone.now()
        if api_key.last_used_at is None or now - api_key.last_used_at > LAST_USED_RESOLUTION:
            PartnerAPIKey.objects.filter(pk=api_key.pk).update(last_used_at=now)
            api_key.last_used_at = entry["last_used_at"] = now
            cache.set(check, entry, timeout=KEY_CHECK_SECONDS)
        return PartnerKeyUser(api_key, check), api_key

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
