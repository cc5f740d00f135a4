"""The one way the portal writes a number for people, in the page's language with its unit, and reads one back.

Pages (the `number` and `rupiah` template filters), chart labels and what downloads show beside their
files all call `format_number`, so "91,4 %", "9,8 menit" and "Rp1.250.000.000" read the same everywhere
in Indonesian, and "91.4 %", "Rp1,250,000,000" in English. Machine-readable files keep raw numbers.
`ungrouped` reads what staff type in the same convention (the admin's decimal boxes, smartcity/widgets.py).
"""

import re
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.utils import numberformat
from django.utils.formats import get_format
from django.utils.translation import get_language
from django.utils.translation import gettext as _

# Written before the number, without a space (Indonesian budgets: "Rp1.250.000.000").
PREFIX_UNITS = {"Rp", "IDR"}
# Without a fixed number of decimals, a value shows as many as it needs, up to this many: 91.4000 → 91,4.
MAX_DECIMALS = 2
MISSING = "–"
NBSP = "\u00a0"  # keeps a number and its unit on one line


def page_language(language: str | None = None) -> str:
    return (language or get_language() or "id").split("-")[0]


def format_number(value, unit: str = "", decimals: int | None = None, language: str | None = None) -> str:
    """`value` with the page language's separators and `unit`: "91,4 %", "9,8 menit", "Rp1.250.000.000".

    `decimals` fixes the number of decimals; None shows what the value needs, at most MAX_DECIMALS
    (trailing zeros dropped). Money units ("Rp") default to whole rupiah. Missing values read "–".
    """
    if value is None or value == "":
        return MISSING
    try:
        number = Decimal(str(value))
    except InvalidOperation:
        return str(value)
    unit = (unit or "").strip()
    if decimals is None:
        decimals = 0 if unit in PREFIX_UNITS else _needed_decimals(number)
    language = page_language(language)
    text = numberformat.format(
        number.quantize(Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_UP),
        get_format("DECIMAL_SEPARATOR", language),
        decimals,
        get_format("NUMBER_GROUPING", language),
        get_format("THOUSAND_SEPARATOR", language),
        force_grouping=True,
    )
    if not unit:
        return text
    return f"Rp{text}" if unit in PREFIX_UNITS else f"{text}{NBSP}{unit}"


def _needed_decimals(number: Decimal) -> int:
    rounded = number.quantize(Decimal(1).scaleb(-MAX_DECIMALS), rounding=ROUND_HALF_UP).normalize()
    return max(0, -rounded.as_tuple().exponent)


def chart_format(unit: str = "", decimals: int | None = None, language: str | None = None) -> dict:
    """What static/js/charts.js needs to write axis ticks the same way: the locale, unit and decimals."""
    unit = (unit or "").strip()
    return {
        "locale": page_language(language),
        "unit": unit,
        "prefix": unit in PREFIX_UNITS,
        "decimals": MAX_DECIMALS if decimals is None else decimals,
    }


def formatted(values, unit: str = "", decimals: int | None = None) -> list[str]:
    """Each value of a chart's dataset as people read it, for the chart's tooltips."""
    return [format_number(value, unit, decimals) for value in values]


def is_grouped(text: str, separator: str) -> bool:
    """Whether `text` (digits, maybe signed) groups its thousands by three with `separator`: "1.250.000"."""
    return re.fullmatch(rf"[-+]?\d{{1,3}}({re.escape(separator)}\d{{3}})+", text) is not None


def ungrouped(text: str) -> str:
    """A decimal typed in the page's language, with its thousands separators taken out ("1.234,5" in Indonesian
    gives "1234,5"); Django's `sanitize_separators` then reads the decimal separator. The other language's decimal
    separator is read where it can mean nothing else ("78.5" on an Indonesian page, as Django's own #22171 rule
    does); what could be read two ways is refused, never guessed: a lone group of three ("1.234": a thousand, or
    one and a bit), and separators out of place ("1.23.4")."""
    text = re.sub(r"[\s\u00a0\u202f]", "", text)
    thousands, decimal = get_format("THOUSAND_SEPARATOR"), get_format("DECIMAL_SEPARATOR")
    if thousands not in text:
        return text
    whole, has_decimals, fraction = text.partition(decimal)
    if has_decimals and is_grouped(whole, thousands):
        return whole.replace(thousands, "") + decimal + fraction  # "1.234,5"
    if not has_decimals and text.count(thousands) == 1:
        head, tail = text.split(thousands)
        if re.fullmatch(r"[-+]?\d+", head) and re.fullmatch(r"\d+", tail):
            if len(tail) != 3 or head.lstrip("+-") == "0":
                return head + decimal + tail  # "78.5": no thousands separator groups like that
            message = _(
                "“%(typed)s” can be read two ways: write %(whole)s for the whole number or %(fraction)s for a decimal."
            )
            raise ValidationError(
                message,
                code="ambiguous",
                params={"typed": text, "whole": head + tail, "fraction": head + decimal + tail},
            )
    elif not has_decimals and is_grouped(text, thousands):
        return text.replace(thousands, "")  # "1.234.567"
    raise ValidationError(
        _("Write decimals with %(separator)s, e.g. %(example)s."),
        code="invalid",
        params={"separator": f"“{decimal}”", "example": format_number(Decimal("1234.5"), decimals=1)},
    )
