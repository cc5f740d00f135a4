"""Print, as JSON, what streaming a whole-list download costs in-process: rows, bytes raw and gzip-compressed, and
the peak of Python memory allocated while it streams (tracemalloc), so that memory can be compared across scales.

Run with the benchmark's environment: `python bench/downloads.py`.
"""

import json
import os
import sys
import tracemalloc

import django

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "smartcity.settings")
django.setup()

from django.test import Client  # noqa: E402
from django.test.utils import override_settings  # noqa: E402


def stream(client, url, coding):
    headers = {"HTTP_ACCEPT_ENCODING": coding} if coding else {}
    tracemalloc.start()
    response = client.get(url, **headers)
    size, lines = 0, 0
    for piece in response.streaming_content:
        size += len(piece)
        lines += piece.count(b"\n") if not coding else 0
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    return response, size, lines, peak


if __name__ == "__main__":
    result = {}
    with override_settings(PUBLIC_CACHE_SECONDS=0, ALLOWED_HOSTS=["*"]):
        client = Client()
        for fmt in ("csv", "json"):
            url = f"/programs/?download={fmt}"
            _, raw, lines, peak = stream(client, url, None)
            response, packed, _, peak_gzip = stream(client, url, "gzip")
            assert response.get("Content-Encoding") == "gzip", response.headers
            result[f"programs {fmt.upper()} download"] = {
                "rows": lines - 1 if fmt == "csv" else None,
                "raw_bytes": raw,
                "gzip_bytes": packed,
                "peak_kib": round(max(peak, peak_gzip) / 1024),
            }
    print(json.dumps(result))
