"""Storage for files only permitted users may fetch (generated reports): outside MEDIA_ROOT, no public URL;
views serve them after checking permission."""

from django.conf import settings
from django.core.files.storage import FileSystemStorage
from django.utils.functional import LazyObject


class PrivateStorage(LazyObject):
    def _setup(self):
        self._wrapped = FileSystemStorage(location=settings.PRIVATE_MEDIA_ROOT, base_url=None)


def private_storage():
    """The storage callable for FileField(storage=...): resolved when used, so tests may move the folder."""
    return PrivateStorage()
