"""SQLite, the embedded default, makes simultaneous writers wait for each other instead of failing.

Two threads each read and then write in one transaction, at the same moment, on a file database configured by the
portal's own settings. With SQLite's default (deferred) transactions the second writer to upgrade its read lock
fails at once with "database is locked"; the portal starts every transaction IMMEDIATE with a busy timeout.
"""

import os
import subprocess
import sys
from pathlib import Path

import pytest

BASE_DIR = Path(__file__).resolve().parents[1]

pytestmark = pytest.mark.sqlite_pass

WRITERS = """
import threading, time
from django.db import connection, transaction

with connection.cursor() as cursor:
    cursor.execute("CREATE TABLE counter (id INTEGER PRIMARY KEY, writer TEXT)")
    cursor.execute("PRAGMA journal_mode")
    print("journal", cursor.fetchone()[0])
connection.close()

start = threading.Barrier(2)
failures = []

def write(name):
    try:
        start.wait()
        with transaction.atomic():
            with connection.cursor() as cursor:
                cursor.execute("SELECT count(*) FROM counter")
                time.sleep(0.3)
                cursor.execute("INSERT INTO counter (writer) VALUES (%s)", [name])
    except Exception as error:
        failures.append(f"{name}: {error}")
    finally:
        connection.close()

threads = [threading.Thread(target=write, args=(name,)) for name in ("first", "second")]
for thread in threads:
    thread.start()
for thread in threads:
    thread.join()
with connection.cursor() as cursor:
    cursor.execute("SELECT count(*) FROM counter")
    print("rows", cursor.fetchone()[0])
print("failures", failures)
"""


def test_two_simultaneous_writers_on_sqlite_both_succeed(tmp_path):
    environment = {key: value for key, value in os.environ.items() if key != "DATABASE_URL"}
    environment["DATABASE_URL"] = f"sqlite:///{tmp_path / 'writers.sqlite3'}"
    result = subprocess.run(
        [sys.executable, "manage.py", "shell", "--no-imports", "-c", WRITERS],
        cwd=BASE_DIR,
        env=environment,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.stderr == ""
    assert result.stdout.splitlines() == ["journal wal", "rows 2", "failures []"]
