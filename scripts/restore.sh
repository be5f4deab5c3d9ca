#!/usr/bin/env bash
# Restore a backup made by scripts/backup.sh into a fresh, empty database and an empty file store (MEDIA_ROOT or a
# bucket: the portal's settings say which, as for backup.sh; the files go in through manage.py import_files).
#
#   createdb maasland_restored
#   DATABASE_URL=postgres://maasland@db:5432/maasland_restored MEDIA_ROOT=/srv/maasland/media-restored \
#     scripts/restore.sh /backups/maasland/2026-11-27T020000Z
#
# It checks the backup's SHA256SUMS and that the store is empty first, and stops at the first error (the database in
# one transaction: all or nothing). Afterwards `manage.py migrate` must report nothing to apply, and the portal can
# start on the restored copy.
set -euo pipefail

folder=${1:?usage: scripts/restore.sh <backup folder>}
: "${DATABASE_URL:?set DATABASE_URL to a fresh, empty database (postgres://...)}"
pg_bin=${PG_BIN:+$PG_BIN/}
root=$(cd "$(dirname "$0")/.." && pwd)
python=${PYTHON:-$root/.venv/bin/python}

(cd "$folder" && sha256sum --check --quiet SHA256SUMS)
"$python" "$root/manage.py" import_files --check "$folder/media.tar"
"${pg_bin}pg_restore" --no-owner --no-privileges --exit-on-error --single-transaction \
  --dbname="$DATABASE_URL" "$folder/database.dump"
"$python" "$root/manage.py" import_files "$folder/media.tar" >/dev/null
echo "restored $folder"
