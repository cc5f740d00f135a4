"""The API docs page: Swagger UI from our own static files, in the language asked for, with the way back."""

import re

import pytest

pytestmark = pytest.mark.django_db


def test_docs_speak_the_language_asked_for_and_lead_back_to_that_portal(client):
    html = client.get("/api/v1/docs/?lang=en").content.decode()
    assert '<html lang="en">' in html
    assert 'href="/en/"' in html  # back to the English portal
    assert 'data-schema="/api/v1/schema/?lang=en&amp;format=json"' in html  # the schema's labels in English too
    assert 'href="?lang=id" lang="id" hreflang="id"' in html
    assert "API documentation" in html


def test_docs_default_to_indonesian_and_ignore_an_unknown_language(client):
    for url in ("/api/v1/docs/", "/api/v1/docs/?lang=xx"):
        html = client.get(url).content.decode()
        assert '<html lang="id">' in html
        assert 'href="/"' in html
        assert "Dokumentasi API" in html


def test_docs_carry_no_inline_script_and_no_outside_address(client):
    response = client.get("/api/v1/docs/?lang=id")
    html = response.content.decode()
    scripts = re.findall(r"<script([^>]*)>", html)
    assert scripts and all('src="/static/' in attributes for attributes in scripts)
    assert "/static/drf_spectacular_sidecar/swagger-ui-dist/swagger-ui-bundle.js" in html
    assert not re.search(r'(src|href)="(https?:)?//', html)
    assert "script-src 'self'" in response["Content-Security-Policy"]
