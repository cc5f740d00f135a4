"""An asset's area is its district/village links (issue 24, item 5): the free-text kecamatan/kelurahan columns were
migrated into them and dropped; the API still returns the old names, read only and deprecated, for one release."""

import pytest
import yaml
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from tests.pillars.factories import DistrictFactory, InfrastructureAssetFactory, VillageFactory

pytestmark = pytest.mark.django_db

BEFORE = [("pillars", "0027_boundary_note_for_staff_only")]
AFTER = [("pillars", "0028_asset_area_links_replace_free_text")]


def _old_world():
    executor = MigrationExecutor(connection)
    executor.migrate(BEFORE)
    old = executor.loader.project_state(BEFORE).apps
    district, village, asset = (
        old.get_model("pillars", name) for name in ("District", "Village", "InfrastructureAsset")
    )
    kuranji = district.objects.create(code="13.71.09", name="Kuranji")
    nanggalo = district.objects.create(code="13.71.10", name="Nanggalo")
    village.objects.create(code="13.71.09.1001", name="Kalumbuk", district=kuranji)
    village.objects.create(code="13.71.10.1001", name="Kalumbuk", district=nanggalo)  # the same name elsewhere
    village.objects.create(code="13.71.10.1002", name="Surau Gadang", district=nanggalo)

    def make(name, **fields):
        asset.objects.create(kind="wifi", name=name, status="active", publication="published", **fields)

    make("spaced and cased", kecamatan="  kuranji ", kelurahan="KALUMBUK")
    make("village only", kelurahan="surau  gadang")
    make("ambiguous village", kelurahan="Kalumbuk")
    make("unknown", kecamatan="Atlantis", kelurahan="Nowhere")
    make("linked already", kecamatan="Kuranji", district=nanggalo)
    with connection.cursor() as cursor:
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")


def _areas(apps) -> dict[str, tuple]:
    rows = apps.get_model("pillars", "InfrastructureAsset").objects.values_list(
        "name", "district__name", "village__code"
    )
    return {name: (district, village) for name, district, village in rows}


def test_the_migration_links_matching_names_and_lists_the_rest(capsys):
    _old_world()
    executor = MigrationExecutor(connection)
    executor.migrate(AFTER)
    new = executor.loader.project_state(AFTER).apps
    assert _areas(new) == {
        "spaced and cased": ("Kuranji", "13.71.09.1001"),  # case and spacing do not matter; the village in its district
        "village only": ("Nanggalo", "13.71.10.1002"),  # the village names its district
        "ambiguous village": (None, None),  # two villages of that name and no district to choose: left empty
        "unknown": (None, None),  # nothing created
        "linked already": ("Nanggalo", None),  # a link the asset had is kept
    }
    output = capsys.readouterr().out
    assert "kecamatan 'Atlantis': 1 asset(s)" in output and "kelurahan 'Nowhere': 1 asset(s)" in output
    assert "kelurahan 'Kalumbuk': 1 asset(s)" in output and "Kuranji'" not in output
    assert "kecamatan" not in {field.name for field in new.get_model("pillars", "InfrastructureAsset")._meta.fields}


def test_the_migration_backwards_restores_the_texts_from_the_links():
    _old_world()
    executor = MigrationExecutor(connection)
    executor.migrate(AFTER)
    executor = MigrationExecutor(connection)
    executor.migrate(BEFORE)
    old = executor.loader.project_state(BEFORE).apps
    rows = old.get_model("pillars", "InfrastructureAsset").objects.values_list("name", "kecamatan", "kelurahan")
    assert {name: (kecamatan, kelurahan) for name, kecamatan, kelurahan in rows}["spaced and cased"] == (
        "Kuranji",
        "Kalumbuk",
    )
    executor = MigrationExecutor(connection)
    executor.migrate(AFTER)


def test_the_api_returns_the_old_names_from_the_links(api_client, make_user):
    village = VillageFactory(name="Kalumbuk", district=DistrictFactory(name="Kuranji", code="13.71.09"))
    asset = InfrastructureAssetFactory(district=village.district, village=village)
    InfrastructureAssetFactory(name="tanpa wilayah")
    api_client.force_authenticate(make_user("pillars.view_infrastructureasset"))
    rows = {row["name"]: row for row in api_client.get("/api/v1/assets/", {"limit": 10}).json()["results"]}
    assert (rows[asset.name]["kecamatan"], rows[asset.name]["kelurahan"]) == ("Kuranji", "Kalumbuk")
    assert (rows[asset.name]["district"]["id"], rows[asset.name]["village"]["id"]) == (village.district_id, village.pk)
    assert (rows["tanpa wilayah"]["kecamatan"], rows["tanpa wilayah"]["kelurahan"]) == ("", "")
    assert api_client.get("/api/v1/assets/", {"kecamatan": "kuranji"}).json()["count"] == 1  # the old filter too


def test_the_old_names_are_read_only_and_deprecated_in_the_schema(api_client, make_user):
    api_client.force_authenticate(make_user("pillars.change_infrastructureasset", "pillars.view_infrastructureasset"))
    asset = InfrastructureAssetFactory()
    response = api_client.patch(f"/api/v1/assets/{asset.pk}/", {"kecamatan": "Kuranji"})
    assert response.status_code == 400 and "kecamatan" in str(response.json())
    schema = yaml.safe_load(api_client.get("/api/v1/schema/").content)
    properties = schema["components"]["schemas"]["InfrastructureAsset"]["properties"]
    for name in ("kecamatan", "kelurahan"):
        assert properties[name].get("deprecated") is True and properties[name].get("readOnly") is True
    assert not properties["district"].get("deprecated")
