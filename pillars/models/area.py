from django.core.validators import RegexValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from pillars.querysets import AreaQuerySet
from smartcity.models import TimeStampedModel

# Kemendagri area codes: province.city.district (13.71.01) and .village (13.71.01.1001), in ASCII digits only (\d
# would take ١٣.٧١.٠٤) and nothing after them (a $ would take a trailing newline).
DISTRICT_CODE = RegexValidator(
    r"\A[0-9]{2}\.[0-9]{2}\.[0-9]{2}\Z", _("A district code reads like 13.71.01."), code="bad_code"
)
VILLAGE_CODE = RegexValidator(
    r"\A[0-9]{2}\.[0-9]{2}\.[0-9]{2}\.[0-9]{4}\Z", _("A village code reads like 13.71.01.1001."), code="bad_code"
)


class District(TimeStampedModel):
    """A district (kecamatan) of the city, with its Kemendagri code."""

    code = models.CharField(verbose_name=_("code"), max_length=8, unique=True, validators=[DISTRICT_CODE])
    name = models.CharField(verbose_name=_("name"), max_length=100)
    note = models.CharField(
        verbose_name=_("note"), max_length=200, blank=True, help_text=_("For example: code to verify.")
    )

    search_fields = ("code", "name")

    objects = AreaQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["code"]
        verbose_name = _("district")
        verbose_name_plural = _("districts")

    def __str__(self):
        return self.name


class Village(TimeStampedModel):
    """A village (kelurahan or desa) of a district, with its Kemendagri code."""

    district = models.ForeignKey(
        to="pillars.District", on_delete=models.PROTECT, related_name="villages", verbose_name=_("district")
    )
    code = models.CharField(verbose_name=_("code"), max_length=13, unique=True, validators=[VILLAGE_CODE])
    name = models.CharField(verbose_name=_("name"), max_length=100)
    note = models.CharField(verbose_name=_("note"), max_length=200, blank=True)

    search_fields = ("code", "name")

    objects = AreaQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["code"]
        verbose_name = _("village")
        verbose_name_plural = _("villages")

    def __str__(self):
        return self.name

    def clean(self):
        from django.core.exceptions import ValidationError

        if self.code and self.district_id and not self.code.startswith(self.district.code + "."):
            raise ValidationError({"code": _("A village's code starts with its district's code.")})
