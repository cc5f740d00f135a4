"""Map boundaries: GeoJSON outlines uploaded in the admin (a bad file is a form error and saves nothing), served
to the map in one query, and the demo city's approximate outlines."""

import json

import pytest
from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation

from pillars import demo
from pillars.demo_data import KECAMATAN
from pillars.models import Boundary
from pillars.outlines import area_geometry, parse_outline, validate_area_geometry
from smartcity.roles import DISKOMINFO_EDITOR

pytestmark = pytest.mark.django_db

SQUARE = [[100.30, -0.90], [100.40, -0.90], [100.40, -0.80], [100.30, -0.80], [100.30, -0.90]]
POLYGON = {"type": "Polygon", "coordinates": [SQUARE]}


def feature(geometry, **properties):
    return {"type": "Feature", "properties": properties, "geometry": geometry}


def geojson_file(document, name="batas.geojson") -> SimpleUploadedFile:
    content = document if isinstance(document, bytes) else json.dumps(document).encode()
    return SimpleUploadedFile(name, content, content_type="application/geo+json")


def test_an_area_is_taken_from_a_geometry_a_feature_or_a_collection():
    assert parse_outline(json.dumps(POLYGON).encode()) == POLYGON
    assert area_geometry(feature(POLYGON, name="Padang")) == POLYGON
    two = area_geometry({"type": "FeatureCollection", "features": [feature(POLYGON), feature(POLYGON)]})
    assert two == {"type": "MultiPolygon", "coordinates": [[SQUARE], [SQUARE]]}


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        (b"{not json", "not valid JSON"),
        (json.dumps({"type": "Point", "coordinates": [100.3, -0.9]}).encode(), "Polygon or MultiPolygon"),
        (json.dumps({"type": "FeatureCollection", "features": []}).encode(), "holds no feature"),
        (json.dumps({"type": "Polygon", "coordinates": [SQUARE[:-1]]}).encode(), "end where it starts"),
        (json.dumps({"type": "Polygon", "coordinates": [SQUARE[:3]]}).encode(), "at least four positions"),
        (json.dumps({"type": "Polygon", "coordinates": [[[-0.9, 100.3]] * 4]}).encode(), "longitude first"),
        (json.dumps({"type": "Polygon", "coordinates": [[["100.3", -0.9]] * 4]}).encode(), "[longitude, latitude]"),
        (json.dumps(feature(None)).encode(), "Polygon or MultiPolygon"),
    ],
)
def test_a_file_that_holds_no_valid_area_is_refused_with_the_reason(raw, message):
    with translation.override("en"):
        with pytest.raises(ValidationError) as refused:
            parse_outline(raw)
        assert message in refused.value.messages[0]


def test_the_model_refuses_a_stored_outline_that_is_no_area():
    boundary = Boundary(name="Padang", kind="city", geometry={"type": "Point", "coordinates": [100.3, -0.9]})
    with pytest.raises(ValidationError) as refused:
        boundary.full_clean()
    assert "geometry" in refused.value.message_dict
    validate_area_geometry(POLYGON)  # a valid one passes


@pytest.fixture
def diskominfo(client, make_user):
    user = make_user(is_staff=True)
    user.groups.add(Group.objects.get(name=DISKOMINFO_EDITOR))
    client.force_login(user)
    return client


def test_diskominfo_uploads_a_district_outline_in_the_admin(diskominfo):
    data = {"name": "Padang Barat", "kind": "district", "code": "13.71.02", "note": "BPS 2020"}
    response = diskominfo.post(reverse("admin:pillars_boundary_add"), data | {"upload": geojson_file(feature(POLYGON))})
    assert response.status_code == 302, response.context and response.context["adminform"].form.errors
    boundary = Boundary.objects.get()
    assert (boundary.name, boundary.kind, boundary.code, boundary.geometry) == (
        "Padang Barat",
        "district",
        "13.71.02",
        POLYGON,
    )
    # a change without a new file keeps the outline
    url = reverse("admin:pillars_boundary_change", args=[boundary.pk])
    assert diskominfo.post(url, data | {"note": "BPS 2021"}).status_code == 302
    boundary.refresh_from_db()
    assert boundary.note == "BPS 2021" and boundary.geometry == POLYGON
    assert "Area: 1, titik: 5" in diskominfo.get(url).content.decode()  # the admin speaks Indonesian


