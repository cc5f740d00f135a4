"""Uploaded files: checked by their content and size, stored under names the uploader does not control."""

import uuid
from pathlib import PurePosixPath

import filetype
from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils.deconstruct import deconstructible
from django.utils.translation import gettext_lazy as _

# What an evidence or document upload may be, by the type its bytes show (never by its name).
DOCUMENT_TYPES = {"application/pdf": ".pdf", "image/png": ".png", "image/jpeg": ".jpg"}
PDF_ONLY = {"application/pdf": ".pdf"}


@deconstructible
class FileContentValidator:
    """Accept a file only when its bytes are of an allowed type and it is not larger than `max_bytes`."""

    def __init__(self, allowed: dict[str, str] = DOCUMENT_TYPES, max_bytes: int = 10 * 1024 * 1024):
        self.allowed, self.max_bytes = allowed, max_bytes

    def __call__(self, upload):
        if upload.size > self.max_bytes:
            raise ValidationError(
                _("The file is %(size)s; at most %(limit)s is accepted."),
                code="file_too_large",
                params={"size": filesizeformat(upload.size), "limit": filesizeformat(self.max_bytes)},
            )
        upload.seek(0)
        kind = filetype.guess(upload.read(262))
        upload.seek(0)
        if kind is None or kind.mime not in self.allowed:
            raise ValidationError(
                _("The file's content is not an accepted type (%(types)s)."),
                code="file_type",
                params={"types": ", ".join(ext.lstrip(".").upper() for ext in self.allowed.values())},
            )

    def __eq__(self, other):
        return isinstance(other, FileContentValidator) and (self.allowed, self.max_bytes) == (
            other.allowed,
            other.max_bytes,
        )


@deconstructible
class RandomName:
    """upload_to: `<folder>/<random hex><extension>`, so no uploader picks a stored path or name."""

    def __init__(self, folder: str):
        self.folder = folder

    def __call__(self, instance, filename: str) -> str:
        extension = PurePosixPath(filename).suffix.lower()[:8]
        return f"{self.folder}/{uuid.uuid4().hex}{extension}"

    def __eq__(self, other):
        return isinstance(other, RandomName) and self.folder == other.folder
