"""Where files are kept. Uploads: named by the type their bytes show. Files only permitted users may fetch
(generated reports): outside MEDIA_ROOT, no public URL; views serve them after checking permission."""

from pathlib import PurePosixPath

import filetype
from django.conf import settings
from django.core.files.storage import FileSystemStorage
from django.utils.functional import LazyObject


class PrivateStorage(LazyObject):
    def _setup(self):
        self._wrapped = FileSystemStorage(location=settings.PRIVATE_MEDIA_ROOT, base_url=None)


def private_storage():
    """The storage callable for FileField(storage=...): resolved when used, so tests may move the folder."""
    return PrivateStorage()


def detected_extension(content) -> str:
    """The extension of the type `content`'s bytes show (".pdf", ".png", ".jpg"...), or ".bin" if none."""
    content.seek(0)
    kind = filetype.guess(content.read(262))
    content.seek(0)
    return f".{kind.extension}" if kind else ".bin"


class UploadStorage(FileSystemStorage):
    """The public uploads (STORAGES["default"]): a file is stored under the extension of the type its bytes
    show, never the one its uploader named, so `evil.html` holding a PNG is stored, and served, as a PNG."""

    def save(self, name, content, max_length=None):
        if name is not None:
            name = str(PurePosixPath(name).with_suffix(detected_extension(content)))
        return super().save(name, content, max_length=max_length)
