"""The OpenAPI schema says what the API really answers: besides each operation's success response, the
errors it can give, all in the one error format of smartcity/api/exceptions.py."""

from django.utils.translation import gettext_lazy as _
from drf_spectacular import openapi
from drf_spectacular.plumbing import ResolvedComponent, build_array_type
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, inline_serializer
from rest_framework import serializers

from .relations import brief_serializer_for

ErrorSerializer = inline_serializer(
    name="Error",
    fields={
        "code": serializers.CharField(help_text=_("A stable, machine-readable error code, e.g. not_found.")),
        "detail": serializers.CharField(help_text=_("What went wrong, in the caller's language.")),
        "errors": serializers.DictField(
            child=serializers.JSONField(),
            required=False,
            help_text=_("Only on 400: the messages for each field that was refused."),
        ),
    },
)

ERROR_DESCRIPTIONS = {
    "400": _("The input was refused; `errors` says why, field by field."),
    "401": _("No credentials, or credentials that are unknown, revoked or expired."),
    "403": _("The caller may not do this."),
    "404": _("No such record, or not one the caller may see."),
    "409": _("The record is still referenced by other records."),
    "414": _("The URL is longer than the server accepts."),
    "413": _("The request body is larger than the server accepts."),
    "415": _("The request body is in a format this operation does not accept."),
    "429": _("Too many requests: try again later (see Retry-After)."),
    "422": _("The Idempotency-Key was already used for another request."),
}
POST_409 = _(
    "The record is still referenced by other records, or a request with this Idempotency-Key is still running."
)


BRIEF = OpenApiParameter(
    "brief",
    OpenApiTypes.BOOL,
    description=_("`1`: each row in its brief form, the form it has inside other records."),
)

IDEMPOTENCY_KEY = OpenApiParameter(
    "Idempotency-Key",
    OpenApiTypes.STR,
    location=OpenApiParameter.HEADER,
    description=_(
        "Optional, 1 to 255 printable ASCII characters chosen by the caller (a UUID, say). A POST sent again with the "
        "same key and the same body within 24 hours answers the first response without writing again (header "
        "`Idempotent-Replayed: true`); the same key with another body is a 422."
    ),
)


class AutoSchema(openapi.AutoSchema):
    """drf-spectacular's AutoSchema, plus the error responses each operation can give and `brief` on lists."""

    def get_override_parameters(self):
        parameters = super().get_override_parameters()
        if self.method == "GET" and self._is_list_view() and getattr(self.view, "supports_brief", False):
            parameters = [*parameters, BRIEF]
        if self.method == "POST":  # smartcity/api/idempotency.py
            parameters = [*parameters, IDEMPOTENCY_KEY]
        return parameters

    def brief_model(self):
        """The model whose brief form a `?brief=1` of this operation answers, or None."""
        if not (self.method == "GET" and self._is_list_view() and getattr(self.view, "supports_brief", False)):
            return None
        serializer = self.get_response_serializers()
        return getattr(getattr(serializer, "Meta", None), "model", None)

    def _get_response_for_code(self, serializer, status_code, media_types=None, direction="response"):
        """A list's page is the full rows, or with `?brief=1` the brief ones: `anyOf` both pages (a full row also
        satisfies the brief schema, so `oneOf` would refuse it)."""
        response = super()._get_response_for_code(serializer, status_code, media_types, direction)
        model = self.brief_model() if status_code == "200" else None
        if model is None:
            return response
        brief = build_array_type(self.resolve_serializer(brief_serializer_for(model), direction).ref)
        paginator = self._get_paginator()
        if paginator is not None:
            page = ResolvedComponent(
                name=self.get_paginated_name(f"{model.__name__}Brief"),
                type=ResolvedComponent.SCHEMA,
                schema=paginator.get_paginated_response_schema(brief),
                object=f"{model.__name__}BriefPage",
            )
            self.registry.register_on_missing(page)
            brief = page.ref
        for media in response.get("content", {}).values():
            media["schema"] = {"anyOf": [media["schema"], brief]}
        return response

    def _get_response_bodies(self, direction="response"):
        responses = super()._get_response_bodies(direction)
        for code in self.error_codes():
            responses.setdefault(code, self._error_response(code, direction))
        return responses

    def _error_response(self, code: str, direction: str) -> dict:
        if code == "414":  # answered by the HTTP server (gunicorn, nginx) before the portal sees the request
            return {"description": str(ERROR_DESCRIPTIONS[code])}
        response = self._get_response_for_code(ErrorSerializer, code, direction=direction)
        description = POST_409 if code == "409" and self.method == "POST" else ERROR_DESCRIPTIONS[code]
        return {**response, "description": str(description)}

    def error_codes(self) -> list[str]:
        codes = ["401", "403", "414", "429"]  # any credentials may be wrong; throttles apply to every operation
        writes = self.method in ("POST", "PUT", "PATCH")
        queried = any(getattr(parameter, "location", None) == "query" for parameter in self.get_override_parameters())
        if writes or self._get_filter_parameters() or queried or self.method == "GET" and self._is_list_view():
            codes.append("400")  # a body, a filter value or another query parameter that does not validate
        if "{" in self.path or self._get_format_parameters():
            codes.append("404")  # no such record; DRF also answers an unknown ?format= with 404
        if writes:
            codes += ["413", "415"]
        if self.method == "DELETE":
            codes.append("409")
        if self.method == "POST":
            codes += ["409", "422"]  # an Idempotency-Key still in use, or used for another request
        return sorted(codes)
