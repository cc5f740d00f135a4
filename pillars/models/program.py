from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from pillars.achievement import milestone_is_late, program_is_overdue
from pillars.choices import FundingSource, Horizon, Stage
from pillars.querysets import BudgetLineQuerySet, MasterplanQuerySet, MilestoneQuerySet, ProgramQuerySet
from smartcity.fields import YearField
from smartcity.models import PublishableModel, TimeStampedModel, Translated
from smartcity.uploads import PDF_ONLY, FileContentValidator, RandomName

from .fields import coordinates_constraint, latitude_field, longitude_field


class Masterplan(TimeStampedModel):
    """The city's smart-city masterplan (rencana induk), e.g. 2019–2028, set by a mayor's regulation."""

    title = models.CharField(verbose_name=_("title"), max_length=200)
    first_year = YearField(verbose_name=_("first year"))
    last_year = YearField(verbose_name=_("last year"))
    regulation = models.CharField(
        verbose_name=_("regulation"), max_length=120, blank=True, help_text=_("For example Perwako No. 12 Tahun 2019.")
    )
    rpjmd_period = models.CharField(
        verbose_name=_("RPJMD period"), max_length=20, blank=True, help_text=_("For example 2019–2024.")
    )
    document = models.FileField(
        verbose_name=_("document"),
        upload_to=RandomName("masterplans"),
        blank=True,
        validators=[FileContentValidator(PDF_ONLY, max_bytes=30 * 1024 * 1024)],
    )

    search_fields = ("title", "regulation")  # the API's `q` and the admin's search box
    objects = MasterplanQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["-first_year"]
        verbose_name = _("masterplan")
        verbose_name_plural = _("masterplans")
        constraints = [
            models.CheckConstraint(condition=Q(first_year__lte=F("last_year")), name="%(app_label)s_%(class)s_years"),
        ]

    def __str__(self):
        return f"{self.title} ({self.first_year}–{self.last_year})"

    def clean(self):
        if self.first_year and self.last_year and self.first_year > self.last_year:
            raise ValidationError({"last_year": _("The last year cannot come before the first year.")})


class Program(PublishableModel, TimeStampedModel):
    """A smart-city program of one pillar, led by one agency, e.g. the public Wi-Fi in every kelurahan."""

    slug = models.SlugField(verbose_name=_("slug"), max_length=120, unique=True)
    title_ind = models.CharField(verbose_name=_("title (Indonesian)"), max_length=200)
    title_en = models.CharField(verbose_name=_("title (English)"), max_length=200, blank=True)
    description_ind = models.TextField(verbose_name=_("description (Indonesian)"), blank=True)
    description_en = models.TextField(verbose_name=_("description (English)"), blank=True)
    pillar = models.ForeignKey(
        to="pillars.Pillar", on_delete=models.PROTECT, related_name="programs", verbose_name=_("pillar")
    )
    sub_dimensions = models.ManyToManyField(
        to="pillars.SubDimension", related_name="programs", blank=True, verbose_name=_("sub-dimensions")
    )
    lead_agency = models.ForeignKey(
        to="pillars.Agency", on_delete=models.PROTECT, related_name="led_programs", verbose_name=_("lead agency")
    )
    supporting_agencies = models.ManyToManyField(
        to="pillars.Agency", related_name="supported_programs", blank=True, verbose_name=_("supporting agencies")
    )
    masterplan = models.ForeignKey(
        to="pillars.Masterplan",
        on_delete=models.PROTECT,
        related_name="programs",
        null=True,
        blank=True,
        verbose_name=_("masterplan"),
    )
    horizon = models.CharField(verbose_name=_("horizon"), max_length=12, choices=Horizon, default=Horizon.SHORT)
    stage = models.CharField(verbose_name=_("stage"), max_length=12, choices=Stage, default=Stage.PLANNED)
    progress = models.PositiveSmallIntegerField(
        verbose_name=_("progress (%)"), default=0, validators=[MinValueValidator(0), MaxValueValidator(100)]
    )
    completed_on = models.DateField(verbose_name=_("completed on"), null=True, blank=True)
    first_year = YearField(verbose_name=_("first year"))
    last_year = YearField(verbose_name=_("last year"))
    location = models.CharField(verbose_name=_("location"), max_length=200, blank=True)
    districts = models.ManyToManyField(
        to="pillars.District",
        related_name="programs",
        blank=True,
        verbose_name=_("districts"),
        help_text=_("The districts (kecamatan) the program serves; none for the whole city."),
    )
    latitude = latitude_field()
    longitude = longitude_field()
    # Written only through the links (ProgramIndicator's writer, or the program's nested `indicators`), never set().
    indicators = models.ManyToManyField(
        to="pillars.Indicator",
        through="pillars.ProgramIndicator",
        related_name="programs",
        blank=True,
        verbose_name=_("indicators"),
        help_text=_("The indicators the program is meant to move, as its output or outcome."),
    )

    title = Translated("title")
    description = Translated("description")

    # the API's `q` and the admin's search box
    search_fields = (
        "title_ind",
        "title_en",
        "description_ind",
        "description_en",
        "slug",
        "location",
    )
    objects = ProgramQuerySet.as_manager()
    history = HistoricalRecords(m2m_fields=[sub_dimensions, supporting_agencies, districts])

    class Meta:
        # By title, on an index: sorting by the pillar's order would join and sort every row on each page.
        ordering = ["title_ind", "pk"]
        indexes = [
            models.Index(fields=["title_ind", "id"], name="pillars_program_title"),
            models.Index(fields=["pillar", "title_ind"], name="pillars_program_pillar_title"),
            # "Last updated" (selectors.last_updated): MAX(updated_at) of the published rows reads the newest few
            # entries backwards instead of every row (4 ms -> 0.1 ms at 10,000 programs)
            models.Index(fields=["updated_at"], name="pillars_program_updated"),
        ]
        verbose_name = _("program")
        verbose_name_plural = _("programs")
        constraints = [
            models.CheckConstraint(condition=Q(first_year__lte=F("last_year")), name="%(app_label)s_%(class)s_years"),
            models.CheckConstraint(condition=Q(progress__lte=100), name="%(app_label)s_%(class)s_progress_max"),
            coordinates_constraint(),
        ]

    def __str__(self):
        return self.title

    def clean(self):
        errors = {}
        if self.first_year and self.last_year and self.first_year > self.last_year:
            errors["last_year"] = _("The last year cannot come before the first year.")
        if self.stage == Stage.COMPLETED and self.progress != 100:
            errors["progress"] = _("A completed program is at 100 %.")
        if self.stage == Stage.COMPLETED and not self.completed_on:
            errors["completed_on"] = _("Give the date the program was completed.")
        if self.stage != Stage.COMPLETED and self.completed_on:
            errors["completed_on"] = _("Only a completed program has a completion date.")
        if (self.latitude is None) != (self.longitude is None):
            errors["longitude"] = _("Give both latitude and longitude, or neither.")
        if errors:
            raise ValidationError(errors)

    @property
    def is_overdue(self) -> bool:
        """Past its last year and still neither completed nor cancelled (pillars.achievement's rule)."""
        return program_is_overdue(last_year=self.last_year, stage=self.stage, today=timezone.localdate())


