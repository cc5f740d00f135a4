"""The portal's WSGI application (its public cache's front included) with bench/urls.py as its URLconf
(gunicorn bench.wsgi)."""

import os

from django.conf import settings
from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "smartcity.settings")
handler = get_wsgi_application()
settings.ROOT_URLCONF = "bench.urls"
# The ceiling is the framework's cost for a trivial view: never a hit of the public cache.
settings.PUBLIC_CACHE_EXCLUDED_PATHS = (*settings.PUBLIC_CACHE_EXCLUDED_PATHS, "/bench/")


from smartcity.middleware import PublicCacheFront  # noqa: E402 (once Django is set up)

application = PublicCacheFront(handler)
