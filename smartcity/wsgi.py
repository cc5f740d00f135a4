"""WSGI entry point, used by gunicorn (`gunicorn smartcity.wsgi`): Django's handler behind the public cache's
front, which sends current cached answers before the handler runs (smartcity.middleware.PublicCacheFront)."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "smartcity.settings")
handler = get_wsgi_application()

from smartcity.middleware import PublicCacheFront  # noqa: E402 (once Django is set up)

application = PublicCacheFront(handler)
