"""The migrations. The test databases are built straight from the models (pytest's --nomigrations, pyproject.toml):
running every migration for each pytest worker cost more than half a minute of CI. So the migrations are checked here:
they match the models, and they run from an empty database to the end (on PostgreSQL, tests/test_backup_restore.py
migrates the database it backs up)."""

import os
import subprocess
import sys
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture
def migrations_shown(settings):
    """The project's migrations, which pytest hides from the test run."""
    settings.MIGRATION_MODULES = {}


@pytest.mark.django_db
def test_no_model_change_lacks_a_migration(migrations_shown):
    output = StringIO()
    call_command("makemigrations", "--check", "--dry-run", stdout=output)
    assert output.getvalue().strip() == "No changes detected"


@pytest.mark.sqlite_pass
def test_every_migration_runs_on_an_empty_sqlite_database(tmp_path):
    environment = {**os.environ, "DATABASE_URL": f"sqlite:///{tmp_path / 'fresh.sqlite3'}"}
    manage = [sys.executable, "manage.py"]

    subprocess.run([*manage, "migrate", "--noinput", "-v0"], cwd=ROOT, env=environment, check=True)
    plan = subprocess.run(
        [*manage, "migrate", "--plan"], cwd=ROOT, env=environment, check=True, capture_output=True, text=True
    ).stdout

    assert plan.strip().splitlines()[-1].strip() == "No planned migration operations."
