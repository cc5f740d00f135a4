"""Abstract bases shared by the evaluation models and the apps built on them (frameworks): a band of a scale and a file
job. Their rules live once too: evaluations.services.scales (bands fit the scale without overlapping) and
evaluations.services.file_jobs (a job's file is made once, its progress and failure recorded)."""

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from smartcity.models import TimeStampedModel, Translated

from ..choices import ExportFormat, ExportStatus
from .fields import score_field


class Band(TimeStampedModel):
    """A named band of a scale, e.g. "Baik" from 3.00 to 3.49, bounds inclusive: an evaluation scheme's or an
    assessment framework's (the subclass names the scale it belongs to)."""

    label_ind = models.CharField(verbose_name=_("label (Indonesian)"), max_length=80)
    label_en = models.CharField(verbose_name=_("label (English)"), max_length=80, blank=True)
    lower = score_field(_("from"), help_text=_("The lowest value in the band (inclusive)."))
    upper = score_field(_("to"), help_text=_("The highest value in the band (inclusive)."))

    label = Translated("label")

    class Meta:
        abstract = True
        constraints = [
            models.CheckConstraint(condition=Q(lower__lte=F("upper")), name="%(app_label)s_%(class)s_range"),
        ]

    def __str__(self):
        return f"{self.label} ({self.lower}–{self.upper})"

    def clean(self):
        if self.lower is not None and self.upper is not None and self.lower > self.upper:
            raise ValidationError({"upper": _("A band cannot end below where it starts.")})


class FileJob(TimeStampedModel):
    """A file staff asked for, made in the background: its format, where the job stands and the error of a failed
    one. The subclass gives the file field (where files go) and who asked for it."""

    format = models.CharField(verbose_name=_("format"), max_length=4, choices=ExportFormat)
    status = models.CharField(verbose_name=_("status"), max_length=8, choices=ExportStatus, default=ExportStatus.QUEUED)
    progress = models.PositiveSmallIntegerField(verbose_name=_("progress (%)"), default=0)
    error = models.TextField(verbose_name=_("error"), blank=True)

    class Meta:
        abstract = True
        ordering = ["-created_at"]
