"""Print, as JSON, how many database queries each benchmarked URL runs (cold cache), in-process.

Run with the benchmark's environment: `python bench/queries.py KEY COMMITMENT`, KEY being a partner API key and
COMMITMENT one of its partner's commitments: the queries of one progress report posted with the key are counted
too ("POST progress report"), and the report is deleted again.
"""

import json
import os
import sys

import django

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "smartcity.settings")
django.setup()

from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext, override_settings  # noqa: E402

from bench.endpoints import ENDPOINTS  # noqa: E402


def count(client, url, headers) -> int:
    with CaptureQueriesContext(connection) as context:
        response = client.get(url, **headers)
    assert response.status_code == 200, (url, response.status_code)
    return len(context)


def count_post(client, key: str, commitment: str) -> int:
    from partnerships.models import ProgressReport

    body = {"commitment": int(commitment), "reported_on": "2025-01-31", "quantity_reached": "1", "note": "bench"}
    with CaptureQueriesContext(connection) as context:
        response = client.post(
            "/api/v1/progress-reports/", body, content_type="application/json", HTTP_AUTHORIZATION=f"Api-Key {key}"
        )
    assert response.status_code == 201, response.content
    ProgressReport.objects.order_by("-pk").first().delete()  # the report just posted
    return len(context)


if __name__ == "__main__":
    key, commitment = sys.argv[1], sys.argv[2]
    with override_settings(PUBLIC_CACHE_SECONDS=0, ALLOWED_HOSTS=["*"], ROOT_URLCONF="bench.urls"):
        client = Client()
        result = {}
        for name, url, with_key, _peer in ENDPOINTS:
            headers = {"HTTP_AUTHORIZATION": f"Api-Key {key}"} if with_key else {}
            count(client, url, headers)  # warm the process (permission and content-type caches)
            result[name] = count(client, url, headers)
        count_post(client, key, commitment)
        result["POST progress report"] = count_post(client, key, commitment)
    print(json.dumps(result))
