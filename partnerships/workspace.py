"""The partnerships app's work in the staff workspace (pillars.workspace): MoUs nearing their end, webhook endpoints
switched off after repeated failures."""

import datetime

from django.db.models import DateField, F, Value
from django.utils.translation import gettext_lazy as _

from pillars.workspace import Task, admin_url, register

from .choices import EXPIRING_WITHIN_DAYS
from .models import MoU, WebhookEndpoint


def _mous_expiring(context):
    """Signed MoUs not yet expired whose validity ends within EXPIRING_WITHIN_DAYS (the admin's "expiring" filter)."""
    horizon = context.today + datetime.timedelta(days=EXPIRING_WITHIN_DAYS + 1)
    return (
        MoU.objects.visible_to(context.user)
        .expiring_before(horizon, today=context.today)
        .annotate(deadline=F("valid_until"))
    )


register(
    Task(
        key="partnerships.mous_expiring",
        label=_("MoUs expiring"),
        perms=("partnerships.change_mou",),
        rows=_mous_expiring,
        url=lambda context: admin_url(MoU, expiring=str(EXPIRING_WITHIN_DAYS)),
        order=80,
        windowed=False,
        remind=False,  # the MoU's own 90-, 30- and 7-day reminders (mou_expiry_reminders_send) already go out
    )
)
register(
    Task(
        key="partnerships.webhooks_disabled",
        label=_("Webhook endpoints switched off"),
        perms=("partnerships.change_webhookendpoint",),
        rows=lambda context: (
            WebhookEndpoint.objects.visible_to(context.user)
            .filter(active=False, disabled_at__isnull=False)
            .annotate(deadline=Value(None, output_field=DateField()))
        ),
        url=lambda context: admin_url(WebhookEndpoint, active__exact="0"),
        order=90,
    )
)
