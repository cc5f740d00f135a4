"""The offline base map: a PMTiles archive (version 3) of raster tiles that the office uploads, read by the public
maps a byte range at a time (static/js/map.js, with the `pmtiles` package from npm).

Only the fixed 127-byte header is read here: it says what the archive holds (the tile type, the zoom levels, the
box it covers) and where its parts lie. An upload is refused unless it is a version 3 archive of PNG, JPEG or WebP
tiles whose parts lie inside the file, with its header and root directory in the first 16 KiB (what a browser
reads first), and directories either uncompressed or gzip (what a browser can open without more code).
"""

import struct
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy as _

from .choices import BaseMapTileType

MAGIC = b"PMTiles"
HEADER_BYTES = 127
FIRST_READ = 16_384  # the header and root directory must lie here (the PMTiles v3 specification)
# The header after the magic and the version: 11 unsigned 64-bit offsets, lengths and counts, 6 bytes of kinds and
# zoom levels, the box as 4 signed 32-bit numbers (degrees x 10^7), the centre's zoom and position.
LAYOUT = struct.Struct("<11Q6B4iB2i")
TILE_TYPES = {2: BaseMapTileType.PNG, 3: BaseMapTileType.JPEG, 4: BaseMapTileType.WEBP}
VECTOR_TYPES = {1, 6}  # Mapbox Vector Tiles, MapLibre Tiles
READABLE_COMPRESSION = {0, 1, 2}  # unknown (read as none), none, gzip
E7 = 10_000_000


@dataclass(frozen=True)
class Header:
    """What the map needs from an archive's header."""

    tile_type: str
    min_zoom: int
    max_zoom: int
    west: float
    south: float
    east: float
    north: float

    def as_fields(self) -> dict:
        return dict(vars(self))


def _refused(message, code="invalid_pmtiles", **params) -> ValidationError:
    return ValidationError(message, code=code, params=params or None)


def read_header(head: bytes, size: int) -> Header:
    """The header of an archive of `size` bytes that starts with `head` (its first 16 KiB at least, or all of it);
    ValidationError saying why the file cannot be the map's background."""
    if len(head) < HEADER_BYTES or not head.startswith(MAGIC):
        raise _refused(_("The file is not a PMTiles archive (it does not start with “PMTiles”)."))
    if head[7] != 3:
        raise _refused(_("The file is PMTiles version %(version)s; version 3 is needed."), version=head[7])
    fields = LAYOUT.unpack_from(head, 8)
    root_at, root_length, meta_at, meta_length, leaves_at, leaves_length, data_at, data_length = fields[:8]
    internal, tile_compression, tile_type, min_zoom, max_zoom = fields[12:17]
    west, south, east, north = fields[17:21]
    if tile_type in VECTOR_TYPES:
        raise _refused(
            _("The archive holds vector tiles: the map needs raster tiles (PNG, JPEG or WebP)."), "vector_tiles"
        )
    if tile_type not in TILE_TYPES:
        raise _refused(_("The archive's tiles are not PNG, JPEG or WebP images."), "tile_type")
    if internal not in READABLE_COMPRESSION or tile_compression not in READABLE_COMPRESSION:
        raise _refused(_("The archive is compressed in a way browsers cannot read: make it with gzip or none."))
    if root_at < HEADER_BYTES or root_at + root_length > min(size, FIRST_READ):
        raise _refused(_("The archive's root directory is not within its first 16 KiB."))
    if any(at + length > size for at, length in ((meta_at, meta_length), (leaves_at, leaves_length))):
        raise _refused(_("The archive is cut short: its parts lie beyond the end of the file."), "truncated")
    if data_at + data_length > size or not data_length:
        raise _refused(_("The archive is cut short: its parts lie beyond the end of the file."), "truncated")
    if not min_zoom <= max_zoom <= 30:
        raise _refused(_("The archive's zoom levels are not valid."))
    if not (-180 * E7 <= west < east <= 180 * E7 and -90 * E7 <= south < north <= 90 * E7):
        raise _refused(_("The archive's bounds are not a box of longitude and latitude."))
    return Header(TILE_TYPES[tile_type], min_zoom, max_zoom, west / E7, south / E7, east / E7, north / E7)


def upload_header(upload) -> Header:
    """The header of an uploaded (or stored) file, read from its first 16 KiB."""
    upload.seek(0)
    head = upload.read(FIRST_READ)
    upload.seek(0)
    return read_header(head, upload.size)


def validate_basemap_file(upload) -> None:
    """Field validator: the file is a PMTiles archive of raster tiles, at most BASEMAP_MAX_BYTES."""
    if getattr(upload, "_committed", False):
        return  # the file stored already (checked when it came): a change of the name or attribution keeps it
    if upload.size > settings.BASEMAP_MAX_BYTES:
        raise ValidationError(
            _("The file is %(size)s; at most %(limit)s is accepted."),
            code="file_too_large",
            params={"size": filesizeformat(upload.size), "limit": filesizeformat(settings.BASEMAP_MAX_BYTES)},
        )
    upload_header(upload)


def map_background(base_map) -> dict | None:
    """What a public map's element says of the base map (static/js/map.js), or None without one: its address, the
    attribution the office typed, its zoom levels and box (written out here, never localised by a template)."""
    if base_map is None:
        return None
    from django.urls import reverse

    return {
        "url": reverse("basemap-file", args=[base_map.version]),
        "attribution": base_map.attribution,
        "zoom": f"{base_map.min_zoom},{base_map.max_zoom}",
        "bounds": ",".join(f"{v:.7f}" for v in (base_map.west, base_map.south, base_map.east, base_map.north)),
    }
