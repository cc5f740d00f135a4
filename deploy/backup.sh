#!/usr/bin/env bash
# Back up Kota Cerdas into one archive: the database (pg_dump, custom format) and the uploaded files
# (MEDIA_ROOT and PRIVATE_MEDIA_ROOT). Run it with the portal's own environment (DATABASE_URL,
# DJANGO_SECRET_KEY, DJANGO_MEDIA_ROOT, ...) so it backs up exactly what the portal uses:
#
#     deploy/backup.sh /srv/backups/kota-cerdas-$(date +%F).tar.gz
#
# The database is dumped first, then the files: uploads are written before their row commits and are
# never deleted in place, so every file a dumped row names is already on disk when the files are copied.
# The portal keeps running meanwhile (pg_dump reads one consistent snapshot). Restore with deploy/restore.sh.
set -euo pipefail

archive=${1:?usage: deploy/backup.sh ARCHIVE.tar.gz}
root=$(cd "$(dirname "$0")/.." && pwd)
python=${PYTHON:-$root/.venv/bin/python}
archive=$(realpath -m "$archive")

# Where the portal's data lives, read from its settings: PG* variables for libpq, and the two media folders.
eval "$(cd "$root" && "$python" deploy/portal_paths.py)"

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
mkdir -p "$work/backup/media" "$work/backup/private"

pg_dump --format=custom --no-owner --no-privileges --file="$work/backup/database.dump"
[[ -d $MEDIA_ROOT ]] && cp -a "$MEDIA_ROOT/." "$work/backup/media/"
[[ -d $PRIVATE_MEDIA_ROOT ]] && cp -a "$PRIVATE_MEDIA_ROOT/." "$work/backup/private/"

{
  echo "created: $(date --iso-8601=seconds)"
  echo "database: $PGDATABASE on $PGHOST:$PGPORT"
  echo "pg_dump: $(pg_dump --version)"
  echo "migrations: $(cd "$root" && "$python" manage.py showmigrations --plan 2>/dev/null | grep -c '\[X\]') applied"
  echo "media files: $(find "$work/backup/media" -type f | wc -l)"
  echo "private files: $(find "$work/backup/private" -type f | wc -l)"
} >"$work/backup/MANIFEST"

mkdir -p "$(dirname "$archive")"
tar --create --gzip --file="$archive.partial" --directory="$work" backup
mv "$archive.partial" "$archive"  # a half-written archive never carries the final name
echo "backup: $archive ($(du -h "$archive" | cut -f1))"
sed 's/^/  /' "$work/backup/MANIFEST"
