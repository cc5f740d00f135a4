"""Without OIDC_CLIENT_ID the portal has no OpenID Connect door, and local passwords work as before."""

import pytest
from django.urls import NoReverseMatch, reverse

from smartcity.auth import LocalPasswordBackend
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_no_provider_button_and_no_oidc_urls_when_unset(client, settings):
    assert settings.OIDC_ENABLED is False
    page = client.get(reverse("admin:login"))
    assert page.status_code == 200 and b"oidc-login" not in page.content
    with pytest.raises(NoReverseMatch):
        reverse("oidc_authentication_init")
    assert client.get("/oidc/authenticate/").status_code == 404


def test_local_passwords_are_for_superusers_only_once_oidc_is_on(settings, rf):
    staff, admin = UserFactory(is_staff=True), UserFactory(is_staff=True, is_superuser=True)
    backend, request = LocalPasswordBackend(), rf.get("/")
    password = "correct horse battery staple"
    assert backend.authenticate(request, username=staff.username, password=password) == staff  # OIDC off
    settings.OIDC_ENABLED = True
    assert backend.authenticate(request, username=staff.username, password=password) is None
    assert backend.authenticate(request, username=admin.username, password=password) == admin
    settings.OIDC_LOCAL_LOGIN = "all"
    assert backend.authenticate(request, username=staff.username, password=password) == staff


def test_a_role_map_naming_an_unknown_role_stops_the_start(tmp_path):
    from tests.live import manage, portal_env

    env = portal_env(DJANGO_VAR_DIR=str(tmp_path), OIDC_ROLES="opd=OPD editor,boss=Supreme Leader")
    result = manage("check", env=env)
    assert result.returncode != 0 and "OIDC_ROLES may name only these roles" in result.stderr
