"""The citizen survey's results (issue 14): count, mean and distribution per item, sub-dimension and pillar, with
the year's minimum of responses (its scheme's `min_survey_responses`). Only these aggregates are ever public; four
queries, whatever the number of responses."""

from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from functools import partial

from django.db.models import Count

from .choices import DEFAULT_MIN_SURVEY_RESPONSES
from .models import EvaluationScheme, Survey, SurveyAnswer, SurveyTarget


@dataclass
class Tally:
    """Answers counted by value on the scale."""

    scale: range
    counts: dict = field(default_factory=dict)  # value -> answers
    responses: int = 0
    minimum: int = DEFAULT_MIN_SURVEY_RESPONSES
    counted: int | None = None  # the responses that count toward the minimum (None: all of them)

    def add(self, value: int, count: int) -> None:
        self.counts[value] = self.counts.get(value, 0) + count

    @property
    def answers(self) -> int:
        return sum(self.counts.values())

    @property
    def mean(self) -> Decimal | None:
        if not self.answers:
            return None
        total = sum(Decimal(value) * count for value, count in self.counts.items())
        return (total / self.answers).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)

    @property
    def distribution(self) -> list[tuple[int, int]]:
        return [(value, self.counts.get(value, 0)) for value in self.scale]

    @property
    def meets_minimum(self) -> bool:
        return (self.responses if self.counted is None else self.counted) >= self.minimum


@dataclass
class TargetResult:
    target: SurveyTarget
    overall: Tally
    items: list  # [(SurveyItem, Tally)]


@dataclass
class PillarResult:
    pillar: object
    overall: Tally
    targets: list[TargetResult]


@dataclass
class SurveyResults:
    survey: Survey
    items: list
    pillars: list[PillarResult]
    minimum: int = DEFAULT_MIN_SURVEY_RESPONSES


def survey_results(*, survey: Survey) -> SurveyResults:
    scale = range(survey.scale_min, survey.scale_max + 1)
    minimum = EvaluationScheme.objects.survey_minimum(survey.year)
    tally = partial(Tally, scale, minimum=minimum)
    items = list(survey.items.order_by("order", "pk"))
    targets = list(
        SurveyTarget.objects.filter(survey=survey)
        .with_related()
        .order_by("sub_dimension__pillar__order", "sub_dimension__order")
    )
    counted = (
        SurveyAnswer.objects.filter(response__target__survey=survey)
        .values("response__target_id", "item_id", "value")
        .annotate(n=Count("pk"))
    )
    cells = {}
    for row in counted:
        cells.setdefault(row["response__target_id"], []).append(row)
    pillars: dict[int, PillarResult] = {}
    for target in targets:
        counted_responses = target.counted_response_count  # web answers only when SURVEY_WEB_COUNTS_TOWARD_MINIMUM
        overall, by_item = tally(responses=target.response_count, counted=counted_responses), {}
        for row in cells.get(target.pk, []):
            overall.add(row["value"], row["n"])
            by_item.setdefault(row["item_id"], tally(responses=target.response_count)).add(row["value"], row["n"])
        result = TargetResult(target, overall, [(item, by_item.get(item.pk, tally())) for item in items])
        pillar = target.sub_dimension.pillar
        group = pillars.setdefault(pillar.pk, PillarResult(pillar, tally(counted=0), []))
        group.targets.append(result)
        group.overall.responses += target.response_count
        group.overall.counted += counted_responses
        for value, count in overall.counts.items():
            group.overall.add(value, count)
    return SurveyResults(survey, items, list(pillars.values()), minimum)


def _tally(tally: Tally) -> dict:
    return {
        "responses": tally.responses,
        "answers": tally.answers,
        "mean": None if tally.mean is None else str(tally.mean),
        "distribution": {str(value): count for value, count in tally.distribution},
        "meets_minimum": tally.meets_minimum,
    }


def survey_results_json(results: SurveyResults) -> dict:
    return {
        "survey": results.survey.pk,
        "minimum_responses": results.minimum,
        "pillars": [
            {
                "pillar": group.pillar.slug,
                **_tally(group.overall),
                "sub_dimensions": [
                    {
                        "sub_dimension": t.target.sub_dimension.slug,
                        "subject": (t.target.program.title if t.target.program else t.target.service.name),
                        **_tally(t.overall),
                        "items": {item.code: _tally(tally) for item, tally in t.items},
                    }
                    for t in group.targets
                ],
            }
            for group in results.pillars
        ],
    }
