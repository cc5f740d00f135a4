"""The yearly report: one evaluation year's pillars, indicators, programs, scores and findings, as tables
that become an XLSX workbook (openpyxl) or a PDF (reportlab)."""

import datetime
import io
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from urllib.parse import urlsplit
from xml.sax.saxutils import escape

from django.db.models import Count, Q
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Font
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.styles import ParagraphStyle, getSampleStyleSheet
from reportlab.lib.units import inch
from reportlab.platypus import PageBreak, Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from pillars.models import Indicator, Pillar, Program
from pillars.selectors import indicator_series
from smartcity.numbers import PREFIX_UNITS, format_number
from smartcity.spreadsheets import safe_row

from .models import Evaluation, Finding

# ReportLab reads a paragraph as markup: every text is escaped, quotes too (they end an attribute).
MARKUP_ESCAPES = {'"': "&quot;", "'": "&#39;"}


def markup_escape(text: str) -> str:
    return escape(text, MARKUP_ESCAPES)


@dataclass(frozen=True)
class Link:
    """A cell that is a link we made (the address of an uploaded file), never text that merely looks like one."""

    url: str

    @property
    def safe_url(self) -> str:
        """The address when it is an http(s) URL with a host and nothing a link must not hold, else ""."""
        try:
            parts = urlsplit(self.url)
        except ValueError:  # a malformed host ("http://[")
            return ""
        if parts.scheme not in ("http", "https") or not parts.netloc or any(c in self.url for c in "\"'<> \t\r\n"):
            return ""
        return self.url

    def __str__(self):
        return self.url


@dataclass(frozen=True)
class Number:
    """A figure: a number in the workbook (with `decimals` and `unit` as its number format), formatted in the PDF."""

    value: int | Decimal
    decimals: int = 0
    unit: str = ""

    @property
    def number_format(self) -> str:
        digits = "#,##0" + ("." + "0" * self.decimals if self.decimals else "")
        if not self.unit:
            return digits
        return f'"{self.unit}"{digits}' if self.unit in PREFIX_UNITS else f'{digits}" {self.unit}"'

    def __str__(self):
        return format_number(self.value, self.unit, self.decimals)


@dataclass
class Section:
    title: str
    header: list[str]
    rows: list[list]
    widths: list[float] | None = None  # shares of the page's width per column (PDF); None: equal columns


def _pillar_rows(year: int, final: Evaluation | None) -> list[list]:
    scores = {s.pillar_id: s.score for s in final.pillar_scores.all()} if final else {}
    running = Q(programs__first_year__lte=year, programs__last_year__gte=year)
    pillars = Pillar.objects.annotate(programs_running=Count("programs", filter=running, distinct=True))
    return [[p.name, scores.get(p.pk), p.programs_running] for p in pillars]


def _score_rows(evaluations: list[Evaluation]) -> list[list]:
    rows = []
    for evaluation in evaluations:
        label = f"{evaluation.get_stage_display()} · {evaluation.get_kind_display()}"
        rows.append([label, _("Overall index"), evaluation.computed_index, evaluation.official_index])
        rows += [[label, s.dimension.name, s.score, None] for s in evaluation.dimension_scores.all()]
        rows += [[label, s.pillar.name, s.score, None] for s in evaluation.pillar_scores.all()]
    return rows


def _indicator_rows(year: int) -> list[list]:
    indicators = list(Indicator.objects.with_related())
    series = indicator_series(indicators)
    rows = []
    for indicator in indicators:
        point = next((p for p in series[indicator.pk] if p.year == year), None)
        pillar = indicator.pillar.name if indicator.pillar else _("City-wide")
        if point:
            rows.append([indicator.name, pillar, indicator.unit, point.target, point.actual, point.achievement])
    return rows


def _program_rows(year: int) -> list[list]:
    programs = Program.objects.with_related().filter(first_year__lte=year, last_year__gte=year)
    return [
        [p.title, p.pillar.name, p.lead_agency.acronym, p.get_stage_display(), p.progress, p.first_year, p.last_year]
        for p in programs
    ]


def _finding_rows(evaluations: list[Evaluation]) -> list[list]:
    findings = (
        Finding.objects.filter(evaluation__in=evaluations)
        .select_related("pillar")
        .prefetch_related("follow_ups__owner_agency")
    )
    rows = []
    for finding in findings:
        pillar = finding.pillar.name if finding.pillar else _("City-wide")
        actions = "; ".join(
            f"{a.owner_agency.acronym}: {a.title} ({a.get_status_display()}, {a.due_on:%d-%m-%Y})"
            for a in finding.follow_ups.all()
        )
        rows.append([pillar, finding.get_kind_display(), finding.text, actions])
    return rows


