"""Compressed answers (smartcity.middleware.CompressionMiddleware): public pages, API JSON, GeoJSON and whole-list
downloads go out compressed to clients that accept it, identical once decompressed; nothing that may put a secret
beside reflected input (BREACH) is ever compressed: the admin, signed-in users, callers with credentials a browser
sends on its own (HTTP Basic), pages with a CSRF token. A partner's API key is not such a credential."""

import base64
import gzip

import brotli
import pytest

from partnerships.models import PartnerAPIKey
from tests.partnerships.factories import PartnerFactory
from tests.pillars.factories import InfrastructureAssetFactory, ProgramFactory

pytestmark = pytest.mark.django_db

PUBLIC = ["/", "/programs/", "/en/programs/", "/api/v1/programs/?limit=50", "/api/v1/assets/geojson/"]
DECODE = {"gzip": gzip.decompress, "br": brotli.decompress}


@pytest.fixture
def records():
    ProgramFactory.create_batch(30)
    InfrastructureAssetFactory.create_batch(20)


def body(response) -> bytes:
    return b"".join(response.streaming_content) if response.streaming else response.content


@pytest.mark.parametrize("coding", ["gzip", "br"])
@pytest.mark.parametrize("url", PUBLIC)
def test_public_answers_are_compressed_and_decompress_to_the_same_bytes(client, records, url, coding):
    plain = client.get(url)
    packed = client.get(url, HTTP_ACCEPT_ENCODING=coding)
    assert plain.status_code == packed.status_code == 200
    assert "Content-Encoding" not in plain and packed["Content-Encoding"] == coding
    assert "accept-encoding" in packed["Vary"].lower()
    assert DECODE[coding](packed.content) == plain.content
    assert len(packed.content) < len(plain.content) / 2


@pytest.mark.parametrize("fmt", ["csv", "json"])
def test_downloads_stream_compressed(client, records, fmt):
    plain = client.get(f"/programs/?download={fmt}")
    packed = client.get(f"/programs/?download={fmt}", HTTP_ACCEPT_ENCODING="gzip")
    assert plain.streaming and packed.streaming and packed["Content-Encoding"] == "gzip"
    assert gzip.decompress(body(packed)) == body(plain)


def test_a_cached_page_is_stored_once_per_coding(client, records, settings):
    settings.PUBLIC_CACHE_SECONDS = 300
    first = client.get("/programs/", HTTP_ACCEPT_ENCODING="gzip")
    hit = client.get("/programs/", HTTP_ACCEPT_ENCODING="gzip")
    plain = client.get("/programs/")
    assert (first["X-Cache"], hit["X-Cache"], plain["X-Cache"]) == ("miss", "hit", "miss")
    assert hit["Content-Encoding"] == "gzip" and hit.content == first.content
    assert "Content-Encoding" not in plain and gzip.decompress(hit.content) == plain.content


def test_the_admin_is_never_compressed(admin_client):
    assert admin_client.get("/admin/", HTTP_ACCEPT_ENCODING="gzip, br").get("Content-Encoding") is None
    assert admin_client.get("/admin/partnerships/").get("Content-Encoding") is None


def test_a_signed_in_user_gets_public_pages_uncompressed(admin_client, records):
    for url in PUBLIC:
        response = admin_client.get(url, HTTP_ACCEPT_ENCODING="gzip")
        assert response.status_code == 200 and "Content-Encoding" not in response, url


def test_calls_with_browser_credentials_are_never_compressed(client, records, make_user):
    user = make_user(password="kata-sandi-rahasia")
    basic = base64.b64encode(f"{user.username}:kata-sandi-rahasia".encode()).decode()
    response = client.get(
        "/api/v1/programs/?limit=50", HTTP_ACCEPT_ENCODING="gzip", HTTP_AUTHORIZATION=f"Basic {basic}"
    )
    assert response.status_code == 200 and "Content-Encoding" not in response


def test_a_partner_keys_answers_are_compressed(client, records):
    """Its key travels in a header only the partner's system sets, and its answers reflect no secret."""
    _, key = PartnerAPIKey.objects.create_key(name="k", partner=PartnerFactory())
    response = client.get(
        "/api/v1/programs/?limit=50", HTTP_ACCEPT_ENCODING="gzip", HTTP_AUTHORIZATION=f"Api-Key {key}"
    )
    assert response.status_code == 200 and response["Content-Encoding"] == "gzip"


def test_a_page_with_a_csrf_token_is_never_compressed(client, settings):
    settings.COMPRESSION_EXCLUDED_PATHS = ()  # not even the admin's own exclusion: the token alone decides
    response = client.get("/admin/login/", HTTP_ACCEPT_ENCODING="gzip")
    assert response.status_code == 200 and b"csrfmiddlewaretoken" in response.content
    assert "Content-Encoding" not in response
