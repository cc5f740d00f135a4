"""The OpenAPI schema says what the API really answers: besides each operation's success response, the
errors it can give, all in the one error format of smartcity/api/exceptions.py."""

from django.utils.translation import gettext_lazy as _
from drf_spectacular import openapi
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, inline_serializer
from rest_framework import serializers

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
}


BRIEF = OpenApiParameter(
    "brief",
    OpenApiTypes.BOOL,
    description=_("`1`: each row in its brief form, the form it has inside other records."),
)


class AutoSchema(openapi.AutoSchema):
    """drf-spectacular's AutoSchema, plus the error responses each operation can give and `brief` on lists."""

    def get_override_parameters(self):
        parameters = super().get_override_parameters()
        if self.method == "GET" and self._is_list_view() and getattr(self.view, "supports_brief", False):
            parameters = [*parameters, BRIEF]
        return parameters

    def _get_response_bodies(self, direction="response"):
        responses = super()._get_response_bodies(direction)
        for code in self.error_codes():
            responses.setdefault(code, self._error_response(code, direction))
        return responses

    def _error_response(self, code: str, direction: str) -> dict:
        if code == "414":  # answered by the HTTP server (gunicorn, nginx) before the portal sees the request
            return {"description": str(ERROR_DESCRIPTIONS[code])}
        response = self._get_response_for_code(ErrorSerializer, code, direction=direction)
        return {**response, "description": str(ERROR_DESCRIPTIONS[code])}

    def error_codes(self) -> list[str]:
        codes = ["401", "403", "414", "429"]  # any credentials may be wrong; throttles apply to every operation
        writes = self.method in ("POST", "PUT", "PATCH")
        if writes or self._get_filter_parameters() or self.method == "GET" and self._is_list_view():
            codes.append("400")  # a body, or a filter value, that does not validate
        if "{" in self.path or self._get_format_parameters():
            codes.append("404")  # no such record; DRF also answers an unknown ?format= with 404
        if writes:
            codes += ["413", "415"]
        if self.method == "DELETE":
            codes.append("409")
        return sorted(codes)
