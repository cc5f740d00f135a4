from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from pillars.choices import Direction, Frequency
from pillars.querysets import IndicatorQuerySet, IndicatorTargetQuerySet, MeasurementQuerySet
from smartcity.fields import YearField
from smartcity.models import PublishableModel, TimeStampedModel, Translated
from smartcity.uploads import FileContentValidator, RandomName

VALUE = {"max_digits": 16, "decimal_places": 2}


class Indicator(PublishableModel, TimeStampedModel):
    """A measurable indicator of a pillar, or of the whole city, with yearly targets and measurements."""

    slug = models.SlugField(verbose_name=_("slug"), max_length=120, unique=True)
    name_id = models.CharField(verbose_name=_("name (Indonesian)"), max_length=200)
    name_en = models.CharField(verbose_name=_("name (English)"), max_length=200, blank=True)
    pillar = models.ForeignKey(
        to="pillars.Pillar",
        on_delete=models.PROTECT,
        related_name="indicators",
        null=True,
        blank=True,
        verbose_name=_("pillar"),
        help_text=_("Leave empty for a city-wide indicator."),
    )
    is_headline = models.BooleanField(
        verbose_name=_("headline"),
        default=False,
        help_text=_("The city's overall smart-city achievement (capaian smart city), shown on the home page."),
    )
    unit = models.CharField(verbose_name=_("unit"), max_length=40, help_text=_("For example %, points, applications."))
    direction = models.CharField(
        verbose_name=_("direction"), max_length=8, choices=Direction, default=Direction.HIGHER_IS_BETTER
    )
    baseline_value = models.DecimalField(verbose_name=_("baseline value"), null=True, blank=True, **VALUE)
    baseline_year = YearField(verbose_name=_("baseline year"), null=True, blank=True)
    frequency = models.CharField(
        verbose_name=_("frequency"), max_length=10, choices=Frequency, default=Frequency.YEARLY
    )
    data_source = models.CharField(verbose_name=_("data source"), max_length=200, blank=True)
    owner_agency = models.ForeignKey(
        to="pillars.Agency", on_delete=models.PROTECT, related_name="indicators", verbose_name=_("owner agency")
    )
    stale_since = models.DateField(
        verbose_name=_("stale since"),
        null=True,
        blank=True,
        editable=False,
        help_text=_("Set by the weekly check when the latest measurement is older than the frequency allows."),
    )

    name = Translated("name")

    search_fields = ("name_id", "name_en", "slug", "data_source")  # the API's `q` and the admin's search box
    objects = IndicatorQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["-is_headline", "pillar__order", "name_id"]
        verbose_name = _("indicator")
        verbose_name_plural = _("indicators")
        constraints = [
            models.UniqueConstraint(
                fields=["is_headline"], condition=Q(is_headline=True), name="%(app_label)s_%(class)s_one_headline"
            ),
        ]

    def __str__(self):
        return self.name


class IndicatorTarget(TimeStampedModel):
    """The value an indicator should reach in one year."""

    indicator = models.ForeignKey(
        to="pillars.Indicator", on_delete=models.CASCADE, related_name="targets", verbose_name=_("indicator")
    )
    year = YearField(verbose_name=_("year"))
    value = models.DecimalField(verbose_name=_("target value"), **VALUE)

    objects = IndicatorTargetQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["indicator", "year"]
        verbose_name = _("target")
        verbose_name_plural = _("targets")
        constraints = [
            models.UniqueConstraint(fields=["indicator", "year"], name="%(app_label)s_%(class)s_one_per_year"),
        ]

    def __str__(self):
        return f"{self.year}: {self.value}"


class Measurement(TimeStampedModel):
    """A value of an indicator measured on a date; the last one of a year is that year's actual."""

    indicator = models.ForeignKey(
        to="pillars.Indicator", on_delete=models.CASCADE, related_name="measurements", verbose_name=_("indicator")
    )
    measured_on = models.DateField(verbose_name=_("measured on"))
    value = models.DecimalField(verbose_name=_("value"), **VALUE)
    source_note = models.CharField(verbose_name=_("source"), max_length=200, blank=True)
    evidence = models.FileField(
        verbose_name=_("evidence"),
        upload_to=RandomName("evidence"),
        blank=True,
        validators=[FileContentValidator()],
    )

    search_fields = ("indicator__name_id", "source_note")  # the API's `q` and the admin's search box
    objects = MeasurementQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["indicator", "-measured_on"]
        verbose_name = _("measurement")
        verbose_name_plural = _("measurements")
        constraints = [
            models.UniqueConstraint(fields=["indicator", "measured_on"], name="%(app_label)s_%(class)s_one_per_day"),
        ]
        indexes = [models.Index(fields=["indicator", "-measured_on"], name="pillars_measurement_latest")]

    def __str__(self):
        return f"{self.measured_on}: {self.value}"
