"""The README's back-up and restore (scripts/backup.sh, scripts/restore.sh) on a real PostgreSQL: a restored copy
holds every candidacy and every attachment, with its file (copied through the file storage: manage.py export_files
and import_files) and the same SHA-256.

Always on PostgreSQL, whatever DATABASE_URL says: it connects to the server at 127.0.0.1:5432 itself (override with
BACKUP_TEST_SERVER), makes two databases of its own and drops them at the end. So it runs once per CI, in the
PostgreSQL pass (the `postgres_pass` marker; .ci/run deselects it in the SQLite pass).
"""

import hashlib
import os
import shutil
import subprocess
import sys
import tarfile
import uuid
from pathlib import Path

import psycopg
import pytest

ROOT = Path(__file__).resolve().parent.parent
SERVER = os.environ.get("BACKUP_TEST_SERVER", "postgres://postgres@127.0.0.1:5432")

pytestmark = pytest.mark.postgres_pass

SEED = """
import datetime, uuid
from maasland.clock import BRUSSELS
from django.core.management import call_command
from candidacies import services
from challenges.models import Call
from tests import factories

at = datetime.datetime(2023, 5, 31, 12, 0, tzinfo=BRUSSELS)
call_command("loaddata", "maasland", verbosity=0)
call = Call.objects.get(slug="maasland-2023")
for number, make_file in enumerate([factories.pdf_file, factories.docx_file, factories.odt_file]):
    member = factories.user(f"aanvrager{number}@example.org", full_name=f"Aanvrager {number}")
    organisation = factories.organisation(member, name=f"Organisatie {number}")
    candidacy = factories.candidacy(call, organisation)
    services.add_attachment(candidacy, make_file(), by=member, at=at)
    extra = factories.pdf_file(f"bijlage-{number}.pdf", size=2000 + number)
    services.add_attachment(candidacy, extra, by=member, at=at)
    candidacy.refresh_from_db()
    if number:
        services.submit(candidacy, factories.complete_content(call), lock_version=candidacy.lock_version,
                        token=uuid.uuid4(), by=member, at=at)
"""


def _server_major(connection):
    return connection.execute("SHOW server_version_num").fetchone()[0][:2]


def _pg_bin(major):
    """The client tools of the server's major version when installed; otherwise those on the PATH."""
    folder = Path(f"/usr/lib/postgresql/{major}/bin")
    return str(folder) if (folder / "pg_dump").exists() else str(Path(shutil.which("pg_dump")).parent)


def _run(command, **env):
    result = subprocess.run(
        command, cwd=ROOT, env={**os.environ, **env}, capture_output=True, text=True, timeout=300, check=False
    )
    assert result.returncode == 0, f"{command} failed:\n{result.stdout}\n{result.stderr}"
    return result.stdout


def _rows(url, sql):
    with psycopg.connect(url) as connection:
        return connection.execute(sql).fetchall()


@pytest.fixture
def databases():
    """Two fresh databases on the server, dropped at the end whatever happens."""
    names = [f"gdpr_backup_{role}_{uuid.uuid4().hex[:8]}" for role in ("source", "restored")]
    with psycopg.connect(f"{SERVER}/postgres", autocommit=True) as connection:
        major = _server_major(connection)
        for name in names:
            connection.execute(f'CREATE DATABASE "{name}"')
    try:
        yield [f"{SERVER}/{name}" for name in names], _pg_bin(major)
    finally:
        with psycopg.connect(f"{SERVER}/postgres", autocommit=True) as connection:
            for name in names:
                connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def test_a_backup_restores_into_a_fresh_database_with_every_candidacy_and_file(databases, tmp_path):
    (source, restored), pg_bin = databases
    portal = {"DEBUG": "true", "SECRET_KEY": "backup-test", "PYTHONPATH": str(ROOT)}
    source_media, restored_media = tmp_path / "media", tmp_path / "media-restored"
    manage = [sys.executable, "manage.py"]
    _run([*manage, "migrate", "--noinput", "-v0"], DATABASE_URL=source, MEDIA_ROOT=str(source_media), **portal)
    _run([*manage, "shell", "-c", SEED], DATABASE_URL=source, MEDIA_ROOT=str(source_media), **portal)

    folder = _run(
        ["scripts/backup.sh", str(tmp_path / "backups")],
        DATABASE_URL=source,
        MEDIA_ROOT=str(source_media),
        PG_BIN=pg_bin,
        PYTHON=sys.executable,
        **portal,
    ).strip()
    _run(
        ["scripts/restore.sh", folder],
        DATABASE_URL=restored,
        MEDIA_ROOT=str(restored_media),
        PG_BIN=pg_bin,
        PYTHON=sys.executable,
        **portal,
    )

    candidacies = "SELECT id, reference, status, title, budget FROM candidacies_candidacy ORDER BY id"
    attachments = "SELECT id, candidacy_id, file, name, size, sha256 FROM candidacies_attachment ORDER BY id"
    versions = "SELECT id, candidacy_id, number, content::text FROM candidacies_candidacyversion ORDER BY id"
    assert len(_rows(source, candidacies)) == 3
    assert len(_rows(source, attachments)) == 6
    for sql in (candidacies, attachments, versions):
        assert _rows(restored, sql) == _rows(source, sql)
    for _id, _candidacy, path, _name, size, sha256 in _rows(restored, attachments):
        body = (restored_media / path).read_bytes()
        assert (len(body), hashlib.sha256(body).hexdigest()) == (size, sha256)
    plan = _run([*manage, "migrate", "--plan"], DATABASE_URL=restored, MEDIA_ROOT=str(restored_media), **portal)
    assert plan.strip().splitlines()[-1].strip() == "No planned migration operations."


def test_restore_refuses_a_media_folder_that_is_not_empty(tmp_path):
    backup = tmp_path / "backup"
    backup.mkdir()
    (backup / "database.dump").write_bytes(b"")
    with tarfile.open(backup / "media.tar", "w"):
        pass
    sums = subprocess.run(["sha256sum", "database.dump", "media.tar"], cwd=backup, check=True, capture_output=True)
    (backup / "SHA256SUMS").write_bytes(sums.stdout)
    media = tmp_path / "media"
    media.mkdir()
    (media / "old.pdf").write_bytes(b"%PDF-")
    result = subprocess.run(
        [str(ROOT / "scripts/restore.sh"), str(backup)],
        env={
            **os.environ,
            "DATABASE_URL": f"{SERVER}/never_touched",
            "MEDIA_ROOT": str(media),
            "PYTHON": sys.executable,
            "DEBUG": "true",
            "SECRET_KEY": "backup-test",
        },
        capture_output=True,
        text=True,
        check=False,
    )
    assert (result.returncode, result.stderr) == (
        1,
        "CommandError: The file store (MEDIA_ROOT or the bucket) is not empty: restore into an empty one.\n",
    )
