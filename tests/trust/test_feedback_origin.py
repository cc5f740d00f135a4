"""Issue 23, item 13: the public feedback form takes a post only from the portal's own pages.

A browser that sends Fetch Metadata says where the post comes from (Sec-Fetch-Site); only `same-origin` is
accepted (a sibling subdomain is `same-site`, another site `cross-site`). Without Fetch Metadata, the Origin
header, or failing that the Referer, must name the portal's own origin exactly (its host as ALLOWED_HOSTS
validates it, or an origin of CSRF_TRUSTED_ORIGINS)."""

import pytest
from django.test import Client
from django.urls import reverse

from pillars.models import Feedback
from tests.pillars.factories import ProgramFactory

pytestmark = pytest.mark.django_db

MESSAGE = "Lampu jalan di depan Taman Imam Bonjol mati sejak seminggu. Mohon diperbaiki."


@pytest.fixture(autouse=True)
def _hosts(settings):
    settings.ALLOWED_HOSTS = ["portal.kota.example", "testserver"]
    settings.CSRF_TRUSTED_ORIGINS = ["https://kota.example"]


def post(**headers):
    program = ProgramFactory(slug="wifi-taman")
    url = reverse("pillars:program-feedback", args=[program.slug])
    return Client().post(url, {"message": MESSAGE}, REMOTE_ADDR="10.0.0.1", HTTP_HOST="portal.kota.example", **headers)


ACCEPTED = {
    "fetch metadata, same origin": {"HTTP_SEC_FETCH_SITE": "same-origin"},
    "own origin, no fetch metadata": {"HTTP_ORIGIN": "http://portal.kota.example"},
    "a trusted origin": {"HTTP_ORIGIN": "https://kota.example"},
    "own page as referer, no origin": {"HTTP_REFERER": "http://portal.kota.example/programs/wifi-taman/"},
}
REFUSED = {
    "fetch metadata, cross site": {"HTTP_SEC_FETCH_SITE": "cross-site", "HTTP_ORIGIN": "https://jahat.example"},
    "fetch metadata, sibling subdomain": {
        "HTTP_SEC_FETCH_SITE": "same-site",
        "HTTP_ORIGIN": "http://lain.kota.example",
    },
    "fetch metadata, none (typed or bookmarked)": {"HTTP_SEC_FETCH_SITE": "none"},
    "same-origin claimed with a foreign origin": {
        "HTTP_SEC_FETCH_SITE": "same-origin",
        "HTTP_ORIGIN": "https://jahat.example",
    },
    "a foreign origin, no fetch metadata": {"HTTP_ORIGIN": "https://jahat.example"},
    "a sibling subdomain, no fetch metadata": {"HTTP_ORIGIN": "http://lain.kota.example"},
    "another scheme": {"HTTP_ORIGIN": "https://portal.kota.example"},
    "another port": {"HTTP_ORIGIN": "http://portal.kota.example:8080"},
    "origin null (a sandboxed frame)": {"HTTP_ORIGIN": "null"},
    "a suffix of the host": {"HTTP_ORIGIN": "http://portal.kota.example.jahat.example"},
    "a foreign referer, no origin": {"HTTP_REFERER": "https://jahat.example/portal.kota.example/"},
    "a sibling referer, no origin": {"HTTP_REFERER": "http://lain.kota.example/"},
    "no header at all": {},
}


@pytest.mark.parametrize("headers", ACCEPTED.values(), ids=ACCEPTED.keys())
def test_a_post_from_the_portals_own_pages_is_accepted(headers):
    assert post(**headers).status_code == 303
    assert Feedback.objects.count() == 1


@pytest.mark.parametrize("headers", REFUSED.values(), ids=REFUSED.keys())
def test_a_post_from_anywhere_else_is_refused_and_keeps_nothing(headers):
    response = post(**headers)
    assert response.status_code == 403
    assert "refusal" in response.context and Feedback.objects.count() == 0
