"""Uploaded files, served only to those who may see the record that holds them.

Every FileField on the default (public) storage is looked up by the stored name; the record must be
visible to the caller (`visible_to(user)`: published and due, or the viewer holds the view permission).
Names are random (smartcity.uploads.RandomName), so nobody can guess their way to a file either.
"""

import mimetypes
from functools import cache

from django.apps import apps
from django.core.files.storage import default_storage
from django.db import models
from django.http import FileResponse, Http404
from django.views.decorators.http import require_GET

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


@require_GET
def serve_upload(request, name: str):
    if ".." in name.split("/") or not default_storage.exists(name) or not holder_visible(name, request.user):
        raise Http404
    content_type = mimetypes.guess_type(name)[0] or "application/octet-stream"
    response = FileResponse(
        default_storage.open(name, "rb"), content_type=content_type, as_attachment=content_type not in INLINE_TYPES
    )
    response["Cache-Control"] = "private, max-age=300"
    return response
