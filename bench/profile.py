"""Profile one URL in-process with pyinstrument (a development tool: `pip install pyinstrument`, not a
requirement of the portal). Run with the benchmark's environment, against a database it prepared:

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/kc_bench_10000 REDIS_URL=... DJANGO_SECRET_KEY=... \\
      .venv/bin/python bench/profile.py /api/v1/programs/?limit=50 [--repeat 50] [--key KEY]
"""

import argparse
import os
import sys

import django

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "smartcity.settings")
django.setup()

from django.test import Client  # noqa: E402
from django.test.utils import override_settings  # noqa: E402
from pyinstrument import Profiler  # noqa: E402

if __name__ == "__main__":
    parser = argparse.ArgumentParser()
    parser.add_argument("url")
    parser.add_argument("--repeat", type=int, default=50)
    parser.add_argument("--key")
    args = parser.parse_args()
    headers = {"HTTP_AUTHORIZATION": f"Api-Key {args.key}"} if args.key else {}
    with override_settings(PUBLIC_CACHE_SECONDS=0, ALLOWED_HOSTS=["*"]):
        client = Client()
        for _ in range(3):
            assert client.get(args.url, **headers).status_code == 200
        profiler = Profiler(interval=0.0005)
        profiler.start()
        for _ in range(args.repeat):
            client.get(args.url, **headers)
        profiler.stop()
    print(profiler.output_text(unicode=True, color=False, show_all=False))
