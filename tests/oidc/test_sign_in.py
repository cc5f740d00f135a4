"""Staff sign-in through a real OpenID Connect provider: node's oidc-provider (tests/oidc/provider.mjs) and the portal
under gunicorn, both on loopback, driven by a real HTTP client through the whole authorization-code flow, the
provider's own login form included. The portal is configured only from the environment, as in production."""

import json
import re
import shutil
import subprocess
import time
from pathlib import Path

import pytest
import requests
from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import PBKDF2PasswordHasher
from django.contrib.auth.models import Group

from smartcity.roles import DISKOMINFO_EDITOR, OPD_EDITOR
from tests.live import ROOT, portal_env, serve, served_database_url
from tests.pillars.factories import AgencyFactory
from tests.workers import worker_port

pytestmark = [
    pytest.mark.django_db(transaction=True, serialized_rollback=True),  # later tests find the role groups
    pytest.mark.skipif(shutil.which("node") is None, reason="node runs the OpenID provider"),
]

# This helper's ports (8170-8179): the portal and the provider.
PORTAL_PORT, PROVIDER_PORT = worker_port(8171), worker_port(8172)
PORTAL, ISSUER = f"http://127.0.0.1:{PORTAL_PORT}", f"http://127.0.0.1:{PROVIDER_PORT}"
CLIENT_ID, CLIENT_SECRET = "kota-cerdas", "rahasia-klien-uji-0123456789"
ACCOUNTS = {
    "siti": {
        "password": "sandi-siti",
        "claims": {"email": "siti@dishub.example", "given_name": "Siti", "family_name": "Rahmawati",
                   "agency": "dishub", "role": "opd-editor"},
    },
    "rina": {
        "password": "sandi-rina",
        "claims": {"email": "rina@kominfo.example", "given_name": "Rina", "agency": "diskominfo",
                   "role": ["pegawai", "diskominfo-editor"]},
    },
    "budi": {
        "password": "sandi-budi",
        "claims": {"email": "budi@x.example", "agency": "dinas-tak-dikenal", "role": "opd-editor"},
    },
}  # fmt: skip


@pytest.fixture(scope="module")
def provider():
    env = {
        "PATH": "/usr/bin:/bin:/usr/local/bin",
        "OIDC_TEST_PORT": str(PROVIDER_PORT),
        "OIDC_TEST_CLIENT_ID": CLIENT_ID,
        "OIDC_TEST_CLIENT_SECRET": CLIENT_SECRET,
        "OIDC_TEST_REDIRECT_URI": f"{PORTAL}/oidc/callback/",
        "OIDC_TEST_ACCOUNTS": json.dumps(ACCOUNTS),
    }
    script = Path(__file__).with_name("provider.mjs")
    process = subprocess.Popen(
        ["node", str(script)], cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True
    )
    try:
        for _ in range(100):
            if process.poll() is not None:
                raise RuntimeError(process.stdout.read())
            try:
                if requests.get(f"{ISSUER}/.well-known/openid-configuration", timeout=1).ok:
                    break
            except requests.ConnectionError:
                time.sleep(0.1)
        yield ISSUER
    finally:
        process.terminate()
        process.wait(timeout=10)


@pytest.fixture(scope="module")
def portal(provider, django_db_setup):  # one portal for the module, on the test database
    env = portal_env(
        DATABASE_URL=served_database_url(),
        DJANGO_SECURE_COOKIES="false",
        DJANGO_STATICFILES_STORAGE="django.contrib.staticfiles.storage.StaticFilesStorage",
        OIDC_CLIENT_ID=CLIENT_ID,
        OIDC_CLIENT_SECRET=CLIENT_SECRET,
        OIDC_AUTHORIZATION_ENDPOINT=f"{ISSUER}/auth",
        OIDC_TOKEN_ENDPOINT=f"{ISSUER}/token",
        OIDC_USERINFO_ENDPOINT=f"{ISSUER}/me",
        OIDC_JWKS_ENDPOINT=f"{ISSUER}/jwks",
        OIDC_SCOPES="openid email profile kotacerdas",
        OIDC_PROVIDER_NAME="Identitas Kota",
    )
    with serve(env, port=PORTAL_PORT) as base:
        yield base


