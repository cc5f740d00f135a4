"""Reads that span several apps: the year-over-year trend, readiness before a self-assessment, and what
changed between two evaluations. Each runs a fixed number of queries, whatever the number of rows."""

import datetime
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Count, OuterRef, Q, Subquery
from django.utils import timezone
from django.utils.translation import gettext

from partnerships.models import MoU
from pillars.choices import Stage
from pillars.models import DigitalService, Indicator, Measurement, Pillar, Program
from smartcity.numbers import chart_format, formatted
from smartcity.templatetags.portal import shown_lang

from .choices import CLOSED_FOLLOW_UP_STATUSES, FollowUpStatus
from .models import Evaluation, FollowUpAction

# A measurement older than this, counted back from the evaluation's start, is no longer recent.
RECENT_MEASUREMENT_DAYS = 365


# --- Year over year -------------------------------------------------------------------------------
def evaluation_trend(*, user, pillar: Pillar | None = None) -> dict | None:
    """A line-chart spec of the final results year by year: the overall index and each pillar's score (or
    only `pillar`'s). Embargoed results are left out for whoever may not see them. None when there is nothing."""
    results = list(Evaluation.objects.visible_to(user).results().with_related().order_by("year", "pk"))
    by_year = {evaluation.year: evaluation for evaluation in results}  # the latest result of each year
    if not by_year:
        return None
    pillars = [pillar] if pillar else list(Pillar.objects.all())
    return trend_spec(by_year, pillars, with_index=pillar is None)


def trend_spec(by_year: dict[int, Evaluation], pillars: list[Pillar], *, with_index: bool = True) -> dict:
    """The line-chart spec of `by_year` (year: final result, with scheme, index and pillar scores loaded)."""
    years = sorted(by_year)
    scales = [evaluation.scheme for evaluation in by_year.values()]
    decimals = max(s.decimals for s in scales)
    datasets = []
    if with_index:
        index = [_number(by_year[year].headline_index) for year in years]
        datasets.append({"label": gettext("Overall index"), "data": index, "borderColor": "#111827", "borderWidth": 3})
    for each in pillars:
        data = [_number(_pillar_score(by_year[year], each)) for year in years]
        if any(value is not None for value in data):
            datasets.append(
                {
                    "label": each.name,
                    "lang": shown_lang(each, "name"),  # for the table beside the chart: a name that falls back
                    "data": data,
                    "borderColor": each.colour,
                    "backgroundColor": each.colour,
                }
            )
    for dataset in datasets:
        dataset["formatted"] = formatted(dataset["data"], decimals=decimals)
    y_axis = {"min": float(min(s.scale_min for s in scales)), "max": float(max(s.scale_max for s in scales))}
    return {
        "type": "line",
        "labels": [str(year) for year in years],
        "datasets": datasets,
        "options": {"scales": {"y": y_axis}, "spanGaps": True},
        "format": chart_format(decimals=decimals),
        "decimals": decimals,  # for the table beside the chart
    }


@dataclass
class PillarResult:
    """One pillar's score in the latest final result, and its change since the previous year's."""

    pillar: Pillar
    score: Decimal | None
    change: Decimal | None

    @property
    def change_size(self) -> Decimal | None:
        return None if self.change is None else abs(self.change)


@dataclass
class EvaluationOverview:
    latest: Evaluation  # with its scheme and `headline_index`
    previous: Evaluation | None
    pillars: list[PillarResult]
    index_by_year: list[tuple[int, Decimal | None]]
    trend: dict  # index_by_year as a line chart spec

    @property
    def index_change(self) -> Decimal | None:
        """The overall index's change since the previous year's result; None without both figures."""
        before = self.previous.headline_index if self.previous else None
        now = self.latest.headline_index
        return None if before is None or now is None else now - before

    @property
    def index_change_size(self) -> Decimal | None:
        change = self.index_change
        return None if change is None else abs(change)


def evaluation_overview(*, user, pillars: list[Pillar]) -> EvaluationOverview | None:
    """For the dashboard, in two queries: the latest final result `user` may see, each pillar's score in it and
    its change since the previous year's result, and the overall index year by year. None before any result."""
    results = (
        Evaluation.objects.visible_to(user)
        .results()
        .select_related("scheme")
        .with_index()
        .prefetch_related("pillar_scores")
        .order_by("year", "pk")
    )
    by_year = {evaluation.year: evaluation for evaluation in results}
    if not by_year:
        return None
    years = sorted(by_year)
    latest = by_year[years[-1]]
    previous = by_year[years[-2]] if len(years) > 1 else None
    rows = []
    for pillar in pillars:
        score = _pillar_score(latest, pillar)
        before = _pillar_score(previous, pillar) if previous else None
        rows.append(PillarResult(pillar, score, None if score is None or before is None else score - before))
    index_by_year = [(year, by_year[year].headline_index) for year in years]
    return EvaluationOverview(latest, previous, rows, index_by_year, trend_spec(by_year, [], with_index=True))


