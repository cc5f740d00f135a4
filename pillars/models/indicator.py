from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from pillars.choices import Access, Approval, Direction, Frequency, IsoTheme
from pillars.querysets import IndicatorQuerySet, IndicatorTargetQuerySet, MeasurementQuerySet
from smartcity.fields import YearField
from smartcity.models import PublishableModel, TimeStampedModel, Translated
from smartcity.uploads import FileContentValidator, RandomName

VALUE = {"max_digits": 16, "decimal_places": 2}


class Indicator(PublishableModel, TimeStampedModel):
    """A measurable indicator of a pillar, or of the whole city, with yearly targets and measurements."""

    slug = models.SlugField(verbose_name=_("slug"), max_length=120, unique=True)
    name_ind = models.CharField(verbose_name=_("name (Indonesian)"), max_length=200)
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
    # Satu Data Indonesia's indicator metadata (MS-Ind); the unit, periodicity (frequency) and producing agency
    # (owner agency) are the fields above. All are required before the indicator is submitted or published.
    concept = models.TextField(verbose_name=_("concept"), blank=True, help_text=_("The idea the indicator measures."))
    definition = models.TextField(verbose_name=_("definition"), blank=True)
    interpretation = models.TextField(
        verbose_name=_("interpretation"), blank=True, help_text=_("How to read a higher or lower value.")
    )
    method = models.TextField(verbose_name=_("method / formula"), blank=True, help_text=_("How the value is computed."))
    measure = models.CharField(
        verbose_name=_("measure"), max_length=200, blank=True, help_text=_("What is counted, e.g. number of points.")
    )
    breakdown = models.CharField(
        verbose_name=_("presentation breakdown (klasifikasi penyajian)"),
        max_length=200,
        blank=True,
        help_text=_("How the figure is presented, for example by district, by sex. Required before approval."),
    )
    is_composite = models.BooleanField(
        verbose_name=_("composite indicator"), default=False, help_text=_("Computed from other indicators.")
    )
    building_blocks = models.ManyToManyField(
        to="self",
        symmetrical=False,
        blank=True,
        related_name="composites",
        verbose_name=_("building-block indicators"),
        help_text=_("The indicators a composite indicator is computed from (only for a composite indicator)."),
    )
    building_block_variables = models.TextField(
        verbose_name=_("building-block variables (variabel pembangun)"),
        blank=True,
        help_text=_("The variables the figure is computed from."),
    )
    estimation_level = models.CharField(
        verbose_name=_("estimation level"), max_length=100, blank=True, help_text=_("For example city, district.")
    )
    availability_publication = models.CharField(
        verbose_name=_("availability publication (publikasi ketersediaan)"),
        max_length=200,
        blank=True,
        help_text=_("Where the figure is published, for example Padang Dalam Angka."),
    )
    producing_activity = models.CharField(
        verbose_name=_("producing activity (kegiatan penghasil)"),
        max_length=200,
        blank=True,
        help_text=_("The statistical activity that produces the figure."),
    )
    producing_activity_code = models.CharField(
        verbose_name=_("producing activity code"),
        max_length=40,
        blank=True,
        help_text=_("The activity's code in its activity metadata (MS-Keg), e.g. from BPS's Romantik."),
    )
    access = models.CharField(
        verbose_name=_("access classification"),
        max_length=10,
        choices=Access,
        default=Access.OPEN,
        help_text=_("Only open (terbuka) indicators are ever public (dapat diakses umum)."),
    )
    reference_code = models.CharField(
        verbose_name=_("reference code (Kode Referensi)"),
        max_length=50,
        blank=True,
        help_text=_("The indicator's code in Satu Data Indonesia's reference list, when it has one."),
    )
    data_list_code = models.CharField(
        verbose_name=_("data list identifier (Daftar Data)"),
        max_length=50,
        blank=True,
        help_text=_("The indicator's identifier in the city's Daftar Data."),
    )
    approval = models.CharField(
        verbose_name=_("walidata approval"), max_length=10, choices=Approval, default=Approval.DRAFT, editable=False
    )
    approval_note = models.TextField(
        verbose_name=_("walidata note"), blank=True, editable=False, help_text=_("Why it was sent back.")
    )
    approved_at = models.DateTimeField(verbose_name=_("approved at"), null=True, blank=True, editable=False)
    # Framework codes: how the indicator reads against national and international standards.
    iso_theme = models.CharField(verbose_name=_("ISO 37120 theme"), max_length=20, choices=IsoTheme, blank=True)
    iso_number = models.CharField(
        verbose_name=_("ISO 37120/37122 number"),
        max_length=12,
        blank=True,
        validators=[RegexValidator(r"^\d{1,2}(\.\d{1,2}){1,2}$", _("A number like 5.1 or 17.2."))],
    )
    sdg_target = models.CharField(
        verbose_name=_("SDG target"),
        max_length=10,
        blank=True,
        validators=[RegexValidator(r"^\d{1,2}\.[0-9a-c]{1,2}(\.\d{1,2})?$", _("A target like 11.2 or 11.6.2."))],
    )
    spbe_indicator = models.PositiveSmallIntegerField(
        verbose_name=_("SPBE indicator"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(99)],
        help_text=_("The indicator's number in the SPBE evaluation, e.g. 43 (open data)."),
    )
    # How the indicator's standing is read (pillars/achievement.py): its own tolerances, in % of the year's target.
    on_track_from = models.DecimalField(
        verbose_name=_("on track from (%)"),
        max_digits=5,
        decimal_places=2,
        default=100,
        validators=[MinValueValidator(0), MaxValueValidator(200)],
        help_text=_(
            "At or above this share of the year's target the indicator is on track; 100 unless a margin is agreed."
        ),
    )
    at_risk_from = models.DecimalField(
        verbose_name=_("at risk from (%)"),
        max_digits=5,
        decimal_places=2,
        default=90,
        validators=[MinValueValidator(0), MaxValueValidator(200)],
        help_text=_("From this share up to the on-track mark the indicator is at risk; below it, off track."),
    )
    stale_since = models.DateField(
        verbose_name=_("stale since"),
        null=True,
        blank=True,
        editable=False,
        help_text=_("Set by the weekly check when the latest measurement is older than the frequency allows."),
    )

    name = Translated("name")

    search_fields = ("name_ind", "name_en", "slug", "data_source")  # the API's `q` and the admin's search box
    # Satu Data Indonesia's indicator metadata (MS-Ind, Peraturan BPS 5/2020), declared once: the metadata section
    # of the admin, the API, the import and the public page; a change to any of METADATA_FIELDS sends an approved
    # indicator back to the walidata (pillars.services.indicator_rules).
    MS_IND_FIELDS = (
        "concept",
        "definition",
        "interpretation",
        "method",
        "measure",
        "breakdown",
        "is_composite",
        "building_blocks",
        "building_block_variables",
        "estimation_level",
        "availability_publication",
        "producing_activity",
        "producing_activity_code",
        "access",
        "reference_code",
        "data_list_code",
    )
    METADATA_FIELDS = ("name_ind", "unit", *MS_IND_FIELDS)
    # Filled in before the indicator is submitted, approved or published (a composite also names its building blocks).
    REQUIRED_METADATA = ("concept", "definition", "interpretation", "method", "measure", "unit", "breakdown",
                         "estimation_level")  # fmt: skip

    objects = IndicatorQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["-is_headline", "pillar__order", "name_ind"]
        # "Last updated" (selectors.last_updated): MAX(updated_at) of the published rows reads the newest few
        # entries backwards instead of every row (4 ms -> 0.1 ms at 5,007 indicators)
        indexes = [models.Index(fields=["updated_at"], name="pillars_indicator_updated")]
        verbose_name = _("indicator")
        verbose_name_plural = _("indicators")
        permissions = [
            ("submit_indicator", "Can submit an indicator's metadata to the walidata"),
            ("approve_indicator", "Can approve or send back an indicator as walidata"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["is_headline"], condition=Q(is_headline=True), name="%(app_label)s_%(class)s_one_headline"
            ),
            models.CheckConstraint(
                condition=Q(at_risk_from__lte=F("on_track_from")), name="%(app_label)s_%(class)s_thresholds_in_order"
            ),
        ]

    def __str__(self):
        return self.name

    def clean(self):
        super().clean()
        if self.at_risk_from is not None and self.on_track_from is not None and self.at_risk_from > self.on_track_from:
            message = _("The at-risk mark cannot be above the on-track mark.")
            raise ValidationError({"at_risk_from": ValidationError(message, code="thresholds_order")})

    @property
    def missing_metadata(self) -> list[str]:
        """The MS-Ind fields still empty (the row's own columns only)."""
        return [name for name in self.REQUIRED_METADATA if not str(getattr(self, name) or "").strip()]

    @property
    def publicly_accessible(self) -> bool:
        """MS-Ind's "dapat diakses umum": yes exactly when the access classification is open (terbuka)."""
        return self.access == Access.OPEN


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

    search_fields = ("indicator__name_ind", "source_note")  # the API's `q` and the admin's search box
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
