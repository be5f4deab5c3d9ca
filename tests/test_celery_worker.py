"""The tasks through the real broker: Redis on 127.0.0.1 and an embedded worker (celery.contrib.testing), on a queue of
this test's own so no other worker takes its messages: a message sent twice with one key reaches the mail backend
once. (The retries are shown without a broker, in tests/mailtemplates/test_queued_mail.py: a retry through Redis
waits for its countdown.) Skipped when Redis does not answer."""

import socket
import time
import uuid

import pytest
from celery import Celery
from celery.contrib.testing.worker import start_worker
from django.core import mail

from maasland import celery_app
from mailtemplates import sending, tasks

BROKER = "redis://127.0.0.1:6379/15"
QUEUE = f"test-{uuid.uuid4().hex}"


def redis_answers():
    try:
        socket.create_connection(("127.0.0.1", 6379), timeout=0.5).close()
    except OSError:
        return False
    return True


pytestmark = pytest.mark.sqlite_pass


@pytest.fixture
def worker(settings):
    """An app of the test's own, configured as maasland/celery.py does but pointed at Redis, current while the test
    runs (the tasks, shared tasks, then go through it), with an embedded worker; the portal's app is current again
    after."""
    if not redis_answers():  # .ci/run starts Redis; a check that cannot run fails, it is never skipped
        pytest.fail("The Celery worker test needs Redis on 127.0.0.1:6379 (redis-server).", pytrace=False)
    app = Celery("maasland-test", set_as_current=False)
    app.config_from_object("django.conf:settings", namespace="CELERY")
    app.conf.update(task_always_eager=False, broker_url=BROKER, task_default_queue=QUEUE)
    app.set_current()
    try:
        with start_worker(app, pool="solo", perform_ping_check=False, shutdown_timeout=5):
            yield app
    finally:
        celery_app.set_current()
        app.close()


def data(subject="Onderwerp"):
    return sending.message_data(sending.message(subject, "Tekst", to=["an@example.org"]))


def subjects_once(count):
    """The subjects at the mail backend once it holds `count` messages (or after five seconds)."""
    deadline = time.monotonic() + 5
    while len(mail.outbox) < count and time.monotonic() < deadline:
        time.sleep(0.02)
    return [message.subject for message in mail.outbox]


def test_a_message_queued_twice_through_redis_reaches_the_mail_backend_once(worker, mailoutbox):
    tasks.send_message.delay(data(), "sleutel")
    tasks.send_message.delay(data(), "sleutel")
    tasks.send_message.delay(data("Daarna"), "een-andere")  # one worker takes them in order: this one comes last
    assert subjects_once(2) == ["Onderwerp", "Daarna"]
