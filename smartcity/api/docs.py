"""The API's reference for people and programs: the OpenAPI schema (the contract, docs/api/openapi-v1.yaml) and
Swagger UI over it (from drf-spectacular-sidecar, our own static files), in a page of the portal with its language
and the way back."""

from functools import cache

from django.conf import settings
from django.http import HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import translation
from drf_spectacular.generators import SchemaGenerator
from drf_spectacular.renderers import OpenApiJsonRenderer, OpenApiJsonRenderer2
from drf_spectacular.utils import extend_schema
from drf_spectacular.views import SpectacularAPIView

SCHEMA_LANGUAGE = "en"  # the contract's language, whatever the caller's: names never change with ?lang= anyway
SCHEMA_MAX_AGE = 3600  # the schema changes only with a release: a browser keeps it an hour, then asks with ETag


class CompactJsonRenderer(OpenApiJsonRenderer):
    """The schema as JSON without indentation (a third of the indented size): what Swagger UI loads."""

    def get_indent(self, accepted_media_type, renderer_context):
        return None


class CompactJsonRenderer2(CompactJsonRenderer, OpenApiJsonRenderer2):
    pass


@cache
def schema_body(language: str, renderer_class) -> bytes:
    """The rendered schema in `language`, built once per process: it is the same for every caller."""
    with translation.override(language):
        document = SchemaGenerator().get_schema(request=None, public=True)
        return renderer_class().render(document, renderer_class.media_type, {})


class SchemaView(SpectacularAPIView):
    """The OpenAPI schema: one document for every caller, cookie and Accept-Language. It is in English unless
    `?lang=` names another language of the portal, which changes descriptions only, never a name. YAML by default,
    JSON with `?format=json` or `Accept: application/vnd.oai.openapi+json`."""

    renderer_classes = [*SpectacularAPIView.renderer_classes[:2], CompactJsonRenderer, CompactJsonRenderer2]

    @extend_schema(exclude=True)
    def get(self, request, *args, **kwargs):
        language = request.GET.get("lang")
        if language not in dict(settings.LANGUAGES):
            language = SCHEMA_LANGUAGE
        renderer = request.accepted_renderer
        charset = f"; charset={renderer.charset}" if renderer.charset else ""
        response = HttpResponse(schema_body(language, type(renderer)), content_type=renderer.media_type + charset)
        response["Content-Language"] = language
        response["Cache-Control"] = f"public, max-age={SCHEMA_MAX_AGE}"
        response.same_for_everyone = True  # no secret beside the request's input: smartcity/middleware.py compresses
        return response


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
            # Swagger UI reads JSON: parsed natively, several times faster on a phone than YAML
            "schema_json_url": f"{reverse('schema')}?lang={language}&format=json",
        }
        return render(request, "api_docs.html", context)
