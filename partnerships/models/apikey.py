from django.db import models
from django.utils.translation import gettext_lazy as _
from rest_framework_api_key.models import AbstractAPIKey, APIKeyManager

from ..querysets import PartnerAPIKeyQuerySet


class PartnerAPIKey(AbstractAPIKey):
    """A partner system's credential for the API: only its hash is stored; it may expire or be revoked."""

    partner = models.ForeignKey(
        to="partnerships.Partner", on_delete=models.CASCADE, related_name="api_keys", verbose_name=_("partner")
    )
    last_used_at = models.DateTimeField(verbose_name=_("last used at"), null=True, blank=True, editable=False)

    objects = APIKeyManager.from_queryset(PartnerAPIKeyQuerySet)()

    class Meta(AbstractAPIKey.Meta):
        ordering = ["-created"]
        verbose_name = _("partner API key")
        verbose_name_plural = _("partner API keys")

    def __str__(self):
        return f"{self.name} ({self.prefix})"
