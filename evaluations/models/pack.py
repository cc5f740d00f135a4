from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from evaluations.querysets import EvaluationPackQuerySet
from smartcity.models import TimeStampedModel
from smartcity.storage import private_storage

from .bases import FileJob


class EvaluationPack(FileJob):
    """The evidence of one evaluation stage as one file (XLSX or PDF), dimension by pillar by sub-dimension, made in
    the background like the yearly report."""

    evaluation = models.ForeignKey(
        to="evaluations.Evaluation", on_delete=models.CASCADE, related_name="packs", verbose_name=_("evaluation")
    )
    file = models.FileField(verbose_name=_("file"), storage=private_storage, upload_to="packs", blank=True)
    requested_by = models.ForeignKey(
        to=settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("requested by")
    )

    objects = EvaluationPackQuerySet.as_manager()

    class Meta(FileJob.Meta):
        verbose_name = _("evaluation pack")
        verbose_name_plural = _("evaluation packs")

    def __str__(self):
        return f"{self.evaluation_id} {self.format}"


class ReadinessOverride(TimeStampedModel):
    """An administrator's decision to submit a stage although readiness showed blocking gaps, with the reason and
    the gaps as they stood: kept for the record."""

    evaluation = models.ForeignKey(
        to="evaluations.Evaluation",
        on_delete=models.PROTECT,
        related_name="readiness_overrides",
        verbose_name=_("evaluation"),
    )
    reason = models.TextField(verbose_name=_("reason"))
    gaps = models.JSONField(verbose_name=_("blocking gaps"), default=list)
    decided_by = models.ForeignKey(
        to=settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
        verbose_name=_("decided by"),
        help_text=_("Empty: the system (a loader recording a past stage)."),
    )

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("readiness override")
        verbose_name_plural = _("readiness overrides")

    def __str__(self):
        return f"{self.evaluation_id}: {self.reason[:60]}"
