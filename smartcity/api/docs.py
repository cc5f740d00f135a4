"""The API's reference for people: ReDoc (from drf-spectacular-sidecar, our own static files) over the OpenAPI
schema, in a page of the portal with its language and the way back."""

from django.conf import settings
from django.shortcuts import render
from django.urls import reverse
from django.utils import translation


def api_docs(request):
    """The docs in the language asked for with ?lang=, else the visitor's (cookie, browser, then Indonesian)."""
    languages = dict(settings.LANGUAGES)
    language = request.GET.get("lang")
    if language not in languages:
        language = translation.get_language()
    with translation.override(language):
        context = {
            "language": language,
            "languages": [(code, code != language) for code in languages],
            "portal_url": reverse("pillars:pillar-list"),  # the home page in the docs' language (/ or /en/)
            "schema_url": f"{reverse('schema')}?lang={language}",  # descriptions and labels in that language too
        }
        return render(request, "api_docs.html", context)