class Milestone(TimeStampedModel):
    """A dated step of a program, with the evidence that it was reached."""

    program = models.ForeignKey(
        to="pillars.Program", on_delete=models.CASCADE, related_name="milestones", verbose_name=_("program")
    )
    title_ind = models.CharField(verbose_name=_("title (Indonesian)"), max_length=200)
    title_en = models.CharField(verbose_name=_("title (English)"), max_length=200, blank=True)
    due_on = models.DateField(verbose_name=_("due on"))
    done_on = models.DateField(verbose_name=_("done on"), null=True, blank=True)
    evidence = models.FileField(
        verbose_name=_("evidence"),
        upload_to=RandomName("evidence"),
        blank=True,
        validators=[FileContentValidator()],
    )

    title = Translated("title")

    search_fields = ("title_ind", "title_en")  # the API's `q` and the admin's search box
    objects = MilestoneQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["program", "due_on"]
        verbose_name = _("milestone")
        verbose_name_plural = _("milestones")

    def __str__(self):
        return self.title

    @property
    def is_late(self) -> bool:
        """Past its due date and not done (pillars.achievement's rule)."""
        return milestone_is_late(due_on=self.due_on, done_on=self.done_on, today=timezone.localdate())


class BudgetLine(TimeStampedModel):
    """What a program plans to spend and has spent in one year from one source, in rupiah."""

    program = models.ForeignKey(
        to="pillars.Program", on_delete=models.CASCADE, related_name="budget_lines", verbose_name=_("program")
    )
    year = YearField(verbose_name=_("year"))
    source = models.CharField(verbose_name=_("source"), max_length=10, choices=FundingSource)
    planned_amount = models.PositiveBigIntegerField(verbose_name=_("planned (Rp)"), default=0)
    realised_amount = models.PositiveBigIntegerField(verbose_name=_("realised (Rp)"), default=0)
    note = models.CharField(verbose_name=_("note"), max_length=200, blank=True)
    smart_city = models.BooleanField(
        verbose_name=_("smart-city budget"),
        default=False,
        help_text=_("Counted in the year's smart-city budget (the evaluation's Output dimension)."),
    )

    search_fields = ("program__title_ind", "note")  # the API's `q` and the admin's search box
    objects = BudgetLineQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["program", "year", "source"]
        verbose_name = _("budget line")
        verbose_name_plural = _("budget lines")
        constraints = [
            models.UniqueConstraint(fields=["program", "year", "source"], name="%(app_label)s_%(class)s_unique"),
            models.CheckConstraint(
                condition=Q(planned_amount__gte=0, realised_amount__gte=0), name="%(app_label)s_%(class)s_not_negative"
            ),
        ]

    def __str__(self):
        return f"{self.year} · {self.get_source_display()}"
