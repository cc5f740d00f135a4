"""Print, as JSON, how many database queries each benchmarked URL runs (cold cache), in-process.

Run with the benchmark's environment: `python bench/queries.py KEY`, KEY being a partner API key.
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


if __name__ == "__main__":
    key = sys.argv[1]
    with override_settings(PUBLIC_CACHE_SECONDS=0, ALLOWED_HOSTS=["*"]):
        client = Client()
        result = {}
        for name, url, with_key in ENDPOINTS:
            headers = {"HTTP_AUTHORIZATION": f"Api-Key {key}"} if with_key else {}
            count(client, url, headers)  # warm the process (permission and content-type caches)
            result[name] = count(client, url, headers)
    print(json.dumps(result))
