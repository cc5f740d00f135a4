"""Partner API keys: the Api-Key header, hashes only, expiry, revocation, last use, throttling."""

import base64
import datetime

import pytest
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext

from partnerships.models import PartnerAPIKey
from smartcity.services import writer_for

from .factories import PartnerFactory, make_key

pytestmark = pytest.mark.django_db

LIST = "/api/v1/commitments/"


def in_id(message: str) -> str:
    """`message` as the API answers it: in Indonesian, the default language, once the catalog has it."""
    with translation.override("id"):
        return gettext(message)


def call(client, key, path=LIST):
    client.credentials(HTTP_AUTHORIZATION=f"Api-Key {key}")
    return client.get(path)


def test_only_a_hash_of_the_key_is_stored():
    row, key = make_key(PartnerFactory())
    prefix, secret = key.split(".")
    stored = PartnerAPIKey.objects.filter(pk=row.pk).values().get()
    assert stored["prefix"] == prefix and secret not in str(stored)
    assert stored["hashed_key"].startswith("sha512$$")


def test_a_valid_key_is_accepted_and_its_last_use_recorded(api_client):
    row, key = make_key(PartnerFactory())
    assert row.last_used_at is None
    assert call(api_client, key).status_code == 200
    row.refresh_from_db()
    assert timezone.now() - row.last_used_at < datetime.timedelta(seconds=10)


def test_last_use_is_written_at_most_once_a_minute(api_client):
    row, key = make_key(PartnerFactory())
    recent = timezone.now() - datetime.timedelta(seconds=5)
    PartnerAPIKey.objects.filter(pk=row.pk).update(last_used_at=recent)
    call(api_client, key)
    row.refresh_from_db()
    assert row.last_used_at == recent


@pytest.mark.parametrize(
    ("header", "detail"),
    [
        ("Api-Key nope.nope", "Unknown or revoked API key."),
        ("Api-Key", "Invalid API key header: give the key after Api-Key."),
        ("Api-Key a b", "Invalid API key header: give the key after Api-Key."),
    ],
)
def test_a_bad_key_is_401_with_the_challenge(api_client, header, detail):
    api_client.credentials(HTTP_AUTHORIZATION=header)
    response = api_client.get(LIST)
    assert response.status_code == 401 and response.data == {"code": "authentication_failed", "detail": in_id(detail)}
    assert response["WWW-Authenticate"] == "Api-Key"


def test_a_key_with_a_wrong_secret_but_a_real_prefix_is_401(api_client):
    _, key = make_key(PartnerFactory())
    prefix = key.split(".")[0]
    assert call(api_client, f"{prefix}.{'x' * 32}").status_code == 401


def test_expired_and_revoked_keys_are_401(api_client):
    partner = PartnerFactory()
    _, expired = make_key(partner, expiry_date=timezone.now() - datetime.timedelta(seconds=1))
    revoked_row, revoked = make_key(partner)
    assert call(api_client, revoked).status_code == 200  # now its check is kept (partnerships/authentication.py)
    writer_for(PartnerAPIKey).update(instance=revoked_row, data={"revoked": True}, actor=None)  # every door's path
    assert call(api_client, expired).data["detail"] == in_id("This API key has expired.")
    assert call(api_client, revoked).status_code == 401


def test_anonymous_on_a_protected_endpoint_gets_the_api_key_challenge(api_client):
    response = api_client.post(LIST, {})
    assert response.status_code == 401 and response["WWW-Authenticate"] == "Api-Key"


def test_basic_authentication_still_works_after_the_key_class(api_client, make_user):
    user = make_user("partnerships.add_partner", "partnerships.view_partner")
    token = base64.b64encode(f"{user.username}:correct horse battery staple".encode()).decode()
    api_client.credentials(HTTP_AUTHORIZATION=f"Basic {token}")
    response = api_client.post("/api/v1/partners/", {"name": "Unand", "slug": "unand", "kind": "university"})
    assert response.status_code == 201


def test_each_key_is_throttled_on_its_own(api_client, settings):
    settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK, "DEFAULT_THROTTLE_RATES": {"partner_key": "3/minute"}}
    partner = PartnerFactory()
    (_, first), (_, second) = make_key(partner), make_key(partner)
    assert [call(api_client, first).status_code for _ in range(4)] == [200, 200, 200, 429]
    assert call(api_client, second).status_code == 200  # another key has its own budget
    api_client.credentials()
    assert [api_client.get(LIST).status_code for _ in range(5)] == [200] * 5  # citizens are not throttled here


def test_library_api_key_model_is_not_in_the_admin(client, make_user):
    client.force_login(make_user(is_staff=True, is_superuser=True))
    assert client.get("/admin/rest_framework_api_key/apikey/").status_code == 404
    assert client.get(reverse("admin:partnerships_partnerapikey_changelist")).status_code == 200
