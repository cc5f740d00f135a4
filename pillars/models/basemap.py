from django.db import models
from django.db.models import Value
from django.utils.translation import gettext_lazy as _

from pillars.basemap import validate_basemap_file
from pillars.choices import BaseMapTileType
from pillars.querysets import BaseMapQuerySet
from smartcity.models import TimeStampedModel
from smartcity.uploads import RandomName


class BaseMap(TimeStampedModel):
    """The background the public maps draw under the outlines, from a PMTiles file of raster tiles the office
    uploads and the portal serves itself (no tile server); there is at most one. Its tile type, zoom levels and box
    are read from the file's header when it is uploaded."""

    name = models.CharField(
        verbose_name=_("name"),
        max_length=120,
        help_text=_("Staff only: what the file is, e.g. OpenStreetMap Padang, October 2026."),
    )
    file = models.FileField(
        verbose_name=_("PMTiles file"),
        upload_to=RandomName("basemaps"),
        validators=[validate_basemap_file],
        help_text=_("A PMTiles (version 3) archive of PNG, JPEG or WebP tiles; see the operating guide."),
    )
    attribution = models.CharField(
        verbose_name=_("attribution"),
        max_length=200,
        help_text=_("Shown in the map's corner, as the data's licence asks, e.g. © OpenStreetMap contributors."),
    )
    tile_type = models.CharField(verbose_name=_("tile type"), max_length=4, choices=BaseMapTileType)
    min_zoom = models.PositiveSmallIntegerField(verbose_name=_("lowest zoom"))
    max_zoom = models.PositiveSmallIntegerField(verbose_name=_("highest zoom"))
    west = models.FloatField(verbose_name=_("west"))
    south = models.FloatField(verbose_name=_("south"))
    east = models.FloatField(verbose_name=_("east"))
    north = models.FloatField(verbose_name=_("north"))

    objects = BaseMapQuerySet.as_manager()

    class Meta:
        ordering = ["pk"]
        verbose_name = _("base map")
        verbose_name_plural = _("base maps")
        constraints = [
            models.UniqueConstraint(
                Value(True),
                name="%(app_label)s_%(class)s_only_one",
                violation_error_message=_("There is a base map already: change it to upload a new file."),
            ),
        ]

    def __str__(self):
        return self.name

    @property
    def version(self) -> str:
        """The stored file's random name: the address of the file changes with the file (long browser caching)."""
        return self.file.name.rsplit("/", 1)[-1].split(".", 1)[0]
