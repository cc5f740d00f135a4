"""One map view (`/api/v1/assets/geojson/?bbox=&zoom=`): the assets inside the box, grouped server-side per kind
on a grid fixed per zoom, in a constant number of queries, small at any number of assets; bad boxes are a 400."""

import gzip
import json
import random
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from pillars.models import InfrastructureAsset

pytestmark = pytest.mark.django_db

CITY = "100.30,-1.05,100.50,-0.85"  # the box of the generated assets (pillars/generate.py)
URL = "/api/v1/assets/geojson/"


def make_assets(count: int, seed: int = 7) -> None:
    rng = random.Random(seed)
    InfrastructureAsset.objects.bulk_create(
        InfrastructureAsset(
            kind=rng.choice(["wifi", "cctv", "tower", "fiber"]),
            name=f"asset {seed}-{n}",
            status="active",
            latitude=Decimal(f"{rng.uniform(-1.05, -0.85):.6f}"),
            longitude=Decimal(f"{rng.uniform(100.3, 100.5):.6f}"),
            publication="published",
        )
        for n in range(count)
    )


def view(client, bbox=CITY, zoom=12, **extra):
    with CaptureQueriesContext(connection) as context:
        response = client.get(URL, {"bbox": bbox, "zoom": zoom, **extra}, HTTP_ACCEPT_ENCODING="gzip")
    assert response.status_code == 200, response.content
    return json.loads(gzip.decompress(response.content)), len(response.content), len(context)


def represented(data) -> int:
    return sum(f["properties"]["count"] if f["properties"].get("cluster") else 1 for f in data["features"])


def test_a_city_view_groups_2500_assets_into_a_small_answer(client):
    make_assets(2500)
    data, wire, _ = view(client)
    assert represented(data) == 2500  # every asset in the box is in a group or shown
    assert any(f["properties"].get("cluster") for f in data["features"])
    assert len(data["features"]) < 1000 and wire <= 150 * 1024
    assert data["bbox"][0] <= 100.30 and data["bbox"][2] >= 100.50  # snapped outward to the grid


def test_close_up_every_asset_is_its_own_point_with_its_details(client):
    make_assets(300)
    data, _, _ = view(client, bbox="100.40,-0.96,100.41,-0.95", zoom=18)
    inside = InfrastructureAsset.objects.filter(
        longitude__range=(Decimal("100.40"), Decimal("100.41")), latitude__range=(Decimal("-0.96"), Decimal("-0.95"))
    )
    assert {f["id"] for f in data["features"]} >= set(inside.values_list("pk", flat=True))
    assert all(not f["properties"].get("cluster") and f["properties"]["name"] for f in data["features"])


def test_the_same_queries_at_any_number_of_assets(client):
    make_assets(50, seed=1)
    _, _, small = view(client)
    make_assets(2000, seed=2)
    _, _, large = view(client)
    assert small == large


def test_filters_apply_to_the_view(client):
    make_assets(400)
    data, _, _ = view(client, kind="cctv")
    assert {f["properties"]["kind"] for f in data["features"]} == {"cctv"}
    assert represented(data) == InfrastructureAsset.objects.filter(kind="cctv").count()


@pytest.mark.parametrize(
    "query",
    [
        {"bbox": CITY},
        {"zoom": "12"},
        {"bbox": "1,2,3", "zoom": "12"},
        {"bbox": "100.5,-1,100.3,-0.8", "zoom": "12"},
        {"bbox": CITY, "zoom": "99"},
        {"bbox": "a,b,c,d", "zoom": "x"},
    ],
)
def test_a_bad_view_is_a_400_naming_the_parameter(client, query):
    response = client.get(URL, query)
    assert response.status_code == 400 and set(response.json()) & {"bbox", "zoom", "errors", "detail"}


def test_views_are_cached_apart(client, settings):
    settings.PUBLIC_CACHE_SECONDS = 300
    make_assets(200)
    wide, _, _ = view(client, zoom=11)
    close, _, _ = view(client, bbox="100.40,-0.96,100.41,-0.95", zoom=18)
    assert wide != close and view(client, zoom=11)[0] == wide
