import datetime

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from partnerships.choices import MoUState, MoUStatus
from partnerships.querysets import MoUPartyQuerySet, MoUQuerySet
from smartcity.models import PublishableModel, TimeStampedModel, Translated
from smartcity.uploads import PDF_ONLY, FileContentValidator, RandomName

MOU_DOCUMENT_MAX_BYTES = 20 * 1024 * 1024


class MoU(PublishableModel, TimeStampedModel):
    """A memorandum of understanding (nota kesepahaman) between the city and one or more partners."""

    slug = models.SlugField(verbose_name=_("slug"), max_length=120, unique=True)
    title_ind = models.CharField(verbose_name=_("title (Indonesian)"), max_length=250)
    title_en = models.CharField(verbose_name=_("title (English)"), max_length=250, blank=True)
    city_number = models.CharField(
        verbose_name=_("city's number"), max_length=120, blank=True, help_text=_("The number the city gave the MoU.")
    )
    partners = models.ManyToManyField(
        to="partnerships.Partner", through="partnerships.MoUParty", related_name="mous", verbose_name=_("partners")
    )
    city_signatory_name = models.CharField(verbose_name=_("city's signatory"), max_length=120, blank=True)
    city_signatory_position = models.CharField(
        verbose_name=_("city signatory's position"), max_length=120, blank=True, help_text=_("For example Wali Kota.")
    )
    state = models.CharField(
        verbose_name=_("state"),
        max_length=12,
        choices=MoUState,
        default=MoUState.DRAFT,
        help_text=_("Whether it is active or expired follows from the validity period."),
    )
    signed_on = models.DateField(verbose_name=_("signed on"), null=True, blank=True)
    signed_place = models.CharField(verbose_name=_("place of signing"), max_length=120, blank=True)
    signed_online = models.BooleanField(verbose_name=_("signed online"), default=False)
    valid_from = models.DateField(verbose_name=_("valid from"))
    valid_until = models.DateField(verbose_name=_("valid until"))
    scope_areas = models.ManyToManyField(
        to="partnerships.ScopeArea", related_name="mous", blank=True, verbose_name=_("scope areas")
    )
    pillars = models.ManyToManyField(to="pillars.Pillar", related_name="mous", blank=True, verbose_name=_("pillars"))
    programs = models.ManyToManyField(to="pillars.Program", related_name="mous", blank=True, verbose_name=_("programs"))
    summary_ind = models.TextField(verbose_name=_("summary (Indonesian)"), blank=True)
    summary_en = models.TextField(verbose_name=_("summary (English)"), blank=True)
    signed_document = models.FileField(
        verbose_name=_("signed document"),
        upload_to=RandomName("mous"),
        blank=True,
        validators=[FileContentValidator(PDF_ONLY, max_bytes=MOU_DOCUMENT_MAX_BYTES)],
        help_text=_("The signed MoU as a PDF."),
    )
    contact = models.ForeignKey(
        to="partnerships.PartnerContact",
        on_delete=models.SET_NULL,
        related_name="mous",
        null=True,
        blank=True,
        verbose_name=_("contact person"),
        help_text=_("The partner's contact for this MoU; gets the expiry reminders."),
    )
    terminated_on = models.DateField(verbose_name=_("terminated on"), null=True, blank=True)
    termination_reason = models.TextField(verbose_name=_("reason for termination"), blank=True)

    title = Translated("title")
    summary = Translated("summary")

    # the API's `q` and the admin's search box
    search_fields = (
        "title_ind",
        "title_en",
        "city_number",
        "parties__partner_number",
        "parties__partner__name",
        "parties__partner__short_name",
    )
    objects = MoUQuerySet.as_manager()
    history = HistoricalRecords(m2m_fields=[scope_areas, pillars, programs])

    class Meta:
        ordering = ["-valid_from", "title_ind"]
        verbose_name = _("MoU")
        verbose_name_plural = _("MoUs")
        permissions = [
            ("sign_mou", _("Can record the signing of an MoU")),
            ("terminate_mou", _("Can terminate an MoU")),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(valid_from__lt=F("valid_until")), name="%(app_label)s_%(class)s_valid_period"
            ),
            models.CheckConstraint(
                condition=Q(state=MoUState.DRAFT) | Q(signed_on__isnull=False),
                name="%(app_label)s_%(class)s_signed_has_date",
            ),
            models.CheckConstraint(
                condition=Q(signed_online=False) | Q(signed_place=""), name="%(app_label)s_%(class)s_online_or_place"
            ),
            models.CheckConstraint(
                condition=(Q(state=MoUState.TERMINATED) & Q(terminated_on__isnull=False) & ~Q(termination_reason=""))
                | (~Q(state=MoUState.TERMINATED) & Q(terminated_on__isnull=True) & Q(termination_reason="")),
                name="%(app_label)s_%(class)s_termination",
            ),
        ]

    def __str__(self):
        return self.title

    def status_on(self, day: datetime.date) -> str:
        """The MoU's status on `day`; MoUQuerySet.with_status() applies the same rule in SQL."""
        if self.state != MoUState.SIGNED:
            return MoUStatus(self.state)
        if day < self.valid_from:
            return MoUStatus.PENDING
        return MoUStatus.ACTIVE if day <= self.valid_until else MoUStatus.EXPIRED

    @property
    def status(self) -> str:
        return self.status_on(timezone.localdate())

    def get_status_display(self) -> str:
        return MoUStatus(self.status).label

    def clean(self):
        errors = {}
        if self.valid_from and self.valid_until and self.valid_until <= self.valid_from:
            errors["valid_until"] = _("The end of the validity period must come after its start.")
        if self.state != MoUState.DRAFT and not self.signed_on:
            errors["signed_on"] = _("Give the date the MoU was signed.")
        if self.signed_online and self.signed_place:
            errors["signed_place"] = _("An MoU signed online has no place of signing.")
        if self.state == MoUState.TERMINATED:
            if not self.terminated_on:
                errors["terminated_on"] = _("Give the date the MoU was terminated.")
            if not self.termination_reason.strip():
                errors["termination_reason"] = _("Give the reason the MoU was terminated.")
        elif self.terminated_on or self.termination_reason:
            errors["terminated_on"] = _("Only a terminated MoU has a termination date and reason.")
        if errors:
            raise ValidationError(errors)


