"""Reads that span several models or return figures rather than one model's rows."""

import datetime
from collections import Counter
from dataclasses import dataclass
from decimal import Decimal
from typing import NamedTuple

from django.db.models import Count, F, Max, Prefetch, Q, Sum, Window, prefetch_related_objects
from django.db.models.functions import ExtractYear, RowNumber

from .achievement import NOT_MEASURED, Standing, achievement_percent, standing_of
from .choices import ServiceStatus
from .models import BudgetLine, DigitalService, Indicator, IndicatorTarget, Measurement, Program
from .querysets import IndicatorQuerySet, ProgramQuerySet


@dataclass(frozen=True)
class YearPoint:
    year: int
    target: Decimal | None
    actual: Decimal | None
    achievement: Decimal | None
    indicator: object = None  # whose tolerances (on_track_from, at_risk_from) the standing reads

    @property
    def standing(self) -> Standing | None:
        return standing_of(self.achievement, self.indicator)


def standing_point(points: list[YearPoint]) -> YearPoint | None:
    """The year an indicator's standing is judged on: the latest with both a target and an actual."""
    return next((point for point in reversed(points) if point.achievement is not None), None)


def indicator_yearly_actuals(indicator_ids) -> dict[int, dict[int, Decimal]]:
    """{indicator id: {year: the year's last measured value}} in one query, however many measurements."""
    year = ExtractYear("measured_on")
    rows = (
        Measurement.objects.filter(indicator_id__in=list(indicator_ids))
        .annotate(
            year=year,
            rank=Window(RowNumber(), partition_by=[F("indicator_id"), year], order_by=F("measured_on").desc()),
        )
        .filter(rank=1)
        .order_by()  # Measurement's default order (by indicator) would join every indicator and its pillar to sort
        .values_list("indicator_id", "year", "value")
    )
    series: dict[int, dict[int, Decimal]] = {}
    for indicator_id, year_value, value in rows:
        series.setdefault(indicator_id, {})[year_value] = value
    return series


def indicator_series(indicators) -> dict[int, list[YearPoint]]:
    """Target against actual per year for each indicator (targets prefetched by `with_related()`)."""
    indicators = list(indicators)
    actuals = indicator_yearly_actuals(i.pk for i in indicators)
    series = {}
    for indicator in indicators:
        targets = {t.year: t.value for t in indicator.targets.all()}
        by_year = actuals.get(indicator.pk, {})
        series[indicator.pk] = [
            YearPoint(
                y,
                targets.get(y),
                by_year.get(y),
                achievement_percent(target=targets.get(y), actual=by_year.get(y), direction=indicator.direction),
                indicator,
            )
            for y in sorted(set(targets) | set(by_year))
        ]
    return series


class StandingFigures(NamedTuple):
    """What judging an indicator's standing reads (IndicatorQuerySet.with_standing_figures()), read as plain values:
    building thousands of model instances cost more than the query (a third of the home page's standings)."""

    pk: int
    direction: str
    on_track_from: Decimal | None
    at_risk_from: Decimal | None
    standing_target: Decimal | None
    standing_actual: Decimal | None


# What the home page shows and judges of the headline indicator.
HEADLINE_FIELDS = ("slug", "name_ind", "name_en", "unit", "direction", "on_track_from", "at_risk_from")


def _standing(indicator) -> Standing | None:
    """The standing of an indicator judged on its StandingFigures."""
    achievement = achievement_percent(
        target=indicator.standing_target, actual=indicator.standing_actual, direction=indicator.direction
    )
    return standing_of(achievement, indicator)


HEADS = StandingFigures._fields[:4]  # the indicator's own columns; the two figures come as one text


def standing_figures(indicators) -> list[StandingFigures]:
    """What the standing of each of the indicators is judged on, as plain values (one query)."""
    rows = indicators.with_standing_figures().order_by().values_list(*HEADS, "standing_figures")
    return [StandingFigures(*heads, *IndicatorQuerySet.target_and_actual(figures)) for *heads, figures in rows]


def _counted(standings) -> dict[str, int]:
    counted = Counter(NOT_MEASURED if standing is None else standing.value for standing in standings)
    return {key: counted.get(key, 0) for key in [*Standing.values, NOT_MEASURED]}


def indicator_standings(indicators) -> dict[int, Standing | None]:
    """{indicator id: its standing, None when not yet measured against a target} for the given indicators, in one
    query however many (the figures from IndicatorQuerySet.with_standing_figures(), the rule from achievement)."""
    figures = standing_figures(Indicator.objects.filter(pk__in=indicators.values("pk")))
    return {indicator.pk: _standing(indicator) for indicator in figures}


def standing_counts(indicators) -> dict[str, int]:
    """How many of the indicators are on track, at risk, off track and not yet measured (keys: the standings'
    values and achievement.NOT_MEASURED), every key present."""
    return _counted(indicator_standings(indicators).values())


def home_indicators():
    """The home page's indicators: the city's overall smart-city achievement indicator (capaian smart city), if
    staff marked one, with its series, and how many published indicators stand where (standing_counts): one query
    for the standings, one for the headline; its latest value is the last actual of its series."""
    published = Indicator.objects.published()
    counts = _counted(_standing(indicator) for indicator in standing_figures(published))
    headline = published.filter(is_headline=True).only(*HEADLINE_FIELDS).order_by("pk").first()
    if headline is None:
        return None, [], counts
    prefetch_related_objects([headline], Prefetch("targets", queryset=IndicatorTarget.objects.order_by("year")))
    series = indicator_series([headline])[headline.pk]
    headline.latest_value = next((p.actual for p in reversed(series) if p.actual is not None), None)
    return headline, series, counts


def program_schedule_counts(today: datetime.date) -> dict[str, int]:
    """How many published programs are under way, and how many of them are late or on schedule on `today`
    (pillars.achievement's rule), in one query however many programs."""
    figures = (
        Program.objects.published()
        .under_way()
        .aggregate(under_way=Count("pk"), late=Count("pk", filter=ProgramQuerySet.late_condition(today)))
    )
    return {**figures, "on_schedule": figures["under_way"] - figures["late"]}


def budget_totals(programs=None, *, group_by=("year", "source")) -> list[dict]:
    """Planned and realised rupiah summed per `group_by` (any of pillar, year, source), one query."""
    lines = BudgetLine.objects.all() if programs is None else BudgetLine.objects.filter(program__in=programs)
    fields = [{"pillar": "program__pillar__slug"}.get(name, name) for name in group_by]
    return list(
        lines.values(*fields).annotate(planned=Sum("planned_amount"), realised=Sum("realised_amount")).order_by(*fields)
    )


def services_per_year(services=None) -> list[dict]:
    """How many services were launched each year, and how many of them are public or still live."""
    services = DigitalService.objects.published() if services is None else services
    return list(
        services.exclude(launched_year__isnull=True)
        .values("launched_year")
        .annotate(
            launched=Count("pk"),
            public=Count("pk", filter=Q(audience="public")),
            live=Count("pk", filter=Q(status=ServiceStatus.LIVE)),
        )
        .order_by("launched_year")
    )


def last_updated(*querysets):
    """The latest `updated_at` across the given querysets: the "last updated" shown beside figures."""
    moments = [qs.aggregate(moment=Max("updated_at"))["moment"] for qs in querysets]
    return max((m for m in moments if m), default=None)
