from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from evaluations.choices import DEFAULT_MIN_SURVEY_RESPONSES
from evaluations.querysets import EvaluationSchemeQuerySet, SchemeBandQuerySet, SchemeDimensionQuerySet
from smartcity.fields import YearField
from smartcity.models import PublishableModel, SourcedModel, TimeStampedModel, Translated

from .bases import Band
from .fields import MAX_DECIMALS, WEIGHT, score_field


class EvaluationScheme(SourcedModel, PublishableModel, TimeStampedModel):
    """How one issuing body scores the cities in one year: the scale, the weighted dimensions and the (optional)
    bands, with the source of the weights and whether they were verified against it. No public source gives
    bands for the national index: a city that uses its own says so in `bands_note`."""

    name = models.CharField(verbose_name=_("name"), max_length=200)
    year = YearField(verbose_name=_("year"))
    issuing_body = models.CharField(
        verbose_name=_("issuing body"), max_length=160, help_text=_("For example Kementerian Komunikasi dan Digital.")
    )
    scale_min = score_field(_("scale minimum"), default=0)
    scale_max = score_field(_("scale maximum"), help_text=_("The highest score of this year's scale, e.g. 4 or 5."))
    decimals = models.PositiveSmallIntegerField(
        verbose_name=_("decimal places"),
        default=2,
        validators=[MaxValueValidator(MAX_DECIMALS)],
        help_text=_("Scores and the index are given, and rounded half up, to this many decimal places."),
    )
    bands_note = models.CharField(
        verbose_name=_("whose bands"),
        max_length=200,
        blank=True,
        help_text=_("Who defined the bands, e.g. “Pita kinerja internal Diskominfo, bukan predikat resmi”."),
    )
    min_survey_responses = models.PositiveSmallIntegerField(
        verbose_name=_("minimum survey responses"),
        default=DEFAULT_MIN_SURVEY_RESPONSES,
        validators=[MinValueValidator(1)],
        help_text=_(
            "The fewest citizen-survey responses a surveyed sub-dimension needs this year. The office's convention "
            "(50 is commonly quoted): no official source gives it."
        ),
    )
    notes = models.TextField(verbose_name=_("notes"), blank=True)

    search_fields = ("name", "issuing_body")  # the API's `q` and the admin's search box
    objects = EvaluationSchemeQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["-year", "issuing_body"]
        verbose_name = _("evaluation scheme")
        verbose_name_plural = _("evaluation schemes")
        constraints = [
            models.UniqueConstraint(fields=["year", "issuing_body"], name="%(app_label)s_%(class)s_one_per_body"),
            models.CheckConstraint(condition=Q(scale_min__lt=F("scale_max")), name="%(app_label)s_%(class)s_scale"),
            models.CheckConstraint(condition=Q(decimals__lte=MAX_DECIMALS), name="%(app_label)s_%(class)s_decimals"),
        ]

    def __str__(self):
        return f"{self.name} ({self.year})"

    def clean(self):
        super().clean()
        if self.scale_min is not None and self.scale_max is not None and self.scale_min >= self.scale_max:
            raise ValidationError({"scale_max": _("The scale's maximum must be above its minimum.")})


class SchemeDimension(TimeStampedModel):
    """One weighted dimension of a scheme, e.g. Outcome at 30 % of the index."""

    scheme = models.ForeignKey(
        to="evaluations.EvaluationScheme",
        on_delete=models.CASCADE,
        related_name="dimensions",
        verbose_name=_("scheme"),
    )
    code = models.SlugField(verbose_name=_("code"), max_length=40, help_text=_("For example outcome or quick-win."))
    order = models.PositiveSmallIntegerField(verbose_name=_("order"), default=0)
    name_ind = models.CharField(verbose_name=_("name (Indonesian)"), max_length=80)
    name_en = models.CharField(verbose_name=_("name (English)"), max_length=80, blank=True)
    weight = models.DecimalField(
        verbose_name=_("weight (%)"),
        validators=[MinValueValidator(0), MaxValueValidator(100)],
        help_text=_("The weights of a scheme's dimensions add up to 100."),
        **WEIGHT,
    )

    name = Translated("name")

    objects = SchemeDimensionQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["scheme", "order", "pk"]
        verbose_name = _("dimension")
        verbose_name_plural = _("dimensions")
        constraints = [
            models.UniqueConstraint(fields=["scheme", "code"], name="%(app_label)s_%(class)s_unique_code"),
            models.CheckConstraint(
                condition=Q(weight__gte=0, weight__lte=100), name="%(app_label)s_%(class)s_weight_range"
            ),
        ]

    def __str__(self):
        return self.name


class SchemeBand(Band):
    """A named band of a scheme's scale, e.g. "Baik" from 3.00 to 3.49; a scheme's bands never overlap."""

    scheme = models.ForeignKey(
        to="evaluations.EvaluationScheme", on_delete=models.CASCADE, related_name="bands", verbose_name=_("scheme")
    )

    objects = SchemeBandQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta(Band.Meta):
        ordering = ["scheme", "lower"]
        verbose_name = _("band")
        verbose_name_plural = _("bands")
