#!/usr/bin/env bash
# Restore a backup made by scripts/backup.sh into a fresh, empty database and an empty media folder.
#
#   createdb maasland_restored
#   DATABASE_URL=postgres://maasland@db:5432/maasland_restored MEDIA_ROOT=/srv/maasland/media-restored \
#     scripts/restore.sh /backups/maasland/2026-11-27T020000Z
#
# It checks the backup's SHA256SUMS first and stops at the first error (one transaction: all or nothing).
# Afterwards `manage.py migrate` must report nothing to apply, and the portal can start on the restored copy.
set -euo pipefail

folder=${1:?usage: scripts/restore.sh <backup folder>}
: "${DATABASE_URL:?set DATABASE_URL to a fresh, empty database (postgres://...)}"
: "${MEDIA_ROOT:?set MEDIA_ROOT to the folder the files go to}"
pg_bin=${PG_BIN:+$PG_BIN/}

(cd "$folder" && sha256sum --check --quiet SHA256SUMS)
if [ -n "$(ls -A "$MEDIA_ROOT" 2>/dev/null)" ]; then
  echo "MEDIA_ROOT $MEDIA_ROOT is not empty: restore into an empty folder." >&2
  exit 1
fi
"${pg_bin}pg_restore" --no-owner --no-privileges --exit-on-error --single-transaction \
  --dbname="$DATABASE_URL" "$folder/database.dump"
mkdir -p "$MEDIA_ROOT"
tar -C "$MEDIA_ROOT" -xf "$folder/media.tar"
echo "restored $folder"
