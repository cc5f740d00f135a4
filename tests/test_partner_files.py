"""A partner's key fetches the files of the records it may see through the API, and no others (issue 12, item 7)."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from tests.partnerships.factories import (
    CommitmentFactory,
    MoUFactory,
    MoUPartyFactory,
    PartnerFactory,
    ProgressReportFactory,
    make_key,
)
from tests.responses import body

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def draft_of_partner():
    """A partner's draft MoU with its signed document, and a progress report with evidence on it."""
    partner = PartnerFactory()
    mou = MoUFactory(publication="draft", party=None, signed_document=SimpleUploadedFile("mou.pdf", PDF))
    MoUPartyFactory(mou=mou, partner=partner)
    report = ProgressReportFactory(
        commitment=CommitmentFactory(mou=mou, partner=partner), evidence=SimpleUploadedFile("bukti.pdf", PDF)
    )
    return partner, [f"/media/{mou.signed_document.name}", f"/media/{report.evidence.name}"]


def test_a_partner_key_fetches_its_own_draft_files(client, draft_of_partner):
    partner, urls = draft_of_partner
    _, key = make_key(partner)
    responses = [client.get(url, HTTP_AUTHORIZATION=f"Api-Key {key}") for url in urls]
    assert [r.status_code for r in responses] == [200, 200]  # was 404: files were served by session only
    assert all(r["Content-Type"] == "application/pdf" and body(r) == PDF for r in responses)


def test_no_other_caller_fetches_them(client, draft_of_partner):
    _, urls = draft_of_partner
    _, other_key = make_key(PartnerFactory())
    for url in urls:
        assert client.get(url, HTTP_AUTHORIZATION=f"Api-Key {other_key}").status_code == 404
        assert client.get(url).status_code == 404


def test_a_wrong_key_is_a_401_and_counts_against_the_address(client, draft_of_partner, settings):
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {**settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"], "failed_auth": "1/hour"},
    }
    _, urls = draft_of_partner
    first = client.get(urls[0], HTTP_AUTHORIZATION="Api-Key nope.nope")
    assert first.status_code == 401 and first["WWW-Authenticate"] == "Api-Key"
    assert client.get(urls[0], HTTP_AUTHORIZATION="Api-Key nope.nope").status_code == 429
