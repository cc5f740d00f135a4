from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from pillars.querysets import ActivityQuerySet
from smartcity.fields import YearField
from smartcity.models import TimeStampedModel, Translated
from smartcity.uploads import FileContentValidator, RandomName


class Activity(TimeStampedModel):
    """One year's activity of a masterplan program's action plan (rencana aksi), owned by one agency (OPD), with a
    weight in the program's progress, a target and the progress reported against it."""

    program = models.ForeignKey(
        to="pillars.Program", on_delete=models.CASCADE, related_name="activities", verbose_name=_("program")
    )
    year = YearField(verbose_name=_("year"))
    owner_agency = models.ForeignKey(
        to="pillars.Agency", on_delete=models.PROTECT, related_name="activities", verbose_name=_("owner agency")
    )
    title_ind = models.CharField(verbose_name=_("activity (Indonesian)"), max_length=240)
    title_en = models.CharField(verbose_name=_("activity (English)"), max_length=240, blank=True)
    weight = models.DecimalField(
        verbose_name=_("weight"),
        max_digits=6,
        decimal_places=2,
        default=1,
        validators=[MinValueValidator(0)],
        help_text=_("Its share in the program's progress, relative to the program's other activities (0 or more)."),
    )
    target = models.CharField(
        verbose_name=_("target"), max_length=200, blank=True, help_text=_("For example 30 Wi-Fi points.")
    )
    progress = models.PositiveSmallIntegerField(
        verbose_name=_("progress (%)"), default=0, validators=[MinValueValidator(0), MaxValueValidator(100)]
    )
    evidence = models.FileField(
        verbose_name=_("evidence"),
        upload_to=RandomName("evidence"),
        blank=True,
        validators=[FileContentValidator()],
        help_text=_("Supporting evidence (bukti dukung): a PDF, PNG or JPEG."),
    )
    note = models.TextField(verbose_name=_("note"), blank=True)

    title = Translated("title")
    search_fields = ("title_ind", "title_en", "target")

    objects = ActivityQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["year", "program", "pk"]
        verbose_name = _("activity")
        verbose_name_plural = _("activities")
        constraints = [
            models.CheckConstraint(condition=Q(weight__gte=0), name="%(app_label)s_%(class)s_weight_not_negative"),
            models.CheckConstraint(condition=Q(progress__lte=100), name="%(app_label)s_%(class)s_progress_max"),
        ]

    def __str__(self):
        return f"{self.year} · {self.title}"

    @property
    def is_carried_out(self) -> bool:
        return self.progress >= 100
