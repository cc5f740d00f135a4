import datetime

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from evaluations.choices import CLOSED_FOLLOW_UP_STATUSES, FindingKind, FollowUpStatus
from evaluations.querysets import FindingQuerySet, FollowUpActionQuerySet
from smartcity.models import PublishableModel, TimeStampedModel, Translated
from smartcity.uploads import FileContentValidator, RandomName


class Finding(PublishableModel, TimeStampedModel):
    """A strength, weakness or recommendation the assessors recorded about one pillar in one evaluation."""

    evaluation = models.ForeignKey(
        to="evaluations.Evaluation", on_delete=models.PROTECT, related_name="findings", verbose_name=_("evaluation")
    )
    pillar = models.ForeignKey(
        to="pillars.Pillar",
        on_delete=models.PROTECT,
        related_name="findings",
        null=True,
        blank=True,
        verbose_name=_("pillar"),
        help_text=_("Leave empty for a finding about the whole program."),
    )
    kind = models.CharField(verbose_name=_("kind"), max_length=16, choices=FindingKind)
    text_ind = models.TextField(verbose_name=_("text (Indonesian)"))
    text_en = models.TextField(verbose_name=_("text (English)"), blank=True)

    text = Translated("text")

    search_fields = ("text_ind", "text_en")  # the API's `q` and the admin's search box
    objects = FindingQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["evaluation", "pillar__order", "kind", "pk"]
        verbose_name = _("finding")
        verbose_name_plural = _("findings")

    def __str__(self):
        return f"{self.get_kind_display()}: {self.text_ind[:60]}"


class FollowUpAction(PublishableModel, TimeStampedModel):
    """What one agency (OPD) does about a finding, by a due date, with evidence once it is done."""

    finding = models.ForeignKey(
        to="evaluations.Finding", on_delete=models.PROTECT, related_name="follow_ups", verbose_name=_("finding")
    )
    owner_agency = models.ForeignKey(
        to="pillars.Agency", on_delete=models.PROTECT, related_name="follow_ups", verbose_name=_("owner agency")
    )
    title_ind = models.CharField(verbose_name=_("action (Indonesian)"), max_length=240)
    title_en = models.CharField(verbose_name=_("action (English)"), max_length=240, blank=True)
    due_on = models.DateField(verbose_name=_("due on"))
    status = models.CharField(
        verbose_name=_("status"), max_length=12, choices=FollowUpStatus, default=FollowUpStatus.OPEN
    )
    done_on = models.DateField(verbose_name=_("done on"), null=True, blank=True)
    evidence = models.FileField(
        verbose_name=_("evidence"),
        upload_to=RandomName("evidence"),
        blank=True,
        validators=[FileContentValidator()],
        help_text=_("Supporting evidence (bukti dukung): a PDF, PNG or JPEG."),
    )
    note = models.TextField(verbose_name=_("note"), blank=True)

    title = Translated("title")

    search_fields = ("title_ind", "title_en", "note")  # the API's `q` and the admin's search box
    objects = FollowUpActionQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["due_on", "pk"]
        verbose_name = _("follow-up action")
        verbose_name_plural = _("follow-up actions")
        constraints = [
            models.CheckConstraint(
                condition=Q(status=FollowUpStatus.DONE, done_on__isnull=False)
                | (~Q(status=FollowUpStatus.DONE) & Q(done_on__isnull=True)),
                name="%(app_label)s_%(class)s_done_on",
            ),
        ]

    def __str__(self):
        return self.title

    def clean(self):
        if self.status == FollowUpStatus.DONE and not self.done_on:
            raise ValidationError({"done_on": _("Give the date the action was done.")})
        if self.status != FollowUpStatus.DONE and self.done_on:
            raise ValidationError({"done_on": _("Only a done action has a date done.")})

    def is_overdue_on(self, day: datetime.date) -> bool:
        return self.status not in CLOSED_FOLLOW_UP_STATUSES and self.due_on < day

    @property
    def is_overdue(self) -> bool:
        return self.is_overdue_on(timezone.localdate())
