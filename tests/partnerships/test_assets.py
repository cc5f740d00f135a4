"""A partner's key updates the status of the infrastructure assets it operates, and of no other."""

import pytest
from django.urls import reverse

from tests.pillars.factories import InfrastructureAssetFactory

pytestmark = pytest.mark.django_db


def status_url(asset):
    return reverse("partnerships-api:infrastructureasset-status", args=[asset.pk])


@pytest.fixture
def assets(world):
    return {
        "own": InfrastructureAssetFactory(kind="tower", operator=world.partner_a),
        "other_public": InfrastructureAssetFactory(kind="tower", operator=world.partner_b),
        "other_hidden": InfrastructureAssetFactory(kind="tower", operator=world.partner_b, publication="draft"),
    }


@pytest.mark.parametrize(
    ("actor", "target", "expected"),
    [
        ("partner_a", "own", 200),
        ("partner_a", "other_public", 403),
        ("partner_a", "other_hidden", 404),
        ("anonymous", "own", 401),
        ("staff", "own", 403),  # staff change assets through pillars' own endpoint
        ("opd_editor", "own", 403),
        ("expired_key", "own", 401),
        ("revoked_key", "own", 401),
    ],
)
def test_asset_status_permission_matrix(act_as, assets, actor, target, expected):
    asset = assets[target]
    response = act_as(actor).post(status_url(asset), {"status": "down"})
    assert response.status_code == expected
    asset.refresh_from_db()
    assert (asset.status == "down") is (expected == 200)


def test_unknown_status_is_400(act_as, assets):
    response = act_as("partner_a").post(status_url(assets["own"]), {"status": "exploded"})
    assert response.status_code == 400 and "status" in response.data["errors"]


def test_a_partner_lists_only_the_assets_it_operates(act_as, assets):
    response = act_as("partner_a").get(reverse("partnerships-api:infrastructureasset-list"))
    assert [row["id"] for row in response.data["results"]] == [assets["own"].pk]
