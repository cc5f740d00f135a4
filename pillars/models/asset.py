from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from pillars.choices import AssetKind, AssetStatus, FundingSource
from pillars.querysets import InfrastructureAssetQuerySet
from smartcity.models import PublishableModel, TimeStampedModel

from .fields import coordinates_constraint, latitude_field, longitude_field


class InfrastructureAsset(PublishableModel, TimeStampedModel):
    """A piece of the city's basic infrastructure on the map: a CCTV, a Wi-Fi point, a tower, a fiber link."""

    kind = models.CharField(verbose_name=_("kind"), max_length=16, choices=AssetKind)
    name = models.CharField(verbose_name=_("name"), max_length=160)
    district = models.ForeignKey(
        to="pillars.District",
        on_delete=models.PROTECT,
        related_name="assets",
        null=True,
        blank=True,
        verbose_name=_("district"),
    )
    village = models.ForeignKey(
        to="pillars.Village",
        on_delete=models.PROTECT,
        related_name="assets",
        null=True,
        blank=True,
        verbose_name=_("village"),
    )
    latitude = latitude_field()
    longitude = longitude_field()
    status = models.CharField(verbose_name=_("status"), max_length=10, choices=AssetStatus, default=AssetStatus.PLANNED)
    installed_on = models.DateField(verbose_name=_("installed on"), null=True, blank=True)
    operator = models.ForeignKey(
        to="partnerships.Partner",
        on_delete=models.PROTECT,
        related_name="operated_assets",
        null=True,
        blank=True,
        verbose_name=_("operator"),
        help_text=_("The partner that runs it; empty when the city runs it itself."),
    )
    funding_source = models.CharField(
        verbose_name=_("funding source"), max_length=10, choices=FundingSource, blank=True
    )
    program = models.ForeignKey(
        to="pillars.Program",
        on_delete=models.SET_NULL,
        related_name="assets",
        null=True,
        blank=True,
        verbose_name=_("program"),
    )
    public_view_url = models.URLField(
        verbose_name=_("public viewing address"), blank=True, help_text=_("Where citizens may watch this CCTV feed.")
    )

    search_fields = (
        "name",
        "village__name",
        "district__name",
        "operator__name",
    )  # the API's `q` and the admin's search box
    objects = InfrastructureAssetQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["kind", "name"]
        verbose_name = _("infrastructure asset")
        verbose_name_plural = _("infrastructure assets")
        constraints = [coordinates_constraint()]
        indexes = [models.Index(fields=["kind", "status"], name="pillars_asset_kind_status")]

    def __str__(self):
        return f"{self.get_kind_display()}: {self.name}"

    def clean(self):
        if self.public_view_url and self.kind != AssetKind.CCTV:
            raise ValidationError({"public_view_url": _("Only a CCTV has a public viewing address.")})
        if (self.latitude is None) != (self.longitude is None):
            raise ValidationError({"longitude": _("Give both latitude and longitude, or neither.")})
        if self.village_id and self.district_id and self.village.district_id != self.district_id:
            raise ValidationError({"village": _("The village is not in the chosen district.")})
