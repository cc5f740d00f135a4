"""Readiness per dimension and pillar (issue 14): what the year's evaluation still lacks, dimension by dimension.

Each gap says which dimension, pillar and sub-dimension it belongs to, and whether it blocks submitting the stage.
Blocking: no mayor's regulation or no decree registered for the year, a surveyed sub-dimension with fewer counted
responses than the year's scheme asks for (`min_survey_responses`, the office's convention; answers from the public
survey page are shown apart and count only when SURVEY_WEB_COUNTS_TOWARD_MINIMUM says so, otherwise only imported
and paper ones do), a clarification request of the evaluation still open. The rest is shown but does not block:
pillars no regulation or decree serves, sub-dimensions not surveyed, a minimum met only with the public page's
answers, planned activities still at 0 %, programs without evidence. A fixed number of queries, whatever the number
of rows.
"""

from dataclasses import dataclass, field

from django.conf import settings
from django.utils.translation import gettext as _

from pillars.models import Activity, Pillar, SubDimension
from pillars.progress import activities_carried_out

from .choices import ClarificationStatus, InstrumentKind
from .models import ClarificationRequest, Evaluation, LegalInstrument, SurveyTarget
from .selectors import _programs_without_evidence

OUTPUT, OUTCOME, IMPACT = "output", "outcome", "impact"


@dataclass
class Gap:
    """Something the evaluation still lacks."""

    dimension: str  # the scheme dimension's code ("" when the scheme has none of that code)
    text: str
    blocking: bool = False
    pillar: Pillar | None = None
    sub_dimension: SubDimension | None = None
    admin_url: str = ""
    responses: dict | None = None  # a surveyed sub-dimension's responses by origin (see _survey_counts)

    def as_dict(self) -> dict:
        shown = {
            "dimension": self.dimension,
            "pillar": self.pillar.slug if self.pillar else None,
            "sub_dimension": self.sub_dimension.slug if self.sub_dimension else None,
            "text": self.text,
            "blocking": self.blocking,
        }
        return shown | ({"responses": self.responses} if self.responses is not None else {})


@dataclass
class PillarGaps:
    pillar: Pillar | None
    gaps: list[Gap] = field(default_factory=list)


@dataclass
class DimensionReadiness:
    """One dimension of the evaluation's scheme, with its gaps grouped by pillar (None: city-wide)."""

    code: str
    name: str
    weight: object
    pillars: list[PillarGaps] = field(default_factory=list)

    @property
    def gaps(self) -> list[Gap]:
        return [gap for group in self.pillars for gap in group.gaps]

    @property
    def blocking(self) -> int:
        return sum(1 for gap in self.gaps if gap.blocking)


def year_gaps(*, evaluation: Evaluation) -> list[Gap]:
    """Every gap of the evaluation's year, in dimension order then pillar order."""
    pillars = list(Pillar.objects.prefetch_related("sub_dimensions"))
    return [
        *_output_gaps(evaluation.year, pillars),
        *_outcome_gaps(evaluation.year, pillars),
        *_impact_gaps(evaluation.year, pillars, minimum=evaluation.scheme.min_survey_responses),
        *_clarification_gaps(evaluation),
    ]


def blocking_gaps(*, evaluation: Evaluation) -> list[Gap]:
    return [gap for gap in year_gaps(evaluation=evaluation) if gap.blocking]


def dimension_readiness(*, evaluation: Evaluation) -> list[DimensionReadiness]:
    """The scheme's dimensions in order, each with its gaps by pillar (city-wide first)."""
    gaps = year_gaps(evaluation=evaluation)
    dimensions = [
        DimensionReadiness(code=d.code, name=d.name, weight=d.weight) for d in evaluation.scheme.dimensions.all()
    ]
    by_code = {dimension.code: dimension for dimension in dimensions}
    other = DimensionReadiness(code="", name=_("Other evidence"), weight=None)
    for gap in gaps:
        dimension = by_code.get(gap.dimension, other)
        group = next((g for g in dimension.pillars if g.pillar == gap.pillar), None)
        if group is None:
            group = PillarGaps(pillar=gap.pillar)
            dimension.pillars.append(group)
        group.gaps.append(gap)
    for dimension in [*dimensions, other]:
        dimension.pillars.sort(key=lambda g: -1 if g.pillar is None else g.pillar.order)
    return dimensions + ([other] if other.pillars else [])


