"""What an evaluation's public page shows beside each dimension's score (issue 14): the evidence it rests on, as
counts with links to public records, and the citizen survey's aggregates. Only public rows are counted for a
citizen; a fixed number of queries."""

from dataclasses import dataclass, field

from django.db.models import Count, Q, Sum
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _

from pillars.choices import Horizon
from pillars.models import Activity, BudgetLine, Program

from .models import Evaluation, LegalInstrument, Survey
from .readiness import IMPACT, OUTCOME, OUTPUT
from .surveys import SurveyResults, survey_results


@dataclass
class EvidenceLine:
    label: str
    count: int | None = None
    url: str = ""


@dataclass
class DimensionEvidence:
    dimension: object  # SchemeDimension
    score: object
    lines: list[EvidenceLine] = field(default_factory=list)


@dataclass
class EvaluationEvidence:
    dimensions: list[DimensionEvidence]
    survey: SurveyResults | None


def evaluation_evidence(*, evaluation: Evaluation, user) -> EvaluationEvidence:
    year = evaluation.year
    scores = {s.dimension_id: s.score for s in evaluation.dimension_scores.all()}
    survey = Survey.objects.visible_to(user).filter(year=year).with_related().first()
    results = survey_results(survey=survey) if survey else None
    makers = {
        OUTPUT: lambda: _output(year, user),
        OUTCOME: lambda: _outcome(year, user),
        IMPACT: lambda: _impact(results),
        "quick-win": lambda: _quick_wins(year, user),
    }
    dimensions = [
        DimensionEvidence(d, scores.get(d.pk), makers.get(d.code, list)()) for d in evaluation.scheme.dimensions.all()
    ]
    return EvaluationEvidence(dimensions, results)


def _output(year: int, user) -> list[EvidenceLine]:
    counts = (
        LegalInstrument.objects.visible_to(user)
        .filter(year=year)
        .aggregate(regulations=Count("pk", filter=Q(kind="regulation")), decrees=Count("pk", filter=Q(kind="decree")))
    )
    url = reverse("evaluations:legalinstrument-list") + "?" + urlencode({"year": year})
    budget = (
        BudgetLine.objects.visible_to(user)
        .filter(year=year, smart_city=True)
        .aggregate(planned=Sum("planned_amount"))["planned"]
    )
    lines = [
        EvidenceLine(_("Mayor's regulations"), counts["regulations"], url),
        EvidenceLine(_("Decrees"), counts["decrees"], url),
    ]
    if budget:
        lines.append(EvidenceLine(_("Smart-city budget (Rp, planned)"), budget, url))
    return lines


def _outcome(year: int, user) -> list[EvidenceLine]:
    counts = (
        Activity.objects.visible_to(user)
        .filter(year=year)
        .aggregate(planned=Count("pk"), done=Count("pk", filter=Q(progress__gte=100)))
    )
    url = reverse("pillars:program-list") + "?" + urlencode({"year": year})
    return [
        EvidenceLine(_("Planned activities"), counts["planned"], url),
        EvidenceLine(_("Activities carried out"), counts["done"], url),
    ]


def _impact(results: SurveyResults | None) -> list[EvidenceLine]:
    if results is None:
        return []
    targets = [t for group in results.pillars for t in group.targets]
    met = sum(1 for t in targets if t.overall.meets_minimum)
    responses = sum(t.overall.responses for t in targets)
    return [
        EvidenceLine(_("Survey responses"), responses, "#survey"),
        EvidenceLine(_("Sub-dimensions surveyed"), len(targets), "#survey"),
        EvidenceLine(_("Sub-dimensions with enough responses"), met, "#survey"),
    ]


def _quick_wins(year: int, user) -> list[EvidenceLine]:
    count = (
        Program.objects.visible_to(user)
        .filter(horizon=Horizon.QUICK_WIN, first_year__lte=year, last_year__gte=year)
        .count()
    )
    url = reverse("pillars:program-list") + "?" + urlencode({"horizon": Horizon.QUICK_WIN, "year": year})
    return [EvidenceLine(_("Quick-win programs"), count, url)]
