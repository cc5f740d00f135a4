from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from partnerships.choices import DeliveryStatus, WebhookEvent
from partnerships.querysets import WebhookDeliveryQuerySet, WebhookEndpointQuerySet
from smartcity.models import TimeStampedModel


class WebhookEndpoint(TimeStampedModel):
    """A URL of a partner's system that is told, signed as Standard Webhooks, about the events it chose."""

    partner = models.ForeignKey(
        to="partnerships.Partner",
        on_delete=models.PROTECT,
        related_name="webhook_endpoints",
        verbose_name=_("partner"),
    )
    url = models.URLField(
        verbose_name=_("URL"),
        max_length=500,
        help_text=_("Where the portal sends the events: https, on an address reachable from the internet."),
    )
    description = models.CharField(verbose_name=_("description"), max_length=200, blank=True)
    events = models.JSONField(verbose_name=_("events"), default=list, blank=True)
    # The signing secret (whsec_…): HMAC needs it in the clear; it is never kept in the history tables.
    secret = models.CharField(verbose_name=_("signing secret"), max_length=80, editable=False)
    previous_secret = models.CharField(
        verbose_name=_("previous signing secret"), max_length=80, blank=True, editable=False
    )
    previous_secret_expires_at = models.DateTimeField(
        verbose_name=_("previous secret valid until"), null=True, blank=True, editable=False
    )
    active = models.BooleanField(
        verbose_name=_("active"), default=True, help_text=_("An endpoint that failed too often is switched off.")
    )
    failure_count = models.PositiveIntegerField(verbose_name=_("consecutive failures"), default=0, editable=False)
    disabled_at = models.DateTimeField(verbose_name=_("disabled at"), null=True, blank=True, editable=False)

    search_fields = ("url", "description", "partner__name")

    objects = WebhookEndpointQuerySet.as_manager()
    history = HistoricalRecords(excluded_fields=["secret", "previous_secret"])

    class Meta:
        ordering = ["partner", "pk"]
        verbose_name = _("webhook endpoint")
        verbose_name_plural = _("webhook endpoints")

    def __str__(self):
        return self.url

    def clean(self):
        if not isinstance(self.events, list) or not all(isinstance(event, str) for event in self.events):
            raise ValidationError({"events": _("Give the events as a list of their names.")})
        unknown = sorted(set(self.events) - set(WebhookEvent.values))
        if unknown:
            message = _("Unknown events: %(events)s.") % {"events": ", ".join(unknown)}
            raise ValidationError({"events": message})
        if not self.events:
            raise ValidationError({"events": _("Choose at least one event.")})
        self.events = sorted(set(self.events))


class WebhookDelivery(models.Model):
    """One event sent (or being sent) to one endpoint: its signed payload, its attempts and the last answer."""

    public_cache_ignores = True  # bookkeeping, not public data: saving it starts no new cache generation

    endpoint = models.ForeignKey(
        to="partnerships.WebhookEndpoint",
        on_delete=models.CASCADE,
        related_name="deliveries",
        verbose_name=_("endpoint"),
    )
    event_id = models.CharField(
        verbose_name=_("event ID"), max_length=64, help_text=_("The webhook-id header: the same on every retry.")
    )
    event_type = models.CharField(verbose_name=_("event"), max_length=40, choices=WebhookEvent)
    payload = models.JSONField(verbose_name=_("payload"))
    status = models.CharField(
        verbose_name=_("status"), max_length=12, choices=DeliveryStatus, default=DeliveryStatus.PENDING
    )
    attempts = models.PositiveSmallIntegerField(verbose_name=_("attempts"), default=0)
    next_attempt_at = models.DateTimeField(verbose_name=_("next attempt at"), null=True, blank=True)
    last_attempt_at = models.DateTimeField(verbose_name=_("last attempt at"), null=True, blank=True)
    delivered_at = models.DateTimeField(verbose_name=_("delivered at"), null=True, blank=True)
    response_code = models.PositiveSmallIntegerField(verbose_name=_("response code"), null=True, blank=True)
    response_ms = models.PositiveIntegerField(verbose_name=_("response time (ms)"), null=True, blank=True)
    error = models.CharField(verbose_name=_("error"), max_length=300, blank=True)
    replay_of = models.ForeignKey(
        to="self",
        on_delete=models.SET_NULL,
        related_name="replays",
        null=True,
        blank=True,
        verbose_name=_("replay of"),
    )
    created_at = models.DateTimeField(verbose_name=_("created at"), auto_now_add=True)

    search_fields = ("event_id", "endpoint__url", "endpoint__partner__name")

    objects = WebhookDeliveryQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("webhook delivery")
        verbose_name_plural = _("webhook deliveries")
        permissions = [("replay_webhookdelivery", _("Can send a webhook delivery again"))]
        constraints = [
            models.UniqueConstraint(
                fields=["endpoint", "event_id"],
                condition=Q(replay_of__isnull=True),
                name="%(app_label)s_%(class)s_once_per_endpoint",
            ),
        ]
        indexes = [models.Index(fields=["status", "next_attempt_at"], name="partnerships_delivery_due")]

    def __str__(self):
        return f"{self.event_type} → {self.endpoint_id} ({self.event_id})"
