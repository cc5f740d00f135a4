import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from evaluations.choices import ClarificationStatus
from evaluations.querysets import ClarificationAnswerQuerySet, ClarificationRequestQuerySet
from smartcity.models import TimeStampedModel
from smartcity.uploads import FileContentValidator, RandomName


class ClarificationRequest(TimeStampedModel):
    """An assessor's request for clarification or further evidence on a pillar, dimension or program, owned by one
    agency (OPD) and due by a date, between stage I and stage II."""

    evaluation = models.ForeignKey(
        to="evaluations.Evaluation",
        on_delete=models.PROTECT,
        related_name="clarifications",
        verbose_name=_("evaluation"),
    )
    pillar = models.ForeignKey(
        to="pillars.Pillar",
        on_delete=models.PROTECT,
        related_name="clarifications",
        null=True,
        blank=True,
        verbose_name=_("pillar"),
    )
    dimension = models.ForeignKey(
        to="evaluations.SchemeDimension",
        on_delete=models.PROTECT,
        related_name="clarifications",
        null=True,
        blank=True,
        verbose_name=_("dimension"),
    )
    program = models.ForeignKey(
        to="pillars.Program",
        on_delete=models.PROTECT,
        related_name="clarifications",
        null=True,
        blank=True,
        verbose_name=_("program"),
    )
    owner_agency = models.ForeignKey(
        to="pillars.Agency", on_delete=models.PROTECT, related_name="clarifications", verbose_name=_("owner agency")
    )
    question = models.TextField(verbose_name=_("question"))
    due_on = models.DateField(verbose_name=_("due on"))
    status = models.CharField(
        verbose_name=_("status"), max_length=10, choices=ClarificationStatus, default=ClarificationStatus.OPEN
    )
    closed_on = models.DateField(verbose_name=_("closed on"), null=True, blank=True, editable=False)
    asked_by = models.ForeignKey(
        to=settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
        editable=False,
        verbose_name=_("asked by"),
    )

    search_fields = ("question",)

    objects = ClarificationRequestQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["due_on", "pk"]
        verbose_name = _("clarification request")
        verbose_name_plural = _("clarification requests")
        permissions = [("answer_clarificationrequest", _("Can answer a clarification request of their agency"))]
        constraints = [
            models.CheckConstraint(
                condition=Q(pillar__isnull=False) | Q(dimension__isnull=False) | Q(program__isnull=False),
                name="%(app_label)s_%(class)s_subject",
            ),
        ]

    def __str__(self):
        return self.question[:80]

    def clean(self):
        if self.pillar_id is None and self.dimension_id is None and self.program_id is None:
            raise ValidationError({"pillar": _("Name the pillar, dimension or program the request is about.")})

    def is_overdue_on(self, day: datetime.date) -> bool:
        return self.status == ClarificationStatus.OPEN and self.due_on < day

    @property
    def is_overdue(self) -> bool:
        return self.is_overdue_on(timezone.localdate())


class ClarificationAnswer(TimeStampedModel):
    """The owning agency's answer to a clarification request, with a file of evidence."""

    request = models.ForeignKey(
        to="evaluations.ClarificationRequest",
        on_delete=models.CASCADE,
        related_name="answers",
        verbose_name=_("clarification request"),
    )
    text = models.TextField(verbose_name=_("answer"))
    file = models.FileField(
        verbose_name=_("file"),
        upload_to=RandomName("clarifications"),
        blank=True,
        validators=[FileContentValidator()],
        help_text=_("Supporting evidence (bukti dukung): a PDF, PNG or JPEG."),
    )
    answered_by = models.ForeignKey(
        to=settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
        editable=False,
        verbose_name=_("answered by"),
    )

    objects = ClarificationAnswerQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["request", "created_at", "pk"]
        verbose_name = _("clarification answer")
        verbose_name_plural = _("clarification answers")

    def __str__(self):
        return self.text[:80]
