"""Decisions sent in a batch as tasks (jury.tasks): one task per decision prints the letter, one task per letter mails
it, and the letter's `mailed_at` is the outbox a task claims before it mails, so a task run twice mails once."""

import io
import smtplib

import pytest
from django.core import mail
from django.core.mail.backends.locmem import EmailBackend
from django.core.management import call_command
from django.db import transaction

from jury import communication, tasks
from jury.models import Decision, DecisionLetter
from tests.jury.test_decisions_admin import SENDING, decide


@pytest.fixture
def decisions(candidacies, chair):
    return [decide(candidacies[0], chair), decide(candidacies[1], chair, "selected", "Sterk voorstel.")]


def sent_letter(decision, manager):
    """The decision sent in this test's transaction, with its mail still owed (the commit has not come)."""
    return communication.send_decision(decision, by=manager, at=SENDING)


def test_a_sent_decision_mails_its_letter_only_once_the_sending_commits(
    decisions, manager, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        letter = sent_letter(decisions[0], manager)
        assert (len(mailoutbox), DecisionLetter.objects.get(pk=letter.pk).mailed_at) == (0, None)
    letter.refresh_from_db()
    assert (len(mailoutbox), letter.mailed_at is not None) == (1, True)
    assert mailoutbox[0].attachments[0][0] == f"beslissing-{decisions[0].candidacy.reference}-1.pdf"


def test_a_rolled_back_sending_mails_nothing(decisions, manager, mailoutbox, django_capture_on_commit_callbacks):
    with (
        django_capture_on_commit_callbacks(execute=True) as callbacks,
        pytest.raises(RuntimeError),
        transaction.atomic(),
    ):
        sent_letter(decisions[0], manager)
        raise RuntimeError("the change fails after the letter was made")
    assert (callbacks, mailoutbox, DecisionLetter.objects.count()) == ([], [], 0)


def test_the_letter_task_run_twice_mails_once(decisions, manager, mailoutbox):
    letter = sent_letter(decisions[0], manager)
    assert (tasks.mail_letter.delay(letter.pk).get(), tasks.mail_letter.delay(letter.pk).get()) == (1, 0)
    assert len(mailoutbox) == 1


def test_a_second_run_while_the_first_is_mailing_finds_the_letter_claimed(decisions, manager, monkeypatch):
    letter = sent_letter(decisions[0], manager)
    send_messages = EmailBackend.send_messages
    second_runs = []

    def send_while_another_run_starts(backend, messages):
        second_runs.append(tasks.mail_letter(letter.pk))
        return send_messages(backend, messages)

    monkeypatch.setattr(EmailBackend, "send_messages", send_while_another_run_starts)
    assert (tasks.mail_letter.delay(letter.pk).get(), second_runs, len(mail.outbox)) == (1, [0], 1)


def test_a_failing_mail_server_is_retried_and_the_letter_goes_out_once(decisions, manager, monkeypatch, mailoutbox):
    letter = sent_letter(decisions[0], manager)
    send_messages = EmailBackend.send_messages
    attempts = []

    def refuse_the_first_time(backend, messages):
        attempts.append(len(attempts) + 1)
        if len(attempts) == 1:
            raise smtplib.SMTPServerDisconnected("down")
        return send_messages(backend, messages)

    monkeypatch.setattr(EmailBackend, "send_messages", refuse_the_first_time)
    assert tasks.mail_letter.delay(letter.pk).get() == 1
    letter.refresh_from_db()
    assert (attempts, len(mailoutbox), letter.mailed_at is not None) == ([1, 2], 1, True)


def test_a_mail_server_that_keeps_failing_leaves_the_letter_owed_for_the_sweep(
    decisions, manager, monkeypatch, mailoutbox
):
    letter = sent_letter(decisions[0], manager)

    def refuse(backend, messages):
        raise smtplib.SMTPServerDisconnected("down")

    with monkeypatch.context() as patch:
        patch.setattr(EmailBackend, "send_messages", refuse)
        failed = tasks.mail_letter.delay(letter.pk)
    assert (failed.failed(), DecisionLetter.objects.get(pk=letter.pk).mailed_at, mailoutbox) == (True, None, [])
    assert tasks.mail_pending_letters.delay().get() == 1
    assert (len(mailoutbox), DecisionLetter.objects.filter(mailed_at__isnull=True).count()) == (1, 0)


def test_a_decision_task_run_again_after_its_commit_mails_the_owed_letter_once(
    decisions, manager, mailoutbox, django_capture_on_commit_callbacks
):
    letter = sent_letter(decisions[0], manager)  # as a first run that died after its commit, before the mail
    again = tasks.send_decision.delay(decisions[0].pk, manager.pk, SENDING.isoformat())
    third = tasks.send_decision.delay(decisions[0].pk, manager.pk, SENDING.isoformat())
    assert (again.get(), third.get(), DecisionLetter.objects.get().pk) == (1, 0, letter.pk)
    assert [message.attachments[0][0] for message in mailoutbox] == [
        f"beslissing-{decisions[0].candidacy.reference}-1.pdf"
    ]


def test_send_decisions_queues_one_task_per_decision_and_mails_each_letter_once(
    maasland_call, decisions, manager, mailoutbox, django_capture_on_commit_callbacks
):
    out = io.StringIO()
    with django_capture_on_commit_callbacks(execute=True):
        call_command("send_decisions", maasland_call.slug, "--by", manager.email, stdout=out)
    with django_capture_on_commit_callbacks(execute=True):
        again = tasks.send_decisions.delay(maasland_call.pk, manager.pk).get()
    assert (out.getvalue(), again) == ("2 decision(s) queued.\n", 0)
    assert Decision.objects.filter(candidacy__call=maasland_call, communicated_at__isnull=True).count() == 0
    assert (DecisionLetter.objects.filter(mailed_at__isnull=False).count(), len(mailoutbox)) == (2, 2)


def wire_message_id(email):
    """The Message-ID the mail carries on the wire."""
    return email.message()["Message-ID"]


def test_a_letter_mailed_again_carries_the_same_message_id_derived_from_its_row(
    decisions, manager, mailoutbox, settings
):
    settings.PORTAL_BASE_URL = "https://oproep.maasland.example"
    letter = sent_letter(decisions[0], manager)
    other = sent_letter(decisions[1], manager)
    assert (tasks.mail_letter(letter.pk), tasks.mail_letter(other.pk)) == (1, 1)
    DecisionLetter.objects.filter(pk=letter.pk).update(mailed_at=None)  # as a crash after the server's "250"
    assert tasks.mail_letter(letter.pk) == 1
    assert [wire_message_id(email) for email in mailoutbox] == [
        f"<letter-{letter.pk}-1@oproep.maasland.example>",
        f"<letter-{other.pk}-1@oproep.maasland.example>",
        f"<letter-{letter.pk}-1@oproep.maasland.example>",
    ]


def atomic_depth():
    """How many transaction.atomic blocks are open (the test's own, then savepoints)."""
    return len(transaction.get_connection().atomic_blocks)


def test_the_letter_is_marked_mailed_in_a_commit_right_after_the_send_and_before_the_connection_closes(
    decisions, manager, monkeypatch
):
    letter = communication.send_decision(decisions[0], by=manager, at=SENDING, queue_mail=False)
    outside = atomic_depth()  # the test's transaction: the task's own transaction commits as a savepoint inside it
    send_messages = EmailBackend.send_messages
    events = []

    def send(backend, messages):
        events.append(("send", atomic_depth() - outside))
        return send_messages(backend, messages)

    def close(backend):
        mailed = DecisionLetter.objects.filter(pk=letter.pk, mailed_at__isnull=False).exists()
        events.append(("close", atomic_depth() - outside, mailed))

    monkeypatch.setattr(EmailBackend, "send_messages", send)
    monkeypatch.setattr(EmailBackend, "close", close)
    assert tasks.mail_letter(letter.pk) == 1
    assert events == [("send", 1), ("close", 0, True)]


def test_a_mail_server_that_fails_at_quit_after_the_commit_leaves_the_letter_mailed_once(
    decisions, manager, monkeypatch, mailoutbox
):
    letter = sent_letter(decisions[0], manager)

    def quit_fails(backend):
        raise smtplib.SMTPServerDisconnected("gone at QUIT")

    monkeypatch.setattr(EmailBackend, "close", quit_fails)
    assert (tasks.mail_letter.delay(letter.pk).get(), tasks.mail_letter(letter.pk), len(mailoutbox)) == (1, 0, 1)
    assert DecisionLetter.objects.get(pk=letter.pk).mailed_at is not None
