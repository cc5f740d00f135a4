"""The offline base map (issue 26): a PMTiles file of raster tiles that Diskominfo uploads in the admin (a file that
is not one is a form error and saves nothing), served from the portal's own origin a byte range at a time, and drawn
by the public maps under the outlines; without it the maps are exactly the outlines."""

import pytest
from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation

from pillars.basemap import read_header
from pillars.models import BaseMap
from pillars.services import base_map_create, base_map_update
from smartcity.ranges import UnsatisfiableRangeError, requested_range
from smartcity.roles import DISKOMINFO_EDITOR
from tests.pillars import pmtiles

pytestmark = pytest.mark.django_db

ARCHIVE = pmtiles.archive()


@pytest.fixture(autouse=True)
def media_folder(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def diskominfo(client, make_user):
    user = make_user(is_staff=True)
    user.groups.add(Group.objects.get(name=DISKOMINFO_EDITOR))
    client.force_login(user)
    client.user = user
    return client


def upload(content: bytes = ARCHIVE, name="padang.pmtiles") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type="application/octet-stream")


def stored(attribution="© OpenStreetMap contributors", content: bytes = ARCHIVE) -> BaseMap:
    data = {"name": "OSM Padang", "attribution": attribution, "file": ContentFile(content, name="padang.pmtiles")}
    return base_map_create(data=data, actor=None)


# --- the header -----------------------------------------------------------------------------------------------------
def test_the_header_says_what_the_map_needs():
    header = read_header(ARCHIVE, len(ARCHIVE))
    assert header.as_fields() == {
        "tile_type": "png",
        "min_zoom": 10,
        "max_zoom": 13,
        "west": 100.3,
        "south": -1.0,
        "east": 100.5,
        "north": -0.85,
    }


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (pmtiles.png((1, 2, 3)), "not a PMTiles archive"),
        (pmtiles.archive(version=2), "version 3 is needed"),
        (pmtiles.archive(tile_type=pmtiles.MVT), "vector tiles"),
        (pmtiles.archive(internal=pmtiles.BROTLI), "browsers cannot read"),
        (ARCHIVE[:-100], "cut short"),
        (pmtiles.archive(bounds=(100.5, -1.0, 100.3, -0.85)), "bounds"),
    ],
    ids=["a PNG", "version 2", "vector tiles", "brotli directories", "cut short", "west of east"],
)
def test_a_file_the_map_cannot_draw_is_refused_with_the_reason(content, message):
    with translation.override("en"):
        with pytest.raises(ValidationError) as refused:
            read_header(content, len(content))
        assert message in refused.value.messages[0]


# --- the admin ------------------------------------------------------------------------------------------------------
def test_diskominfo_uploads_the_base_map_and_replaces_its_file(diskominfo, django_capture_on_commit_callbacks):
    data = {"name": "OSM Padang 2026", "attribution": "© OpenStreetMap contributors"}
    response = diskominfo.post(reverse("admin:pillars_basemap_add"), data | {"file": upload()})
    assert response.status_code == 302, response.context and response.context["adminform"].form.errors
    base_map = BaseMap.objects.get()
    assert (base_map.tile_type, base_map.min_zoom, base_map.max_zoom) == ("png", 10, 13)
    assert (base_map.west, base_map.south, base_map.east, base_map.north) == (100.3, -1.0, 100.5, -0.85)
    first = base_map.file.name
    assert first.startswith("basemaps/") and default_storage.open(first).read() == ARCHIVE
    # a second one cannot be added: the one there is changed instead
    assert diskominfo.get(reverse("admin:pillars_basemap_add")).status_code == 403
    with translation.override("en"), pytest.raises(ValidationError, match="There is a base map already"):
        stored()

    # a new file replaces the old one, whose bytes leave the storage once the change commits
    url = reverse("admin:pillars_basemap_change", args=[base_map.pk])
    wider = pmtiles.archive(bounds=(100.2, -1.1, 100.6, -0.7))
    with django_capture_on_commit_callbacks(execute=True):
        response = diskominfo.post(url, data | {"file": upload(wider)})
    assert response.status_code == 302, response.context and response.context["adminform"].form.errors
    base_map.refresh_from_db()
    assert base_map.file.name != first and not default_storage.exists(first)
    assert (base_map.west, base_map.north) == (100.2, -0.7)
    assert "PNG" in diskominfo.get(url).content.decode()  # what the file holds, on its page

    # a change without a new file keeps the file
    kept = base_map.file.name
    assert diskominfo.post(url, data | {"attribution": "© OpenStreetMap, BIG"}).status_code == 302
    base_map.refresh_from_db()
    assert (base_map.attribution, base_map.file.name) == ("© OpenStreetMap, BIG", kept)


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (pmtiles.archive(tile_type=pmtiles.MVT), "vector tiles"),
        (pmtiles.png((1, 2, 3)), "not a PMTiles archive"),
        (ARCHIVE[:-100], "cut short"),
        (ARCHIVE, "at most"),  # over BASEMAP_MAX_BYTES, set below
    ],
    ids=["vector tiles", "a PNG", "cut short", "too large"],
)
def test_a_bad_file_is_a_form_error_and_saves_nothing(diskominfo, settings, content, message):
    settings.BASEMAP_MAX_BYTES = len(ARCHIVE) - 1 if message == "at most" else 10**9
    data = {"name": "OSM Padang", "attribution": "© OpenStreetMap", "file": upload(content)}
    with translation.override("en"):
        response = diskominfo.post(reverse("admin:pillars_basemap_add"), data)
        assert response.status_code == 200
        assert message in str(response.context["adminform"].form.errors["file"][0])
    assert not BaseMap.objects.exists()
    assert not default_storage.exists("basemaps") or not default_storage.listdir("basemaps")[1]


