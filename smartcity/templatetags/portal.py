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
