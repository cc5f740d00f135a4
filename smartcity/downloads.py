"""The one download path: a public list's rows as CSV or JSON, written the same way for every page and for the
open-data dump.

An *export* says what a row of a list is as a record: an import-export Resource (the columns staff export and
import, as on the program, indicator, service, asset and evaluation pages), a `RecordExport` (a record with
lists, as the MoU registry's), or `SerializerExport` (what the API says, as the open-data dump of every public
API list writes it). One writer turns records into CSV (lists joined with "; ", nested values as JSON, formula
cells escaped by smartcity/spreadsheets.py) or into a JSON list.

A page offers `?download=csv|json` (smartcity/list_views.py, `PublicListView`). A download reads every row of a
table, so anonymous callers get a budget of them per address (REST_FRAMEWORK DEFAULT_THROTTLE_RATES["download"],
PUBLIC_DOWNLOAD_RATE) and a 429 beyond it. The file is written while it is sent (StreamingHttpResponse), a chunk
of rows at a time (read through a server-side cursor, their related rows prefetched per chunk: `rows`), so a big
table never sits whole in a worker's memory. Lines go out in blocks of about BLOCK_BYTES, so the compression
middleware (smartcity.middleware) compresses whole blocks rather than flushing after every line. The open-data
dump (smartcity/opendata.py) writes files with the same `chunks`.
"""

import json
from collections.abc import Iterable, Iterator

from django.core.exceptions import FieldDoesNotExist
from django.core.serializers.json import DjangoJSONEncoder
from django.db.models import QuerySet
from django.http import HttpResponse, StreamingHttpResponse
from django.utils import timezone
from django.utils.text import capfirst
from django.utils.translation import gettext
from import_export.resources import Resource

from .api.serializers import WITHOUT_DEPRECATED_NAMES
from .api.throttling import DownloadRateThrottle
from .spreadsheets import csv_lines

CHUNK_ROWS = 1000  # rows read (and their relations prefetched) at a time
BLOCK_BYTES = 64 * 1024  # characters sent at a time
FORMATS = {"csv": "text/csv; charset=utf-8", "json": "application/json; charset=utf-8"}


def rows(queryset) -> Iterator:
    """The rows of `queryset` CHUNK_ROWS at a time, never all at once (a list or other iterable as it is)."""
    if isinstance(queryset, QuerySet):
        return queryset.iterator(chunk_size=CHUNK_ROWS)  # prefetch_related applies per chunk
    return iter(queryset)


def blocks(pieces: Iterable[str], size: int = BLOCK_BYTES) -> Iterator[str]:
    """The same text in pieces of about `size` characters (whole lines each). The first piece (the CSV header, or
    the JSON list's "[") goes out alone and at once: the client has the answer's first byte before the first rows
    are read, however slow they are."""
    pieces = iter(pieces)
    first = next(pieces, None)
    if first is not None:
        yield first
    pending, length = [], 0
    for piece in pieces:
        pending.append(piece)
        length += len(piece)
        if length >= size:
            yield "".join(pending)
            pending, length = [], 0
    if pending:
        yield "".join(pending)


class RecordExport:
    """An export written by hand: `columns`, and `record(row)` giving one dict with those keys (lists stay lists
    in JSON). `record` reads only what the list's queryset prefetches."""

    columns: tuple[str, ...] = ()

    def headers(self) -> list[str]:
        return list(self.columns)

    def record(self, row) -> dict:
        raise NotImplementedError

    def records(self, queryset) -> Iterator[dict]:
        return (self.record(row) for row in rows(queryset))


class ResourceExport(RecordExport):
    """An import-export Resource's export columns, one record per row (what the admin's export writes)."""

    def __init__(self, resource_class):
        self.resource = resource_class()

    def headers(self) -> list[str]:
        return self.resource.get_export_headers()

    def records(self, queryset) -> Iterator[dict]:
        headers = self.headers()
        for row in rows(queryset):
            yield dict(zip(headers, self.resource.export_resource(row), strict=True))