class MoUParty(TimeStampedModel):
    """A partner's side of an MoU: who signed for it and the number the partner gave the document."""

    mou = models.ForeignKey(
        to="partnerships.MoU", on_delete=models.PROTECT, related_name="parties", verbose_name=_("MoU")
    )
    partner = models.ForeignKey(
        to="partnerships.Partner", on_delete=models.PROTECT, related_name="parties", verbose_name=_("partner")
    )
    partner_number = models.CharField(
        verbose_name=_("partner's number"),
        max_length=120,
        blank=True,
        help_text=_("The number the partner gave the MoU."),
    )
    signatory_name = models.CharField(verbose_name=_("signatory"), max_length=120, blank=True)
    signatory_position = models.CharField(verbose_name=_("signatory's position"), max_length=160, blank=True)

    objects = MoUPartyQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["mou", "pk"]
        verbose_name = _("party")
        verbose_name_plural = _("parties")
        constraints = [
            models.UniqueConstraint(fields=["mou", "partner"], name="%(app_label)s_%(class)s_unique_partner"),
        ]

    def __str__(self):
        return f"{self.partner_id} · {self.mou_id}"


class MoUReminder(models.Model):
    """A record that the reminder `days_before` the end of an MoU's validity was sent (sent once only)."""

    mou = models.ForeignKey(
        to="partnerships.MoU", on_delete=models.PROTECT, related_name="reminders", verbose_name=_("MoU")
    )
    days_before = models.PositiveSmallIntegerField(verbose_name=_("days before the end"))
    valid_until = models.DateField(
        verbose_name=_("valid until"), help_text=_("The end date it was sent for: an extended MoU is reminded again.")
    )
    sent_at = models.DateTimeField(verbose_name=_("sent at"), auto_now_add=True)
    recipients = models.PositiveSmallIntegerField(verbose_name=_("recipients"), default=0)

    class Meta:
        ordering = ["-sent_at"]
        verbose_name = _("MoU reminder")
        verbose_name_plural = _("MoU reminders")
        constraints = [
            models.UniqueConstraint(fields=["mou", "days_before", "valid_until"], name="%(app_label)s_%(class)s_once"),
        ]

    def __str__(self):
        return f"{self.mou_id} −{self.days_before}"