def sign_in(login: str, password: str) -> tuple[requests.Session, requests.Response]:
    """A browser's way in: the admin's login page, its provider button, the provider's form, back to the portal."""
    browser = requests.Session()
    page = browser.get(f"{PORTAL}/admin/login/?next=/admin/")
    button = re.search(r'id="oidc-login" href="([^"]+)"', page.text)
    assert button, "the admin's login page shows the provider's button"
    form = browser.get(PORTAL + button.group(1).replace("&amp;", "&"))
    assert form.url.startswith(ISSUER) and 'name="password"' in form.text
    action = re.search(r'action="([^"]+)"', form.text).group(1)
    wrong = browser.post(ISSUER + action, data={"login": login, "password": "salah"})
    assert "Wrong login or password" in wrong.text  # the provider checks the password, not the portal
    return browser, browser.post(ISSUER + action, data={"login": login, "password": password})


def test_sign_in_lands_staff_in_their_agency_with_their_role(portal):
    dishub = AgencyFactory(slug="dishub", name="Dinas Perhubungan")
    diskominfo = AgencyFactory(slug="diskominfo", name="Dinas Komunikasi dan Informatika")
    browser, landed = sign_in("siti", "sandi-siti")
    assert landed.status_code == 200 and landed.url == f"{PORTAL}/admin/", landed.url
    siti = get_user_model().objects.get(username="oidc-siti")
    assert (siti.email, siti.first_name, siti.last_name, siti.is_staff) == ("siti@dishub.example", "Siti",
                                                                           "Rahmawati", True)  # fmt: skip
    assert not siti.is_superuser and not siti.has_usable_password()
    assert list(siti.groups.values_list("name", flat=True)) == [OPD_EDITOR]
    assert list(siti.agencies.all()) == [dishub]
    assert browser.get(f"{PORTAL}/admin/pillars/program/add/").status_code == 200  # an OPD editor's page

    # A second person, whose role claim is a list with one value the portal knows.
    _, landed = sign_in("rina", "sandi-rina")
    rina = get_user_model().objects.get(username="oidc-rina")
    assert landed.url == f"{PORTAL}/admin/"
    assert list(rina.groups.values_list("name", flat=True)) == [DISKOMINFO_EDITOR]
    assert list(rina.agencies.all()) == [diskominfo]

    # Moved at the provider: the next sign-in follows (agency and role are the provider's word).
    siti.groups.add(Group.objects.get(name=DISKOMINFO_EDITOR))
    diskominfo.members.add(siti)
    sign_in("siti", "sandi-siti")
    assert list(siti.groups.values_list("name", flat=True)) == [OPD_EDITOR]
    assert list(siti.agencies.all()) == [dishub]
    assert get_user_model().objects.filter(username__startswith="oidc-").count() == 2


def test_an_unknown_agency_is_refused_with_the_reason_and_no_account(portal):
    _, landed = sign_in("budi", "sandi-budi")
    assert landed.url.startswith(f"{PORTAL}/admin/login/")
    assert "dinas-tak-dikenal" in landed.text and 'class="error"' in landed.text
    assert not get_user_model().objects.filter(username="oidc-budi").exists()


def test_the_password_form_is_kept_for_the_first_administrator_only(portal):
    hasher = PBKDF2PasswordHasher()  # the served portal's hasher (the tests' own MD5 is not in its list)
    User = get_user_model()  # noqa: N806
    User.objects.create(username="admin", is_staff=True, is_superuser=True,
                        password=hasher.encode("sandi-admin-panjang", hasher.salt()))  # fmt: skip
    User.objects.create(username="pegawai", is_staff=True, password=hasher.encode("sandi-pegawai", hasher.salt()))

    def password_login(username, password):
        browser = requests.Session()
        page = browser.get(f"{PORTAL}/admin/login/?next=/admin/")
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text).group(1)
        data = {"username": username, "password": password, "csrfmiddlewaretoken": token, "next": "/admin/"}
        return browser.post(f"{PORTAL}/admin/login/?next=/admin/", data=data)

    assert password_login("pegawai", "sandi-pegawai").url.startswith(f"{PORTAL}/admin/login/")  # refused
    assert password_login("admin", "sandi-admin-panjang").url == f"{PORTAL}/admin/"
