"""Chart specifications (for static/js/charts.js) built from the selectors' figures.

Each spec carries `format` (the page's locale, the unit, the decimals) for the axis ticks, and each dataset
its values as people read them (`formatted`, from smartcity.numbers) for the tooltips.
"""

from django.utils.translation import gettext as _

from smartcity.numbers import chart_format, formatted

from .selectors import YearPoint

TARGET_COLOUR, ACTUAL_COLOUR = "#94a3b8", "#1d4ed8"
RUPIAH = "Rp"


def _number(value):
    return None if value is None else float(value)


def _dataset(label: str, values: list, unit: str, **style) -> dict:
    return {"label": label, "data": [_number(v) for v in values], "formatted": formatted(values, unit), **style}


def target_vs_actual(points: list[YearPoint], colour: str = ACTUAL_COLOUR, unit: str = "") -> dict:
    """Bars of the yearly actual against a line of the yearly target, in the indicator's unit."""
    return {
        "type": "bar",
        "labels": [p.year for p in points],
        "format": chart_format(unit),
        "datasets": [
            _dataset(
                _("Target"),
                [p.target for p in points],
                unit,
                type="line",
                borderColor=TARGET_COLOUR,
                backgroundColor=TARGET_COLOUR,
                spanGaps=True,
            ),
            _dataset(_("Actual"), [p.actual for p in points], unit, type="bar", backgroundColor=colour),
        ],
    }


def budget_by_year(totals: list[dict]) -> dict:
    """Planned against realised rupiah per year; the axis reads "Rp1,3 M" (compact), the tooltips in full."""
    years = sorted({row["year"] for row in totals})
    planned = [sum(r["planned"] for r in totals if r["year"] == y) for y in years]
    realised = [sum(r["realised"] for r in totals if r["year"] == y) for y in years]
    return {
        "type": "bar",
        "labels": years,
        "format": chart_format(RUPIAH, decimals=0) | {"compact": True},
        "datasets": [
            _dataset(_("Planned"), planned, RUPIAH, backgroundColor=TARGET_COLOUR),
            _dataset(_("Realised"), realised, RUPIAH, backgroundColor=ACTUAL_COLOUR),
        ],
    }


def services_per_year(rows: list[dict]) -> dict:
    return {
        "type": "bar",
        "labels": [row["launched_year"] for row in rows],
        "format": chart_format(decimals=0),
        "datasets": [
            _dataset(
                _("Applications launched"),
                [row["launched"] for row in rows],
                "",
                backgroundColor=ACTUAL_COLOUR,
            )
        ],
    }