class SerializerExport(RecordExport):
    """What an API list says about each row: `serializer` (a list's `many=True` serializer, made with its
    view's context), row by row, and a field dictionary from its fields (the open-data dump's fields.json)."""

    def __init__(self, serializer):
        # A file has the current column names only, not the API's deprecated ones (smartcity/api/serializers.py).
        serializer.context[WITHOUT_DEPRECATED_NAMES] = True
        self.child = serializer.child

    def headers(self) -> list[str]:
        return list(self.child.fields)

    def records(self, queryset) -> Iterator[dict]:
        return (self.child.to_representation(row) for row in rows(queryset))

    def fields(self) -> dict:
        return {name: self._about(name, field) for name, field in self.child.fields.items()}

    def _about(self, name: str, field) -> dict:
        """A field's type, label and help; a field declared on the serializer without a label (DRF then makes one
        from its name, in English) takes the model field's translated name and help."""
        label, help_text = field.label, field.help_text
        model = getattr(getattr(self.child, "Meta", None), "model", None)
        if model is not None and label == name.replace("_", " ").capitalize():
            try:
                model_field = model._meta.get_field(field.source)
            except (FieldDoesNotExist, TypeError):
                model_field = None
            if getattr(model_field, "verbose_name", None):
                label, help_text = capfirst(model_field.verbose_name), help_text or model_field.help_text
        return {"type": type(field).__name__, "label": str(label or name), "help": str(help_text or "")}


def as_export(export) -> RecordExport:
    """An export from what a view names: an import-export Resource class, a RecordExport class, or an instance."""
    if isinstance(export, type) and issubclass(export, Resource):
        return ResourceExport(export)
    return export() if isinstance(export, type) else export


def cell(value):
    """A value as a CSV cell: a flat list joined with "; ", nested values as JSON."""
    if isinstance(value, list) and all(not isinstance(item, list | dict) for item in value):
        return "; ".join("" if item is None else str(item) for item in value)
    if isinstance(value, list | dict):
        return json.dumps(value, cls=DjangoJSONEncoder, ensure_ascii=False)
    return value


def csv_chunks(headers: list[str], records: Iterable[dict]) -> Iterator[str]:
    """CSV lines of `records` (a BOM, the header, one line per record), formula cells escaped."""
    return csv_lines(headers, ([cell(record.get(name)) for name in headers] for record in records))


def json_chunks(records: Iterable[dict]) -> Iterator[str]:
    """A JSON list of `records`, written as it is read."""
    yield "["
    for count, record in enumerate(records):
        yield ("," if count else "") + json.dumps(record, cls=DjangoJSONEncoder, ensure_ascii=False)
    yield "]"


def chunks(export: RecordExport, queryset, fmt: str) -> Iterator[str]:
    """The rows of `queryset` as `export` writes them, in `fmt` ("csv" or "json"), chunk by chunk."""
    records = export.records(queryset)
    return csv_chunks(export.headers(), records) if fmt == "csv" else json_chunks(records)


def wants_download(request) -> str | None:
    """The download format a list page was asked for (`?download=csv|json`), if any."""
    fmt = request.GET.get("download")
    return fmt if fmt in FORMATS else None


def refused(request) -> HttpResponse | None:
    """A 429 when this anonymous address has used its download budget (counting this request), else None."""
    throttle = DownloadRateThrottle()
    if throttle.allow_request(request, None):
        return None
    wait = throttle.wait()
    message = gettext("Too many downloads from your address. Please try again in %(minutes)s minutes.") % {
        "minutes": max(1, round(wait / 60))
    }
    response = HttpResponse(message, status=429, content_type="text/plain; charset=utf-8")
    response["Retry-After"] = str(wait)
    return response


def stamped(name: str, fmt: str) -> str:
    return f"{name}-{timezone.localdate().isoformat()}.{fmt}"


def download_response(request, export, queryset, *, fmt: str, name: str) -> HttpResponse:
    """The rows of `queryset` as `export` writes them (see as_export), streamed, throttled for anonymous callers."""
    refusal = refused(request)
    if refusal:
        return refusal
    response = StreamingHttpResponse(blocks(chunks(as_export(export), queryset, fmt)), content_type=FORMATS[fmt])
    response["Content-Disposition"] = f'attachment; filename="{stamped(name, fmt)}"'
    return response
