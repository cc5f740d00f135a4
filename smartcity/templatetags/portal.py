"""Template tags for page chrome: links to the same page in another language, numbers as people read them,
and `lang` on text shown in another language than the page's."""

import datetime
import re

from django import template
from django.conf import settings
from django.urls import translate_url
from django.utils import timezone
from django.utils.html import format_html
from django.utils.safestring import mark_safe

from smartcity.models import translated_name
from smartcity.numbers import format_number, page_language

register = template.Library()

# The language the data's one-language fields (an indicator's unit, names) are written in.
DATA_LANGUAGE = "id"
WORDS = re.compile(r"[^\W\d_]", re.UNICODE)


@register.simple_tag(takes_context=True)
def page_in_language(context, language_code: str) -> str:
    """The URL of the current page in `language_code`, keeping its query string (plain links: cacheable)."""
    request = context["request"]
    url = translate_url(request.path, language_code)
    query = request.GET.urlencode()
    return f"{url}?{query}" if query else url


@register.filter
def iso_datetime(value) -> str:
    """A valid HTML `datetime` attribute: a date as YYYY-MM-DD; a moment in the portal's time zone to the second,
    with its offset (never microseconds, which the HTML standard does not allow)."""
    if isinstance(value, datetime.datetime):
        moment = timezone.localtime(value) if timezone.is_aware(value) else value
        return moment.isoformat(timespec="seconds")
    if isinstance(value, datetime.date):
        return value.isoformat()
    return ""


@register.simple_tag
def head_script() -> str:
    """The one inline script (settings.HEAD_SCRIPT, allowed by its hash in the Content-Security-Policy)."""
    return mark_safe(f"<script>{settings.HEAD_SCRIPT}</script>")  # noqa: S308 - a constant of the settings, no input


@register.simple_tag(name="number")
def number_tag(value, unit: str = "", decimals: int | None = None, unit_lang: str = DATA_LANGUAGE):
    """{% number value unit decimals %}: smartcity.numbers.format_number, with a worded unit marked as written
    in `unit_lang` on pages in another language. An indicator's unit is entered in Indonesian only ("menit",
    "aplikasi"); for a two-language unit pass `unit_lang=obj|shown_lang:"unit"`."""
    text = format_number(value, unit, decimals)
    unit = (unit or "").strip()
    if not unit_lang or unit_lang == page_language() or not WORDS.search(unit) or not text.endswith(unit):
        return text
    return format_html('{}<span lang="{}">{}</span>', text[: -len(unit)], unit_lang, unit)


@register.filter
def number(value, unit: str = ""):
    """{{ value|number:"%" }}: the `number` tag with the value's own decimals (at most two)."""
    return number_tag(value, unit)


@register.filter
def rupiah(value) -> str:
    """1250000000 → "Rp1.250.000.000" in Indonesian, "Rp1,250,000,000" in English."""
    return format_number(value, "Rp")


@register.filter
def shown_lang(obj, field: str) -> str:
    """The code "id" when `obj.<field>` (a smartcity.models.Translated field) falls back to the Indonesian text
    on a page in another language; "" when it is shown in the page's own language."""
    language = page_language()
    if language == DATA_LANGUAGE or obj is None:
        return ""
    shown, indonesian = translated_name(field, language), translated_name(field, DATA_LANGUAGE)
    if getattr(obj, shown, None) or not getattr(obj, indonesian, ""):
        return ""
    return DATA_LANGUAGE


@register.filter
def lang_attr(obj, field: str) -> str:
    """` lang="id"` inside an element's tag when its `Translated` text falls back to Indonesian (shown_lang),
    so screen readers read it as Indonesian; otherwise nothing."""
    language = shown_lang(obj, field)
    return mark_safe(f' lang="{language}"') if language else ""  # noqa: S308 - a language code of ours


@register.simple_tag(takes_context=True)
def query_with(context, **changes) -> str:
    """The current query string with `changes` applied (None removes a key), e.g. for pages and downloads."""
    query = context["request"].GET.copy()
    for key, value in changes.items():
        query.pop(key, None)
        if value is not None:
            query[key] = value
    return "?" + query.urlencode() if query else "?"
