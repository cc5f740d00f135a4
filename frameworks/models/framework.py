from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from evaluations.models.bases import Band
from evaluations.models.fields import MAX_DECIMALS, score_field
from frameworks import querysets as qs
from smartcity.fields import YearField
from smartcity.models import PublishableModel, SourcedModel, TimeStampedModel, Translated
from smartcity.uploads import FileContentValidator, RandomName

# An indicator's weight is its share (%) of the whole index; four decimals hold any published weighting.
INDICATOR_WEIGHT = {"max_digits": 7, "decimal_places": 4}


class Framework(SourcedModel, PublishableModel, TimeStampedModel):
    """A national assessment framework kept as data, e.g. SPBE (PermenPANRB 59/2020) or its successor, the Indeks
    Pemerintah Digital (Indeks Pemdi): domains, aspects and weighted indicators, each assessed on named levels, with
    bands for the index; the source of the structure and whether it was verified against it."""

    slug = models.SlugField(verbose_name=_("slug"), max_length=80, unique=True)
    name_ind = models.CharField(verbose_name=_("name (Indonesian)"), max_length=200)
    name_en = models.CharField(verbose_name=_("name (English)"), max_length=200, blank=True)
    issuing_body = models.CharField(verbose_name=_("issuing body"), max_length=160)
    level_min = models.PositiveSmallIntegerField(verbose_name=_("lowest level"), default=1)
    level_max = models.PositiveSmallIntegerField(verbose_name=_("highest level"), default=5)
    decimals = models.PositiveSmallIntegerField(
        verbose_name=_("decimal places"),
        default=2,
        validators=[MaxValueValidator(MAX_DECIMALS)],
        help_text=_("The index is rounded half up to this many decimal places."),
    )
    notes = models.TextField(verbose_name=_("notes"), blank=True, help_text=_("Including what is not verified."))

    name = Translated("name")
    search_fields = ("slug", "name_ind", "name_en", "issuing_body")

    objects = qs.FrameworkQuerySet.as_manager()
    history = HistoricalRecords(table_name="evaluations_historicalframework")

    class Meta:
        db_table = "evaluations_framework"
        ordering = ["name_ind"]
        verbose_name = _("assessment framework")
        verbose_name_plural = _("assessment frameworks")
        constraints = [
            models.CheckConstraint(condition=Q(level_min__lt=F("level_max")), name="%(app_label)s_%(class)s_levels"),
        ]

    def __str__(self):
        return self.name


class FrameworkPart(TimeStampedModel):
    """A named, ordered part of a framework's structure (a domain, an aspect), coded uniquely in its framework."""

    code = models.SlugField(verbose_name=_("code"), max_length=40)
    order = models.PositiveSmallIntegerField(verbose_name=_("order"), default=0)
    name_ind = models.CharField(verbose_name=_("name (Indonesian)"), max_length=200)
    name_en = models.CharField(verbose_name=_("name (English)"), max_length=200, blank=True)

    name = Translated("name")

    objects = qs.FrameworkPartQuerySet.as_manager()

    class Meta:
        abstract = True
        ordering = ["framework", "order", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["framework", "code"], name="%(app_label)s_%(class)s_unique_code"),
        ]

    def __str__(self):
        return self.name


class FrameworkDomain(FrameworkPart):
    """A domain of a framework, e.g. SPBE's "Kebijakan Internal SPBE"."""

    framework = models.ForeignKey(
        to="frameworks.Framework", on_delete=models.CASCADE, related_name="domains", verbose_name=_("framework")
    )

    history = HistoricalRecords(table_name="evaluations_historicalframeworkdomain")

    class Meta(FrameworkPart.Meta):
        db_table = "evaluations_frameworkdomain"
        verbose_name = _("framework domain")
        verbose_name_plural = _("framework domains")


class FrameworkAspect(FrameworkPart):
    """An aspect of a framework's domain, e.g. SPBE's "Perencanaan Strategis SPBE"."""

    framework = models.ForeignKey(
        to="frameworks.Framework", on_delete=models.CASCADE, related_name="aspects", verbose_name=_("framework")
    )
    domain = models.ForeignKey(
        to="frameworks.FrameworkDomain", on_delete=models.CASCADE, related_name="aspects", verbose_name=_("domain")
    )

    history = HistoricalRecords(table_name="evaluations_historicalframeworkaspect")

    class Meta(FrameworkPart.Meta):
        db_table = "evaluations_frameworkaspect"
        verbose_name = _("framework aspect")
        verbose_name_plural = _("framework aspects")


