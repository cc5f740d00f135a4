"""Open-data dumps: every public API list as CSV and JSON files, with a field dictionary, rebuilt nightly.

A dataset is any list of /api/v1/ that anonymous callers may read; its rows are exactly what an
anonymous API call returns (published and due records only), without pages. The files are written by the
one download path (smartcity/downloads.py, as a page's `?download=csv|json` is), with the list's serializer
as its export. The datasets are found by walking the URL patterns, so the core names no app.
"""

import json
import os
import shutil
import tempfile
from collections.abc import Callable
from pathlib import Path

from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.urls import URLPattern, URLResolver, get_resolver
from django.utils import timezone
from rest_framework import exceptions
from rest_framework.request import Request
from rest_framework.test import APIRequestFactory

from .downloads import SerializerExport, csv_chunks, json_chunks

INDEX = "index.json"


def public_list_views() -> dict[str, type]:
    """{dataset name: viewset} for every list route under /api/v1/, named after its path (e.g. budget-lines)."""
    found = {}

    def walk(patterns, prefix=""):
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                walk(pattern.url_patterns, prefix + str(pattern.pattern))
            elif isinstance(pattern, URLPattern) and (pattern.name or "").endswith("-list"):
                view = pattern.callback
                if getattr(view, "actions", {}).get("get") == "list":
                    found[str(pattern.pattern).strip("^$/")] = view.cls

    walk(get_resolver().url_patterns)
    return found


def portal_host() -> str:
    """A host name the portal answers to, for the absolute links (to uploaded files) a dump contains."""
    names = [name.lstrip(".") for name in settings.ALLOWED_HOSTS if name.strip(".*")]
    return names[0] if names else "localhost"


def _anonymous_view(viewset_class):
    # Outside a request: a GET as an anonymous caller would send it to the portal's own host name, so
    # serializers can build absolute URLs (DRF's default "testserver" is not an allowed host).
    factory = APIRequestFactory()
    request = Request(factory.get("/", HTTP_HOST=portal_host(), secure=settings.SECURE_SSL_REDIRECT), authenticators=[])
    request._user = AnonymousUser()
    view = viewset_class(request=request, format_kwarg=None, action="list", kwargs={}, args=())
    return view


def dataset_rows(viewset_class) -> tuple[list[dict], SerializerExport] | None:
    """What an anonymous list call returns, all pages, and its export (columns and field dictionary); None if
    not public."""
    view = _anonymous_view(viewset_class)
    try:
        view.check_permissions(view.request)
    except (exceptions.NotAuthenticated, exceptions.PermissionDenied):
        return None
    queryset = view.get_queryset()
    export = SerializerExport(view.get_serializer(queryset, many=True))
    return list(export.records(queryset)), export


def _write(folder: Path, name: str, rows: list[dict], export: SerializerExport) -> None:
    with (folder / f"{name}.json").open("w", encoding="utf-8") as file:
        file.writelines(json_chunks(rows))
    with (folder / f"{name}.csv").open("w", encoding="utf-8", newline="") as file:
        file.writelines(csv_chunks(export.headers(), rows))


def open_data_build(*, progress: Callable[[str], None] = lambda name: None) -> dict:
    """Write every public dataset into a fresh folder, then swap it in whole: readers never see a half dump,
    and a build that fails (or is interrupted) removes its folder and leaves the last dump in place."""
    root = Path(settings.OPEN_DATA_ROOT)
    root.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=".open-data-", dir=root.parent))
    try:
        index = _write_all(staging, progress)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    old = root.with_name(root.name + ".old")
    shutil.rmtree(old, ignore_errors=True)  # left by a crash between the two renames below
    if root.exists():
        os.replace(root, old)
    os.replace(staging, root)
    shutil.rmtree(old, ignore_errors=True)
    return index


def _write_all(staging: Path, progress: Callable[[str], None]) -> dict:
    index = {"generated_at": timezone.now().isoformat(), "datasets": {}}
    dictionary = {}
    for name, viewset_class in sorted(public_list_views().items()):
        result = dataset_rows(viewset_class)
        if result is not None:
            rows, export = result
            _write(staging, name, rows, export)
            index["datasets"][name] = {"rows": len(rows), "formats": ["csv", "json"]}
            dictionary[name] = export.fields()
        progress(name)
    (staging / "fields.json").write_text(json.dumps(dictionary, ensure_ascii=False, indent=1))
    (staging / INDEX).write_text(json.dumps(index, ensure_ascii=False, indent=1))
    return index


def open_data_index() -> dict | None:
    path = Path(settings.OPEN_DATA_ROOT) / INDEX
    return json.loads(path.read_text()) if path.exists() else None
