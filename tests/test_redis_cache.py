"""With CACHE_URL pointing at Redis, the mail limits count across processes: what one gunicorn worker or app server
counted, the next one sees. The test process and a `manage.py shell` beside it are two processes with a cache
client each, on the Redis server at 127.0.0.1:6379 (override with REDIS_TEST_URL) in a database and key prefix of
their own, emptied before and after. Once per CI: in the SQLite pass (the `sqlite_pass` marker)."""

import os
import subprocess
import sys
from pathlib import Path

import environ
import pytest
from django.core.cache import cache

from maasland import mail_limits

ROOT = Path(__file__).resolve().parent.parent
REDIS_URL = os.environ.get("REDIS_TEST_URL", "redis://127.0.0.1:6379/14") + "?key_prefix=maasland-tests"
ADDRESS = "nadia@example.org"
CLIENT = "203.0.113.7"
TWO_RESETS = (
    "from maasland.mail_limits import may_send; "
    f"print([may_send('password_reset', address={ADDRESS!r}, client={CLIENT!r}) for _ in range(2)])"
)

pytestmark = pytest.mark.sqlite_pass


@pytest.fixture
def redis_cache(settings):
    settings.CACHES = {"default": environ.Env.cache_url_config(REDIS_URL, backend="django_redis.cache.RedisCache")}
    settings.MAIL_LIMIT_PER_ADDRESS = 3
    settings.MAIL_LIMIT_WINDOW = 3600
    cache.delete_pattern("*")
    yield cache
    cache.delete_pattern("*")


def in_another_process(code):
    result = subprocess.run(
        [sys.executable, "manage.py", "shell", "--no-imports", "-c", code],
        cwd=ROOT,
        env={**os.environ, "CACHE_URL": REDIS_URL, "MAIL_LIMIT_PER_ADDRESS": "3", "MAIL_LIMIT_WINDOW": "3600"},
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    return result.stdout.strip()


def test_the_mail_limit_of_an_address_counts_the_mails_of_every_process(redis_cache):
    first = [mail_limits.may_send("password_reset", address=ADDRESS, client=CLIENT) for _ in range(2)]
    second = in_another_process(TWO_RESETS)
    third = mail_limits.may_send("password_reset", address=ADDRESS, client=CLIENT)
    assert (first, second, third) == ([True, True], "[True, False]", False)


def test_a_shared_counter_keeps_its_window_so_it_ends(redis_cache):
    """django-redis adds one atomically (a Lua script) and keeps the key's expiry: a counter never outlives its
    window and never locks an address for good."""
    mail_limits.may_send("password_reset", address=ADDRESS)
    in_another_process(TWO_RESETS)
    key = mail_limits._key("password_reset", "address", ADDRESS)
    assert (redis_cache.get(key), 3500 < redis_cache.ttl(key) <= 3600) == (3, True)
