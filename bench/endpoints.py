"""What the benchmark measures: (name, path, with a partner key)."""

ENDPOINTS = [
    ("home", "/", False),
    ("pillar page", "/pillars/society/", False),
    ("program list page", "/programs/", False),
    ("API programs (50)", "/api/v1/programs/?limit=50", False),
    ("API programs (50), key", "/api/v1/programs/?limit=50", True),
    ("assets GeoJSON (all)", "/api/v1/assets/geojson/", False),
]
CEILING = ("bare Django view", "/bench/bare", False)
