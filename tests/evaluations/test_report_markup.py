"""The yearly report's PDF shows staff's text as text: ReportLab reads paragraphs as markup, so a finding such as
"R&D <Dinas>" must neither break the file nor lose words."""

import re

import pytest
from reportlab.lib.styles import getSampleStyleSheet

from evaluations.models import ClarificationAnswer, EvaluationPack
from evaluations.reports import Link, Section, cell_paragraph, sections_to_pdf, text_paragraph
from evaluations.services import evaluation_pack_build
from tests.factories import UserFactory

from .factories import ClarificationRequestFactory

TEXT = "R&D <Dinas> harus <b>segera</b> lapor"


def test_text_with_markup_characters_is_printed_as_written():
    assert text_paragraph(TEXT, getSampleStyleSheet()["BodyText"]).getPlainText() == TEXT


def test_a_report_with_such_text_builds():
    pdf = sections_to_pdf([Section("Temuan & rekomendasi", ["Teks"], [[TEXT]])], "Laporan <2024>", lambda percent: None)
    assert pdf.startswith(b"%PDF") and pdf.rstrip().endswith(b"%%EOF")


# Issue 23 item 8: a cell that merely starts like an address was made a link from its own text, unescaped quote and
# all: `http://a"` broke every later PDF pack of the evaluation, `http://x" href="javascript:…"` re-targeted the link.
QUOTED = 'http://a"'
RETARGET = 'http://x" href="javascript:alert(1)'


def _uris(pdf: bytes) -> list[bytes]:
    return re.findall(rb"/URI \(([^)]*)\)", pdf)


@pytest.mark.parametrize("text", [QUOTED, RETARGET, "https://portal.example/a.pdf"])
def test_text_that_looks_like_an_address_is_text_never_a_link(text):
    pdf = sections_to_pdf([Section("Jawaban", ["Teks"], [[text]])], "Paket", lambda percent: None)
    assert pdf.startswith(b"%PDF") and _uris(pdf) == []
    assert cell_paragraph(text, getSampleStyleSheet()).getPlainText() == text


def test_a_link_we_made_is_clickable_and_a_bad_one_is_only_text():
    good = "https://portal.example/media/clarifications/abc.pdf"
    pdf = sections_to_pdf([Section("Berkas", ["Tautan"], [[Link(good)], [Link(RETARGET)], [Link("javascript:x")]])],
                          "Paket", lambda percent: None)  # fmt: skip
    assert _uris(pdf) == [good.encode()]


@pytest.mark.django_db
def test_a_pack_with_such_an_answer_still_builds(settings, tmp_path):
    settings.PRIVATE_MEDIA_ROOT = tmp_path
    request = ClarificationRequestFactory()
    ClarificationAnswer.objects.create(request=request, text=RETARGET)
    ClarificationAnswer.objects.create(request=request, text=QUOTED)
    staff = UserFactory(is_superuser=True)
    for fmt in ("pdf", "pdf", "xlsx"):  # every later pack too
        pack = EvaluationPack.objects.create(evaluation=request.evaluation, format=fmt, requested_by=staff)
        assert evaluation_pack_build(pack=pack).status == "done"
    content = EvaluationPack.objects.filter(format="pdf").first().file.read()
    assert b"javascript" not in b"".join(_uris(content))
