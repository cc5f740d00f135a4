"""Static files: only the front-end library files the pages load, never whole package folders (issue 24).

npm's packages (node_modules/) and drf-spectacular-sidecar ship whole distributions: every build, source map and
locale, 40 MB where the pages load a few hundred KB, all of it copied and compressed by every `collectstatic`.
`settings.VENDOR_STATIC_FILES` names, per package folder, the files the templates load and the files those name
(images in a stylesheet, source maps): `VendorFinder` publishes exactly those, and `AppDirectoriesFinder` skips
the static folder of the apps in `settings.VENDORED_STATIC_APPS`, whose files come through the list instead.
tests/test_static_files.py collects into a manifest storage, which fails on a file named but not published.
"""

import os

from django.conf import settings
from django.contrib.staticfiles import finders
from django.core.checks import Warning as CheckWarning
from django.core.files.storage import FileSystemStorage


class VendorFinder(finders.BaseFinder):
    """The files of `settings.VENDOR_STATIC_FILES`: `(prefix, folder, [file, ...])`, each file published at
    `prefix/file`."""

    def __init__(self, *args, **kwargs):
        self.entries = []  # (prefix, storage, files)
        for prefix, root, files in settings.VENDOR_STATIC_FILES:
            storage = FileSystemStorage(location=root)
            storage.prefix = prefix
            self.entries.append((prefix, storage, tuple(files)))
        super().__init__(*args, **kwargs)

    def check(self, **kwargs):
        return [
            CheckWarning(f"The static file {os.path.join(storage.location, name)} does not exist.", id="smartcity.W001")
            for _prefix, storage, files in self.entries
            for name in files
            if not storage.exists(name)
        ]

    def find(self, path, find_all=False, **kwargs):
        if kwargs:  # Django 5.2's deprecated `all`
            find_all = self._check_deprecated_find_param(find_all=find_all, **kwargs)
        matches = []
        for prefix, storage, files in self.entries:
            name = path.removeprefix(f"{prefix}/")
            if name != path and name in files and storage.exists(name):
                match = storage.path(name)
                if not find_all:
                    return match
                matches.append(match)
        return matches

    def list(self, ignore_patterns):
        for _prefix, storage, files in self.entries:
            for name in files:
                if storage.exists(name):
                    yield name, storage


class AppDirectoriesFinder(finders.AppDirectoriesFinder):
    """Django's finder of each app's `static/`, less the apps whose files `VendorFinder` publishes one by one."""

    def __init__(self, app_names=None, *args, **kwargs):
        super().__init__(app_names, *args, **kwargs)
        for name in settings.VENDORED_STATIC_APPS:
            self.storages.pop(name, None)
            if name in self.apps:
                self.apps.remove(name)
