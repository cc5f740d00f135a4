"""The offline base map in a real Chromium on a 390 px phone: the map page reads the office's PMTiles file from the
portal itself, a byte range at a time, and draws its tiles under the outlines, asking no other host, axe clean.

The base map is added to (or replaces the one in) the demo portal of the session and stays: every map page opened
after this one draws on it too, under the same checks (tests/browser/test_public_pages.py)."""

from urllib.parse import urlsplit

import pytest

from tests.live import manage

from .conftest import PHONE, STEP_TIMEOUT_MS
from .test_public_pages import Visit, check_layout_and_axe

pytestmark = [pytest.mark.slow, pytest.mark.browser]

# The session's portal may have a base map already (the admin tests fill every model): this one replaces it.
ADD_BASE_MAP = """
from django.core.files.base import ContentFile
from pillars.models import BaseMap
from pillars.services import base_map_create, base_map_update
from tests.pillars import pmtiles
data = {"name": "OSM Padang (test)", "attribution": "© OpenStreetMap <b>contributors</b>",
        "file": ContentFile(pmtiles.archive(), name="padang.pmtiles")}
current = BaseMap.objects.first()
if current is None:
    base_map_create(data=data, actor=None)
else:
    base_map_update(instance=current, data=data, actor=None)
print(BaseMap.objects.get().version)
"""
# A query the map page reads, so that no page an earlier test left in the portal's cache answers (that one was
# built before the base map existed).
MAP = "/map/?status=active"
TILE = ".leaflet-tile-pane img.leaflet-tile-loaded"


def test_the_map_draws_the_base_map_from_our_own_origin(browser, axe_source, portal_with_env):
    portal, env = portal_with_env
    done = manage("shell", "-c", ADD_BASE_MAP, env=env)
    assert done.returncode == 0, done.stderr
    file_path = f"/map/basemap/{done.stdout.split()[-1]}.pmtiles"
    host, visit, reads = urlsplit(portal).netloc, Visit(), []

    def route(request_route):
        request = request_route.request
        if urlsplit(request.url).netloc != host:
            visit.other_hosts.append(request.url)
            return request_route.abort()
        if urlsplit(request.url).path == file_path:
            reads.append(request.headers.get("range"))
        return request_route.continue_()

    context = browser.new_context(viewport=PHONE, device_scale_factor=1, locale="id-ID")
    context.set_default_timeout(STEP_TIMEOUT_MS)
    context.route("**/*", route)
    page = context.new_page()
    page.on("console", lambda message: message.type == "error" and visit.console.append(message.text))
    page.on("pageerror", lambda error: visit.console.append(f"uncaught: {error}"))
    answers = []
    page.on("response", lambda r: urlsplit(r.url).path == file_path and answers.append(r.status))
    try:
        assert page.goto(portal + MAP, wait_until="load").status == 200
        page.wait_for_selector(TILE, state="attached")
        page.wait_for_function(
            f"[...document.querySelectorAll('{TILE}')].some(img => img.complete && img.naturalWidth === 256)"
        )
        tiles = page.evaluate(f"[...document.querySelectorAll('{TILE}')].map(img => img.src.split(':')[0])")
        attribution = page.inner_text(".leaflet-control-attribution")
        check_layout_and_axe(page, axe_source, visit)
    finally:
        context.close()
    assert tiles and set(tiles) == {"blob"}  # cut from the file by the browser, not fetched from a tile server
    assert reads and all(r and r.startswith("bytes=") for r in reads), reads  # never the whole file
    assert answers and set(answers) == {206}, answers
    assert "© OpenStreetMap <b>contributors</b>" in attribution  # the office's text, shown as text
    assert not visit.problems()