def _pillar_score(evaluation: Evaluation, pillar: Pillar) -> Decimal | None:
    return next((score.score for score in evaluation.pillar_scores.all() if score.pillar_id == pillar.pk), None)


def _number(value: Decimal | None) -> float | None:
    return None if value is None else float(value)


def evaluation_pillar_chart(*, evaluation: Evaluation) -> dict | None:
    """A bar-chart spec of one evaluation's pillar scores, on its scheme's scale."""
    scores = list(evaluation.pillar_scores.all())
    if not scores:
        return None
    scheme = evaluation.scheme
    return {
        "type": "bar",
        "labels": [score.pillar.name for score in scores],
        "datasets": [
            {
                "label": gettext("Score"),
                "data": [float(score.score) for score in scores],
                "backgroundColor": [score.pillar.colour for score in scores],
                "formatted": formatted([score.score for score in scores], decimals=scheme.decimals),
            }
        ],
        "format": chart_format(decimals=scheme.decimals),
        "horizontal_on_phone": True,
        "options": {
            "scales": {"y": {"min": float(scheme.scale_min), "max": float(scheme.scale_max)}},
            "plugins": {"legend": {"display": False}},
        },
    }


# --- Readiness ------------------------------------------------------------------------------------
@dataclass
class PillarReadiness:
    """What one pillar still lacks before the evaluation: evidence, recent measurements, closed follow-ups."""

    pillar: Pillar | None  # None: city-wide indicators and findings about the whole program
    programs: list = field(default_factory=list)
    indicators: list = field(default_factory=list)
    follow_ups: list = field(default_factory=list)

    @property
    def gaps(self) -> int:
        return len(self.programs) + len(self.indicators) + len(self.follow_ups)


def evaluation_readiness(*, evaluation: Evaluation, on: datetime.date | None = None) -> list[PillarReadiness]:
    """Pillar by pillar, the programs under way without evidence, the indicators without a recent measurement
    (or whose latest has no evidence), and the follow-ups still open or closed without evidence."""
    on = on or evaluation.started_on or timezone.localdate()
    cutoff = on - datetime.timedelta(days=RECENT_MEASUREMENT_DAYS)
    groups = {pillar.pk: PillarReadiness(pillar=pillar) for pillar in Pillar.objects.all()}
    groups[None] = PillarReadiness(pillar=None)
    for program in _programs_without_evidence():
        groups[program.pillar_id].programs.append(program)
    for indicator in _indicators_not_recent(cutoff=cutoff):
        groups[indicator.pillar_id].indicators.append(indicator)
    for follow_up in _follow_ups_unfinished(year=evaluation.year):
        groups[follow_up.finding.pillar_id].follow_ups.append(follow_up)
    return [group for key, group in groups.items() if key is not None or group.gaps]


def _programs_without_evidence():
    """Programs under way or completed that have no milestone with evidence attached."""
    with_evidence = Count("milestones", filter=~Q(milestones__evidence=""))
    return (
        Program.objects.filter(stage__in=[Stage.IN_PROGRESS, Stage.COMPLETED])
        .annotate(evidence_count=with_evidence)
        .filter(evidence_count=0)
        .select_related("lead_agency")
        .order_by("pillar__order", "title_ind")
    )


def _indicators_not_recent(*, cutoff: datetime.date):
    newest = Measurement.objects.filter(indicator=OuterRef("pk")).order_by("-measured_on")
    return (
        Indicator.objects.with_latest_measurement()
        .annotate(latest_evidence=Subquery(newest.values("evidence")[:1]))
        .filter(Q(latest_measured_on__isnull=True) | Q(latest_measured_on__lt=cutoff) | Q(latest_evidence=""))
        .select_related("owner_agency")
        .order_by("name_ind")
    )


def _follow_ups_unfinished(*, year: int):
    """Follow-ups of this and earlier evaluations that are still open, or done without evidence."""
    return (
        FollowUpAction.objects.filter(finding__evaluation__year__lte=year)
        .filter(~Q(status__in=CLOSED_FOLLOW_UP_STATUSES) | Q(status=FollowUpStatus.DONE, evidence=""))
        .with_related()
        .order_by("due_on", "pk")
    )


