from django.db import models
from django.utils.translation import gettext_lazy as _

from pillars.choices import BoundaryKind
from pillars.outlines import validate_area_geometry
from pillars.querysets import BoundaryQuerySet
from smartcity.models import TimeStampedModel


class Boundary(TimeStampedModel):
    """An outline the map draws under the assets so that it orients without a tile server: the city's boundary
    or one district (kecamatan), uploaded by the office as GeoJSON."""

    name = models.CharField(verbose_name=_("name"), max_length=120)
    kind = models.CharField(verbose_name=_("kind"), max_length=10, choices=BoundaryKind)
    code = models.CharField(
        verbose_name=_("official code"),
        max_length=20,
        blank=True,
        help_text=_("The region code of the Ministry of Home Affairs (Kemendagri), e.g. 13.71 for Kota Padang."),
    )
    note = models.CharField(
        verbose_name=_("note"),
        max_length=200,
        blank=True,
        help_text=_("Staff only, never shown to citizens: e.g. its source, or that it is approximate."),
    )
    geometry = models.JSONField(
        verbose_name=_("outline"),
        validators=[validate_area_geometry],
        help_text=_("A GeoJSON Polygon or MultiPolygon, longitude first."),
    )

    objects = BoundaryQuerySet.as_manager()

    class Meta:
        ordering = ["kind", "name"]
        verbose_name = _("map boundary")
        verbose_name_plural = _("map boundaries")
        constraints = [
            models.UniqueConstraint(fields=["kind", "name"], name="%(app_label)s_%(class)s_unique_kind_name"),
        ]

    def __str__(self):
        return f"{self.get_kind_display()}: {self.name}"
