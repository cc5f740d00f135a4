from django.core.validators import RegexValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from pillars.querysets import AreaQuerySet
from smartcity.models import SourcedModel, TimeStampedModel

# Kemendagri area codes: province.city.district (13.71.01) and .village (13.71.01.1001), in ASCII digits only (\d
# would take ١٣.٧١.٠٤) and nothing after them (a $ would take a trailing newline).
DISTRICT_CODE = RegexValidator(
    r"\A[0-9]{2}\.[0-9]{2}\.[0-9]{2}\Z", _("A district code reads like 13.71.01."), code="bad_code"
)
VILLAGE_CODE = RegexValidator(
    r"\A[0-9]{2}\.[0-9]{2}\.[0-9]{2}\.[0-9]{4}\Z", _("A village code reads like 13.71.01.1001."), code="bad_code"
)
# BPS (Statistics Indonesia) numbers the same areas in its own order and shape: a district 1371010, a village
# 1371010001. Statistics often carry it, so both are stored; the two are never mixed.
BPS_DISTRICT_CODE = RegexValidator(r"^\d{7}$", _("A BPS district code has 7 digits, e.g. 1371010."), code="bad_code")
BPS_VILLAGE_CODE = RegexValidator(r"^\d{10}$", _("A BPS village code has 10 digits, e.g. 1371010001."), code="bad_code")


class District(SourcedModel, TimeStampedModel):
    """A district (kecamatan) of the city, with its Kemendagri code and, beside it, its BPS code."""

    code = models.CharField(verbose_name=_("Kemendagri code"), max_length=8, unique=True, validators=[DISTRICT_CODE])
    bps_code = models.CharField(verbose_name=_("BPS code"), max_length=7, blank=True, validators=[BPS_DISTRICT_CODE])
    name = models.CharField(verbose_name=_("name"), max_length=100)
    note = models.CharField(
        verbose_name=_("note"), max_length=200, blank=True, help_text=_("For example: code to verify.")
    )

    search_fields = ("code", "bps_code", "name")

    objects = AreaQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["code"]
        verbose_name = _("district")
        verbose_name_plural = _("districts")
        constraints = [
            models.UniqueConstraint(
                fields=["bps_code"], condition=~models.Q(bps_code=""), name="%(app_label)s_%(class)s_unique_bps"
            )
        ]

    def __str__(self):
        return self.name


class Village(SourcedModel, TimeStampedModel):
    """A village (kelurahan or desa) of a district, with its Kemendagri code and, beside it, its BPS code."""

    district = models.ForeignKey(
        to="pillars.District", on_delete=models.PROTECT, related_name="villages", verbose_name=_("district")
    )
    code = models.CharField(verbose_name=_("Kemendagri code"), max_length=13, unique=True, validators=[VILLAGE_CODE])
    bps_code = models.CharField(verbose_name=_("BPS code"), max_length=10, blank=True, validators=[BPS_VILLAGE_CODE])
    name = models.CharField(verbose_name=_("name"), max_length=100)
    note = models.CharField(verbose_name=_("note"), max_length=200, blank=True)

    search_fields = ("code", "bps_code", "name")

    objects = AreaQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["code"]
        verbose_name = _("village")
        verbose_name_plural = _("villages")
        constraints = [
            models.UniqueConstraint(
                fields=["bps_code"], condition=~models.Q(bps_code=""), name="%(app_label)s_%(class)s_unique_bps"
            )
        ]

    def __str__(self):
        return self.name

    def clean(self):
        from django.core.exceptions import ValidationError

        super().clean()
        if self.bps_code and self.district_id and self.district.bps_code:
            if not self.bps_code.startswith(self.district.bps_code):
                raise ValidationError({"bps_code": _("A village's BPS code starts with its district's BPS code.")})
        if self.code and self.district_id and not self.code.startswith(self.district.code + "."):
            raise ValidationError({"code": _("A village's code starts with its district's code.")})