# --- What changed ---------------------------------------------------------------------------------
@dataclass(frozen=True)
class ChangeItem:
    """Something that happened between two evaluations, under a pillar (None: city-wide)."""

    pillar_id: int | None
    title: str
    on: datetime.date | None = None
    lang: str = ""  # the title's language when it falls back from the page's (portal.shown_lang)


@dataclass
class PillarChange:
    pillar: Pillar | None  # None: city-wide, e.g. a follow-up of a finding about the whole program
    score: Decimal | None = None
    previous_score: Decimal | None = None
    lists: dict = field(default_factory=dict)  # heading -> [ChangeItem]

    @property
    def change(self) -> Decimal | None:
        if self.score is None or self.previous_score is None:
            return None
        return self.score - self.previous_score


@dataclass
class EvaluationChanges:
    evaluation: Evaluation
    previous: Evaluation | None
    since: datetime.date
    until: datetime.date
    pillars: list[PillarChange]


def _closing_day(evaluation: Evaluation) -> datetime.date:
    return evaluation.letter_date or evaluation.ended_on or datetime.date(evaluation.year, 12, 31)


def evaluation_previous(*, evaluation: Evaluation, user) -> Evaluation | None:
    """The latest final result of an earlier year that `user` may see."""
    earlier = Evaluation.objects.visible_to(user).results().filter(year__lt=evaluation.year)
    return earlier.with_related().order_by("-year", "-pk").first()


def evaluation_changes(*, evaluation: Evaluation, user) -> EvaluationChanges:
    """Per pillar: the score change since the previous result, and the programs completed, services launched,
    follow-ups closed and MoUs signed between the two letters."""
    previous = evaluation_previous(evaluation=evaluation, user=user)
    since = _closing_day(previous) if previous else datetime.date(evaluation.year, 1, 1) - datetime.timedelta(days=1)
    until = _closing_day(evaluation)
    changes = {pillar.pk: PillarChange(pillar=pillar) for pillar in Pillar.objects.all()}
    changes[None] = PillarChange(pillar=None)
    for score in evaluation.pillar_scores.all():
        changes[score.pillar_id].score = score.score
    for score in previous.pillar_scores.all() if previous else []:
        changes[score.pillar_id].previous_score = score.score
    first_year = previous.year + 1 if previous else evaluation.year
    sources = {
        gettext("Programs completed"): _programs_completed(since=since, until=until, user=user),
        gettext("Services launched"): _services_launched(first=first_year, last=evaluation.year, user=user),
        gettext("Follow-ups closed"): _follow_ups_closed(since=since, until=until, user=user),
        gettext("MoUs signed"): mous_signed_between(since=since, until=until, user=user),
    }
    for heading, items in sources.items():
        for item in items:
            if item.pillar_id in changes:
                changes[item.pillar_id].lists.setdefault(heading, []).append(item)
    shown = [change for key, change in changes.items() if key is not None or change.lists]
    return EvaluationChanges(evaluation, previous, since, until, shown)


def _programs_completed(*, since, until, user) -> list[ChangeItem]:
    programs = Program.objects.visible_to(user).filter(completed_on__gt=since, completed_on__lte=until)
    return [
        ChangeItem(p.pillar_id, p.title, p.completed_on, shown_lang(p, "title"))
        for p in programs.order_by("completed_on")
    ]


def _services_launched(*, first: int, last: int, user) -> list[ChangeItem]:
    services = DigitalService.objects.visible_to(user).filter(launched_year__gte=first, launched_year__lte=last)
    return [ChangeItem(s.pillar_id, s.name) for s in services.order_by("launched_year", "name")]


def mous_signed_between(*, since, until, user) -> list[ChangeItem]:
    """MoUs signed after `since` up to `until`, one item per pillar they serve (city-wide when none), in 2 queries.
    Evaluations may read partnerships (the dependency points this way), so it asks the MoUs directly."""
    mous = MoU.objects.visible_to(user).filter(signed_on__gt=since, signed_on__lte=until).prefetch_related("pillars")
    return [
        ChangeItem(pillar_id, mou.title, mou.signed_on, shown_lang(mou, "title"))
        for mou in mous.order_by("signed_on")
        for pillar_id in ([p.pk for p in mou.pillars.all()] or [None])
    ]


def _follow_ups_closed(*, since, until, user) -> list[ChangeItem]:
    follow_ups = FollowUpAction.objects.visible_to(user).filter(
        status=FollowUpStatus.DONE, done_on__gt=since, done_on__lte=until
    )
    items = follow_ups.select_related("finding").order_by("done_on")
    return [ChangeItem(f.finding.pillar_id, f.title, f.done_on, shown_lang(f, "title")) for f in items]
