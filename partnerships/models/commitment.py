from decimal import Decimal

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from partnerships.querysets import CommitmentQuerySet, ProgressReportQuerySet, percent
from smartcity.models import TimeStampedModel, Translated
from smartcity.uploads import FileContentValidator, RandomName


def quantity_field(verbose_name, minimum: Decimal):
    return models.DecimalField(
        verbose_name=verbose_name, max_digits=14, decimal_places=2, validators=[MinValueValidator(minimum)]
    )


class Commitment(TimeStampedModel):
    """A measurable promise a partner makes under an MoU, e.g. 80 telecommunication towers in the city."""

    mou = models.ForeignKey(
        to="partnerships.MoU", on_delete=models.PROTECT, related_name="commitments", verbose_name=_("MoU")
    )
    partner = models.ForeignKey(
        to="partnerships.Partner", on_delete=models.PROTECT, related_name="commitments", verbose_name=_("partner")
    )
    description_ind = models.TextField(verbose_name=_("description (Indonesian)"))
    description_en = models.TextField(verbose_name=_("description (English)"), blank=True)
    target_quantity = quantity_field(_("target quantity"), Decimal("0.01"))
    unit_ind = models.CharField(
        verbose_name=_("unit (Indonesian)"), max_length=60, help_text=_("For example menara telekomunikasi.")
    )
    unit_en = models.CharField(verbose_name=_("unit (English)"), max_length=60, blank=True)
    due_on = models.DateField(verbose_name=_("due on"), null=True, blank=True)
    pillar = models.ForeignKey(
        to="pillars.Pillar",
        on_delete=models.PROTECT,
        related_name="commitments",
        null=True,
        blank=True,
        verbose_name=_("pillar"),
    )

    description = Translated("description")
    unit = Translated("unit")

    # the API's `q` and the admin's search box
    search_fields = (
        "description_ind",
        "description_en",
        "unit_ind",
        "unit_en",
        "mou__title_ind",
        "partner__name",
    )
    objects = CommitmentQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["mou", "pk"]
        verbose_name = _("commitment")
        verbose_name_plural = _("commitments")
        constraints = [
            models.CheckConstraint(condition=Q(target_quantity__gt=0), name="%(app_label)s_%(class)s_target_positive"),
        ]

    def __str__(self):
        return f"{self.target_quantity.normalize():f} {self.unit}"

    @property
    def progress_percent(self) -> int:
        """Reached so far against the target, 0–100; needs the `reached_quantity` annotation of with_related()."""
        return percent(self.reached_quantity, self.target_quantity)


class ProgressReport(TimeStampedModel):
    """How far a commitment has come on a date, reported by staff or by the partner's own system."""

    commitment = models.ForeignKey(
        to="partnerships.Commitment",
        on_delete=models.PROTECT,
        related_name="progress_reports",
        verbose_name=_("commitment"),
    )
    reported_on = models.DateField(verbose_name=_("date"))
    quantity_reached = quantity_field(_("quantity reached so far"), Decimal("0"))
    note = models.TextField(verbose_name=_("note"), blank=True)
    evidence = models.FileField(
        verbose_name=_("evidence"), upload_to=RandomName("progress"), blank=True, validators=[FileContentValidator()]
    )
    reported_by = models.ForeignKey(
        to=settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="progress_reports",
        null=True,
        blank=True,
        verbose_name=_("reported by"),
    )
    reported_by_key = models.ForeignKey(
        to="partnerships.PartnerAPIKey",
        on_delete=models.PROTECT,
        related_name="progress_reports",
        null=True,
        blank=True,
        verbose_name=_("reported with API key"),
    )

    search_fields = ("note", "commitment__description_ind")  # the API's `q` and the admin's search box
    objects = ProgressReportQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["commitment", "-reported_on", "-pk"]
        verbose_name = _("progress report")
        verbose_name_plural = _("progress reports")
        constraints = [
            models.CheckConstraint(
                condition=Q(quantity_reached__gte=0), name="%(app_label)s_%(class)s_quantity_not_negative"
            ),
            models.CheckConstraint(
                condition=Q(reported_by__isnull=False, reported_by_key__isnull=True)
                | Q(reported_by__isnull=True, reported_by_key__isnull=False),
                name="%(app_label)s_%(class)s_one_reporter",
            ),
        ]

    def __str__(self):
        return f"{self.reported_on}: {self.quantity_reached.normalize():f}"

    @property
    def progress_percent(self) -> int:
        """Needs the `target_quantity` annotation of with_related()."""
        return percent(self.quantity_reached, self.target_quantity)
