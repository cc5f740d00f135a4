"""The evaluation pack (issue 14): one evaluation stage's evidence as tables ordered dimension → pillar →
sub-dimension, with a link to every file, made into an XLSX workbook or a PDF by the yearly report's writers
(evaluations/reports.py: openpyxl and reportlab). A fixed number of queries, whatever the number of rows."""

from collections import defaultdict
from decimal import Decimal

from django.conf import settings
from django.db.models import Avg, Count, Sum
from django.utils.text import slugify
from django.utils.translation import gettext as _

from pillars.choices import Horizon
from pillars.models import Activity, BudgetLine, Pillar, Program
from smartcity.numbers import format_number
from smartcity.opendata import portal_host

from .models import ClarificationRequest, Evaluation, EvaluationScheme, LegalInstrument, SurveyAnswer, SurveyTarget
from .readiness import IMPACT, OUTCOME, OUTPUT
from .reports import Link, Number, Section

# The stage in the file's name, in Indonesian whatever the language of the one who asked: the pack goes to the
# Indonesian assessors ("paket-evaluasi-2024-tahap-2.pdf").
STAGE_FILE_WORDS = {
    "self_assessment": "penilaian mandiri",
    "stage_1": "tahap 1",
    "stage_2": "tahap 2",
    "final": "hasil akhir",
}


def pack_filename(*, evaluation: Evaluation, fmt: str) -> str:
    """The pack's readable file name: "paket-evaluasi-<year>-<stage>.<format>"."""
    stage = STAGE_FILE_WORDS.get(evaluation.stage, evaluation.stage.replace("_", " "))
    return f"{slugify(f'paket evaluasi {evaluation.year} {stage}')}.{fmt}"


# Shares of the page's width: the detail and the links get the room.
WIDTHS = [0.11, 0.11, 0.11, 0.16, 0.24, 0.11, 0.16]


def pack_header() -> list[str]:
    return [_("Pillar"), _("Sub-dimension"), _("Evidence"), _("Item"), _("Detail"), _("Figure"), _("Link")]


def file_link(field_file) -> Link | str:
    """The absolute address of an uploaded file (served to those who may see its record), or ""."""
    if not field_file:
        return ""
    scheme = "https" if settings.SECURE_SSL_REDIRECT else "http"
    return Link(f"{scheme}://{portal_host()}{field_file.url}")


def _city_wide() -> str:
    return _("City-wide")


def _instrument_row(instrument, pillar) -> list:
    members = "; ".join(f"{m.name} ({m.role})" if m.role else m.name for m in instrument.members.all())
    detail = f"{instrument.issued_on:%d-%m-%Y} · {instrument.title}" + (f" · {members}" if members else "")
    return [
        pillar.name if pillar else _city_wide(),
        "",
        instrument.get_kind_display(),
        instrument.number,
        detail,
        Number(len(instrument.members.all())) if instrument.members.all() else "",
        file_link(instrument.signed_file),
    ]


def _output_rows(year: int, pillars: list[Pillar]) -> list[list]:
    # regulations first, then other instruments, then decrees
    instruments = list(LegalInstrument.objects.filter(year=year).with_related().order_by("-kind", "issued_on"))
    budget = BudgetLine.objects.filter(year=year, smart_city=True).values("program__pillar_id")
    sums = {
        r["program__pillar_id"]: r for r in budget.annotate(planned=Sum("planned_amount"), real=Sum("realised_amount"))
    }
    rows = []
    everywhere = {pillar.pk for pillar in pillars}
    for pillar in [None, *pillars]:
        for instrument in instruments:
            served = {p.pk for p in instrument.pillars.all()}
            city_wide = not served or served >= everywhere  # one row, not one per pillar
            if (pillar is None and city_wide) or (pillar is not None and not city_wide and pillar.pk in served):
                rows.append(_instrument_row(instrument, pillar))
        if pillar is not None and pillar.pk in sums:
            row = sums[pillar.pk]
            realised = _("Realised (Rp): %(amount)s") % {"amount": format_number(row["real"], "", 0)}
            planned = Number(row["planned"] or 0, 0, "Rp")
            rows.append([pillar.name, "", _("Smart-city budget"), _("Planned (Rp)"), realised, planned, ""])
    return rows


