"""What the benchmark measures: (name, path, with a partner key)."""

import math

# One map view as the map page asks for it (static/js/map.js): a 1366 x 448 px map at zoom 13 over the city,
# its box snapped outward to the server's 80-pixel grouping grid (pillars/geojson.py GRID_PIXELS).
MAP_ZOOM, MAP_CENTRE, MAP_PIXELS, GRID_PIXELS = 13, (100.40, -0.95), (1366, 448), 80


def map_view_path() -> str:
    degrees = 360 / 2**MAP_ZOOM / 256  # per pixel
    step = 360 / (2**MAP_ZOOM * 256 / GRID_PIXELS)
    half_w, half_h = MAP_PIXELS[0] / 2 * degrees, MAP_PIXELS[1] / 2 * degrees
    lon, lat = MAP_CENTRE
    box = (
        math.floor((lon - half_w) / step) * step,
        math.floor((lat - half_h) / step) * step,
        math.ceil((lon + half_w) / step) * step,
        math.ceil((lat + half_h) / step) * step,
    )
    return "/api/v1/assets/geojson/?bbox=" + ",".join(f"{v:.6f}" for v in box) + f"&zoom={MAP_ZOOM}"


ENDPOINTS = [
    ("home", "/", False),
    ("pillar page", "/pillars/society/", False),
    ("program list page", "/programs/", False),
    ("API programs (50)", "/api/v1/programs/?limit=50", False),
    ("API programs (50), key", "/api/v1/programs/?limit=50", True),
    ("assets GeoJSON (all)", "/api/v1/assets/geojson/", False),
    ("map view (1366 px, zoom 13)", map_view_path(), False),
]
CEILING = ("bare Django view", "/bench/bare", False)
# Measured as a browser asks for them (Accept-Encoding: gzip, br): the map moves what a browser receives.
AS_A_BROWSER = {"map view (1366 px, zoom 13)"}
BROWSER_HEADERS = ("Accept-Encoding: gzip, br",)
# Answers whose size on the wire is reported (raw and compressed); the downloads are not run under wrk.
SIZED = [
    *[(name, path, key) for name, path, key in ENDPOINTS],
    ("programs CSV download", "/programs/?download=csv", False),
    ("programs JSON download", "/programs/?download=json", False),
]
# Measured again while a partner's system posts progress reports.
UNDER_WRITES = ["home", "API programs (50)"]