@pytest.mark.parametrize(
    "upload",
    [geojson_file(b"{not json"), geojson_file({"type": "Point", "coordinates": [1, 2]}), None],
    ids=["malformed", "not an area", "missing"],
)
def test_a_bad_or_missing_file_is_a_form_error_and_saves_nothing(diskominfo, upload):
    data = {"name": "Kota Padang", "kind": "city", "code": "", "note": ""}
    if upload is not None:
        upload.seek(0)
        data["upload"] = upload
    response = diskominfo.post(reverse("admin:pillars_boundary_add"), data)
    assert response.status_code == 200
    assert response.context["adminform"].form.errors["upload"]
    assert not Boundary.objects.exists()


def test_the_map_gets_every_outline_in_one_query(client):
    Boundary.objects.create(name="Kota Padang", kind="city", code="13.71", geometry=POLYGON)
    for name in ("Nanggalo", "Kuranji", "Pauh"):
        Boundary.objects.create(name=name, kind="district", geometry=POLYGON)
    with CaptureQueriesContext(connection) as queries:
        response = client.get("/en/map/boundaries.geojson")
    assert len(queries) == 1
    assert response["Content-Type"] == "application/geo+json"
    data = response.json()
    assert data["type"] == "FeatureCollection"
    assert [(f["properties"]["name"], f["properties"]["kind_label"]) for f in data["features"]] == [
        ("Kota Padang", "City boundary"),
        ("Kuranji", "District (kecamatan)"),
        ("Nanggalo", "District (kecamatan)"),
        ("Pauh", "District (kecamatan)"),
    ]
    assert data["features"][0]["geometry"] == POLYGON


def test_the_map_page_draws_outlines_and_groups_points_from_our_own_files(client):
    Boundary.objects.create(name="Kota Padang", kind="city", note="Garis batas demo", geometry=POLYGON)
    html = client.get("/en/map/").content.decode()
    assert 'data-boundaries="/en/map/boundaries.geojson"' in html
    assert "/static/vendor/leaflet/leaflet.js" in html and "/static/js/map.js" in html
    assert "markercluster" not in html  # points come grouped from the server (pillars/geojson.py)
    assert "Garis batas demo" not in html  # the staff's note stays in the admin
    assert "Garis batas demo" not in client.get("/en/map/boundaries.geojson").content.decode()
    assert '<script id="map-labels" type="application/json">' in html  # data, not a script: the CSP holds
    assert '"wifi": "Public Wi-Fi"' in html  # kinds named in the page's language


def inside(point: tuple[float, float], ring: list) -> bool:
    """Ray casting: whether (longitude, latitude) lies inside the ring."""
    x, y = point
    crossings = 0
    for (x1, y1), (x2, y2) in zip(ring, ring[1:], strict=False):
        if (y1 > y) != (y2 > y) and x < x1 + (y - y1) * (x2 - x1) / (y2 - y1):
            crossings += 1
    return crossings % 2 == 1


def test_the_demo_outlines_load_twice_without_duplicates_and_hold_their_districts():
    assert demo.load_map_outlines() == demo.load_map_outlines() == {"map boundaries": 9}
    city = Boundary.objects.get(kind="city")
    assert city.name == "Kota Padang" and "demo" in city.note
    for boundary in Boundary.objects.all():
        boundary.full_clean()
    districts = {b.name: b.geometry["coordinates"][0] for b in Boundary.objects.filter(kind="district")}
    assert set(districts) == set(KECAMATAN)
    for name, (_kelurahan, latitude, longitude) in KECAMATAN.items():
        point = (float(longitude), float(latitude))
        assert inside(point, districts[name]), f"{name}'s demo point lies outside its outline"
        assert inside(point, city.geometry["coordinates"][0])
