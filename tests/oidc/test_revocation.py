"""Issue 23, item 7: the identity provider takes access away, not only gives it.

A real OpenID provider (tests/oidc/provider.mjs, its accounts read from a file the tests rewrite) and the portal
under gunicorn, both on loopback on free ports. When the provider stops giving a person a role, the next sign-in is
refused and the account keeps no staff status, group or agency; an open session is re-checked with the provider
(SessionRefresh, every OIDC_RECHECK_SECONDS) and ends the same way. Accounts are the provider's by a StaffIdentity
row, never by a name: a local account named `oidc-<sub>` is never taken over."""

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

from pillars.models import StaffIdentity
from smartcity.roles import OPD_EDITOR
from tests.live import ROOT, free_port, portal_env, serve, served_database_url
from tests.pillars.factories import AgencyFactory

pytestmark = [
    pytest.mark.django_db(transaction=True, serialized_rollback=True),  # later tests find the role groups
    pytest.mark.skipif(shutil.which("node") is None, reason="node runs the OpenID provider"),
]

CLIENT_ID, CLIENT_SECRET = "kota-cerdas", "rahasia-klien-uji-0123456789"
RECHECK_SECONDS = 2
OPD = {"agency": "dishub", "role": "opd-editor"}
ACCOUNTS = {
    "siti": {"password": "sandi-siti", "claims": {"email": "siti@dishub.example", **OPD}},
    "rina": {"password": "sandi-rina", "claims": {"email": "rina@dishub.example", **OPD}},
    "eko": {"password": "sandi-eko", "claims": {"email": "eko@dishub.example", **OPD}},
    "dewi": {"password": "sandi-dewi", "claims": {"email": "dewi@dishub.example", **OPD}},
}


class Provider:
    def __init__(self, accounts_file: Path, issuer: str):
        self.accounts_file, self.issuer = accounts_file, issuer

    def set_claims(self, login: str, **claims):
        accounts = json.loads(self.accounts_file.read_text())
        accounts[login]["claims"] = {key: value for key, value in (accounts[login]["claims"] | claims).items()
                                     if value is not None}  # fmt: skip
        self.accounts_file.write_text(json.dumps(accounts))


@pytest.fixture(scope="module")
def provider(tmp_path_factory):
    accounts_file = tmp_path_factory.mktemp("oidc") / "accounts.json"
    accounts_file.write_text(json.dumps(ACCOUNTS))
    port, portal_port = free_port(), free_port()
    issuer = f"http://127.0.0.1:{port}"
    env = {
        "PATH": "/usr/bin:/bin:/usr/local/bin",
        "OIDC_TEST_PORT": str(port),
        "OIDC_TEST_CLIENT_ID": CLIENT_ID,
        "OIDC_TEST_CLIENT_SECRET": CLIENT_SECRET,
        "OIDC_TEST_REDIRECT_URI": f"http://127.0.0.1:{portal_port}/oidc/callback/",
        "OIDC_TEST_ACCOUNTS_FILE": str(accounts_file),
    }
    process = subprocess.Popen(["node", str(Path(__file__).with_name("provider.mjs"))], cwd=ROOT, env=env,
                               stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)  # fmt: skip
    try:
        for _ in range(100):
            if process.poll() is not None:
                raise RuntimeError(process.stdout.read())
            try:
                if requests.get(f"{issuer}/.well-known/openid-configuration", timeout=1).ok:
                    break
            except requests.ConnectionError:
                time.sleep(0.1)
        found = Provider(accounts_file, issuer)
        found.portal_port = portal_port
        yield found
    finally:
        process.terminate()
        process.wait(timeout=10)


@pytest.fixture(scope="module")
def portal(provider, django_db_setup):
    issuer = provider.issuer
    env = portal_env(
        DATABASE_URL=served_database_url(),
        DJANGO_SECURE_COOKIES="false",
        DJANGO_STATICFILES_STORAGE="django.contrib.staticfiles.storage.StaticFilesStorage",
        OIDC_CLIENT_ID=CLIENT_ID,
        OIDC_CLIENT_SECRET=CLIENT_SECRET,
        OIDC_AUTHORIZATION_ENDPOINT=f"{issuer}/auth",
        OIDC_TOKEN_ENDPOINT=f"{issuer}/token",
        OIDC_USERINFO_ENDPOINT=f"{issuer}/me",
        OIDC_JWKS_ENDPOINT=f"{issuer}/jwks",
        OIDC_SCOPES="openid email profile kotacerdas",
        OIDC_RECHECK_SECONDS=str(RECHECK_SECONDS),
    )
    with serve(env, port=provider.portal_port) as base:
        yield base


