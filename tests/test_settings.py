"""With DEBUG off the portal refuses to start on a missing secret or empty host list, and is deploy-clean."""

import os
import runpy
import subprocess
import sys
from pathlib import Path
from unittest import mock

import pytest
from django.core.files.storage.handler import StorageHandler

pytestmark = pytest.mark.sqlite_pass

BASE_DIR = Path(__file__).resolve().parents[1]
REAL_SECRET = "k3J9-vQ2pX7_wL5nR8tY1zB4mC6dF0gH2jK4lM6nP8qS0uV2xZ"


def manage(*args, **env):
    environment = {key: value for key, value in os.environ.items() if key not in {"SECRET_KEY", "ALLOWED_HOSTS"}}
    environment.update(env)
    return subprocess.run(
        [sys.executable, "manage.py", *args], cwd=BASE_DIR, env=environment, capture_output=True, text=True
    )


def settings_read_under(**env):
    """The settings module as the portal reads it under this environment (the variables of .env that the
    environment lacks come in as at start-up): run in this process, which costs a thousandth of starting Django in a
    new one. What it builds from the values (a storage, a cache) the tests build with Django's own handlers."""
    environment = {key: value for key, value in os.environ.items() if key not in {"SECRET_KEY", "ALLOWED_HOSTS"}}
    with mock.patch.dict(os.environ, {**environment, **env}, clear=True):
        return runpy.run_path(str(BASE_DIR / "maasland" / "settings.py"))


def default_storage_of(values):
    return StorageHandler(values["STORAGES"])["default"]


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


def test_production_settings_harden_cookies_transport_framing_and_staff_sessions():
    values = settings_read_under(**PRODUCTION)
    hardening = [
        "SESSION_COOKIE_SECURE",
        "SESSION_COOKIE_HTTPONLY",
        "SESSION_COOKIE_SAMESITE",
        "CSRF_COOKIE_SECURE",
        "CSRF_COOKIE_HTTPONLY",
        "SECURE_SSL_REDIRECT",
        "SECURE_HSTS_SECONDS",
        "SECURE_PROXY_SSL_HEADER",
        "X_FRAME_OPTIONS",
        "STAFF_SESSION_AGE",
        "STAFF_SESSION_IDLE",
    ]
    assert [values[name] for name in hardening] + [
        "csp.middleware.CSPMiddleware" in values["MIDDLEWARE"],
        values["FILE_UPLOAD_HANDLERS"][0],
    ] == [
        True,
        True,
        "Lax",
        True,
        True,
        True,
        31536000,
        ("HTTP_X_FORWARDED_PROTO", "https"),
        "DENY",
        8 * 60 * 60,
        2 * 60 * 60,
        True,
        "maasland.uploads.SizeLimitUploadHandler",
    ]


def test_an_object_store_is_chosen_through_the_environment_without_code():
    storage = default_storage_of(
        settings_read_under(
            FILE_STORAGE_BACKEND="django.core.files.storage.InMemoryStorage",
            FILE_STORAGE_OPTIONS='{"base_url": "https://bucket.example/"}',
            **PRODUCTION,
        )
    )
    assert (type(storage).__name__, storage.base_url) == ("InMemoryStorage", "https://bucket.example/")


def test_an_s3_compatible_store_is_set_up_from_the_aws_variables():
    storage = default_storage_of(
        settings_read_under(
            FILE_STORAGE_BACKEND="s3",
            AWS_STORAGE_BUCKET_NAME="maasland-bijlagen",
            AWS_S3_ENDPOINT_URL="https://s3.maasland.example",
            AWS_S3_REGION_NAME="eu-west-1",
            AWS_LOCATION="oproep",
            **PRODUCTION,
        )
    )
    assert (
        type(storage).__module__,
        storage.bucket_name,
        storage.endpoint_url,
        storage.region_name,
        storage.location,
        storage.file_overwrite,
    ) == ("storages.backends.s3", "maasland-bijlagen", "https://s3.maasland.example", "eu-west-1", "oproep", False)


def test_an_s3_store_without_a_bucket_stops_the_portal_with_one_line():
    result = manage("check", FILE_STORAGE_BACKEND="s3", AWS_STORAGE_BUCKET_NAME="", **PRODUCTION)
    assert result.returncode != 0
    assert result.stderr.strip().splitlines()[-1] == (
        "django.core.exceptions.ImproperlyConfigured: FILE_STORAGE_BACKEND=s3 needs AWS_STORAGE_BUCKET_NAME: "
        "the bucket of the files."
    )


def cache_of(values):
    cache = values["CACHES"]["default"]
    return cache["BACKEND"], cache.get("LOCATION", "")


def test_a_redis_cache_url_gives_django_redis():
    values = settings_read_under(CACHE_URL="redis://127.0.0.1:6379/1", **PRODUCTION)
    assert cache_of(values) == ("django_redis.cache.RedisCache", "redis://127.0.0.1:6379/1")


def test_without_a_cache_url_the_cache_is_local_memory_and_needs_no_redis():
    environment = {key: value for key, value in os.environ.items() if key != "CACHE_URL"}
    with mock.patch.dict(os.environ, environment, clear=True):
        values = settings_read_under(**PRODUCTION)
    assert cache_of(values) == ("django.core.cache.backends.locmem.LocMemCache", "")


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


def test_the_kept_public_pages_are_shared_by_the_processes_of_one_server(tmp_path):
    """A change saved through one gunicorn worker gives the call's pages a new version that every other worker reads
    (challenges/page_cache.py); by default the cache is a folder under var/."""
    shown = manage(
        "shell", "--no-imports", "-c", "from django.core.cache import caches; print(caches['pages']._dir)", **PRODUCTION
    )
    assert (shown.returncode, shown.stdout.strip()) == (0, str(BASE_DIR / "var" / "page-cache"))
    shared = {"PAGE_CACHE_URL": f"filecache://{tmp_path}", **PRODUCTION}
    read = "from challenges import page_cache; print(page_cache._versions(7)[0])"
    first = manage("shell", "--no-imports", "-c", read, **shared).stdout.split()
    second = manage("shell", "--no-imports", "-c", f"{read}; page_cache.drop(7); {read.split('; ')[1]}", **shared)
    assert (len(first), second.stdout.split()[0]) == (1, first[0])
    assert second.stdout.split()[1] != first[0]