def _output_gaps(year: int, pillars: list[Pillar]) -> list[Gap]:
    instruments = list(LegalInstrument.objects.filter(year=year).prefetch_related("pillars"))
    gaps = []
    for kind, text in (
        (InstrumentKind.REGULATION, _("No mayor's regulation (Perwal) registered for %(year)s.")),
        (InstrumentKind.DECREE, _("No decree (SK) registered for %(year)s.")),
    ):
        if not any(instrument.kind == kind for instrument in instruments):
            gaps.append(Gap(OUTPUT, text % {"year": year}, blocking=True))
    served = {pillar.pk for instrument in instruments for pillar in instrument.pillars.all()}
    for pillar in pillars:
        if pillar.pk not in served:
            gaps.append(
                Gap(
                    OUTPUT, _("No regulation or decree of %(year)s serves this pillar.") % {"year": year}, pillar=pillar
                )
            )
    return gaps


def _outcome_gaps(year: int, pillars: list[Pillar]) -> list[Gap]:
    by_pillar = {pillar.pk: pillar for pillar in pillars}
    gaps = []
    shares = activities_carried_out(Activity.objects.filter(year=year))
    for (_year, pillar_id), row in sorted(shares.items(), key=lambda item: by_pillar[item[0][1]].order):
        if row["untouched"]:
            text = _("%(count)s of %(planned)s planned activities have no progress yet.") % {
                "count": row["untouched"],
                "planned": row["planned"],
            }
            gaps.append(Gap(OUTCOME, text, pillar=by_pillar[pillar_id]))
    for program in _programs_without_evidence():
        text = _("Program without evidence: %(program)s (%(agency)s).") % {
            "program": program.title,
            "agency": program.lead_agency.acronym,
        }
        gaps.append(Gap(OUTCOME, text, pillar=by_pillar.get(program.pillar_id)))
    return gaps


def _survey_counts(target) -> dict:
    web = target.web_response_count
    return {
        "counted": target.counted_response_count,
        "imported": target.response_count - web,  # the survey tool's exports and paper forms
        "web": web,
        "web_counted": settings.SURVEY_WEB_COUNTS_TOWARD_MINIMUM,
    }


def _survey_text(counts: dict) -> str:
    if counts["web_counted"]:
        text = _("%(counted)s responses (%(imported)s imported or on paper, %(web)s from the public survey page).")
    else:
        text = _(
            "%(counted)s responses counted (imported or on paper); %(web)s more from the public survey page are shown "
            "but not counted toward the minimum."
        )
    return text % counts


def _impact_gaps(year: int, pillars: list[Pillar], *, minimum: int) -> list[Gap]:
    targets = {
        target.sub_dimension_id: target
        for target in SurveyTarget.objects.filter(survey__year=year).with_response_counts()
    }
    gaps = []
    for pillar in pillars:
        for sub in pillar.sub_dimensions.all():
            target = targets.get(sub.pk)
            if target is None:
                gaps.append(Gap(IMPACT, _("No program or service surveyed."), pillar=pillar, sub_dimension=sub))
                continue
            counts = _survey_counts(target)
            if counts["counted"] < minimum and not counts["web"]:
                text = _("%(count)s responses; at least %(minimum)s are needed.") % {
                    "count": counts["counted"],
                    "minimum": minimum,
                }
                gaps.append(Gap(IMPACT, text, blocking=True, pillar=pillar, sub_dimension=sub, responses=counts))
            elif counts["counted"] < minimum:
                text = _("%(counts)s At least %(minimum)s are needed.") % {
                    "counts": _survey_text(counts),
                    "minimum": minimum,
                }
                gaps.append(Gap(IMPACT, text, blocking=True, pillar=pillar, sub_dimension=sub, responses=counts))
            elif counts["web"] and counts["imported"] < minimum:  # met, but only thanks to the web answers
                text = _("%(counts)s The minimum of %(minimum)s is met only with the public page's answers.") % {
                    "counts": _survey_text(counts),
                    "minimum": minimum,
                }
                gaps.append(Gap(IMPACT, text, pillar=pillar, sub_dimension=sub, responses=counts))
    return gaps


def _clarification_gaps(evaluation: Evaluation) -> list[Gap]:
    requests = (
        ClarificationRequest.objects.filter(evaluation__year=evaluation.year)
        .exclude(status=ClarificationStatus.CLOSED)
        .select_related("pillar", "dimension", "owner_agency")
    )
    gaps = []
    for request in requests:
        text = _("Clarification request %(status)s, due %(due)s (%(agency)s): %(question)s") % {
            "status": request.get_status_display().lower(),
            "due": request.due_on.isoformat(),
            "agency": request.owner_agency.acronym,
            "question": request.question[:120],
        }
        blocking = request.evaluation_id == evaluation.pk
        code = request.dimension.code if request.dimension else ""
        gaps.append(Gap(code, text, blocking=blocking, pillar=request.pillar))
    return gaps
