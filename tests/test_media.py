"""Uploads are served only when the record holding them may be seen by the caller."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from tests.pillars.factories import MasterplanFactory, MilestoneFactory, ProgramFactory

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"


@pytest.fixture(autouse=True)
def media_folder(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def evidence_of(program):
    milestone = MilestoneFactory(program=program, evidence=SimpleUploadedFile("bukti.pdf", PDF))
    return f"/media/{milestone.evidence.name}"


def test_evidence_of_a_published_program_is_served_inline(client):
    url = evidence_of(ProgramFactory())
    response = client.get(url)
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert b"".join(response.streaming_content) == PDF
    assert "bukti" not in url  # stored under a random name, not the uploader's


def test_evidence_of_a_draft_program_is_hidden_except_from_staff(client, make_user):
    url = evidence_of(ProgramFactory(publication="draft"))
    assert client.get(url).status_code == 404
    client.force_login(make_user("pillars.view_milestone"))
    assert client.get(url).status_code == 200


def test_masterplan_documents_are_public(client):
    masterplan = MasterplanFactory(document=SimpleUploadedFile("rencana.pdf", PDF))
    assert client.get(f"/media/{masterplan.document.name}").status_code == 200


@pytest.mark.parametrize("name", ["../secret_key", "evidence/nothing.pdf", "evidence/../../secret_key"])
def test_unknown_or_escaping_names_are_404(client, name):
    evidence_of(ProgramFactory())
    assert client.get(f"/media/{name}").status_code == 404
