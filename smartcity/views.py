"""Portal-wide pages: the open-data downloads."""

import json
import re
from datetime import datetime
from pathlib import Path

from django.conf import settings
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import render

from .cache import ALL, cache_families
from .dcat import FORMATS, catalogue_document
from .opendata import open_data_index

FILE_NAME = re.compile(r"^[a-z-]+\.(csv|json)$")
CONTENT_TYPES = {"csv": "text/csv; charset=utf-8", "json": "application/json"}


@cache_families(ALL)  # built from the nightly dump's files, which no family's version follows
def open_data(request):
    """The datasets of the last nightly dump, with their field dictionaries."""
    index = open_data_index()
    fields_path = Path(settings.OPEN_DATA_ROOT) / "fields.json"
    dictionary = json.loads(fields_path.read_text()) if index and fields_path.exists() else {}
    # each dataset's fields as (name, about) pairs: a dataset may have a field named "items" (a survey's), which a
    # template's `fields.items` would read as that field
    datasets = [
        (name, info, list(dictionary.get(name, {}).items())) for name, info in (index or {}).get("datasets", {}).items()
    ]
    generated_at = datetime.fromisoformat(index["generated_at"]) if index else None
    return render(request, "open_data.html", {"index": index, "datasets": datasets, "generated_at": generated_at})


def open_data_file(request, name: str):
    """One file of the dump; only names the dump writes are served."""
    if not FILE_NAME.match(name) and name != "fields.json":
        raise Http404
    path = Path(settings.OPEN_DATA_ROOT) / name
    if not path.is_file():
        raise Http404
    return FileResponse(path.open("rb"), content_type=CONTENT_TYPES[name.rsplit(".", 1)[1]], as_attachment=True)


@cache_families(ALL)
def open_data_catalogue(request, fmt: str):
    """The open data's DCAT catalogue (catalog.jsonld or catalog.ttl), for harvesters such as CKAN's."""
    document = catalogue_document(base_url=request.build_absolute_uri("/").rstrip("/"), fmt=fmt)
    if document is None:
        raise Http404
    return HttpResponse(document, content_type=FORMATS[fmt][1])
