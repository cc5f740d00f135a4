"""Byte ranges of a stored file (RFC 9110, section 14), for readers that fetch a large file a piece at a time: the
map's base map (PMTiles) asks for its header, its directories and each tile as a range.

Django's FileResponse answers the whole file; django-ranged-response, the library that adds ranges, has had no
release since 2017 and no If-Range. So this is the small part we need: one range per request (`bytes=a-b`, `a-`,
`-n`) answered 206 with Content-Range; a range that starts past the end answers 416 with the file's size; no
Range header (or one in another unit, or several ranges, which the standard lets a server ignore) answers the
whole file, 200. If-Range with another validator than the current one also answers the whole file. The strong
ETag and Last-Modified are the caller's; a browser holding the file gets a 304 from ConditionalGetMiddleware.
"""

import re

from django.http import FileResponse, HttpResponse, StreamingHttpResponse
from django.utils.http import http_date, parse_http_date_safe

RANGE = re.compile(r"^bytes=(\d*)-(\d*)$")
CHUNK = 64 * 1024


class UnsatisfiableRangeError(Exception):
    pass


def requested_range(header: str, size: int) -> tuple[int, int] | None:
    """(first, last) byte of the one range `header` asks for, clipped to the file; None to answer the whole file;
    UnsatisfiableRangeError for a range that lies outside it."""
    found = RANGE.match(header.replace(" ", ""))
    if found is None:
        return None  # another unit, several ranges, or no range at all: the whole file
    first, last = found.groups()
    if not first and not last:
        raise UnsatisfiableRangeError
    if not first:  # the last n bytes
        if int(last) == 0 or size == 0:
            raise UnsatisfiableRangeError
        return max(size - int(last), 0), size - 1
    start, end = int(first), int(last) if last else size - 1
    if start >= size or end < start:
        raise UnsatisfiableRangeError
    return start, min(end, size - 1)


class FilePart:
    """`length` bytes of `file` from `start`, streamed; the answer closes the file, sent or not (HEAD)."""

    def __init__(self, file, start: int, length: int):
        self.file, self.start, self.length = file, start, length

    def __iter__(self):
        self.file.seek(self.start)
        left = self.length
        while left > 0:
            block = self.file.read(min(CHUNK, left))
            if not block:
                return
            left -= len(block)
            yield block

    def close(self):
        self.file.close()


def _if_range_holds(request, etag: str, modified: float) -> bool:
    condition = request.headers.get("If-Range")
    if condition is None:
        return True
    if condition.startswith('"'):
        return condition == etag
    return parse_http_date_safe(condition) == int(modified)


def ranged_file_response(request, file, *, size: int, etag: str, modified: float, content_type: str, cache: str):
    """The answer to a GET or HEAD for `file` (open, binary; closed by the answer): 206, 416 or 200."""
    validators = {"ETag": etag, "Last-Modified": http_date(modified), "Accept-Ranges": "bytes", "Cache-Control": cache}
    header = request.headers.get("Range")
    try:
        span = requested_range(header, size) if header and _if_range_holds(request, etag, modified) else None
    except UnsatisfiableRangeError:
        file.close()
        return HttpResponse(status=416, headers={**validators, "Content-Range": f"bytes */{size}"})
    if span is None:
        response = FileResponse(file, content_type=content_type)
    else:
        start, end = span
        length = end - start + 1
        response = StreamingHttpResponse(FilePart(file, start, length), status=206, content_type=content_type)
        response["Content-Range"] = f"bytes {start}-{end}/{size}"
        response["Content-Length"] = str(length)
    for name, value in validators.items():
        response[name] = value
    return response
