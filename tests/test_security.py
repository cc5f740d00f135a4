"""Hardening seen from outside: CSP with no inline script but the one allowed by its hash, login lockout, error
pages in both languages."""

import base64
import hashlib
import re

import pytest
from django.conf import settings
from django.test import RequestFactory
from django.urls import reverse
from django.utils import translation
from django.views.defaults import server_error

from tests.pillars.factories import IndicatorFactory, MeasurementFactory, ProgramFactory

pytestmark = pytest.mark.django_db

INLINE_SCRIPT = re.compile(r"<script(?![^>]*\bsrc=)(?![^>]*application/json)[^>]*>", re.IGNORECASE)
HEAD_SCRIPT = f"<script>{settings.HEAD_SCRIPT}</script>"  # the one inline script, allowed by its hash


def test_the_one_inline_script_is_allowed_by_its_own_hash():
    digest = base64.b64encode(hashlib.sha256(settings.HEAD_SCRIPT.encode()).digest()).decode()
    assert settings.HEAD_SCRIPT_HASH == f"'sha256-{digest}'"
    assert settings.CONTENT_SECURITY_POLICY["DIRECTIVES"]["script-src"] == ["'self'", settings.HEAD_SCRIPT_HASH]


@pytest.fixture
def admin_client(client, make_user):
    client.force_login(make_user(is_staff=True, is_superuser=True))
    return client


def test_pages_send_a_csp_without_inline_script_and_contain_none_but_the_hashed_one(client):
    program = ProgramFactory()
    MeasurementFactory(indicator=IndicatorFactory(slug="i", is_headline=True, pillar=None))
    for url in [
        "/",
        "/en/",
        "/pillars/living/",
        "/programs/",
        f"/programs/{program.slug}/",
        "/indicators/i/",
        "/services/",
        "/map/",
        "/api/v1/docs/",
    ]:
        response = client.get(url)
        policy = response["Content-Security-Policy"]
        assert f"script-src 'self' {settings.HEAD_SCRIPT_HASH}" in policy
        assert "unsafe-inline" not in policy.split("script-src")[1].split(";")[0]
        html = response.content.decode()
        if url != "/api/v1/docs/":
            assert html.count(HEAD_SCRIPT) == 1 and html.index(HEAD_SCRIPT) < html.index("</head>"), url
        assert not INLINE_SCRIPT.search(html.replace(HEAD_SCRIPT, "")), url


def test_admin_pages_contain_no_inline_script(admin_client):
    program = ProgramFactory()
    for url in [
        reverse("admin:index"),
        reverse("admin:pillars_program_changelist"),
        reverse("admin:pillars_program_change", args=[program.pk]),
        reverse("admin:pillars_program_import"),
    ]:
        html = admin_client.get(url).content.decode()
        assert not INLINE_SCRIPT.search(html), url


def test_admin_login_locks_out_after_five_failures(client, make_user):
    make_user(username="siti", password="benar-sekali-123", is_staff=True)
    url = reverse("admin:login")
    for _ in range(5):
        client.post(url, {"username": "siti", "password": "salah"})
    response = client.post(url, {"username": "siti", "password": "benar-sekali-123"})
    assert response.status_code == 429 and "_auth_user_id" not in client.session


def test_api_basic_auth_is_refused_after_five_failures(api_client, make_user):
    make_user("pillars.view_program", username="budi", password="benar-sekali-123")

    def call(password):
        token = base64.b64encode(f"budi:{password}".encode()).decode()
        return api_client.get("/api/v1/programs/", HTTP_AUTHORIZATION=f"Basic {token}").status_code

    assert call("benar-sekali-123") == 200
    assert [call("salah") for _ in range(5)] == [401] * 5
    assert call("benar-sekali-123") in (401, 403, 429)


@pytest.mark.parametrize(("prefix", "text"), [("", "Halaman tidak ditemukan"), ("/en", "Page not found")])
def test_404_page_in_both_languages(client, prefix, text):
    response = client.get(f"{prefix}/programs/no-such-program/")
    assert response.status_code == 404 and text in response.content.decode()


@pytest.mark.parametrize(("language", "text"), [("id", "Terjadi kesalahan"), ("en", "Something went wrong")])
def test_500_page_in_both_languages_shows_no_trace(language, text):
    with translation.override(language):
        response = server_error(RequestFactory().get("/"))
    html = response.content.decode()
    assert response.status_code == 500 and text in html and "Traceback" not in html