@pytest.fixture(autouse=True)
def _reset_provider(provider):
    provider.accounts_file.write_text(json.dumps(ACCOUNTS))


def sign_in(portal: str, issuer: str, login: str, browser: requests.Session | None = None):
    browser = browser or requests.Session()
    page = browser.get(f"{portal}/admin/login/?next=/admin/")
    button = re.search(r'id="oidc-login" href="([^"]+)"', page.text)
    form = browser.get(portal + button.group(1).replace("&amp;", "&"))
    action = re.search(r'action="([^"]+)"', form.text).group(1)
    return browser, browser.post(issuer + action, data={"login": login, "password": ACCOUNTS[login]["password"]})


def access(login: str) -> tuple:
    user = StaffIdentity.objects.select_related("user").get(subject=login).user
    return user.is_staff, sorted(user.groups.values_list("name", flat=True)), [a.slug for a in user.agencies.all()]


def test_a_role_taken_away_at_the_provider_refuses_the_sign_in_and_takes_the_access_away(portal, provider):
    AgencyFactory(slug="dishub")
    _, landed = sign_in(portal, provider.issuer, "siti")
    assert landed.url == f"{portal}/admin/"
    assert access("siti") == (True, [OPD_EDITOR], ["dishub"])
    provider.set_claims("siti", role=None)  # the provider no longer gives her a role
    _, landed = sign_in(portal, provider.issuer, "siti")
    assert landed.url.startswith(f"{portal}/admin/login/")
    assert access("siti") == (False, [], [])


def test_an_unknown_agency_at_the_provider_takes_the_access_away_too(portal, provider):
    AgencyFactory(slug="dishub")
    sign_in(portal, provider.issuer, "dewi")
    assert access("dewi") == (True, [OPD_EDITOR], ["dishub"])
    provider.set_claims("dewi", agency="dinas-yang-dibubarkan")
    _, landed = sign_in(portal, provider.issuer, "dewi")
    assert "dinas-yang-dibubarkan" in landed.text
    assert access("dewi") == (False, [], [])


def test_an_open_session_is_rechecked_and_ends_when_the_role_is_gone(portal, provider):
    AgencyFactory(slug="dishub")
    browser, landed = sign_in(portal, provider.issuer, "rina")
    assert landed.url == f"{portal}/admin/"
    program_page = f"{portal}/admin/pillars/program/add/"
    assert browser.get(program_page).status_code == 200
    time.sleep(RECHECK_SECONDS + 0.5)
    still = browser.get(program_page)  # re-checked silently with the provider: still an OPD editor
    assert still.status_code == 200 and still.url == program_page, still.url
    provider.set_claims("rina", role=None)
    time.sleep(RECHECK_SECONDS + 0.5)
    refused = browser.get(program_page)
    assert refused.url.startswith(f"{portal}/admin/login/"), refused.url
    assert access("rina") == (False, [], [])
    assert browser.get(f"{portal}/admin/").url.startswith(f"{portal}/admin/login/")  # the session is over


def test_a_local_account_named_like_the_subject_is_never_taken_over(portal, provider):
    AgencyFactory(slug="dishub")
    hasher = PBKDF2PasswordHasher()
    local = get_user_model().objects.create(
        username="oidc-eko",
        is_staff=True,
        is_superuser=True,
        password=hasher.encode("sandi-lokal-panjang", hasher.salt()),
    )
    _, landed = sign_in(portal, provider.issuer, "eko")
    assert landed.url == f"{portal}/admin/"
    made = StaffIdentity.objects.get(subject="eko").user
    assert made.pk != local.pk and made.username != "oidc-eko" and not made.is_superuser
    local.refresh_from_db()
    assert local.is_superuser and local.is_staff  # untouched: still the local administrator
    assert not StaffIdentity.objects.filter(user=local).exists()
    # renamed by an administrator, the account is still the subject's: found by its mark, not its name
    made.username = "eko-dishub"
    made.save()
    sign_in(portal, provider.issuer, "eko")
    assert StaffIdentity.objects.get(subject="eko").user_id == made.pk
    assert get_user_model().objects.filter(username__startswith="oidc-eko").count() == 1
    assert list(Group.objects.get(name=OPD_EDITOR).user_set.values_list("pk", flat=True)) == [made.pk]
