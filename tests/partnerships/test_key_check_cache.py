"""A valid partner key is verified against the database once per KEY_CHECK_SECONDS (partnerships/authentication.py),
while revocation, any change and deletion through the writer, and the key's expiry, take effect at once."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from partnerships.models import PartnerAPIKey
from smartcity.services import writer_for

from .factories import PartnerFactory, make_key

pytestmark = pytest.mark.django_db

LIST = "/api/v1/commitments/"


def call(client, key):
    client.credentials(HTTP_AUTHORIZATION=f"Api-Key {key}")
    with CaptureQueriesContext(connection) as context:
        response = client.get(LIST)
    return response.status_code, [q["sql"] for q in context if "partnerships_partnerapikey" in q["sql"]]


def test_a_valid_key_is_read_from_the_database_once_then_from_the_kept_check(api_client):
    _, key = make_key(PartnerFactory())
    status, first = call(api_client, key)
    assert status == 200 and first  # verified against its row (and its last use written)
    for _ in range(3):
        assert call(api_client, key) == (200, [])


def test_a_wrong_secret_is_never_answered_from_a_kept_check(api_client):
    _, key = make_key(PartnerFactory())
    assert call(api_client, key)[0] == 200
    prefix = key.split(".")[0]
    status, queries = call(api_client, f"{prefix}.{'x' * 32}")
    assert status == 401 and queries


def test_revoking_takes_effect_at_once(api_client):
    row, key = make_key(PartnerFactory())
    assert call(api_client, key)[0] == call(api_client, key)[0] == 200
    writer_for(PartnerAPIKey).update(instance=row, data={"revoked": True}, actor=None)
    assert call(api_client, key)[0] == 401


def test_an_expiry_brought_forward_takes_effect_at_once(api_client):
    row, key = make_key(PartnerFactory())
    assert call(api_client, key)[0] == 200
    past = timezone.now() - datetime.timedelta(minutes=1)
    writer_for(PartnerAPIKey).update(instance=row, data={"expiry_date": past}, actor=None)
    assert call(api_client, key)[0] == 401


def test_a_kept_check_expires_when_the_key_does(api_client, monkeypatch):
    expiry = timezone.now() + datetime.timedelta(hours=1)
    _, key = make_key(PartnerFactory(), expiry_date=expiry)
    assert call(api_client, key)[0] == 200
    assert call(api_client, key) == (200, [])  # answered from the kept check
    later = expiry + datetime.timedelta(seconds=1)
    monkeypatch.setattr(timezone, "now", lambda: later)  # the expiry passes, nothing else changes
    assert call(api_client, key)[0] == 401


def test_deleting_the_key_or_its_partner_takes_effect_at_once(api_client):
    row, key = make_key(PartnerFactory())
    assert call(api_client, key)[0] == 200
    writer_for(PartnerAPIKey).delete(instance=row, actor=None)
    assert call(api_client, key)[0] == 401
    partner = PartnerFactory()
    _, other = make_key(partner)
    assert call(api_client, other)[0] == 200
    writer_for(type(partner)).delete(instance=partner, actor=None)
    assert call(api_client, other)[0] == 401
