"""The receipt as a task (candidacies.tasks.mail_receipt): queued once the submission commits, never on a rollback;
retried while the mail server fails; and the version, its outbox row, claimed before the mail leaves, so a task run
twice, or two runs at once, mail one receipt."""

import smtplib
import uuid

import pytest
from django.core.mail.backends.locmem import EmailBackend
from django.db import transaction

from candidacies import services, tasks
from candidacies.models import CandidacyVersion
from tests import factories
from tests.jury.conftest import DURING_INTAKE


@pytest.fixture(autouse=True)
def immediate(settings):
    settings.RECEIPT_MAIL = "immediate"


def submit(call):
    member = factories.user()
    candidacy = factories.candidacy(call, factories.organisation(member))
    return services.submit(
        candidacy,
        factories.complete_content(call),
        lock_version=candidacy.lock_version,
        token=uuid.uuid4(),
        by=member,
        at=DURING_INTAKE,
    )


def owed():
    return list(CandidacyVersion.objects.filter(receipt_sent_at__isnull=True))


def test_the_receipt_is_mailed_after_the_submission_commits(
    maasland_call, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        version = submit(maasland_call)
        assert (mailoutbox, owed()) == ([], [version])
    assert (len(mailoutbox), owed()) == (1, [])


def test_a_submission_rolled_back_mails_no_receipt(maasland_call, mailoutbox, django_capture_on_commit_callbacks):
    with (
        django_capture_on_commit_callbacks(execute=True) as callbacks,
        pytest.raises(RuntimeError),
        transaction.atomic(),
    ):
        submit(maasland_call)
        raise RuntimeError("something after the submission fails")
    assert (callbacks, mailoutbox, CandidacyVersion.objects.count()) == ([], [], 0)


def test_the_receipt_task_run_twice_mails_once(maasland_call, mailoutbox):
    version = submit(maasland_call)
    assert (tasks.mail_receipt.delay(version.pk).get(), tasks.mail_receipt.delay(version.pk).get()) == (1, 0)
    assert (len(mailoutbox), owed()) == (1, [])


def test_a_run_that_starts_while_another_is_mailing_finds_the_receipt_claimed(maasland_call, monkeypatch):
    version = submit(maasland_call)
    send_messages = EmailBackend.send_messages
    second_runs, outbox = [], []

    def send_while_another_run_starts(backend, messages):
        second_runs.append(tasks.mail_receipt(version.pk))
        outbox.extend(messages)
        return send_messages(backend, messages)

    monkeypatch.setattr(EmailBackend, "send_messages", send_while_another_run_starts)
    assert (tasks.mail_receipt.delay(version.pk).get(), second_runs, len(outbox)) == (1, [0], 1)


def test_a_failing_mail_server_is_retried_and_the_receipt_goes_out_once(maasland_call, monkeypatch, mailoutbox):
    version = submit(maasland_call)
    send_messages = EmailBackend.send_messages
    attempts = []

    def refuse_twice(backend, messages):
        attempts.append(len(attempts) + 1)
        if len(attempts) <= 2:
            raise smtplib.SMTPServerDisconnected("down")
        return send_messages(backend, messages)

    monkeypatch.setattr(EmailBackend, "send_messages", refuse_twice)
    assert tasks.mail_receipt.delay(version.pk).get() == 1
    assert (attempts, len(mailoutbox), owed()) == ([1, 2, 3], 1, [])


def test_a_receipt_the_mail_server_kept_refusing_stays_owed_for_the_sweep(maasland_call, monkeypatch, mailoutbox):
    version = submit(maasland_call)
    with monkeypatch.context() as patch:
        patch.setattr(EmailBackend, "send_messages", lambda backend, messages: (_ for _ in ()).throw(OSError("down")))
        assert tasks.mail_receipt.delay(version.pk).failed()
    assert owed() == [version]
    assert (tasks.send_pending_receipts.delay().get(), len(mailoutbox), owed()) == (1, 1, [])


def test_a_receipt_mailed_again_carries_the_same_message_id_derived_from_its_version(
    maasland_call, mailoutbox, settings
):
    settings.PORTAL_BASE_URL = "https://oproep.maasland.example"
    version = submit(maasland_call)
    assert tasks.mail_receipt(version.pk) == 1
    CandidacyVersion.objects.filter(pk=version.pk).update(receipt_sent_at=None)  # as a crash after the "250"
    assert tasks.mail_receipt(version.pk) == 1
    assert [email.message()["Message-ID"] for email in mailoutbox] == [
        f"<receipt-{version.pk}@oproep.maasland.example>"
    ] * 2
