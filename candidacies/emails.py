"""E-mails the candidacies app sends: the receipt of each submitted version, and the invitation to join an
organisation (their kinds: candidacies/mails.py). The mailtemplates app gives their texts (per call for the receipt,
portal-wide for the invitation, which belongs to no call) and sends them."""

from urllib.parse import urlencode

from django.conf import settings
from django.urls import reverse
from django.utils import timezone, translation

from maasland.tasks import publish
from mailtemplates.rendering import call_values, compose, portal_url
from mailtemplates.sending import message, outbox_message_id, queue_kind, send_once

from .models import CandidacyVersion
from .receipts import moment_text, receipt_file_name, render_receipt_pdf


def applicant_recipients(candidacy, member_emails=None):
    """Whom a mail about a candidacy goes to: every active member of the organisation, and the candidacy's contact
    when that is someone else. `member_emails` (the active members' addresses, by e-mail) when read already."""
    if member_emails is None:
        member_emails = (
            candidacy.organisation.members.filter(is_active=True).order_by("email").values_list("email", flat=True)
        )
    recipients = list(member_emails)
    contact_email = candidacy.contact_email.strip()
    if contact_email and contact_email.lower() not in {email.lower() for email in recipients}:
        recipients.append(contact_email)
    return recipients


def candidacy_values(candidacy):
    """The placeholders that name a candidacy in every mail about it: organisation, title, reference, the link to
    its page, and those of its call (mailtemplates.rendering.call_values)."""
    return {
        "organisatie": candidacy.organisation.name,
        "titel": candidacy.title,
        "referentie": candidacy.reference,
        "kandidatuur_link": portal_url(candidacy.get_absolute_url()),
        **call_values(candidacy.call),
    }


def receipt_recipients(version):
    """The submitter, and in copy the candidacy's contact when that is someone else."""
    to = [version.submitted_by.email]
    contact_email = (version.content.get("contact_email") or "").strip()
    cc = [contact_email] if contact_email and contact_email.lower() != version.submitted_by.email.lower() else []
    return to, cc


def receipt_mail_values(version):
    """The receipt's placeholders (see candidacies/mails.py), in the active language."""
    candidacy = version.candidacy
    call = candidacy.call
    content = version.content
    return {
        "naam": version.submitted_by.get_full_name(),
        "referentie": content["reference"],
        "versie": version.number,
        "titel": content["title"],
        "organisatie": content["organisation"]["name"],
        "ingediend_op": moment_text(version.submitted_at),
        "kandidatuur_link": portal_url(candidacy.get_absolute_url()),
        "deadline": moment_text(candidacy.deadline()),
        "bestandsnaam": receipt_file_name(version),
        **call_values(call),
    }


def receipt_message(version):
    """The receipt of a submitted version, with its PDF, ready to send."""
    to, cc = receipt_recipients(version)
    call = version.candidacy.call
    with translation.override(settings.LANGUAGE_CODE):
        values = receipt_mail_values(version)
        subject, body = compose("receipt", values, call=call)
    return message(
        subject,
        body,
        to=to,
        cc=cc,
        reply_to=[call.contact_email] if call.contact_email else None,
        attachments=[(values["bestandsnaam"], render_receipt_pdf(version), "application/pdf")],
        headers={"Message-ID": outbox_message_id("receipt", version.pk)},
    )


def mail_receipt(version, *, at, fail_silently=True):
    """Mails the receipt of a version whose receipt has not gone out yet and records when; returns 0 or 1.

    The version is the outbox row, claimed as it is mailed (mailtemplates.sending.send_once), so two senders never
    mail one receipt twice and a failing mail server leaves it owed. A failure is logged and 0 returned, or raised
    with fail_silently=False (candidacies.tasks.mail_receipt retries it).
    """
    owed = CandidacyVersion.objects.filter(pk=version.pk, receipt_sent_at__isnull=True)
    if not owed.exists():
        return 0
    return send_once(owed, receipt_message(version), fail_silently=fail_silently, receipt_sent_at=at)


def pending_receipts():
    return (
        CandidacyVersion.objects.filter(receipt_sent_at__isnull=True)
        .select_related("candidacy__call", "candidacy__organisation", "submitted_by")
        .order_by("submitted_at", "pk")
    )


def send_pending_receipts(*, at=None):
    """Mails every receipt still in the outbox, oldest first; returns how many went out."""
    return sum(mail_receipt(version, at=at or timezone.now()) for version in pending_receipts())


def after_submission(version):
    """What the submission does about the receipt once committed (settings.RECEIPT_MAIL): "immediate" queues the
    task that mails it; "queued" leaves it to the sweep (candidacies.tasks.send_pending_receipts, send_receipts)."""
    if settings.RECEIPT_MAIL == "immediate":
        from .tasks import mail_receipt as mail_receipt_task

        publish(mail_receipt_task, version.pk)


def invitation_mail(invitation, *, base_url):
    """(subject, body) of the invitation to join an organisation, in the active language; base_url is the
    portal's address (scheme and host)."""
    accept_path = reverse("candidacies:invitation_accept", kwargs={"token": invitation.token})
    base_url = base_url.rstrip("/")
    return compose(
        "organisation_invitation",
        {
            "uitnodiger": invitation.invited_by.get_full_name(),
            "organisatie": invitation.organisation.name,
            "e_mailadres": invitation.email,
            "link": base_url + accept_path,
            "registratielink": base_url + reverse("accounts:signup") + "?" + urlencode({"next": accept_path}),
            "portaal": settings.PORTAL_NAME,
        },
    )


def send_extension_granted(candidacy):
    """Tells the applicants until when their candidacy can still be changed and submitted, and why."""
    with translation.override(settings.LANGUAGE_CODE):
        values = {
            **candidacy_values(candidacy),
            "verlengd_tot": moment_text(candidacy.extended_until),
            "reden": candidacy.extension_reason,
        }
    call = candidacy.call
    queue_kind(
        "extension_granted",
        values,
        call=call,
        to=applicant_recipients(candidacy),
        reply_to=[call.contact_email] if call.contact_email else None,
    )


def _send_to_applicants(kind, candidacy, **values):
    """One mail about a candidacy to everyone it concerns (applicant_recipients), replies to the call's contact;
    queued, to leave once the change commits."""
    call = candidacy.call
    queue_kind(
        kind,
        {**candidacy_values(candidacy), **values},
        call=call,
        to=applicant_recipients(candidacy),
        reply_to=[call.contact_email] if call.contact_email else None,
    )


def send_inadmissible(candidacy):
    """The call manager declared the candidacy inadmissible: why, and how to object."""
    with translation.override(settings.LANGUAGE_CODE):
        _send_to_applicants("candidacy_inadmissible", candidacy, reden=candidacy.status_reason)


def send_withdrawal_confirmed(candidacy):
    """Confirms a withdrawal to every member, so no one learns of it only when the deadline has passed."""
    with translation.override(settings.LANGUAGE_CODE):
        _send_to_applicants("withdrawal_confirmed", candidacy, ingetrokken_op=moment_text(candidacy.withdrawn_at))
