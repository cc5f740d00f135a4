from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from smartcity.storage import private_storage

from .bases import FileJob


class ReportExport(FileJob):
    """A yearly report (pillars, indicators, programs, scores, findings) that staff asked for as a file."""

    year = models.PositiveSmallIntegerField(verbose_name=_("year"))
    file = models.FileField(verbose_name=_("file"), storage=private_storage, upload_to="reports", blank=True)
    requested_by = models.ForeignKey(
        to=settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="report_exports",
        verbose_name=_("requested by"),
    )

    class Meta(FileJob.Meta):
        verbose_name = _("report export")
        verbose_name_plural = _("report exports")

    def __str__(self):
        return f"{self.year} {self.format}"
