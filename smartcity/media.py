"""Uploaded files, served only to those who may see the record that holds them.

Every FileField on the default (public) storage is looked up by the stored name; the record must be
visible to the caller (`visible_to(user)`: published and due, or the viewer holds the view permission; a
partner's system calling with its API key sees what the API shows it, such as its own draft MoU's signed
document and its own progress reports' evidence). Names are random (smartcity.uploads.RandomName), so
nobody can guess their way to a file either. A file is served as the type its bytes show, whatever its name.
"""

from functools import cache

import filetype
from django.apps import apps
from django.conf import settings
from django.core.files.storage import default_storage
from django.db import models
from django.http import FileResponse, Http404, HttpResponse
from django.utils.module_loading import import_string
from django.views.decorators.http import require_GET
from rest_framework import authentication, exceptions

from .storage import PrivateStorage

INLINE_TYPES = {"application/pdf", "image/png", "image/jpeg"}


@cache
def upload_fields() -> list[tuple[type[models.Model], str]]:
    """(model, field name) of every FileField kept on the public storage, across all apps."""
    return [
        (model, field.name)
        for model in apps.get_models()
        for field in model._meta.concrete_fields
        if isinstance(field, models.FileField)
        and not isinstance(field.storage, PrivateStorage)
        and not model.__name__.startswith("Historical")  # history rows repeat the live rows' names
    ]


def holder_visible(name: str, user) -> bool:
    for model, field in upload_fields():
        rows = model.objects.visible_to(user) if hasattr(model.objects, "visible_to") else model.objects.all()
        if rows.filter(**{field: name}).exists():
            return True
    return False


def authenticators() -> list:
    """The credential schemes settings.UPLOAD_AUTHENTICATION_CLASSES names (a partner's API key), named by
    string so the core knows no app."""
    return [import_string(path)() for path in settings.UPLOAD_AUTHENTICATION_CLASSES]


def caller(request):
    """The signed-in user, or the partner whose API key the request carries (checked as the API checks it)."""
    if not authentication.get_authorization_header(request):
        return request.user
    for authenticator in authenticators():
        found = authenticator.authenticate(request)
        if found:
            return found[0]
    return request.user


def refusal(request, error: exceptions.APIException) -> HttpResponse:
    response = HttpResponse(str(error.detail), status=error.status_code, content_type="text/plain; charset=utf-8")
    if isinstance(error, exceptions.AuthenticationFailed):
        response["WWW-Authenticate"] = authenticators()[0].authenticate_header(request)
    if getattr(error, "wait", None):
        response["Retry-After"] = str(int(error.wait))
    return response


def detected_type(file) -> str:
    kind = filetype.guess(file.read(262))
    file.seek(0)
    return kind.mime if kind else "application/octet-stream"


@require_GET
def serve_upload(request, name: str):
    try:
        user = caller(request)
    except (exceptions.AuthenticationFailed, exceptions.Throttled) as error:
        return refusal(request, error)
    if ".." in name.split("/") or not default_storage.exists(name) or not holder_visible(name, user):
        raise Http404
    file = default_storage.open(name, "rb")
    content_type = detected_type(file)
    response = FileResponse(file, content_type=content_type, as_attachment=content_type not in INLINE_TYPES)
    response["Cache-Control"] = "private, max-age=300"
    response["Vary"] = "Cookie, Authorization"
    return response