def test_a_file_given_by_another_door_is_checked_by_the_writer_too():
    base_map = stored()
    with pytest.raises(ValidationError) as refused:
        base_map_update(instance=base_map, data={"file": ContentFile(b"PMTiles\x02", name="x.pmtiles")}, actor=None)
    assert "file" in refused.value.message_dict
    base_map.refresh_from_db()
    assert default_storage.open(base_map.file.name).read() == ARCHIVE


# --- the file, a byte range at a time -------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("header", "span"),
    [("bytes=0-99", (0, 99)), ("bytes=100-", (100, 999)), ("bytes=-10", (990, 999)), ("bytes=990-5000", (990, 999)),
     ("bytes=0-1,5-6", None), ("items=0-1", None)],
)  # fmt: skip
def test_a_range_header_is_read_as_the_standard_says(header, span):
    assert requested_range(header, 1000) == span


@pytest.mark.parametrize("header", ["bytes=1000-", "bytes=5-4", "bytes=-0", "bytes=-"])
def test_a_range_outside_the_file_is_unsatisfiable(header):
    with pytest.raises(UnsatisfiableRangeError):
        requested_range(header, 1000)


def test_the_file_is_served_a_range_at_a_time_from_our_origin(client):
    base_map = stored()
    url = reverse("basemap-file", args=[base_map.version])
    assert url == f"/map/basemap/{base_map.version}.pmtiles"
    size = len(ARCHIVE)

    with CaptureQueriesContext(connection) as queries:
        part = client.get(url, HTTP_RANGE="bytes=0-16383")
    assert len(queries) == 1
    assert part.status_code == 206
    assert part["Content-Range"] == f"bytes 0-16383/{size}" and part["Content-Length"] == "16384"
    assert b"".join(part.streaming_content) == ARCHIVE[:16384]
    assert part["Content-Type"] == "application/vnd.pmtiles" and part["Accept-Ranges"] == "bytes"
    etag = part["ETag"]
    assert etag.startswith('"') and part["Last-Modified"]  # a strong validator: pmtiles compares it
    assert part["Cache-Control"] == "public, max-age=31536000, immutable"
    assert "X-Cache" not in part  # never kept by the public cache

    tail = client.get(url, HTTP_RANGE=f"bytes={size - 50}-{size + 1000}")
    assert tail.status_code == 206 and b"".join(tail.streaming_content) == ARCHIVE[-50:]
    assert tail["ETag"] == etag

    beyond = client.get(url, HTTP_RANGE=f"bytes={size}-")
    assert beyond.status_code == 416 and beyond["Content-Range"] == f"bytes */{size}"

    whole = client.get(url)
    assert whole.status_code == 200 and b"".join(whole.streaming_content) == ARCHIVE
    assert whole["Content-Length"] == str(size) and whole["ETag"] == etag

    stale = client.get(url, HTTP_RANGE="bytes=0-9", HTTP_IF_RANGE='"another-file"')
    assert stale.status_code == 200  # the range was of another file: the whole of this one

    assert client.get(url, HTTP_IF_NONE_MATCH=etag).status_code == 304
    assert client.head(url, HTTP_RANGE="bytes=0-9").status_code == 206
    assert client.post(url).status_code == 405


def test_only_the_current_file_is_served(client):
    assert client.get("/map/basemap/0123abcd.pmtiles").status_code == 404  # no base map
    base_map = stored()
    assert client.get("/map/basemap/0123abcd.pmtiles").status_code == 404  # not its name
    default_storage.delete(base_map.file.name)
    assert client.get(reverse("basemap-file", args=[base_map.version])).status_code == 404  # its file is gone


# --- the public maps ------------------------------------------------------------------------------------------------
def test_without_a_base_map_the_maps_are_the_outlines_alone(client):
    html = client.get("/en/map/").content.decode()
    assert "data-basemap" not in html and "pmtiles" not in html
    assert "No background map is configured" in html


def test_with_a_base_map_the_maps_read_it_from_our_origin(client):
    base_map = stored(attribution='© OpenStreetMap <a href="https://example.org">contributors</a>')
    html = client.get("/en/map/").content.decode()
    assert f'data-basemap="/map/basemap/{base_map.version}.pmtiles"' in html
    assert 'data-basemap-zoom="10,13"' in html
    assert 'data-basemap-bounds="100.3000000,-1.0000000,100.5000000,-0.8500000"' in html
    assert 'data-basemap-attribution="© OpenStreetMap &lt;a href=&quot;https://example.org&quot;' in html
    assert "/static/vendor/pmtiles/pmtiles.js" in html
    assert html.index("vendor/leaflet/leaflet.js") < html.index("vendor/pmtiles/pmtiles.js") < html.index("js/map.js")
    assert "No background map is configured" not in html
    with translation.override("id"):
        indonesian = client.get("/map/").content.decode()
    assert f'data-basemap="/map/basemap/{base_map.version}.pmtiles"' in indonesian  # one address in every language
