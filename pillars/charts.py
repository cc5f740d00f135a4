"""Chart specifications (for static/js/charts.js) built from the selectors' figures."""

from django.utils.translation import gettext as _

from .selectors import YearPoint

TARGET_COLOUR, ACTUAL_COLOUR = "#94a3b8", "#1d4ed8"


def _number(value):
    return None if value is None else float(value)


def target_vs_actual(points: list[YearPoint], colour: str = ACTUAL_COLOUR) -> dict:
    """Bars of the yearly actual against a line of the yearly target."""
    return {
        "type": "bar",
        "labels": [p.year for p in points],
        "datasets": [
            {
                "type": "line",
                "label": _("Target"),
                "data": [_number(p.target) for p in points],
                "borderColor": TARGET_COLOUR,
                "backgroundColor": TARGET_COLOUR,
                "spanGaps": True,
            },
            {
                "type": "bar",
                "label": _("Actual"),
                "data": [_number(p.actual) for p in points],
                "backgroundColor": colour,
            },
        ],
    }


def budget_by_year(totals: list[dict]) -> dict:
    """Planned against realised rupiah per year."""
    years = sorted({row["year"] for row in totals})
    planned = {y: sum(r["planned"] for r in totals if r["year"] == y) for y in years}
    realised = {y: sum(r["realised"] for r in totals if r["year"] == y) for y in years}
    return {
        "type": "bar",
        "labels": years,
        "datasets": [
            {"label": _("Planned"), "data": [planned[y] for y in years], "backgroundColor": TARGET_COLOUR},
            {"label": _("Realised"), "data": [realised[y] for y in years], "backgroundColor": ACTUAL_COLOUR},
        ],
    }


def services_per_year(rows: list[dict]) -> dict:
    return {
        "type": "bar",
        "labels": [row["launched_year"] for row in rows],
        "datasets": [
            {
                "label": _("Applications launched"),
                "data": [row["launched"] for row in rows],
                "backgroundColor": ACTUAL_COLOUR,
            }
        ],
    }
