from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from pillars.choices import LinkRole
from pillars.querysets import ProgramIndicatorQuerySet
from smartcity.fields import YearField
from smartcity.models import TimeStampedModel

from .indicator import VALUE


class ProgramIndicator(TimeStampedModel):
    """An indicator a program is meant to move, as its output or its outcome, with what the program is expected to
    contribute (a value by a year, and a note), e.g. Wi-Fi in every kelurahan → connected kelurahan (outcome)."""

    program = models.ForeignKey(
        to="pillars.Program", on_delete=models.CASCADE, related_name="indicator_links", verbose_name=_("program")
    )
    indicator = models.ForeignKey(
        to="pillars.Indicator", on_delete=models.CASCADE, related_name="program_links", verbose_name=_("indicator")
    )
    role = models.CharField(verbose_name=_("role"), max_length=8, choices=LinkRole, default=LinkRole.OUTCOME)
    expected_value = models.DecimalField(
        verbose_name=_("expected contribution"),
        null=True,
        blank=True,
        help_text=_("The value, in the indicator's unit, the program is expected to bring about (optional)."),
        **VALUE,
    )
    expected_year = YearField(
        verbose_name=_("by year"), null=True, blank=True, help_text=_("The year the expected contribution is due.")
    )
    note = models.CharField(verbose_name=_("note"), max_length=200, blank=True)

    search_fields = ("note", "program__title_ind", "indicator__name_ind")  # the API's `q` and the admin's search box
    objects = ProgramIndicatorQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["program_id", "role", "indicator_id"]
        verbose_name = _("program indicator")
        verbose_name_plural = _("program indicators")
        constraints = [
            models.UniqueConstraint(fields=["program", "indicator"], name="%(app_label)s_%(class)s_unique"),
            models.CheckConstraint(
                condition=Q(expected_value__isnull=True) | Q(expected_year__isnull=False),
                name="%(app_label)s_%(class)s_expected_by_year",
            ),
        ]

    def __str__(self):
        return self.get_role_display()  # the row's own fields only: the program and indicator are on the page

    def clean(self):
        if self.expected_value is not None and self.expected_year is None:
            raise ValidationError({"expected_year": _("Give the year the expected contribution is due.")})
