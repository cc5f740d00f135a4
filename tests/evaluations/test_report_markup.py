"""The yearly report's PDF shows staff's text as text: ReportLab reads paragraphs as markup, so a finding such as
"R&D <Dinas>" must neither break the file nor lose words."""

from reportlab.lib.styles import getSampleStyleSheet

from evaluations.reports import Section, sections_to_pdf, text_paragraph

TEXT = "R&D <Dinas> harus <b>segera</b> lapor"


def test_text_with_markup_characters_is_printed_as_written():
    assert text_paragraph(TEXT, getSampleStyleSheet()["BodyText"]).getPlainText() == TEXT


def test_a_report_with_such_text_builds():
    pdf = sections_to_pdf([Section("Temuan & rekomendasi", ["Teks"], [[TEXT]])], "Laporan <2024>", lambda percent: None)
    assert pdf.startswith(b"%PDF") and pdf.rstrip().endswith(b"%%EOF")
