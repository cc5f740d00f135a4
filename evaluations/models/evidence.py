from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from evaluations.choices import InstrumentBody, InstrumentKind
from evaluations.querysets import BodyMemberQuerySet, LegalInstrumentQuerySet
from smartcity.fields import YearField
from smartcity.models import PublishableModel, TimeStampedModel, Translated
from smartcity.uploads import PDF_ONLY, FileContentValidator, RandomName


class LegalInstrument(PublishableModel, TimeStampedModel):
    """A regulation or decree of the city that the Output dimension rests on, e.g. the mayor's regulation adopting
    the masterplan or the decree forming the smart-city council, with the pillars it serves."""

    year = YearField(verbose_name=_("evaluation year"), help_text=_("The evaluation year it is evidence for."))
    kind = models.CharField(verbose_name=_("kind"), max_length=12, choices=InstrumentKind)
    number = models.CharField(
        verbose_name=_("number"), max_length=120, help_text=_("For example Perwako No. 12 Tahun 2019.")
    )
    issued_on = models.DateField(verbose_name=_("date"))
    title_ind = models.CharField(verbose_name=_("title (Indonesian)"), max_length=300)
    title_en = models.CharField(verbose_name=_("title (English)"), max_length=300, blank=True)
    forms_body = models.CharField(
        verbose_name=_("body formed"),
        max_length=10,
        choices=InstrumentBody,
        default=InstrumentBody.NONE,
        blank=True,
        help_text=_("For a decree forming a body: which one (its members are listed below)."),
    )
    signed_file = models.FileField(
        verbose_name=_("signed file"),
        upload_to=RandomName("instruments"),
        blank=True,
        validators=[FileContentValidator(PDF_ONLY, max_bytes=30 * 1024 * 1024)],
    )
    pillars = models.ManyToManyField(
        to="pillars.Pillar", related_name="legal_instruments", blank=True, verbose_name=_("pillars")
    )

    title = Translated("title")
    search_fields = ("number", "title_ind", "title_en")

    objects = LegalInstrumentQuerySet.as_manager()
    history = HistoricalRecords(m2m_fields=[pillars])

    class Meta:
        ordering = ["-year", "kind", "issued_on", "pk"]
        verbose_name = _("regulation or decree")
        verbose_name_plural = _("regulations and decrees")
        constraints = [
            models.UniqueConstraint(fields=["year", "kind", "number"], name="%(app_label)s_%(class)s_unique_number"),
            models.CheckConstraint(
                condition=Q(forms_body="") | Q(kind=InstrumentKind.DECREE),
                name="%(app_label)s_%(class)s_body_by_decree",
            ),
        ]

    def __str__(self):
        return f"{self.number}: {self.title}"

    def clean(self):
        from django.core.exceptions import ValidationError

        if self.forms_body and self.kind != InstrumentKind.DECREE:
            raise ValidationError({"forms_body": _("Only a decree forms a body.")})


class BodyMember(TimeStampedModel):
    """A member of a body a decree forms (the smart-city council or the implementation team), with their role."""

    instrument = models.ForeignKey(
        to="evaluations.LegalInstrument", on_delete=models.CASCADE, related_name="members", verbose_name=_("decree")
    )
    order = models.PositiveSmallIntegerField(verbose_name=_("order"), default=0)
    name = models.CharField(verbose_name=_("name"), max_length=160)
    role = models.CharField(
        verbose_name=_("role"), max_length=120, blank=True, help_text=_("For example Ketua (chair) or Anggota.")
    )
    position = models.CharField(
        verbose_name=_("position"), max_length=200, blank=True, help_text=_("For example Kepala Diskominfo.")
    )

    objects = BodyMemberQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["instrument", "order", "pk"]
        verbose_name = _("body member")
        verbose_name_plural = _("body members")

    def __str__(self):
        return f"{self.name} ({self.role})" if self.role else self.name
