"""Infrastructure assets as GeoJSON (RFC 7946): longitude first, one Feature per asset.

Built from plain rows (`values()`), not model instances: a city map holds thousands of points.

One map view asks for what it shows (`map_view`, `?bbox=west,south,east,north&zoom=z`): the assets inside the
box, grouped server-side on a grid fixed per zoom level (GRID_PIXELS-pixel cells of the Web-Mercator tile
grid, per kind), so an answer holds at most a few hundred groups and single points whatever the number of
assets, in two queries. A group is a Feature with `cluster: true`, its count and its members' mean position;
a cell holding one asset is that asset's own Feature. Boxes are snapped outward to the grid, so nearby views
ask the same URL (and share the public cache's entry).
"""

import math

from django.db.models import Avg, Count, F, FloatField, Min
from django.db.models.functions import Cast, Floor
from django.utils.translation import gettext as _
from rest_framework.exceptions import ValidationError

from smartcity.policy import visible_value

from .choices import AssetKind, AssetStatus, BoundaryKind

GRID_PIXELS = 80  # a cell of the grouping grid, in screen pixels (a tile is 256); static/js/map.js reads it
MAX_ZOOM = 20

COLUMNS = [
    "pk",
    "name",
    "kind",
    "status",
    "kelurahan",
    "kecamatan",
    "operator_name",
    "installed_on",
    "public_view_url",
    "latitude",
    "longitude",
]


def feature_collection(assets, user=None) -> dict:
    return {"type": "FeatureCollection", "features": _features(_rows(assets, user))}


def _rows(assets, user):
    """The columns a Feature reads; an operator the caller may not view is not named (no user: the public)."""
    return assets.annotate(
        operator_name=visible_value(assets.model, "operator", user, "name"),
        kelurahan=F("village__name"),  # the properties keep their names: static/js/map.js and clients read them
        kecamatan=F("district__name"),
    ).values(*COLUMNS)


def _features(rows) -> list[dict]:
    kinds = {value: str(label) for value, label in AssetKind.choices}  # translated once, not per row
    statuses = {value: str(label) for value, label in AssetStatus.choices}
    return [
        {
            "type": "Feature",
            "id": row["pk"],
            "geometry": {"type": "Point", "coordinates": [float(row["longitude"]), float(row["latitude"])]},
            "properties": {
                "name": row["name"],
                "kind": row["kind"],
                "kind_label": kinds[row["kind"]],
                "status": row["status"],
                "status_label": statuses[row["status"]],
                "kelurahan": row["kelurahan"] or "",
                "kecamatan": row["kecamatan"] or "",
                "operator": row["operator_name"],
                "installed_on": row["installed_on"].isoformat() if row["installed_on"] else None,
                "public_view_url": row["public_view_url"] or None,
            },
        }
        for row in rows
    ]


def map_view_parameters(query) -> tuple[tuple[float, float, float, float], int] | None:
    """(bbox, zoom) from `?bbox=west,south,east,north&zoom=z`, None when neither is given; a 400 naming the
    parameter when one is missing or out of range."""
    if "bbox" not in query and "zoom" not in query:
        return None
    errors = {}
    try:
        zoom = int(query.get("zoom", ""))
        if not 0 <= zoom <= MAX_ZOOM:
            raise ValueError
    except ValueError:
        errors["zoom"] = [_("Give the map's zoom level, a whole number from 0 to %(max)s.") % {"max": MAX_ZOOM}]
    try:
        west, south, east, north = (float(part) for part in query.get("bbox", "").split(","))
        if not (-180 <= west < east <= 180 and -90 <= south < north <= 90):
            raise ValueError
    except ValueError:
        errors["bbox"] = [_("Give the box as west,south,east,north in degrees (longitude first), west before east.")]
    if errors:
        raise ValidationError(errors)
    return (west, south, east, north), zoom


def cell_degrees(zoom: int) -> float:
    """The grouping grid's cell at `zoom`, in degrees of longitude (latitude uses the same step)."""
    return 360.0 / (2**zoom * 256 / GRID_PIXELS)


def snapped(bbox, zoom: int) -> tuple[float, float, float, float]:
    step = cell_degrees(zoom)
    west, south, east, north = bbox
    return (
        max(-180.0, math.floor(west / step) * step),
        max(-90.0, math.floor(south / step) * step),
        min(180.0, math.ceil(east / step) * step),
        min(90.0, math.ceil(north / step) * step),
    )


def map_view(assets, bbox, zoom: int, user=None) -> dict:
    """The assets inside `bbox` at `zoom`: groups per grid cell and kind, single assets as themselves."""
    west, south, east, north = snapped(bbox, zoom)
    step = cell_degrees(zoom)
    inside = assets.filter(
        longitude__gte=west, longitude__lte=east, latitude__gte=south, latitude__lte=north
    ).order_by()
    cells = (
        inside.annotate(
            cell_x=Floor(Cast("longitude", FloatField()) / step),
            cell_y=Floor(Cast("latitude", FloatField()) / step),
        )
        .values("kind", "cell_x", "cell_y")
        .annotate(
            count=Count("pk"),
            lon=Avg(Cast("longitude", FloatField())),
            lat=Avg(Cast("latitude", FloatField())),
            one=Min("pk"),
        )
        .order_by("kind", "cell_x", "cell_y")
    )
    groups, singles = [], []
    for cell in cells:
        if cell["count"] == 1:
            singles.append(cell["one"])
        else:
            groups.append(cell)
    kinds = {value: str(label) for value, label in AssetKind.choices}
    features = [
        {
            "type": "Feature",
            "geometry": {"type": "Point", "coordinates": [round(g["lon"], 6), round(g["lat"], 6)]},
            "properties": {"cluster": True, "count": g["count"], "kind": g["kind"], "kind_label": kinds[g["kind"]]},
        }
        for g in groups
    ]
    if singles:
        features += _features(_rows(assets.model.objects.filter(pk__in=singles).order_by("pk"), user))
    return {
        "type": "FeatureCollection",
        "bbox": [west, south, east, north],
        "zoom": zoom,
        "features": features,
    }


def boundary_collection(boundaries) -> dict:
    """Map boundaries as a FeatureCollection, the city before its districts; one query, from plain rows. The staff's
    note on an outline is the admin's only: it never reaches the public map."""
    kinds = {value: str(label) for value, label in BoundaryKind.choices}
    features = [
        {
            "type": "Feature",
            "id": row["pk"],
            "geometry": row["geometry"],
            "properties": {
                "name": row["name"],
                "kind": row["kind"],
                "kind_label": kinds[row["kind"]],
                "code": row["code"],
            },
        }
        for row in boundaries.order_by("kind", "name").values("pk", "name", "kind", "code", "geometry")
    ]
    return {"type": "FeatureCollection", "features": features}
