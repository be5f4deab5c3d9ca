"""The office's scheduled work: the daily reminders (celery beat, settings.CELERY_BEAT_SCHEDULE), each digest claimed
by its Message-ID before it is mailed, so a run repeated on the same day mails nothing twice."""

from celery import shared_task
from django.utils import timezone

from maasland.tasks import MAIL_TASK

from . import reminders


@shared_task(**MAIL_TASK)
def send_reminders():
    """Mails each call's digest of what is due, as `manage.py send_reminders` does; returns how many went out."""
    report = reminders.send_reminders(timezone.now(), fail_silently=False)
    return sum(len(sent) for _call, sent in report)
