"""The jury's background work: sending decisions in batches and mailing their letters, one task per decision and one
per letter, so a worker killed in the middle of a batch loses nothing and mails nothing twice (docs/tasks.md).

The letters of a call go out with `send_decisions(call_id, by_id)` (or `manage.py send_decisions`): it queues one
`send_decision` per decision not sent yet, which prints the letter and marks the decision communicated in one
transaction, then mails it; the letter's `mailed_at` is its outbox, claimed as the mail leaves. A letter sent one
by one (the service alone, a revision) is mailed by `mail_letter`, queued once its sending commits."""

import datetime
import logging

from celery import shared_task
from django.contrib.auth import get_user_model
from django.utils import timezone

from maasland.tasks import MAIL_TASK, after_commit, publish

from . import communication, emails
from .models import Decision, DecisionLetter

logger = logging.getLogger(__name__)


def owed_letters():
    """Letters that went out (sent_at) and whose mail has not left yet."""
    return DecisionLetter.objects.filter(sent_at__isnull=False, mailed_at__isnull=True).select_related(
        "decision__candidacy__call", "decision__candidacy__organisation"
    )


@shared_task(**MAIL_TASK)
def mail_letter(letter_id):
    """Mails a decision letter unless it went out already (DecisionLetter.mailed_at); returns 0 or 1."""
    letter = owed_letters().filter(pk=letter_id).first()
    if letter is None:
        return 0
    return emails.mail_decision_letter(letter, at=timezone.now(), fail_silently=False)


@shared_task(**MAIL_TASK)
def send_decision(decision_id, by_id, at):
    """One decision of a batch, sent by `by` as at the ISO moment `at`: prints its letter and marks it communicated
    (communication.send_decision, which sends once), then mails every letter of the decision still owed, so the
    mails follow the batch as it goes. A run again (its worker died, or the mail server failed) finds the decision
    sent and mails what is still owed. Returns the number of mails sent."""
    decision = Decision.objects.select_related("candidacy__call").get(pk=decision_id)
    by = get_user_model().objects.get(pk=by_id)
    try:
        communication.send_decision(decision, by=by, at=datetime.datetime.fromisoformat(at), queue_mail=False)
    except communication.CommunicationError as refusal:
        logger.warning("The decision on %s was not sent: %s", decision.candidacy, refusal.message)
        return 0
    return sum(
        emails.mail_decision_letter(letter, at=timezone.now(), fail_silently=False)
        for letter in owed_letters().filter(decision_id=decision_id).order_by("number")
    )


def queue_decisions(decisions, *, by, at):
    """Queues `send_decision` for each decision (after the commit); returns how many."""
    count = 0
    for decision in decisions:
        after_commit(send_decision, decision.pk, by.pk, at.isoformat())
        count += 1
    return count


@shared_task(acks_late=True, reject_on_worker_lost=True)
def send_decisions(call_id, by_id):
    """The batch: queues `send_decision` for every decision of the call not communicated yet, now; returns how
    many were queued."""
    by = get_user_model().objects.get(pk=by_id)
    unsent = Decision.objects.filter(candidacy__call_id=call_id, communicated_at__isnull=True)
    return queue_decisions(unsent.order_by("candidacy__reference"), by=by, at=timezone.now())


@shared_task(acks_late=True, reject_on_worker_lost=True)
def mail_pending_letters():
    """Beat's sweep of the letters' outbox: queues `mail_letter` for every letter whose mail is still owed (a broker
    that was down when it was sent, a mail server that refused every retry); returns how many."""
    pending = list(owed_letters().values_list("pk", flat=True))
    for letter_id in pending:
        publish(mail_letter, letter_id)
    return len(pending)
