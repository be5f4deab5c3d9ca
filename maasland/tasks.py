"""How work leaves the request: a task is queued once the transaction commits, so a rollback queues nothing, and a
broker that cannot be reached is logged rather than failing a change that is already saved (each outbox is swept
again on a schedule). The options every mail task shares: retried with a growing wait on a mail server or network
that fails, acknowledged only when done, and given back to the broker when its worker dies."""

import logging
import smtplib
from functools import partial

from django.db import transaction
from kombu.exceptions import OperationalError

logger = logging.getLogger(__name__)

MAIL_TASK = {
    "autoretry_for": (smtplib.SMTPException, OSError),
    "retry_backoff": 5,
    "retry_backoff_max": 600,
    "retry_jitter": True,
    "max_retries": 8,
    "acks_late": True,
    "reject_on_worker_lost": True,
}
"""Options of every task that mails: eight retries after 5 s, 10 s, 20 s, ... up to ten minutes apart."""


def publish(task, *args, **kwargs):
    """Queues the task now; a broker that cannot be reached is logged, the outbox it works from keeps the work."""
    try:
        task.delay(*args, **kwargs)
    except OperationalError:
        logger.exception("The task %s could not be queued.", task.name)


def after_commit(task, *args, **kwargs):
    """Queues the task when the current transaction commits (at once outside one); nothing on a rollback."""
    transaction.on_commit(partial(publish, task, *args, **kwargs))
