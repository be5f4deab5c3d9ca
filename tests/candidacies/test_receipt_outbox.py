"""The receipt's outbox: the submission records that a receipt is owed in its own transaction, and the receipt
goes out as the request ends (RECEIPT_MAIL=immediate) or from `manage.py send_receipts` (queued)."""

import io
import smtplib
import uuid

from django.core import mail
from django.core.management import call_command

from candidacies import services
from candidacies.models import CandidacyVersion
from tests import factories
from tests.jury.conftest import DURING_INTAKE


def submitted(call, django_capture_on_commit_callbacks):
    member = factories.user()
    candidacy = factories.candidacy(call, factories.organisation(member))
    with django_capture_on_commit_callbacks(execute=True):
        return services.submit(
            candidacy,
            factories.complete_content(call),
            lock_version=candidacy.lock_version,
            token=uuid.uuid4(),
            by=member,
            at=DURING_INTAKE,
        )


def test_immediate_receipts_are_mailed_and_stamped_as_the_submission_ends(
    maasland_call, settings, django_capture_on_commit_callbacks
):
    settings.RECEIPT_MAIL = "immediate"
    version = submitted(maasland_call, django_capture_on_commit_callbacks)

    version.refresh_from_db()
    assert len(mail.outbox) == 1
    assert version.receipt_sent_at is not None
    assert call_command_output() == "0 receipt(s) mailed.\n"
    assert len(mail.outbox) == 1


def test_queued_receipts_wait_in_the_outbox_until_send_receipts_mails_each_once(
    maasland_call, settings, django_capture_on_commit_callbacks
):
    settings.RECEIPT_MAIL = "queued"
    first = submitted(maasland_call, django_capture_on_commit_callbacks)
    second = submitted(maasland_call, django_capture_on_commit_callbacks)

    assert mail.outbox == []
    assert list(CandidacyVersion.objects.filter(receipt_sent_at__isnull=True).order_by("pk")) == [first, second]
    assert call_command_output() == "2 receipt(s) mailed.\n"
    assert sorted(message.to[0] for message in mail.outbox) == sorted(
        [first.submitted_by.email, second.submitted_by.email]
    )
    assert CandidacyVersion.objects.filter(receipt_sent_at__isnull=True).count() == 0
    assert call_command_output() == "0 receipt(s) mailed.\n"
    assert len(mail.outbox) == 2


def test_a_receipt_the_mail_server_refused_stays_in_the_outbox_and_goes_out_on_the_next_run(
    maasland_call, settings, django_capture_on_commit_callbacks, monkeypatch
):
    settings.RECEIPT_MAIL = "immediate"

    def refuse(self, *args, **kwargs):
        raise smtplib.SMTPServerDisconnected("down")

    monkeypatch.setattr("django.core.mail.backends.locmem.EmailBackend.send_messages", refuse)
    version = submitted(maasland_call, django_capture_on_commit_callbacks)
    version.refresh_from_db()
    assert version.receipt_sent_at is None
    monkeypatch.undo()

    assert call_command_output() == "1 receipt(s) mailed.\n"
    version.refresh_from_db()
    assert version.receipt_sent_at is not None
    assert len(mail.outbox) == 1


def call_command_output():
    out = io.StringIO()
    call_command("send_receipts", stdout=out)
    return out.getvalue()
