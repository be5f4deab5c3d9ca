"""The task that sends a queued mail (sending.queue_kind, queue_text). A mail without an outbox row of its own carries
a key: the cache remembers a key while its mail is being sent and once it went out, so a task run twice (handed out
again after its worker died) sends once. With a worker, the cache must be one all processes share (CACHE_URL)."""

from celery import shared_task
from django.core.cache import cache

from maasland.tasks import MAIL_TASK

from .sending import deliver, message_from_data

CLAIM_SECONDS = 120
"""How long a run holds a mail it is sending; a run that finds it held tries again after this."""

SENT_SECONDS = 7 * 24 * 60 * 60
"""How long a mail that went out is remembered: longer than any task waits in the broker."""


@shared_task(bind=True, **MAIL_TASK)
def send_message(self, data, key):
    """Sends the message (sending.message_data) unless its key went out before; returns 0 or 1."""
    if cache.get(f"mail:sent:{key}"):
        return 0
    if not cache.add(f"mail:sending:{key}", True, timeout=CLAIM_SECONDS):
        raise self.retry(countdown=CLAIM_SECONDS)
    try:
        sent = deliver(message_from_data(data), fail_silently=False)
    except BaseException:
        cache.delete(f"mail:sending:{key}")
        raise
    cache.set(f"mail:sent:{key}", True, timeout=SENT_SECONDS)
    cache.delete(f"mail:sending:{key}")
    return sent
