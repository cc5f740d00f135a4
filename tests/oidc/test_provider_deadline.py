"""Issue 23, HIGH 1 for sign-in: the backend's requests to the OpenID provider (token, user info, signing keys) go
through smartcity/outbound.py, so a provider that drips or floods its answer refuses the sign-in with the reason
within OIDC_TIMEOUT_SECONDS, instead of holding a web worker. The provider here is a real misbehaving server on
loopback; the whole flow against a real provider is tests/oidc/test_sign_in.py."""

import time

import pytest
from django.core.exceptions import PermissionDenied
from django.utils import translation

from pillars.oidc import AgencyRoleBackend
from smartcity.oidc import REFUSAL_ATTRIBUTE
from tests.dripping import BEHAVIOURS, opened_receivers

DEADLINE = 2.0


@pytest.fixture
def dripping():
    yield from opened_receivers()


@pytest.fixture
def provider_settings(settings):
    settings.OIDC_RP_CLIENT_ID, settings.OIDC_RP_CLIENT_SECRET = "kota-cerdas", "rahasia"
    settings.OIDC_OP_AUTHORIZATION_ENDPOINT = "http://127.0.0.1:9/auth"
    settings.OIDC_RP_SIGN_ALGO = "RS256"
    settings.OIDC_TIMEOUT_SECONDS = DEADLINE
    settings.OIDC_MAX_RESPONSE_BYTES = 64 * 1024
    return settings


@pytest.mark.parametrize("behaviour", list(BEHAVIOURS))
@pytest.mark.parametrize("step", ["token", "userinfo", "jwks"])
def test_a_misbehaving_provider_refuses_the_sign_in_within_the_deadline(
    provider_settings, dripping, rf, behaviour, step
):
    provider = dripping(*BEHAVIOURS[behaviour])
    base = provider.url.rsplit("/hooks", 1)[0]
    provider_settings.OIDC_OP_TOKEN_ENDPOINT = f"{base}/token"
    provider_settings.OIDC_OP_USER_ENDPOINT = f"{base}/me"
    provider_settings.OIDC_OP_JWKS_ENDPOINT = f"{base}/jwks"
    backend = AgencyRoleBackend()
    backend.request = rf.get("/oidc/callback/")
    calls = {
        "token": lambda: backend.get_token({"client_id": "kota-cerdas", "code": "abc"}),
        "userinfo": lambda: backend.get_userinfo("access", "id", {}),
        "jwks": lambda: backend.retrieve_matching_jwk("e30.e30.sig"),
    }
    started = time.monotonic()
    with pytest.raises(PermissionDenied), translation.override("en"):
        calls[step]()
    assert time.monotonic() - started < DEADLINE + 1.5
    assert "identity provider" in str(getattr(backend.request, REFUSAL_ATTRIBUTE))
    assert provider.connections == 1
