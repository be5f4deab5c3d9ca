"""The intake's background work: receipts and group mails, each claimed from its outbox row before it is mailed, so
a task run twice mails once (maasland/celery.py, docs/tasks.md)."""

from celery import shared_task
from django.utils import timezone

from maasland.tasks import MAIL_TASK

from . import emails, group_mail
from .models import CandidacyVersion, GroupMail


@shared_task(**MAIL_TASK)
def mail_receipt(version_id):
    """Prints and mails the receipt of a submitted version, unless it went out already; returns 0 or 1."""
    version = (
        CandidacyVersion.objects.select_related("candidacy__call", "candidacy__organisation", "submitted_by")
        .filter(pk=version_id)
        .first()
    )
    if version is None:
        return 0
    return emails.mail_receipt(version, at=timezone.now(), fail_silently=False)


@shared_task(**MAIL_TASK)
def send_pending_receipts():
    """Beat's sweep of the receipt outbox: every receipt still owed, oldest first; returns how many went out."""
    return emails.send_pending_receipts()


@shared_task(**MAIL_TASK)
def deliver_group_mail(group_mail_id):
    """Mails each address of a group mail that has not had it yet; returns how many went out."""
    sending = GroupMail.objects.select_related("call").filter(pk=group_mail_id).first()
    return group_mail.deliver(sending, fail_silently=False) if sending else 0
