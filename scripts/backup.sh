#!/usr/bin/env bash
# Back up the portal: the database (pg_dump, custom format) and then every file it keeps (attachments, letters,
# weerwoord attachments), read through the portal's file storage, so from MEDIA_ROOT or the object store alike
# (manage.py export_files), into one new folder <target>/<UTC time>/ with a SHA256SUMS file. The database goes
# first: the files are those its rows refer to at the time of the copy, so every row of the dump has its file.
#
#   DATABASE_URL=postgres://maasland@db:5432/maasland MEDIA_ROOT=/srv/maasland/media scripts/backup.sh /backups/maasland
#
# The file storage comes from the portal's settings (the environment or .env: MEDIA_ROOT, FILE_STORAGE_BACKEND, ...).
# PG_BIN picks the client tools of the server's major version, e.g. PG_BIN=/usr/lib/postgresql/15/bin; PYTHON the
# portal's Python (default: .venv/bin/python beside this folder).
set -euo pipefail

target=${1:?usage: scripts/backup.sh <backup folder>}
: "${DATABASE_URL:?set DATABASE_URL to the database of the portal (postgres://...)}"
pg_bin=${PG_BIN:+$PG_BIN/}
root=$(cd "$(dirname "$0")/.." && pwd)
python=${PYTHON:-$root/.venv/bin/python}

folder="$target/$(date -u +%Y-%m-%dT%H%M%SZ)"
mkdir -p "$folder"
"${pg_bin}pg_dump" --format=custom --no-owner --no-privileges --file="$folder/database.dump" "$DATABASE_URL"
"$python" "$root/manage.py" export_files "$folder/media.tar" >/dev/null
(cd "$folder" && sha256sum database.dump media.tar >SHA256SUMS)
echo "$folder"