class FrameworkIndicator(SourcedModel, TimeStampedModel):
    """An indicator of a framework's aspect, assessed on the framework's levels, with its weight in the index, the
    criteria of each level where a public source gives them, and the source of its weight."""

    framework = models.ForeignKey(
        to="frameworks.Framework", on_delete=models.CASCADE, related_name="indicators", verbose_name=_("framework")
    )
    aspect = models.ForeignKey(
        to="frameworks.FrameworkAspect",
        on_delete=models.CASCADE,
        related_name="indicators",
        verbose_name=_("aspect"),
    )
    number = models.PositiveSmallIntegerField(verbose_name=_("number"))
    name_ind = models.CharField(verbose_name=_("name (Indonesian)"), max_length=300)
    name_en = models.CharField(verbose_name=_("name (English)"), max_length=300, blank=True)
    weight = models.DecimalField(
        verbose_name=_("weight (%)"),
        validators=[MinValueValidator(0), MaxValueValidator(100)],
        help_text=_("The indicator's share of the index; a framework's weights add up to 100."),
        **INDICATOR_WEIGHT,
    )
    level_criteria = models.JSONField(
        verbose_name=_("criteria per level"),
        default=dict,
        blank=True,
        help_text=_("The criteria text of each level, by level number; empty until a source gives them."),
    )
    named_by_assessee = models.BooleanField(
        verbose_name=_("named by the assessee"),
        default=False,
        help_text=_("The city names what this indicator covers each year, e.g. SPBE's public-service sectors 1–3."),
    )

    name = Translated("name")

    objects = qs.FrameworkPartQuerySet.as_manager()
    history = HistoricalRecords(table_name="evaluations_historicalframeworkindicator")

    class Meta:
        db_table = "evaluations_frameworkindicator"
        ordering = ["framework", "number"]
        verbose_name = _("framework indicator")
        verbose_name_plural = _("framework indicators")
        constraints = [
            models.UniqueConstraint(fields=["framework", "number"], name="%(app_label)s_%(class)s_unique_number"),
            models.CheckConstraint(
                condition=Q(weight__gte=0, weight__lte=100), name="%(app_label)s_%(class)s_weight_range"
            ),
        ]

    def __str__(self):
        return f"{self.number}. {self.name}"


class FrameworkLevel(SourcedModel, TimeStampedModel):
    """A named level of a framework's scale, e.g. SPBE's level 3 "Terdefinisi"."""

    framework = models.ForeignKey(
        to="frameworks.Framework", on_delete=models.CASCADE, related_name="levels", verbose_name=_("framework")
    )
    level = models.PositiveSmallIntegerField(verbose_name=_("level"))
    name_ind = models.CharField(verbose_name=_("name (Indonesian)"), max_length=120)
    name_en = models.CharField(verbose_name=_("name (English)"), max_length=120, blank=True)

    name = Translated("name")

    objects = qs.FrameworkPartQuerySet.as_manager()
    history = HistoricalRecords(table_name="evaluations_historicalframeworklevel")

    class Meta:
        db_table = "evaluations_frameworklevel"
        ordering = ["framework", "level"]
        verbose_name = _("framework level")
        verbose_name_plural = _("framework levels")
        constraints = [
            models.UniqueConstraint(fields=["framework", "level"], name="%(app_label)s_%(class)s_unique_level"),
        ]

    def __str__(self):
        return f"{self.level} {self.name}"


class FrameworkBand(SourcedModel, Band):
    """A named band of a framework's index, e.g. SPBE's "Baik" from 2.60 to 3.49 (the evaluations' band shape)."""

    framework = models.ForeignKey(
        to="frameworks.Framework", on_delete=models.CASCADE, related_name="bands", verbose_name=_("framework")
    )

    objects = qs.FrameworkPartQuerySet.as_manager()
    history = HistoricalRecords(table_name="evaluations_historicalframeworkband")

    class Meta(Band.Meta):
        db_table = "evaluations_frameworkband"
        ordering = ["framework", "lower"]
        verbose_name = _("framework band")
        verbose_name_plural = _("framework bands")


