from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from evaluations.choices import ResponseSource
from evaluations.querysets import (
    SurveyAnswerQuerySet,
    SurveyItemQuerySet,
    SurveyQuerySet,
    SurveyResponseQuerySet,
    SurveyTargetQuerySet,
)
from smartcity.fields import YearField
from smartcity.models import PublishableModel, TimeStampedModel, Translated


class Survey(PublishableModel, TimeStampedModel):
    """A year's citizen survey for the Impact dimension, run by Diskominfo with Bappeda and the owning agencies:
    one questionnaire of Likert items, asked about one program or service per sub-dimension."""

    year = YearField(verbose_name=_("year"))
    slug = models.SlugField(verbose_name=_("slug"), max_length=80, unique=True)
    title_ind = models.CharField(verbose_name=_("title (Indonesian)"), max_length=200)
    title_en = models.CharField(verbose_name=_("title (English)"), max_length=200, blank=True)
    scale_min = models.PositiveSmallIntegerField(verbose_name=_("scale minimum"), default=1)
    scale_max = models.PositiveSmallIntegerField(
        verbose_name=_("scale maximum"), default=5, validators=[MaxValueValidator(10)], help_text=_("For example 5.")
    )
    run_by = models.CharField(
        verbose_name=_("run by"), max_length=200, blank=True, help_text=_("For example Diskominfo with Bappeda.")
    )
    open_online = models.BooleanField(
        verbose_name=_("open on the public survey page"),
        default=False,
        help_text=_("Citizens may answer on the portal, once per device and address in a window."),
    )

    title = Translated("title")
    search_fields = ("title_ind", "title_en", "slug")

    objects = SurveyQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["-year", "pk"]
        verbose_name = _("survey")
        verbose_name_plural = _("surveys")
        constraints = [
            models.CheckConstraint(condition=Q(scale_min__lt=F("scale_max")), name="%(app_label)s_%(class)s_scale"),
        ]

    def __str__(self):
        return f"{self.title} ({self.year})"

    def clean(self):
        if self.scale_min is not None and self.scale_max is not None and self.scale_min >= self.scale_max:
            raise ValidationError({"scale_max": _("The scale's maximum must be above its minimum.")})


class SurveyItem(TimeStampedModel):
    """One Likert statement of a survey's questionnaire, in both languages."""

    survey = models.ForeignKey(
        to="evaluations.Survey", on_delete=models.CASCADE, related_name="items", verbose_name=_("survey")
    )
    code = models.SlugField(verbose_name=_("code"), max_length=20, help_text=_("The column of the item in a file."))
    order = models.PositiveSmallIntegerField(verbose_name=_("order"), default=0)
    text_ind = models.CharField(verbose_name=_("statement (Indonesian)"), max_length=300)
    text_en = models.CharField(verbose_name=_("statement (English)"), max_length=300, blank=True)

    text = Translated("text")

    objects = SurveyItemQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["survey", "order", "pk"]
        verbose_name = _("survey item")
        verbose_name_plural = _("survey items")
        constraints = [models.UniqueConstraint(fields=["survey", "code"], name="%(app_label)s_%(class)s_unique_code")]

    def __str__(self):
        return f"{self.code}: {self.text}"


class SurveyTarget(TimeStampedModel):
    """What a survey asks about in one sub-dimension: one program or digital service, with its owning agency."""

    survey = models.ForeignKey(
        to="evaluations.Survey", on_delete=models.CASCADE, related_name="targets", verbose_name=_("survey")
    )
    sub_dimension = models.ForeignKey(
        to="pillars.SubDimension",
        on_delete=models.PROTECT,
        related_name="survey_targets",
        verbose_name=_("sub-dimension"),
    )
    program = models.ForeignKey(
        to="pillars.Program",
        on_delete=models.PROTECT,
        related_name="survey_targets",
        null=True,
        blank=True,
        verbose_name=_("program"),
    )
    service = models.ForeignKey(
        to="pillars.DigitalService",
        on_delete=models.PROTECT,
        related_name="survey_targets",
        null=True,
        blank=True,
        verbose_name=_("digital service"),
    )
    owner_agency = models.ForeignKey(
        to="pillars.Agency",
        on_delete=models.PROTECT,
        related_name="survey_targets",
        null=True,
        blank=True,
        verbose_name=_("owner agency"),
    )

    objects = SurveyTargetQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["survey", "sub_dimension__pillar__order", "sub_dimension__order"]
        verbose_name = _("surveyed program or service")
        verbose_name_plural = _("surveyed programs and services")
        constraints = [
            models.UniqueConstraint(fields=["survey", "sub_dimension"], name="%(app_label)s_%(class)s_one_per_sub"),
            models.CheckConstraint(
                condition=Q(program__isnull=False) | Q(service__isnull=False), name="%(app_label)s_%(class)s_subject"
            ),
        ]

    def __str__(self):
        return f"{self.sub_dimension_id}: {self.program_id or self.service_id}"

    def clean(self):
        if self.program_id is None and self.service_id is None:
            raise ValidationError({"program": _("Name the program or the digital service surveyed.")})


class SurveyResponse(TimeStampedModel):
    """One respondent's answers about one surveyed program or service (imported, typed in from paper, or given on
    the public survey page). Only aggregates are ever public."""

    target = models.ForeignKey(
        to="evaluations.SurveyTarget", on_delete=models.CASCADE, related_name="responses", verbose_name=_("surveyed")
    )
    respondent = models.CharField(
        verbose_name=_("respondent reference"),
        max_length=80,
        blank=True,
        help_text=_("The survey tool's or form's reference; never a name."),
    )
    answered_on = models.DateField(verbose_name=_("answered on"))
    source = models.CharField(
        verbose_name=_("source"), max_length=8, choices=ResponseSource, default=ResponseSource.IMPORT
    )
    entered_by = models.ForeignKey(
        to=settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
        editable=False,
        verbose_name=_("entered by"),
    )

    objects = SurveyResponseQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["target", "answered_on", "pk"]
        verbose_name = _("survey response")
        verbose_name_plural = _("survey responses")

    def __str__(self):
        return f"{self.respondent or self.pk} ({self.answered_on})"


class SurveyAnswer(models.Model):
    """One response's answer to one item, on the survey's Likert scale."""

    response = models.ForeignKey(
        to="evaluations.SurveyResponse", on_delete=models.CASCADE, related_name="answers", verbose_name=_("response")
    )
    item = models.ForeignKey(
        to="evaluations.SurveyItem", on_delete=models.CASCADE, related_name="answers", verbose_name=_("item")
    )
    value = models.PositiveSmallIntegerField(verbose_name=_("answer"), validators=[MinValueValidator(0)])

    objects = SurveyAnswerQuerySet.as_manager()

    class Meta:
        ordering = ["response", "item__order"]
        verbose_name = _("survey answer")
        verbose_name_plural = _("survey answers")
        constraints = [models.UniqueConstraint(fields=["response", "item"], name="%(app_label)s_%(class)s_once")]

    def __str__(self):
        return f"{self.item_id}={self.value}"
