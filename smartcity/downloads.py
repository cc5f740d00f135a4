"""CSV and JSON downloads of a whole public list: streamed row by row, and throttled per address.

A download reads every row of a table, so anonymous callers get a budget of them per address (REST_FRAMEWORK
DEFAULT_THROTTLE_RATES["download"], PUBLIC_DOWNLOAD_RATE) and a 429 beyond it. The file is written while it
is sent (StreamingHttpResponse), a chunk of rows at a time (read through a server-side cursor, their related
rows prefetched per chunk), so a big table never sits whole in a worker's memory. Lines are sent in blocks of
about BLOCK_BYTES, so the compression middleware (smartcity.middleware) compresses whole blocks rather than
flushing after every line. CSV cells that a spreadsheet would run as formulas are escaped
(smartcity/spreadsheets.py).
"""

import json
from collections.abc import Iterable, Iterator

from django.core.serializers.json import DjangoJSONEncoder
from django.http import HttpResponse, StreamingHttpResponse
from django.utils import timezone
from django.utils.translation import gettext

from .api.throttling import DownloadRateThrottle
from .spreadsheets import csv_lines

CHUNK_ROWS = 1000  # rows read (and their relations prefetched) at a time
BLOCK_BYTES = 64 * 1024  # characters sent at a time
FORMATS = {"csv": "text/csv; charset=utf-8", "json": "application/json; charset=utf-8"}


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


def json_chunks(records: Iterable[dict], *, wrap_count: bool = False) -> Iterator[str]:
    """A JSON list of `records`, written as it is read; with `wrap_count`, `{"results": [...], "count": n}`."""
    yield '{"results": [' if wrap_count else "["
    count = 0
    for record in records:
        yield ("," if count else "") + json.dumps(record, cls=DjangoJSONEncoder, ensure_ascii=False)
        count += 1
    yield f'], "count": {count}}}' if wrap_count else "]"


def blocks(chunks: Iterable[str], size: int = BLOCK_BYTES) -> Iterator[str]:
    """The same text in pieces of about `size` characters (at least one line each)."""
    pending, length = [], 0
    for chunk in chunks:
        pending.append(chunk)
        length += len(chunk)
        if length >= size:
            yield "".join(pending)
            pending, length = [], 0
    if pending:
        yield "".join(pending)


def streamed(chunks: Iterator[str], *, fmt: str, filename: str) -> StreamingHttpResponse:
    response = StreamingHttpResponse(blocks(chunks), content_type=FORMATS[fmt])
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def stamped(name: str, fmt: str) -> str:
    return f"{name}-{timezone.localdate().isoformat()}.{fmt}"


def download_response(request, resource_class, queryset, *, fmt: str, name: str) -> HttpResponse:
    """The rows of `queryset` as an import-export resource writes them (the columns staff export), streamed."""
    refusal = refused(request)
    if refusal:
        return refusal
    resource = resource_class()
    headers = resource.get_export_headers()
    rows = (resource.export_resource(row) for row in queryset.iterator(chunk_size=CHUNK_ROWS))
    if fmt == "csv":
        return streamed(csv_lines(headers, rows), fmt=fmt, filename=stamped(name, fmt))
    records = (dict(zip(headers, row, strict=True)) for row in rows)
    return streamed(json_chunks(records), fmt=fmt, filename=stamped(name, fmt))
