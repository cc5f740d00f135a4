import re

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxLengthValidator, RegexValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from pillars.choices import FeedbackStatus
from pillars.querysets import FeedbackQuerySet
from smartcity.models import TimeStampedModel

MESSAGE_MAX_CHARS = 2000
REPLY_MAX_CHARS = 4000
# An SP4N-LAPOR! report's tracking ID as lapor.go.id shows it: digits, often written after "#" ("#1916449").
LAPOR_REFERENCE = re.compile(r"^#?\s*(\d{6,10})$")
lapor_reference_validator = RegexValidator(
    regex=r"^\d{6,10}$",
    message=_("Give the SP4N-LAPOR! tracking ID: 6 to 10 digits, e.g. #1916449."),
    code="lapor_reference",
)


class Feedback(TimeStampedModel):
    """What a citizen wrote about one published program or digital service, held for moderation by the owning agency
    (OPD) and shown, with the agency's reply, only once published. The writer's name, contact and SP4N-LAPOR!
    reference stay with staff."""

    program = models.ForeignKey(
        to="pillars.Program",
        on_delete=models.CASCADE,
        related_name="feedback",
        null=True,
        blank=True,
        verbose_name=_("program"),
    )
    service = models.ForeignKey(
        to="pillars.DigitalService",
        on_delete=models.CASCADE,
        related_name="feedback",
        null=True,
        blank=True,
        verbose_name=_("digital service"),
    )
    message = models.TextField(
        verbose_name=_("message"), validators=[MaxLengthValidator(MESSAGE_MAX_CHARS)], max_length=MESSAGE_MAX_CHARS
    )
    name = models.CharField(verbose_name=_("name"), max_length=120, blank=True, help_text=_("Never shown publicly."))
    contact = models.CharField(
        verbose_name=_("contact"),
        max_length=160,
        blank=True,
        help_text=_("An e-mail address or a phone number; never shown publicly."),
    )
    lapor_reference = models.CharField(
        verbose_name=_("SP4N-LAPOR! tracking ID"),
        max_length=10,
        blank=True,
        validators=[lapor_reference_validator],
        help_text=_("When the citizen also reported this through SP4N-LAPOR!; never shown publicly."),
    )
    status = models.CharField(
        verbose_name=_("status"), max_length=10, choices=FeedbackStatus, default=FeedbackStatus.PENDING
    )
    reply = models.TextField(
        verbose_name=_("reply"),
        blank=True,
        validators=[MaxLengthValidator(REPLY_MAX_CHARS)],
        help_text=_("The agency's answer, shown under the message once it is published."),
    )
    moderated_at = models.DateTimeField(verbose_name=_("moderated at"), null=True, blank=True, editable=False)
    moderated_by = models.ForeignKey(
        to=settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        editable=False,
        related_name="+",
        verbose_name=_("moderated by"),
    )
    # Repeat detection without keeping the sender's address: keyed hashes of the text and of the address.
    message_digest = models.CharField(verbose_name=_("message digest"), max_length=64, editable=False)
    sender_digest = models.CharField(verbose_name=_("sender digest"), max_length=64, editable=False)

    search_fields = ("message", "reply", "lapor_reference")

    objects = FeedbackQuerySet.as_manager()
    history = HistoricalRecords(excluded_fields=["message_digest", "sender_digest"])

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("citizen feedback")
        verbose_name_plural = _("citizen feedback")
        indexes = [
            models.Index(fields=["program", "status", "-created_at"], name="pillars_feedback_program"),
            models.Index(fields=["service", "status", "-created_at"], name="pillars_feedback_service"),
            models.Index(fields=["sender_digest", "created_at"], name="pillars_feedback_sender"),
            models.Index(fields=["message_digest", "created_at"], name="pillars_feedback_message"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(program__isnull=False, service__isnull=True)
                | Q(program__isnull=True, service__isnull=False),
                name="%(app_label)s_%(class)s_one_subject",
            ),
        ]

    def __str__(self):
        return self.message if len(self.message) <= 60 else self.message[:59] + "…"

    @property
    def subject(self):
        """The program or service the feedback is about (callers select_related both)."""
        return self.program if self.program_id else self.service

    def clean(self):
        if not self.message.strip():
            raise ValidationError({"message": _("Write a message.")}, code="blank")
        if (self.program_id is None) == (self.service_id is None):
            raise ValidationError(_("Feedback is about exactly one program or one service."), code="one_subject")
