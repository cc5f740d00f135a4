"""One error body for the whole API.

Every error answers `{"code": ..., "detail": ...}`; a 400 adds `"errors": {field: [messages]}`.
Django's ValidationError raised by a service becomes a 400, ProtectedError a 409, a body over
DATA_UPLOAD_MAX_MEMORY_SIZE a 413, and anything unexpected a logged 500 with no stack trace in the body.
"""

import logging

from django.core.exceptions import NON_FIELD_ERRORS, PermissionDenied, RequestDataTooBig, SuspiciousOperation
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db.models import ProtectedError
from django.http import Http404, JsonResponse
from django.utils.translation import gettext_lazy as _
from django.views import defaults
from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.serializers import as_serializer_error
from rest_framework.settings import api_settings
from rest_framework.views import exception_handler as drf_exception_handler

logger = logging.getLogger(__name__)
SERVER_ERROR = _("Something went wrong on our side. Please try again later.")
NESTED_TOO_DEEPLY = _("The JSON body is nested too deeply.")


class Conflict(exceptions.APIException):
    status_code = status.HTTP_409_CONFLICT
    default_detail = _("This record is still referenced by other records and cannot be removed.")
    default_code = "protected"


class RequestTooLarge(exceptions.APIException):
    status_code = status.HTTP_413_REQUEST_ENTITY_TOO_LARGE
    default_detail = _("The request is too large.")
    default_code = "too_large"


def _as_api_exception(exc: Exception) -> Exception:
    # Django refuses an oversized or malformed request body while DRF parses it: the client's fault, not ours.
    if isinstance(exc, RequestDataTooBig):
        return RequestTooLarge()
    if isinstance(exc, SuspiciousOperation):
        return exceptions.ParseError()
    if isinstance(exc, RecursionError):  # a body nested deeper than Python recurses, read by a view's own parser
        return exceptions.ParseError(NESTED_TOO_DEEPLY)
    if isinstance(exc, DjangoValidationError):
        errors = as_serializer_error(exc)
        if NON_FIELD_ERRORS in errors:  # a model's clean() or constraint: under DRF's key, as serializers report it
            errors[api_settings.NON_FIELD_ERRORS_KEY] = errors.pop(NON_FIELD_ERRORS)
        refused = exceptions.ValidationError(errors)
        refused.rule_code = _rule_code(exc)
        return refused
    if isinstance(exc, ProtectedError):
        return Conflict()
    if isinstance(exc, Http404):
        return exceptions.NotFound()
    if isinstance(exc, PermissionDenied):
        return exceptions.PermissionDenied()
    return exc


def _rule_code(error: DjangoValidationError) -> str:
    """The code of the one rule a service refused the whole write with (`stale`, `not_draft`), so a client can tell
    refusals apart; field errors, and several errors at once, stay "invalid" with the fields under `errors`."""
    if hasattr(error, "error_dict"):
        if set(error.error_dict) != {NON_FIELD_ERRORS}:
            return "invalid"
        items = error.error_dict[NON_FIELD_ERRORS]
    else:
        items = error.error_list
    codes = {item.code for item in items if item.code}
    return codes.pop() if len(codes) == 1 else "invalid"


def exception_handler(exc, context):
    exc = _as_api_exception(exc)
    response = drf_exception_handler(exc, context)
    if response is None:
        logger.exception("Unhandled API error", exc_info=exc)
        body = {"code": "server_error", "detail": str(SERVER_ERROR)}
        return Response(body, status=status.HTTP_500_INTERNAL_SERVER_ERROR)
    if isinstance(exc, exceptions.ValidationError):
        errors = response.data if isinstance(response.data, dict) else {"non_field_errors": response.data}
        code = getattr(exc, "rule_code", "invalid")
        response.data = {"code": code, "detail": str(_("Invalid input.")), "errors": errors}
    else:
        detail = response.data.get("detail", "") if isinstance(response.data, dict) else response.data
        code = exc.get_codes() if isinstance(exc, exceptions.APIException) else "error"
        response.data = {"code": code if isinstance(code, str) else "error", "detail": str(detail)}
    return response


# Django's own 404 and 500 (a URL no route matches, an error outside a DRF view) answer the API's error
# format under /api/, and the translated pages (templates/404.html, 500.html) everywhere else.
def page_not_found(request, exception):
    if request.path_info.startswith("/api/"):
        return JsonResponse({"code": "not_found", "detail": str(exceptions.NotFound.default_detail)}, status=404)
    return defaults.page_not_found(request, exception)


def server_error(request):
    if request.path_info.startswith("/api/"):
        return JsonResponse({"code": "server_error", "detail": str(SERVER_ERROR)}, status=500)
    return defaults.server_error(request)
