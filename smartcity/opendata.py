"""Open-data dumps: every public API list as CSV and JSON files, with a field dictionary, rebuilt nightly.

A dataset is any list of /api/v1/ that anonymous callers may read; its rows are exactly what an
anonymous API call returns (published and due records only), without pages.
"""

import json
import os
import shutil
import tempfile
from collections.abc import Callable
from pathlib import Path

from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.core.serializers.json import DjangoJSONEncoder
from django.urls import URLPattern, URLResolver, get_resolver
from django.utils import timezone
from rest_framework import exceptions
from rest_framework.request import Request
from rest_framework.test import APIRequestFactory

from .spreadsheets import csv_lines

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


def dataset_rows(viewset_class) -> tuple[list[dict], dict] | None:
    """What an anonymous list call returns, all pages, and the field dictionary; None if not public."""
    view = _anonymous_view(viewset_class)
    try:
        view.check_permissions(view.request)
    except (exceptions.NotAuthenticated, exceptions.PermissionDenied):
        return None
    serializer = view.get_serializer(view.get_queryset(), many=True)
    fields = {
        name: {"type": type(field).__name__, "label": str(field.label or name), "help": str(field.help_text or "")}
        for name, field in serializer.child.fields.items()
    }
    return list(serializer.data), fields


def _flat(value):
    if isinstance(value, list | dict):
        return json.dumps(value, cls=DjangoJSONEncoder, ensure_ascii=False)
    return value


def _write(folder: Path, name: str, rows: list[dict], fields: dict) -> None:
    (folder / f"{name}.json").write_text(json.dumps(rows, cls=DjangoJSONEncoder, ensure_ascii=False))
    lines = csv_lines(list(fields), ([_flat(row.get(field)) for field in fields] for row in rows))
    with (folder / f"{name}.csv").open("w", encoding="utf-8", newline="") as file:
        file.writelines(lines)


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
            rows, fields = result
            _write(staging, name, rows, fields)
            index["datasets"][name] = {"rows": len(rows), "formats": ["csv", "json"]}
            dictionary[name] = fields
        progress(name)
    (staging / "fields.json").write_text(json.dumps(dictionary, ensure_ascii=False, indent=1))
    (staging / INDEX).write_text(json.dumps(index, ensure_ascii=False, indent=1))
    return index


def open_data_index() -> dict | None:
    path = Path(settings.OPEN_DATA_ROOT) / INDEX
    return json.loads(path.read_text()) if path.exists() else None