class SelfAssessment(PublishableModel, TimeStampedModel):
    """The city's assessment against a framework in one year: a level per indicator, self-assessed with
    justification and evidence, then checked by the external assessors; weighted into an index."""

    framework = models.ForeignKey(
        to="frameworks.Framework", on_delete=models.PROTECT, related_name="assessments", verbose_name=_("framework")
    )
    year = YearField(verbose_name=_("year"))
    self_index = score_field(_("self-assessed index"), null=True, blank=True, editable=False)
    assessor_index = score_field(_("assessors' index"), null=True, blank=True, editable=False)
    summary_ind = models.TextField(verbose_name=_("summary (Indonesian)"), blank=True)
    summary_en = models.TextField(verbose_name=_("summary (English)"), blank=True)

    summary = Translated("summary")
    band_label = Translated("band_label")  # band_label_ind / _en: annotated by with_index()
    search_fields = ("framework__name_ind", "framework__slug", "summary_ind")

    objects = qs.SelfAssessmentQuerySet.as_manager()
    history = HistoricalRecords(table_name="evaluations_historicalselfassessment")

    class Meta:
        db_table = "evaluations_selfassessment"
        ordering = ["framework", "-year"]
        verbose_name = _("self-assessment")
        verbose_name_plural = _("self-assessments")
        permissions = [("assess_selfassessment", "Can record the external assessors' levels")]
        constraints = [
            models.UniqueConstraint(fields=["framework", "year"], name="%(app_label)s_%(class)s_one_per_year"),
        ]

    def __str__(self):
        return f"{self.framework} {self.year}"


class SelfAssessmentScore(TimeStampedModel):
    """One indicator of a year's self-assessment: target, self-assessed and assessors' levels, justification."""

    assessment = models.ForeignKey(
        to="frameworks.SelfAssessment", on_delete=models.CASCADE, related_name="scores", verbose_name=_("assessment")
    )
    indicator = models.ForeignKey(
        to="frameworks.FrameworkIndicator",
        on_delete=models.PROTECT,
        related_name="scores",
        verbose_name=_("indicator"),
    )
    target_level = models.PositiveSmallIntegerField(verbose_name=_("target level"), null=True, blank=True)
    self_level = models.PositiveSmallIntegerField(verbose_name=_("self-assessed level"), null=True, blank=True)
    subject = models.CharField(
        verbose_name=_("named subject"),
        max_length=200,
        blank=True,
        help_text=_("For an indicator the city names each year: e.g. the public-service sector it reports this year."),
    )
    justification = models.TextField(verbose_name=_("justification"), blank=True)
    assessor_level = models.PositiveSmallIntegerField(
        verbose_name=_("assessors' level"), null=True, blank=True, editable=False
    )
    assessor_note = models.TextField(verbose_name=_("assessors' note"), blank=True, editable=False)

    objects = qs.SelfAssessmentScoreQuerySet.as_manager()
    history = HistoricalRecords(table_name="evaluations_historicalselfassessmentscore")

    class Meta:
        db_table = "evaluations_selfassessmentscore"
        ordering = ["assessment", "indicator__number"]
        verbose_name = _("self-assessment score")
        verbose_name_plural = _("self-assessment scores")
        constraints = [
            models.UniqueConstraint(fields=["assessment", "indicator"], name="%(app_label)s_%(class)s_one_each"),
        ]

    def __str__(self):
        return f"{self.indicator_id}: {self.self_level}"

    @property
    def level(self):
        """The level that counts: the assessors' once given, else the self-assessed one."""
        return self.assessor_level if self.assessor_level is not None else self.self_level

    @property
    def gap(self):
        """How far the level that counts is below the target (negative: above it)."""
        if self.target_level is None or self.level is None:
            return None
        return self.target_level - self.level


class SelfAssessmentEvidence(TimeStampedModel):
    """A supporting document (bukti dukung) for one indicator of a self-assessment."""

    score = models.ForeignKey(
        to="frameworks.SelfAssessmentScore",
        on_delete=models.CASCADE,
        related_name="evidence",
        verbose_name=_("score"),
    )
    file = models.FileField(
        verbose_name=_("file"), upload_to=RandomName("framework-evidence"), validators=[FileContentValidator()]
    )
    caption = models.CharField(verbose_name=_("caption"), max_length=200, blank=True)

    objects = qs.SelfAssessmentEvidenceQuerySet.as_manager()
    history = HistoricalRecords(table_name="evaluations_historicalselfassessmentevidence")

    class Meta:
        db_table = "evaluations_selfassessmentevidence"
        ordering = ["score", "pk"]
        verbose_name = _("self-assessment evidence")
        verbose_name_plural = _("self-assessment evidence")

    def __str__(self):
        return self.caption or self.file.name
