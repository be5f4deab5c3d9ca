"""The reminders on beat's schedule (office.tasks.send_reminders): each digest claimed by its Message-ID as it is
mailed, so a run repeated the same day mails nothing twice, and a digest the mail server refused is left to the
retry, not recorded as sent."""

import smtplib

import pytest
import time_machine
from django.core.mail.backends.locmem import EmailBackend

from jury.models import ReminderSent
from office import tasks
from tests.office.test_reminders import CONTACT, TWELVE_DAYS_BEFORE, bodies_to, decide, send_all


@pytest.fixture
def decisions(candidacies, chair):
    return [decide(candidacies[0], chair), decide(candidacies[1], chair)]


def test_the_beat_task_mails_each_digest_once_on_a_day(decisions, manager, mailoutbox):
    send_all(decisions[:1], manager, at=TWELVE_DAYS_BEFORE)
    with time_machine.travel(TWELVE_DAYS_BEFORE, tick=False):
        first = tasks.send_reminders.delay().get()
        again = tasks.send_reminders.delay().get()
    assert (first >= 1, again, len(bodies_to(mailoutbox, CONTACT))) == (True, 0, 1)


def test_a_digest_the_mail_server_refused_is_retried_and_recorded_once_sent(
    decisions, manager, mailoutbox, monkeypatch
):
    send_all(decisions[:1], manager, at=TWELVE_DAYS_BEFORE)
    send_messages = EmailBackend.send_messages
    attempts = []

    def refuse_the_first_time(backend, messages):
        attempts.append(messages[0].to[0])
        if len(attempts) == 1:
            raise smtplib.SMTPServerDisconnected("down")
        return send_messages(backend, messages)

    monkeypatch.setattr(EmailBackend, "send_messages", refuse_the_first_time)
    with time_machine.travel(TWELVE_DAYS_BEFORE, tick=False):
        sent = tasks.send_reminders.delay().get()
    recorded = sorted(ReminderSent.objects.values_list("recipient", flat=True))
    assert (attempts[0], attempts[1], sent) == (attempts[1], attempts[0], len(recorded))
    assert recorded == sorted(message.to[0] for message in mailoutbox)
