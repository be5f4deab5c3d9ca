#!/usr/bin/env bash
# Back up the portal: the database (pg_dump, custom format) and then the uploaded files (MEDIA_ROOT), into one
# new folder <target>/<UTC time>/ with a SHA256SUMS file. The database goes first: a file uploaded while the
# backup runs is then in the media copy even if its row missed the dump, never the other way round.
#
#   DATABASE_URL=postgres://maasland@db:5432/maasland MEDIA_ROOT=/srv/maasland/media scripts/backup.sh /backups/maasland
#
# PG_BIN picks the client tools of the server's major version, e.g. PG_BIN=/usr/lib/postgresql/15/bin.
set -euo pipefail

target=${1:?usage: scripts/backup.sh <backup folder>}
: "${DATABASE_URL:?set DATABASE_URL to the database of the portal (postgres://...)}"
: "${MEDIA_ROOT:?set MEDIA_ROOT to the folder of the uploaded files}"
pg_bin=${PG_BIN:+$PG_BIN/}

folder="$target/$(date -u +%Y-%m-%dT%H%M%SZ)"
mkdir -p "$folder"
"${pg_bin}pg_dump" --format=custom --no-owner --no-privileges --file="$folder/database.dump" "$DATABASE_URL"
mkdir -p "$MEDIA_ROOT"
tar -C "$MEDIA_ROOT" -cf "$folder/media.tar" .
(cd "$folder" && sha256sum database.dump media.tar >SHA256SUMS)
echo "$folder"
