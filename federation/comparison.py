"""The provincial comparison, read from the snapshots the harvest kept (federation/harvest.py): cities × pillars
in each city's latest final result, the index over the years, and the latest headline achievement against its
target. Three queries, however many cities and snapshots."""

from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, datetime

from django.utils.translation import get_language

from pillars.models import Pillar
from smartcity.downloads import RecordExport
from smartcity.templatetags.portal import shown_lang

from .models import FollowedPortal, PortalSnapshot

LIVE, STALE, NEVER = "live", "stale", "never"


@dataclass
class City:
    """One followed portal as the comparison shows it: its last good data and whether that is still current."""

    portal: FollowedPortal
    state: str  # LIVE: the last read succeeded; STALE: it failed, the last good data is shown; NEVER: none yet
    checked_at: datetime | None  # the last read, good or not
    read_at: datetime | None  # the read the data comes from
    reason: str  # why the last read failed
    data: dict
    pillar_scores: list = field(default_factory=list)
    index_by_year: list = field(default_factory=list)

    @property
    def latest(self) -> dict | None:
        evaluations = self.data.get("evaluations") or []
        return evaluations[-1] if evaluations else None

    @property
    def headline(self) -> dict | None:
        headline = self.data.get("headline")
        if not headline:
            return None
        measured = headline.get("latest_measured_on") or ""
        try:
            measured_on = date.fromisoformat(measured)
        except ValueError:
            measured_on = None
        target = (headline.get("targets") or {}).get(measured[:4])
        return {**headline, "target": target, "measured_on": measured_on}


@dataclass
class Comparison:
    cities: list[City]
    pillars: list[dict]  # {"slug", "name"} in order
    years: list[int]

    @property
    def index_chart(self) -> dict | None:
        """A line per city of its index over the years (static/js/charts.js draws it)."""
        from smartcity.numbers import chart_format, formatted

        datasets = []
        for city in self.cities:
            values = [None if v is None else float(v) for v in city.index_by_year]
            if any(v is not None for v in values):
                datasets.append({"label": city.portal.name, "data": values, "formatted": formatted(values, decimals=2)})
        if not datasets:
            return None
        return {
            "type": "line",
            "labels": [str(y) for y in self.years],
            "datasets": datasets,
            "options": {"spanGaps": True},
            "format": chart_format(decimals=2),
            "decimals": 2,
        }


def current_names(data):
    """A snapshot's data with the names of issue 24 (one read before it has the Indonesian names' old suffix)."""
    if isinstance(data, list):
        return [current_names(item) for item in data]
    if not isinstance(data, dict):
        return data
    old = "name_id"  # rename_ind: keep
    return {("name_ind" if key == old else key): current_names(value) for key, value in data.items()}


def _pillar_columns(cities: list[City]) -> list[dict]:
    """The hub's own pillars in their order, then any other pillar a city lists; names in the page's language, or in
    Indonesian (`lang` "id") when a pillar has no English name."""
    english = (get_language() or "id").startswith("en")
    columns = {
        p.slug: {"slug": p.slug, "name": p.name, "lang": shown_lang(p, "name"), "order": p.order}
        for p in Pillar.objects.order_by("order")
    }
    for city in cities:
        for pillar in city.data.get("pillars") or []:
            if pillar["slug"] not in columns:
                name = pillar.get("name_en") if english and pillar.get("name_en") else pillar.get("name_ind")
                lang = "id" if english and name and not pillar.get("name_en") else ""
                columns[pillar["slug"]] = {
                    "slug": pillar["slug"],
                    "name": name or pillar["slug"],
                    "lang": lang,
                    "order": 1000,
                }
    return sorted(columns.values(), key=lambda c: (c["order"], c["slug"]))


def province_comparison() -> Comparison:
    """Every active followed portal with its latest and last good snapshots (three queries)."""
    portals = list(FollowedPortal.objects.public().with_latest_snapshots().order_by("name", "pk"))
    wanted = {pk for portal in portals for pk in (portal.latest_id, portal.latest_ok_id) if pk}
    snapshots = PortalSnapshot.objects.in_bulk(wanted)
    cities = []
    for portal in portals:
        latest, good = snapshots.get(portal.latest_id), snapshots.get(portal.latest_ok_id)
        state = NEVER if latest is None else LIVE if latest.ok else STALE
        cities.append(
            City(
                portal=portal,
                state=state,
                checked_at=latest.read_at if latest else None,
                read_at=good.read_at if good else None,
                reason="" if state == LIVE else getattr(latest, "reason", ""),
                data=current_names(good.data) if good else {},
            )
        )
    pillars = _pillar_columns(cities)
    years = sorted({e["year"] for city in cities for e in city.data.get("evaluations") or []})
    for city in cities:
        latest = city.latest or {}
        city.pillar_scores = [(p, (latest.get("pillars") or {}).get(p["slug"])) for p in pillars]
        by_year = {e["year"]: e.get("index") for e in city.data.get("evaluations") or []}
        city.index_by_year = [by_year.get(y) for y in years]
    return Comparison(cities=cities, pillars=pillars, years=years)


def comparison_rows(comparison: Comparison) -> tuple[list[str], list[list]]:
    """The download: one row per city and year of a final result (a city without any has one row)."""
    slugs = [p["slug"] for p in comparison.pillars]
    headers = [
        "city",
        "portal",
        "state",
        "read_at",
        "reason",
        "year",
        "index",
        *[f"pillar_{s}" for s in slugs],
        "headline_indicator",
        "headline_unit",
        "headline_value",
        "headline_target",
        "headline_achievement",
        "headline_measured_on",
    ]
    rows = []
    for city in comparison.cities:
        headline = city.headline or {}
        tail = [
            headline.get("name_ind", ""),
            headline.get("unit", ""),
            headline.get("latest_value"),
            headline.get("target"),
            headline.get("latest_achievement"),
            headline.get("latest_measured_on"),
        ]
        head = [
            city.portal.name,
            city.portal.base_url,
            city.state,
            city.read_at.isoformat() if city.read_at else "",
            city.reason,
        ]
        for evaluation in city.data.get("evaluations") or [{}]:
            pillars = evaluation.get("pillars") or {}
            rows.append(
                [*head, evaluation.get("year"), evaluation.get("index"), *[pillars.get(s) for s in slugs], *tail]
            )
    return headers, rows


class ComparisonExport(RecordExport):
    """The comparison as a download through the one download path (smartcity/downloads.py): one record per city
    and year of a final result, the same columns in CSV and JSON. The "queryset" it is given is the Comparison."""

    def __init__(self, comparison: Comparison):
        self.columns, self.rows = comparison_rows(comparison)

    def headers(self) -> list[str]:
        return list(self.columns)

    def records(self, queryset) -> Iterator[dict]:
        return (dict(zip(self.columns, row, strict=True)) for row in self.rows)
