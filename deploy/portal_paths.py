#!/usr/bin/env python
"""Print, as shell assignments, where the portal keeps its data according to its settings: the PG*
variables libpq reads for the default database, MEDIA_ROOT and PRIVATE_MEDIA_ROOT. Used by
deploy/backup.sh and deploy/restore.sh (`eval "$(python deploy/portal_paths.py)"`)."""

import os
import shlex
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "smartcity.settings")

from django.conf import settings  # noqa: E402 - after the path and settings module are set

database = settings.DATABASES["default"]
if database["ENGINE"] != "django.db.backends.postgresql":
    sys.exit(f"backup and restore need PostgreSQL (DATABASE_URL); this portal uses {database['ENGINE']}")
values = {
    "PGDATABASE": database["NAME"],
    "PGHOST": database.get("HOST") or "127.0.0.1",
    "PGPORT": str(database.get("PORT") or 5432),
    "PGUSER": database.get("USER") or "postgres",
    "PGPASSWORD": database.get("PASSWORD") or "",
    "MEDIA_ROOT": str(settings.MEDIA_ROOT),
    "PRIVATE_MEDIA_ROOT": str(settings.PRIVATE_MEDIA_ROOT),
}
for name, value in values.items():
    if value:  # an empty PGPASSWORD would hide ~/.pgpass
        print(f"export {name}={shlex.quote(value)}")
