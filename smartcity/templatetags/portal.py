"""Template tags for page chrome: links to the same page in another language."""

from django import template
from django.urls import translate_url

register = template.Library()


@register.simple_tag(takes_context=True)
def page_in_language(context, language_code: str) -> str:
    """The URL of the current page in `language_code`, keeping its query string (plain links: cacheable)."""
    request = context["request"]
    url = translate_url(request.path, language_code)
    query = request.GET.urlencode()
    return f"{url}?{query}" if query else url


@register.filter
def rupiah(value) -> str:
    """1250000000 → "Rp1.250.000.000", the way Indonesian budgets are written."""
    if value in (None, ""):
        return "–"
    return "Rp" + f"{int(value):,}".replace(",", ".")


@register.simple_tag(takes_context=True)
def query_with(context, **changes) -> str:
    """The current query string with `changes` applied (None removes a key), e.g. for pages and downloads."""
    query = context["request"].GET.copy()
    for key, value in changes.items():
        query.pop(key, None)
        if value is not None:
            query[key] = value
    return "?" + query.urlencode() if query else "?"
