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
