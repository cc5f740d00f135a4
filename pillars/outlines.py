"""Area outlines in GeoJSON (RFC 7946): what the office uploads for the map's city boundary and districts.

An upload may be a bare Polygon or MultiPolygon geometry, a Feature holding one, or a FeatureCollection of
them (its areas become one MultiPolygon). Every ring is checked: closed, at least four positions, longitude
and latitude in range. What is kept is the geometry alone, small and ready for the map.
"""

import json

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

MAX_BYTES = 5 * 1024 * 1024  # a simplified city outline is a few hundred kilobytes at most
MAX_POSITIONS = 100_000


def _invalid(message, code="invalid_geojson"):
    return ValidationError(message, code=code)


def parse_outline(raw: bytes) -> dict:
    """The Polygon or MultiPolygon geometry in an uploaded GeoJSON file; ValidationError if it holds none."""
    if len(raw) > MAX_BYTES:
        raise _invalid(_("The file is larger than 5 MB: simplify the outline first."), "too_large")
    try:
        document = json.loads(raw.decode("utf-8-sig"))
    except (UnicodeDecodeError, json.JSONDecodeError) as error:
        raise _invalid(_("The file is not valid JSON: %(error)s") % {"error": error}) from None
    return area_geometry(document)


def area_geometry(document) -> dict:
    """One Polygon or MultiPolygon geometry from a geometry, a Feature or a FeatureCollection, checked."""
    kind = document.get("type") if isinstance(document, dict) else None
    if kind == "Feature":
        return area_geometry(document.get("geometry"))
    if kind == "FeatureCollection":
        features = document.get("features")
        if not isinstance(features, list) or not features:
            raise _invalid(_("The FeatureCollection holds no feature."))
        parts = [area_geometry(feature) for feature in features]
        polygons = [
            polygon
            for part in parts
            for polygon in (part["coordinates"] if part["type"] == "MultiPolygon" else [part["coordinates"]])
        ]
        if len(polygons) == 1:
            return {"type": "Polygon", "coordinates": polygons[0]}
        return {"type": "MultiPolygon", "coordinates": polygons}
    if kind not in ("Polygon", "MultiPolygon"):
        raise _invalid(_("GeoJSON of an area is needed: a Polygon or MultiPolygon (or a Feature holding one)."))
    validate_area_geometry(document)
    return {"type": kind, "coordinates": document["coordinates"]}


def validate_area_geometry(geometry) -> None:
    """Field validator: `geometry` is a GeoJSON Polygon or MultiPolygon with closed rings in range."""
    if not isinstance(geometry, dict) or geometry.get("type") not in ("Polygon", "MultiPolygon"):
        raise _invalid(_("GeoJSON of an area is needed: a Polygon or MultiPolygon (or a Feature holding one)."))
    coordinates = geometry.get("coordinates")
    polygons = [coordinates] if geometry["type"] == "Polygon" else coordinates
    if not isinstance(polygons, list) or not polygons:
        raise _invalid(_("The area has no coordinates."))
    positions = 0
    for polygon in polygons:
        if not isinstance(polygon, list) or not polygon:
            raise _invalid(_("Each polygon needs at least one ring of positions."))
        for ring in polygon:
            _check_ring(ring)
            positions += len(ring)
    if positions > MAX_POSITIONS:
        raise _invalid(_("The outline has more than 100,000 points: simplify it first."), "too_large")


def outline_size(geometry: dict) -> tuple[int, int]:
    """(areas, positions) of a checked Polygon or MultiPolygon."""
    polygons = geometry["coordinates"] if geometry["type"] == "MultiPolygon" else [geometry["coordinates"]]
    return len(polygons), sum(len(ring) for polygon in polygons for ring in polygon)


def _check_ring(ring) -> None:
    if not isinstance(ring, list) or len(ring) < 4:
        raise _invalid(_("Each ring needs at least four positions."))
    for position in ring:
        if not (isinstance(position, list) and len(position) in (2, 3) and all(_is_number(n) for n in position)):
            raise _invalid(_("Each position must be [longitude, latitude]."))
        if not (-180 <= position[0] <= 180 and -90 <= position[1] <= 90):
            raise _invalid(
                _("Position %(position)s is out of range: GeoJSON gives longitude first, then latitude.")
                % {"position": position[:2]}
            )
    if ring[0] != ring[-1]:
        raise _invalid(_("Each ring must end where it starts."))


def _is_number(value) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def city_area() -> dict | None:
    """The city as the open-data catalogue names its spatial coverage (settings.OPEN_DATA_AREA): the Kemendagri
    code and name of the city boundary the office uploaded, and the box around its outline; None without one."""
    from .choices import BoundaryKind
    from .models import Boundary

    city = Boundary.objects.filter(kind=BoundaryKind.CITY).order_by("pk").first()
    if city is None:
        return None
    polygons = (
        city.geometry["coordinates"] if city.geometry["type"] == "MultiPolygon" else [city.geometry["coordinates"]]
    )
    positions = [position for polygon in polygons for ring in polygon for position in ring]
    longitudes, latitudes = [p[0] for p in positions], [p[1] for p in positions]
    return {
        "code": city.code,
        "name": city.name,
        "bbox": [min(longitudes), min(latitudes), max(longitudes), max(latitudes)],
    }
