from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from smartcity.models import TimeStampedModel
from smartcity.storage import private_storage

from ..choices import ExportFormat, ExportStatus


class ReportExport(TimeStampedModel):
    """A yearly report (pillars, indicators, programs, scores, findings) that staff asked for as a file."""

    year = models.PositiveSmallIntegerField(verbose_name=_("year"))
    format = models.CharField(verbose_name=_("format"), max_length=4, choices=ExportFormat)
    status = models.CharField(verbose_name=_("status"), max_length=8, choices=ExportStatus, default=ExportStatus.QUEUED)
    progress = models.PositiveSmallIntegerField(verbose_name=_("progress (%)"), default=0)
    file = models.FileField(verbose_name=_("file"), storage=private_storage, upload_to="reports", blank=True)
    error = models.TextField(verbose_name=_("error"), blank=True)
    requested_by = models.ForeignKey(
        to=settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="report_exports",
        verbose_name=_("requested by"),
    )

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("report export")
        verbose_name_plural = _("report exports")

    def __str__(self):
        return f"{self.year} {self.format}"
