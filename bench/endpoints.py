"""What the benchmark measures: (name, path, with a partner key, its peer in the bare project)."""

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


# The bare project (bench/bare/): its trivial view is the ceiling; a DRF list and a template page of 50 rows are
# the peers an API answer and a page are compared with.
CEILING = ("bare Django view", "/bare")
DRF_PEER = ("DRF ListAPIView (50)", "/drf/programs/?limit=50")
PAGE_PEER = ("template page (50)", "/page/programs/")
PEERS = [DRF_PEER, PAGE_PEER]

ENDPOINTS = [
    ("home", "/", False, PAGE_PEER),
    ("pillar page", "/pillars/society/", False, PAGE_PEER),
    ("program list page", "/programs/", False, PAGE_PEER),
    ("API programs (50)", "/api/v1/programs/?limit=50", False, DRF_PEER),
    ("API programs (50), key", "/api/v1/programs/?limit=50", True, DRF_PEER),
    ("API programs (50), brief", "/api/v1/programs/?limit=50&brief=1", False, DRF_PEER),
    ("program detail page", "/programs/wifi-kelurahan/", False, PAGE_PEER),
    ("indicator list page", "/indicators/", False, PAGE_PEER),
    ("assets GeoJSON (all)", "/api/v1/assets/geojson/", False, DRF_PEER),
    ("map view (1366 px, zoom 13)", map_view_path(), False, DRF_PEER),
    # Django's cost for a trivial view inside the portal's middleware (bench/urls.py): what each request pays
    # before any view of ours runs.
    ("trivial view, portal middleware", "/bench/bare", False, None),
]
# Measured as a browser asks for them (Accept-Encoding: gzip, br): every answer, so sizes are what goes out.
BROWSER_HEADERS = ("Accept-Encoding: gzip, br",)
# Answers whose size on the wire is reported (raw and compressed); the downloads are not run under wrk.
SIZED = [
    *[(name, path, key) for name, path, key, _peer in ENDPOINTS],
    ("programs CSV download", "/programs/?download=csv", False),
    ("programs JSON download", "/programs/?download=json", False),
]
# Measured again while a partner's system posts progress reports at each of these rates (a second).
UNDER_WRITES = ["home", "program list page", "API programs (50)", "API programs (50), key"]
POST_RATES = [2, 10, 30]
