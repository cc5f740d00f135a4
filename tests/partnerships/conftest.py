"""The partnership world the permission tests act in: two partners, their MoUs and keys, staff of two roles."""

import datetime
from dataclasses import dataclass

import pytest
from django.contrib.auth.models import Group
from django.utils import timezone

from partnerships.models import Commitment, MoU, Partner, PartnerAPIKey
from smartcity.roles import DISKOMINFO_EDITOR, OPD_EDITOR

from .factories import CommitmentFactory, MoUFactory, PartnerFactory, make_key


@dataclass
class World:
    partner_a: Partner
    partner_b: Partner
    mou_a: MoU
    mou_b: MoU
    hidden_mou_b: MoU  # unpublished
    commitment_a: Commitment
    commitment_b: Commitment
    hidden_commitment_b: Commitment
    keys: dict[str, str]  # actor name -> plain key
    key_rows: dict[str, PartnerAPIKey]


@pytest.fixture
def world(db) -> World:
    partner_a, partner_b = PartnerFactory(name="PT Telkom Uji"), PartnerFactory(name="Tower Uji")
    mou_a = MoUFactory(party__partner=partner_a)
    mou_b = MoUFactory(party__partner=partner_b)
    hidden_mou_b = MoUFactory(party__partner=partner_b, publication="draft")
    keys, rows = {}, {}
    for name, partner, fields in [
        ("partner_a", partner_a, {}),
        ("partner_b", partner_b, {}),
        ("expired_key", partner_a, {"expiry_date": timezone.now() - datetime.timedelta(minutes=1)}),
        ("revoked_key", partner_a, {"revoked": True}),
    ]:
        rows[name], keys[name] = make_key(partner, **fields)
    return World(
        partner_a=partner_a,
        partner_b=partner_b,
        mou_a=mou_a,
        mou_b=mou_b,
        hidden_mou_b=hidden_mou_b,
        commitment_a=CommitmentFactory(mou=mou_a),
        commitment_b=CommitmentFactory(mou=mou_b),
        hidden_commitment_b=CommitmentFactory(mou=hidden_mou_b),
        keys=keys,
        key_rows=rows,
    )


@pytest.fixture
def role_user(make_user):
    def make(role: str):
        user = make_user(is_staff=True)
        user.groups.add(Group.objects.get(name=role))
        return user

    return make


@pytest.fixture
def act_as(api_client, world, role_user):
    """Authenticate `api_client` as one of: anonymous, staff, opd_editor, partner_a, partner_b, expired_key,
    revoked_key."""

    def act(actor: str):
        if actor == "staff":
            api_client.force_authenticate(role_user(DISKOMINFO_EDITOR))
        elif actor == "opd_editor":
            api_client.force_authenticate(role_user(OPD_EDITOR))
        elif actor != "anonymous":
            api_client.credentials(HTTP_AUTHORIZATION=f"Api-Key {world.keys[actor]}")
        return api_client

    return act