def year_report_sections(*, year: int) -> list[Section]:
    """The report's tables for `year`, in a fixed number of queries (staff see drafts too: this is internal)."""
    evaluations = list(Evaluation.objects.with_related().filter(year=year).order_by("stage", "kind"))
    final = next((e for e in evaluations if e.stage == "final"), evaluations[-1] if evaluations else None)
    return [
        Section(_("Pillars"), [_("Pillar"), _("Score"), _("Programs running")], _pillar_rows(year, final)),
        Section(
            _("Scores"),
            [_("Evaluation"), _("Dimension or pillar"), _("Score"), _("Official figure")],
            _score_rows(evaluations),
        ),
        Section(
            _("Indicators"),
            [_("Indicator"), _("Pillar"), _("Unit"), _("Target"), _("Actual"), _("Achievement (%)")],
            _indicator_rows(year),
        ),
        Section(
            _("Programs"),
            [
                _("Program"),
                _("Pillar"),
                _("Lead agency"),
                _("Stage"),
                _("Progress (%)"),
                _("First year"),
                _("Last year"),
            ],
            _program_rows(year),
        ),
        Section(
            _("Findings"), [_("Pillar"), _("Kind"), _("Finding"), _("Follow-up actions")], _finding_rows(evaluations)
        ),
    ]


def _cell(value):
    return "" if value is None else value


def _xlsx_value(value):
    """A number stays a number (openpyxl writes a numeric cell); a link is its address as text."""
    if isinstance(value, Number):
        return value.value
    if isinstance(value, Link):
        return value.url
    return _cell(value)


def sections_to_xlsx(sections: list[Section], progress: Callable[[int], None]) -> bytes:
    workbook = Workbook()
    workbook.remove(workbook.active)
    for number, section in enumerate(sections, start=1):
        sheet = workbook.create_sheet(section.title[:31])
        sheet.append(section.header)
        for cell in sheet[1]:
            cell.font = Font(bold=True)
        for row in section.rows:
            sheet.append(safe_row(_xlsx_value(value) for value in row))  # text is never run as a formula
            for cell, value in zip(sheet[sheet.max_row], row, strict=False):
                if isinstance(value, Number):
                    cell.number_format = value.number_format
                elif isinstance(value, datetime.date):
                    cell.number_format = "DD-MM-YYYY"
                elif isinstance(value, Link) and value.safe_url:
                    cell.hyperlink = value.safe_url
        progress(number * 100 // len(sections))
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def text_paragraph(text: str, style) -> Paragraph:
    """ReportLab reads a paragraph as markup: staff's text ("R&D <Dinas>", `http://a"`) is escaped, printed as
    written; it never becomes markup, whatever it starts with."""
    return Paragraph(markup_escape(text), style)


def cell_paragraph(value, styles) -> Paragraph:
    """A table cell: text as written; a link we made (Link) clickable when its address is a valid http(s) URL, with
    the attribute escaped, and broken anywhere to fit."""
    if isinstance(value, Link):
        style = ParagraphStyle("link", parent=styles["BodyText"], fontSize=7, wordWrap="CJK", textColor=colors.blue)
        if not value.safe_url:
            return text_paragraph(value.url, style)
        url = markup_escape(value.safe_url)
        return Paragraph(f'<link href="{url}">{url}</link>', style)
    if isinstance(value, datetime.date):
        value = f"{value:%d-%m-%Y}"
    return text_paragraph(str(_cell(value)), styles["BodyText"])


def sections_to_pdf(sections: list[Section], title: str, progress: Callable[[int], None]) -> bytes:
    styles = getSampleStyleSheet()
    story = [text_paragraph(title, styles["Title"])]
    page_width = landscape(A4)[0] - 2 * inch  # SimpleDocTemplate's default margins are an inch each side
    for number, section in enumerate(sections, start=1):
        story += [text_paragraph(section.title, styles["Heading2"]), Spacer(1, 6)]
        body = [[cell_paragraph(v, styles) for v in row] for row in section.rows]
        widths = [share * page_width for share in section.widths] if section.widths else None
        rows = [section.header, *body] if body else [section.header, ["–"] * len(section.header)]
        table = Table(rows, repeatRows=1, colWidths=widths)
        table.setStyle(
            TableStyle(
                [
                    ("FONTNAME", (0, 0), (-1, 0), "Helvetica-Bold"),
                    ("GRID", (0, 0), (-1, -1), 0.25, colors.grey),
                    ("BACKGROUND", (0, 0), (-1, 0), colors.whitesmoke),
                    ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ]
            )
        )
        story += [table, PageBreak()]
        progress(number * 100 // len(sections))
    buffer = io.BytesIO()
    SimpleDocTemplate(buffer, pagesize=landscape(A4), title=title).build(story)
    return buffer.getvalue()
