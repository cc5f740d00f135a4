"""The one number format (smartcity.numbers) and its template filters, in both languages."""

from decimal import Decimal

import pytest
from django.template import Context, Template
from django.utils import translation

from smartcity.numbers import chart_format, format_number

NBSP = "\u00a0"


@pytest.mark.parametrize(
    ("value", "unit", "decimals", "indonesian", "english"),
    [
        (Decimal("91.4000000000000"), "%", None, f"91,4{NBSP}%", f"91.4{NBSP}%"),
        (Decimal("9.80000000000000"), "menit", None, f"9,8{NBSP}menit", f"9.8{NBSP}menit"),
        (1_250_000_000, "Rp", None, "Rp1.250.000.000", "Rp1,250,000,000"),
        (Decimal("86.00"), "%", None, f"86{NBSP}%", f"86{NBSP}%"),
        (Decimal("3.3"), "", 2, "3,30", "3.30"),
        (Decimal("1234.567"), "", None, "1.234,57", "1,234.57"),  # two decimals at most, half up
        (Decimal("-0.125"), "", 2, "-0,13", "-0.13"),
        (12000, "aplikasi", None, f"12.000{NBSP}aplikasi", f"12,000{NBSP}aplikasi"),
        (None, "%", None, "–", "–"),
    ],
)
def test_format_number_by_unit_and_decimals_in_each_language(value, unit, decimals, indonesian, english):
    assert format_number(value, unit, decimals, language="id") == indonesian
    assert format_number(value, unit, decimals, language="en") == english
    with translation.override("en"):
        assert format_number(value, unit, decimals) == english  # the active language by default


def test_chart_format_carries_the_page_locale_and_unit():
    with translation.override("en"):
        assert chart_format("Rp", decimals=0) == {"locale": "en", "unit": "Rp", "prefix": True, "decimals": 0}
    with translation.override("id"):
        assert chart_format("%")["locale"] == "id"


def render(source: str, language: str, **context) -> str:
    with translation.override(language):
        return Template("{% load portal %}" + source).render(Context(context))


def test_number_filters_on_pages():
    assert render('{{ v|number:"%" }} {{ money|rupiah }}', "id", v=Decimal("91.40"), money=750_000_000) == (
        f"91,4{NBSP}% Rp750.000.000"
    )
    assert render('{% number v "" 2 %}', "en", v=Decimal("3.1")) == "3.10"


def test_a_worded_unit_is_marked_indonesian_on_english_pages_only():
    assert render('{{ v|number:"menit" }}', "en", v=Decimal("9.8")) == f'9.8{NBSP}<span lang="id">menit</span>'
    assert render('{{ v|number:"menit" }}', "id", v=Decimal("9.8")) == f"9,8{NBSP}menit"
    assert render('{{ v|number:"%" }}', "en", v=Decimal("9.8")) == f"9.8{NBSP}%"  # a sign, not a word
    two_languages = '{% number v "units" unit_lang="" %}'
    assert render(two_languages, "en", v=5) == f"5{NBSP}units"


class Row:
    def __init__(self, **fields):
        self.__dict__.update(fields)


def test_lang_attr_marks_indonesian_fallback_text_on_english_pages():
    fallback, translated = Row(title_ind="Judul", title_en=""), Row(title_ind="Judul", title_en="Title")
    source = '<h1{{ row|lang_attr:"title" }}>'
    assert render(source, "en", row=fallback) == '<h1 lang="id">'
    assert render(source, "en", row=translated) == "<h1>"
    assert render(source, "id", row=fallback) == "<h1>"
