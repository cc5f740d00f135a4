from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils import formats
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from evaluations.choices import EvaluationKind, EvaluationStage, EvaluationStatus
from evaluations.querysets import DimensionScoreQuerySet, EvaluationQuerySet, PillarScoreQuerySet
from smartcity.fields import YearField
from smartcity.models import PublishableModel, TimeStampedModel, Translated

from .fields import score_field


class Evaluation(PublishableModel, TimeStampedModel):
    """One stage of one year's evaluation of the city, e.g. the 2019 field review by BPPT or the final result."""

    scheme = models.ForeignKey(
        to="evaluations.EvaluationScheme",
        on_delete=models.PROTECT,
        related_name="evaluations",
        verbose_name=_("scheme"),
    )
    year = YearField(verbose_name=_("year"))
    slug = models.SlugField(
        verbose_name=_("slug"),
        max_length=80,
        unique=True,
        editable=False,
        help_text=_("Its address on the portal, from the year, stage and kind (e.g. 2024-stage-2); it never changes."),
    )
    stage = models.CharField(verbose_name=_("stage"), max_length=16, choices=EvaluationStage)
    kind = models.CharField(verbose_name=_("kind"), max_length=16, choices=EvaluationKind)
    status = models.CharField(
        verbose_name=_("status"), max_length=10, choices=EvaluationStatus, default=EvaluationStatus.DRAFT
    )
    evaluating_body = models.CharField(
        verbose_name=_("evaluating body"), max_length=200, blank=True, help_text=_("For example BPPT.")
    )
    assessors = models.TextField(verbose_name=_("assessors"), blank=True, help_text=_("One name per line."))
    started_on = models.DateField(verbose_name=_("started on"), null=True, blank=True)
    ended_on = models.DateField(verbose_name=_("ended on"), null=True, blank=True)
    letter_number = models.CharField(
        verbose_name=_("official letter number"), max_length=80, blank=True, help_text=_("For example B-147/2024.")
    )
    letter_date = models.DateField(verbose_name=_("official letter date"), null=True, blank=True)
    national_rank = models.PositiveIntegerField(
        verbose_name=_("national rank"), null=True, blank=True, validators=[MinValueValidator(1)]
    )
    provincial_rank = models.PositiveIntegerField(
        verbose_name=_("provincial rank"), null=True, blank=True, validators=[MinValueValidator(1)]
    )
    computed_index = score_field(
        _("computed index"),
        null=True,
        blank=True,
        editable=False,
        help_text=_("Computed from the dimension scores and the scheme's weights."),
    )
    official_index = score_field(
        _("official index"),
        null=True,
        blank=True,
        help_text=_("The figure in the official letter, when it differs from the computed one."),
    )
    summary_ind = models.TextField(verbose_name=_("summary (Indonesian)"), blank=True)
    summary_en = models.TextField(verbose_name=_("summary (English)"), blank=True)

    summary = Translated("summary")
    band_label = Translated("band_label")  # the band annotated by EvaluationQuerySet.with_band()

    search_fields = ("letter_number", "evaluating_body", "assessors")  # the API's `q` and the admin's search box
    objects = EvaluationQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["-year", "-started_on", "pk"]
        verbose_name = _("evaluation")
        verbose_name_plural = _("evaluations")
        permissions = [
            ("view_readiness", _("Can see what evidence an evaluation still lacks")),
            ("submit_evaluation", _("Can submit a draft evaluation")),
            ("finalise_evaluation", _("Can finalise a submitted evaluation")),
        ]
        constraints = [
            models.UniqueConstraint(fields=["scheme", "stage", "kind"], name="%(app_label)s_%(class)s_unique_stage"),
            models.CheckConstraint(
                condition=Q(started_on__isnull=True) | Q(ended_on__isnull=True) | Q(started_on__lte=F("ended_on")),
                name="%(app_label)s_%(class)s_dates",
            ),
            models.CheckConstraint(
                condition=Q(national_rank__isnull=True) | Q(national_rank__gte=1), name="%(app_label)s_%(class)s_rank"
            ),
            models.CheckConstraint(
                condition=Q(provincial_rank__isnull=True) | Q(provincial_rank__gte=1),
                name="%(app_label)s_%(class)s_provincial_rank",
            ),
        ]

    def __str__(self):
        return f"{self.year} · {self.get_stage_display()} · {self.get_kind_display()}"

    def get_absolute_url(self) -> str:
        return reverse("evaluations:evaluation-detail", args=[self.slug])

    @property
    def index(self):
        """The headline figure: the official letter's when given, else the computed one."""
        return self.official_index if self.official_index is not None else self.computed_index

    @property
    def index_differs(self) -> bool:
        return self.official_index is not None and self.official_index != self.computed_index

    @property
    def assessor_list(self) -> list[str]:
        return [line.strip() for line in self.assessors.splitlines() if line.strip()]

    def clean(self):
        if self.started_on and self.ended_on and self.started_on > self.ended_on:
            raise ValidationError({"ended_on": _("The evaluation cannot end before it starts.")})
        if self.status == EvaluationStatus.FINAL and self.stage == EvaluationStage.FINAL and not self.letter_number:
            raise ValidationError({"letter_number": _("A final result gives the number of its official letter.")})


class DimensionScore(TimeStampedModel):
    """An evaluation's score on one dimension of its scheme, e.g. Outcome 3.25."""

    evaluation = models.ForeignKey(
        to="evaluations.Evaluation",
        on_delete=models.PROTECT,
        related_name="dimension_scores",
        verbose_name=_("evaluation"),
    )
    dimension = models.ForeignKey(
        to="evaluations.SchemeDimension", on_delete=models.PROTECT, related_name="scores", verbose_name=_("dimension")
    )
    score = score_field(_("score"))

    objects = DimensionScoreQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["evaluation", "dimension__order", "dimension_id"]
        verbose_name = _("dimension score")
        verbose_name_plural = _("dimension scores")
        constraints = [
            models.UniqueConstraint(fields=["evaluation", "dimension"], name="%(app_label)s_%(class)s_unique"),
        ]

    def __str__(self):
        """ "Outcome: 3,25": read with the dimension (callers select_related it, as the admin inline does)."""
        return _("%(dimension)s: %(score)s") % {"dimension": self.dimension, "score": _score(self.score)}


class PillarScore(TimeStampedModel):
    """An evaluation's score on one of the six pillars, e.g. Smart Governance 2.75."""

    evaluation = models.ForeignKey(
        to="evaluations.Evaluation",
        on_delete=models.PROTECT,
        related_name="pillar_scores",
        verbose_name=_("evaluation"),
    )
    pillar = models.ForeignKey(
        to="pillars.Pillar", on_delete=models.PROTECT, related_name="evaluation_scores", verbose_name=_("pillar")
    )
    score = score_field(_("score"))

    objects = PillarScoreQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["evaluation", "pillar__order"]
        verbose_name = _("pillar score")
        verbose_name_plural = _("pillar scores")
        constraints = [
            models.UniqueConstraint(fields=["evaluation", "pillar"], name="%(app_label)s_%(class)s_unique"),
        ]

    def __str__(self):
        """ "Tata Kelola: 2,75": read with the pillar (callers select_related it, as the admin inline does)."""
        return _("%(pillar)s: %(score)s") % {"pillar": self.pillar, "score": _score(self.score)}


def _score(score) -> str:
    """A score as the evaluation letters write it: two decimals, in the page's number format."""
    return "—" if score is None else formats.number_format(score, decimal_pos=2, use_l10n=True)