def _outcome_rows(year: int, pillars: list[Pillar]) -> list[list]:
    activities = Activity.objects.filter(year=year).with_related().order_by("program__title_ind", "pk")
    by_pillar = defaultdict(list)
    for activity in activities:
        by_pillar[activity.program.pillar_id].append(activity)
    rows = []
    for pillar in pillars:
        listed = by_pillar.get(pillar.pk, [])
        if listed:
            done = sum(1 for a in listed if a.is_carried_out)
            rows.append(
                [
                    pillar.name,
                    "",
                    _("Action plan carried out"),
                    _("%(done)s of %(planned)s activities") % {"done": done, "planned": len(listed)},
                    "",
                    Number(done * 100 // len(listed), 0, "%"),
                    "",
                ]
            )
        for a in listed:
            weight = format_number(a.weight)
            detail = (
                f"{a.program.title} · {a.owner_agency.acronym} · {_('target')}: {a.target} · {_('weight')}: {weight}"
            )
            progress = Number(a.progress, 0, "%")
            rows.append([pillar.name, "", _("Activity"), a.title, detail, progress, file_link(a.evidence)])
    return rows


def _impact_rows(year: int, pillars: list[Pillar]) -> list[list]:
    targets = {t.sub_dimension_id: t for t in SurveyTarget.objects.filter(survey__year=year).with_related()}
    minimum = EvaluationScheme.objects.survey_minimum(year)
    means = {
        r["response__target_id"]: r
        for r in SurveyAnswer.objects.filter(response__target__survey__year=year)
        .values("response__target_id")
        .annotate(mean=Avg("value"), answers=Count("pk"))
    }
    rows = []
    for pillar in pillars:
        for sub in pillar.sub_dimensions.all():
            target = targets.get(sub.pk)
            if target is None:
                rows.append([pillar.name, sub.name, _("Citizen survey"), _("Not surveyed"), "", "", ""])
                continue
            subject = target.program.title if target.program else target.service.name
            mean = means.get(target.pk, {}).get("mean")
            rule = (
                _("meets the %(minimum)s-response rule")
                if target.counted_response_count >= minimum
                else _("below the %(minimum)s-response rule")
            )
            detail = _("%(count)s responses, %(rule)s") % {
                "count": target.response_count,
                "rule": rule % {"minimum": minimum},
            }
            figure = "" if mean is None else Number(Decimal(mean).quantize(Decimal("0.01")), 2)
            rows.append([pillar.name, sub.name, _("Citizen survey"), subject, detail, figure, ""])
    return rows


def _quick_win_rows(year: int, pillars: list[Pillar]) -> list[list]:
    programs = Program.objects.filter(horizon=Horizon.QUICK_WIN, first_year__lte=year, last_year__gte=year)
    names = {p.pk: p.name for p in pillars}
    return [
        [names.get(p.pillar_id, ""), "", _("Quick win"), p.title, p.get_stage_display(), Number(p.progress, 0, "%"), ""]
        for p in programs.select_related("lead_agency").order_by("pillar__order", "title_ind")
    ]


def _baseline_rows(evaluation: Evaluation) -> list[list]:
    if getattr(evaluation, "previous_year", None) is None:
        return [[_city_wide(), "", _("Baseline"), _("No earlier final result"), "", "", ""]]
    detail = _("Final result of %(year)s") % {"year": evaluation.previous_year}
    index = Number(evaluation.previous_index, evaluation.scheme.decimals)
    return [[_city_wide(), "", _("Baseline"), detail, _("Overall index"), index, ""]]


def _clarification_rows(evaluation: Evaluation) -> list[list]:
    requests = ClarificationRequest.objects.filter(evaluation=evaluation).with_related()
    rows = []
    for r in requests:
        where = r.pillar.name if r.pillar else _city_wide()
        rows.append(
            [
                where,
                "",
                _("Clarification request"),
                r.question,
                f"{r.get_status_display()} · {r.owner_agency.acronym}",
                r.due_on,  # a date cell in the workbook, "31-12-2024" in the PDF
                "",
            ]
        )
        rows += [[where, "", _("Answer"), a.text, "", "", file_link(a.file)] for a in r.answers.all()]
    return rows


def pack_sections(*, evaluation: Evaluation) -> list[Section]:
    """The pack's tables: one per dimension of the evaluation's scheme, in the scheme's order, then the
    clarification requests of the stage."""
    pillars = list(Pillar.objects.prefetch_related("sub_dimensions"))
    year = evaluation.year
    makers = {
        OUTPUT: lambda: _output_rows(year, pillars),
        OUTCOME: lambda: _outcome_rows(year, pillars),
        IMPACT: lambda: _impact_rows(year, pillars),
        "quick-win": lambda: _quick_win_rows(year, pillars),
        "baseline": lambda: _baseline_rows(evaluation),
    }
    header = pack_header()
    sections = []
    for number, dimension in enumerate(evaluation.scheme.dimensions.all(), start=1):
        rows = makers.get(dimension.code, list)()
        score = next((s.score for s in evaluation.dimension_scores.all() if s.dimension_id == dimension.pk), None)
        title = f"{number}. {dimension.name} ({dimension.weight.normalize():f} %)"
        if score is not None:
            title += f" · {_('score')} {score.normalize():f}"
        sections.append(Section(title, header, rows, WIDTHS))
    sections.append(Section(_("Clarification requests"), header, _clarification_rows(evaluation), WIDTHS))
    return sections
