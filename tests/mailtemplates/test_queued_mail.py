"""A mail that belongs to a change is queued (mailtemplates.sending.queue_kind): composed at once, sent by a task
(mailtemplates.tasks.send_message) once the change commits, never after a rollback; retried while the mail server
fails; and a task run twice with the same message sends it once."""

import smtplib

import pytest
from django.core.mail.backends.locmem import EmailBackend
from django.db import transaction

from mailtemplates import sending, tasks

pytestmark = pytest.mark.django_db


def queue(**options):
    sending.queue_text("Onderwerp", "Tekst", to=["an@example.org"], **options)


def test_a_queued_mail_leaves_once_the_transaction_commits(mailoutbox, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        with transaction.atomic():
            queue()
        assert mailoutbox == []
    assert [(message.subject, message.to) for message in mailoutbox] == [("Onderwerp", ["an@example.org"])]


def test_a_queued_mail_of_a_rolled_back_change_never_leaves(mailoutbox, django_capture_on_commit_callbacks):
    with (
        django_capture_on_commit_callbacks(execute=True) as callbacks,
        pytest.raises(RuntimeError),
        transaction.atomic(),
    ):
        queue()
        raise RuntimeError("the change fails")
    assert (callbacks, mailoutbox) == ([], [])


def test_the_queued_message_keeps_its_headers_and_attachments(mailoutbox, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        queue(
            cc=["kopie@example.org"],
            reply_to=["contact@example.org"],
            headers={"Message-ID": "<een@example.org>"},
            attachments=[("pitch.ics", b"BEGIN:VCALENDAR\r\n", "text/calendar; method=REQUEST")],
        )
    message = mailoutbox[0]
    assert (message.cc, message.reply_to, message.extra_headers, message.attachments) == (
        ["kopie@example.org"],
        ["contact@example.org"],
        {"Message-ID": "<een@example.org>"},
        [("pitch.ics", "BEGIN:VCALENDAR\r\n", "text/calendar; method=REQUEST")],
    )


def data():
    return sending.message_data(sending.message("Onderwerp", "Tekst", to=["an@example.org"]))


def test_a_message_task_run_twice_with_its_key_sends_once(mailoutbox):
    first = tasks.send_message.delay(data(), "sleutel").get()
    second = tasks.send_message.delay(data(), "sleutel").get()
    assert (first, second, len(mailoutbox)) == (1, 0, 1)


def test_a_failing_mail_server_is_retried_until_the_message_leaves(monkeypatch, mailoutbox):
    send_messages = EmailBackend.send_messages
    attempts = []

    def refuse_the_first_time(backend, messages):
        attempts.append(len(attempts) + 1)
        if len(attempts) == 1:
            raise smtplib.SMTPServerDisconnected("down")
        return send_messages(backend, messages)

    monkeypatch.setattr(EmailBackend, "send_messages", refuse_the_first_time)
    assert (tasks.send_message.delay(data(), "sleutel").get(), attempts, len(mailoutbox)) == (1, [1, 2], 1)


def test_a_message_another_run_is_sending_waits_for_it_instead_of_going_out_twice(monkeypatch, mailoutbox):
    send_messages = EmailBackend.send_messages
    second_runs = []

    def send_while_another_run_starts(backend, messages):
        if not second_runs:
            second_runs.append(tasks.send_message.apply(args=[data(), "sleutel"]).state)
        return send_messages(backend, messages)

    monkeypatch.setattr(EmailBackend, "send_messages", send_while_another_run_starts)
    assert (tasks.send_message.delay(data(), "sleutel").get(), len(mailoutbox)) == (1, 1)
    assert second_runs[0] in {"RETRY", "FAILURE"}
