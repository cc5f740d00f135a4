"""Infrastructure assets as GeoJSON (RFC 7946): longitude first, one Feature per asset."""


def feature(asset) -> dict:
    return {
        "type": "Feature",
        "id": asset.pk,
        "geometry": {"type": "Point", "coordinates": [float(asset.longitude), float(asset.latitude)]},
        "properties": {
            "name": asset.name,
            "kind": asset.kind,
            "kind_label": str(asset.get_kind_display()),
            "status": asset.status,
            "status_label": str(asset.get_status_display()),
            "kelurahan": asset.kelurahan,
            "kecamatan": asset.kecamatan,
            "operator": asset.operator.name if asset.operator else None,
            "installed_on": asset.installed_on.isoformat() if asset.installed_on else None,
            "public_view_url": asset.public_view_url or None,
        },
    }


def feature_collection(assets) -> dict:
    return {"type": "FeatureCollection", "features": [feature(asset) for asset in assets]}
