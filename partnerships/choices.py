from django.db import models
from django.utils.translation import gettext_lazy as _


class PartnerKind(models.TextChoices):
    STATE_OWNED = "state_owned", _("State-owned enterprise")
    PRIVATE = "private", _("Private company")
    CENTRAL_GOVERNMENT = "central_government", _("Central government")
    LOCAL_GOVERNMENT = "local_government", _("Local government")
    UNIVERSITY = "university", _("University")
    COMMUNITY = "community", _("Community")
    MEDIA = "media", _("Media")
    INTERNATIONAL = "international", _("International body")


# The admin's "expiring" filter and the staff workspace look this many days ahead at MoUs nearing their end.
EXPIRING_WITHIN_DAYS = 90


class MoUState(models.TextChoices):
    """What staff record about an MoU; the public status follows from it and the dates (MoUStatus)."""

    DRAFT = "draft", _("Draft")
    SIGNED = "signed", _("Signed")
    TERMINATED = "terminated", _("Terminated")


class MoUStatus(models.TextChoices):
    """An MoU's status on a given day, derived from its state and validity period, never stored."""

    DRAFT = "draft", _("Draft")
    PENDING = "pending", _("Signed, not yet in force")
    ACTIVE = "active", _("Active")
    EXPIRED = "expired", _("Expired")
    TERMINATED = "terminated", _("Terminated")


class WebhookEvent(models.TextChoices):
    """What a partner's system may be told about; each is sent only to partners who may see its subject."""

    MOU_SIGNED = "mou.signed", _("An MoU the partner is party to was signed")
    MOU_TERMINATED = "mou.terminated", _("An MoU the partner is party to was terminated")
    MOU_EXPIRING = "mou.expiring", _("An MoU the partner is party to nears its end (90, 30 and 7 days before)")
    PROGRESS_REPORTED = "commitment.progress_reported", _("Progress was reported on a commitment the partner sees")
    EVALUATION_PUBLISHED = "evaluation.published", _("An evaluation of the city was published")


class DeliveryStatus(models.TextChoices):
    PENDING = "pending", _("Pending")
    DELIVERED = "delivered", _("Delivered")
    FAILED = "failed", _("Failed")
    CANCELLED = "cancelled", _("Cancelled")
