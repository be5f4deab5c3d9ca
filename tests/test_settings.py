"""With DEBUG off the portal refuses to start on a missing secret or empty host list, and is deploy-clean."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.sqlite_pass

BASE_DIR = Path(__file__).resolve().parents[1]
REAL_SECRET = "k3J9-vQ2pX7_wL5nR8tY1zB4mC6dF0gH2jK4lM6nP8qS0uV2xZ"


def manage(*args, **env):
    environment = {key: value for key, value in os.environ.items() if key not in {"SECRET_KEY", "ALLOWED_HOSTS"}}
    environment.update(env)
    return subprocess.run(
        [sys.executable, "manage.py", *args], cwd=BASE_DIR, env=environment, capture_output=True, text=True
    )


def test_with_debug_off_a_missing_secret_key_stops_the_portal_with_one_line():
    result = manage("check", DEBUG="false", SECRET_KEY="", ALLOWED_HOSTS="portal.example")
    assert result.returncode != 0
    assert result.stderr.strip().splitlines()[-1] == (
        "django.core.exceptions.ImproperlyConfigured: SECRET_KEY is missing or a default: "
        "set SECRET_KEY to a long random value when DEBUG is off."
    )


def test_with_debug_off_the_insecure_default_secret_key_stops_the_portal():
    result = manage("check", DEBUG="false", SECRET_KEY="django-insecure-change-me", ALLOWED_HOSTS="portal.example")
    assert result.returncode != 0
    assert "SECRET_KEY is missing or a default" in result.stderr


def test_with_debug_on_a_missing_secret_key_stops_the_portal_too():
    """No public fallback key: a development portal with a key everyone knows signs sessions anyone can forge."""
    result = manage("check", DEBUG="true", SECRET_KEY="")
    assert result.returncode != 0
    assert result.stderr.strip().splitlines()[-1] == (
        "django.core.exceptions.ImproperlyConfigured: SECRET_KEY is missing or a default: `make setup` writes a "
        "random one into .env, or set SECRET_KEY to a long random value."
    )


def write_secret_key(env_file):
    return subprocess.run(
        [sys.executable, "scripts/write_secret_key.py", str(env_file)], cwd=BASE_DIR, capture_output=True, text=True
    )


def secret_key_in(env_file):
    return [line for line in env_file.read_text().splitlines() if line.startswith("SECRET_KEY=")]


def test_setup_writes_a_random_secret_key_into_a_new_env_file_once(tmp_path):
    first, second = tmp_path / "first.env", tmp_path / "second.env"
    for env_file in (first, second):
        env_file.write_text((BASE_DIR / ".env.example").read_text())
    results = [write_secret_key(first), write_secret_key(second)]
    keys = [secret_key_in(first), secret_key_in(second)]
    again = write_secret_key(first)
    assert [(result.returncode, result.stderr) for result in (*results, again)] == [(0, "")] * 3
    assert [len(lines) for lines in keys] == [1, 1]
    assert len(keys[0][0]) > len("SECRET_KEY=") + 50
    assert keys[0] != keys[1]
    assert secret_key_in(first) == keys[0]


def test_setup_keeps_a_secret_key_that_is_set(tmp_path):
    env_file = tmp_path / ".env"
    env_file.write_text("DEBUG=true\nSECRET_KEY=" + REAL_SECRET + "\n")
    result = write_secret_key(env_file)
    assert (result.returncode, env_file.read_text()) == (0, "DEBUG=true\nSECRET_KEY=" + REAL_SECRET + "\n")


def test_the_example_env_file_holds_no_key_and_make_setup_writes_one():
    assert secret_key_in(BASE_DIR / ".env.example") == ["SECRET_KEY="]
    result = subprocess.run(
        ["make", "--dry-run", "--always-make", "setup", "PYTHON=python3"], cwd=BASE_DIR, capture_output=True, text=True
    )
    commands = result.stdout.splitlines()
    assert commands.index("python3 scripts/write_secret_key.py .env") < commands.index(
        ".venv/bin/python manage.py compilemessages --ignore=.venv --ignore=var -v0"
    )


def test_with_debug_off_empty_allowed_hosts_stop_the_portal():
    result = manage("check", DEBUG="false", SECRET_KEY=REAL_SECRET, ALLOWED_HOSTS="")
    assert result.returncode != 0
    assert "ALLOWED_HOSTS is empty" in result.stderr.strip().splitlines()[-1]


def test_check_deploy_prints_no_warning_with_production_settings():
    result = manage(
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        DEBUG="false",
        SECRET_KEY=REAL_SECRET,
        ALLOWED_HOSTS="oproep.maasland.example",
    )
    assert (result.returncode, result.stderr) == (0, "")
    assert result.stdout.strip() == "System check identified no issues (0 silenced)."


PRODUCTION = {"DEBUG": "false", "SECRET_KEY": REAL_SECRET, "ALLOWED_HOSTS": "oproep.maasland.example"}
SHOW_HARDENING = (
    "from django.conf import settings as s; "
    "print(repr((s.SESSION_COOKIE_SECURE, s.SESSION_COOKIE_HTTPONLY, s.SESSION_COOKIE_SAMESITE, s.CSRF_COOKIE_SECURE, "
    "s.CSRF_COOKIE_HTTPONLY, s.SECURE_SSL_REDIRECT, s.SECURE_HSTS_SECONDS, s.SECURE_PROXY_SSL_HEADER, "
    "s.X_FRAME_OPTIONS, 'csp.middleware.CSPMiddleware' in s.MIDDLEWARE, s.STAFF_SESSION_AGE, s.STAFF_SESSION_IDLE, "
    "s.FILE_UPLOAD_HANDLERS[0])))"
)


def test_production_settings_harden_cookies_transport_framing_and_staff_sessions():
    result = manage("shell", "--no-imports", "-c", SHOW_HARDENING, **PRODUCTION)
    assert (result.returncode, result.stderr) == (0, "")
    assert result.stdout.strip() == repr(
        (
            True,
            True,
            "Lax",
            True,
            True,
            True,
            31536000,
            ("HTTP_X_FORWARDED_PROTO", "https"),
            "DENY",
            True,
            8 * 60 * 60,
            2 * 60 * 60,
            "maasland.uploads.SizeLimitUploadHandler",
        )
    )


def test_an_object_store_is_chosen_through_the_environment_without_code():
    result = manage(
        "shell",
        "--no-imports",
        "-c",
        "from django.core.files.storage import storages; s = storages['default']; print(type(s).__name__, s.base_url)",
        FILE_STORAGE_BACKEND="django.core.files.storage.InMemoryStorage",
        FILE_STORAGE_OPTIONS='{"base_url": "https://bucket.example/"}',
        **PRODUCTION,
    )
    assert (result.returncode, result.stderr, result.stdout.strip()) == (
        0,
        "",
        "InMemoryStorage https://bucket.example/",
    )


def test_make_run_on_another_port_gives_mail_links_that_port():
    """`make run PORT=8123` serves on 8123, so links in mails and PDFs (PORTAL_BASE_URL) must point there too; the
    .env file does not override what make passes (read_env with overwrite=False)."""
    environment = {key: value for key, value in os.environ.items() if key != "PORTAL_BASE_URL"}
    result = subprocess.run(
        ["make", "--dry-run", "--always-make", "run", "PORT=8123"],
        cwd=BASE_DIR,
        env=environment,
        capture_output=True,
        text=True,
    )
    runserver = [line for line in result.stdout.splitlines() if "runserver" in line]
    assert runserver == ["PORTAL_BASE_URL=http://127.0.0.1:8123 .venv/bin/python manage.py runserver 127.0.0.1:8123"]


SHOW_CONNECTION = (
    "from django.conf import settings as s; d = s.DATABASES['default']; "
    "print(repr((d.get('CONN_MAX_AGE', 0), bool(d.get('CONN_HEALTH_CHECKS')))))"
)


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("postgres://maasland@127.0.0.1:5432/maasland", (60, True)),
        ("postgres://maasland@127.0.0.1:5432/maasland?conn_max_age=0", (0, True)),
        ("sqlite:////tmp/maasland.sqlite3", (60, True)),
    ],
)
def test_a_worker_keeps_its_database_connection_for_a_minute_unless_the_url_says(url, expected):
    """A new PostgreSQL connection per request (a new server process, its caches cold) cost more than the page."""
    result = manage("shell", "--no-imports", "-c", SHOW_CONNECTION, DATABASE_URL=url, **PRODUCTION)
    assert (result.returncode, result.stderr, result.stdout.strip()) == (0, "", repr(expected))
