#!/usr/bin/env bash
# Restore a deploy/backup.sh archive into the database and media folders the portal's environment names
# (DATABASE_URL, DJANGO_MEDIA_ROOT, DJANGO_PRIVATE_MEDIA_ROOT):
#
#     deploy/restore.sh /srv/backups/kota-cerdas-2025-06-01.tar.gz
#
# The database is created when it does not exist and must otherwise be empty (a fresh server, or after
# `dropdb` + `createdb`): a restore never mixes with live data. It runs in one transaction, so a failed
# restore leaves the database empty. Stop the portal and its workers first; start them afterwards and run
# `manage.py migrate` if the code is newer than the backup. The open-data dumps are not in the archive:
# `manage.py build_open_data` rebuilds them. The portal's cache is cleared (`manage.py clear_cache`), so no
# node serves a page of the state before the restore.
set -euo pipefail

archive=${1:?usage: deploy/restore.sh ARCHIVE.tar.gz}
root=$(cd "$(dirname "$0")/.." && pwd)
python=${PYTHON:-$root/.venv/bin/python}
archive=$(realpath "$archive")

eval "$(cd "$root" && "$python" deploy/portal_paths.py)"

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
tar --extract --gzip --file="$archive" --directory="$work"
[[ -f $work/backup/database.dump ]] || { echo "restore: $archive holds no database.dump" >&2; exit 1; }

exists="select 1 from pg_database where datname = :'name'"
if ! psql --dbname=postgres -tA --set=name="$PGDATABASE" <<<"$exists" | grep -q 1; then
  createdb --maintenance-db=postgres "$PGDATABASE"
fi
tables=$(psql -tAc "select count(*) from pg_tables where schemaname = 'public'")
if [[ $tables != 0 ]]; then
  echo "restore: database $PGDATABASE already has $tables tables; restore only into an empty database" >&2
  exit 1
fi

pg_restore --no-owner --no-privileges --exit-on-error --single-transaction \
  --dbname="$PGDATABASE" "$work/backup/database.dump"
mkdir -p "$MEDIA_ROOT" "$PRIVATE_MEDIA_ROOT"
cp -a "$work/backup/media/." "$MEDIA_ROOT/"
cp -a "$work/backup/private/." "$PRIVATE_MEDIA_ROOT/"
# The cache (REDIS_URL) still holds answers of the database before the restore: forget them.
(cd "$root" && "$python" manage.py clear_cache)

echo "restored: $archive into database $PGDATABASE, media $MEDIA_ROOT, private media $PRIVATE_MEDIA_ROOT"
sed 's/^/  /' "$work/backup/MANIFEST"
