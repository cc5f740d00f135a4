"""Infrastructure assets as GeoJSON (RFC 7946): longitude first, one Feature per asset.

Built from plain rows (`values()`), not model instances: a city map holds thousands of points.
"""

from .choices import AssetKind, AssetStatus, BoundaryKind

COLUMNS = [
    "pk",
    "name",
    "kind",
    "status",
    "kelurahan",
    "kecamatan",
    "operator__name",
    "installed_on",
    "public_view_url",
    "latitude",
    "longitude",
]


def feature_collection(assets) -> dict:
    kinds = {value: str(label) for value, label in AssetKind.choices}  # translated once, not per row
    statuses = {value: str(label) for value, label in AssetStatus.choices}
    features = [
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
                "kelurahan": row["kelurahan"],
                "kecamatan": row["kecamatan"],
                "operator": row["operator__name"],
                "installed_on": row["installed_on"].isoformat() if row["installed_on"] else None,
                "public_view_url": row["public_view_url"] or None,
            },
        }
        for row in assets.values(*COLUMNS)
    ]
    return {"type": "FeatureCollection", "features": features}


def boundary_collection(boundaries) -> dict:
    """Map boundaries as a FeatureCollection, the city before its districts; one query, from plain rows."""
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
                "note": row["note"],
            },
        }
        for row in boundaries.order_by("kind", "name").values("pk", "name", "kind", "code", "note", "geometry")
    ]
    return {"type": "FeatureCollection", "features": features}
