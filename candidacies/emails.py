"""E-mails the candidacies app sends: the receipt of each submitted version, and the invitation to join an
organisation (their kinds: candidacies/mails.py). The mailtemplates app gives their texts (per call for the receipt,
portal-wide for the invitation, which belongs to no call) and sends them."""

from urllib.parse import urlencode

from django.conf import settings
from django.urls import reverse
from django.utils import timezone, translation

from mailtemplates.rendering import call_values, compose, portal_url
from mailtemplates.sending import send_kind

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


def send_receipt(version):
    """Mails the PDF receipt of a submitted version; returns the number of messages sent (0 or 1).

    Runs after the submission is committed, so a mail server that fails is logged and does not undo or hide
    the submission: the receipt can still be downloaded from the candidacy page.
    """
    to, cc = receipt_recipients(version)
    call = version.candidacy.call
    with translation.override(settings.LANGUAGE_CODE):
        values = receipt_mail_values(version)
    return send_kind(
        "receipt",
        values,
        call=call,
        to=to,
        cc=cc,
        reply_to=[call.contact_email] if call.contact_email else None,
        attachments=[(values["bestandsnaam"], render_receipt_pdf(version), "application/pdf")],
    )


def mail_receipt(version, *, at):
    """Mails the receipt of a version whose receipt has not gone out yet and records when; returns 0 or 1.

    The version is claimed first (one UPDATE), so two senders never mail one receipt twice; when the mail server
    fails the claim is undone and the receipt stays in the outbox for the next `send_receipts`.
    """
    claimed = CandidacyVersion.objects.filter(pk=version.pk, receipt_sent_at__isnull=True).update(receipt_sent_at=at)
    if not claimed:
        return 0
    sent = send_receipt(version)
    if not sent:
        CandidacyVersion.objects.filter(pk=version.pk).update(receipt_sent_at=None)
    return sent


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
    """What the submission's request does about the receipt once committed (settings.RECEIPT_MAIL)."""
    if settings.RECEIPT_MAIL == "immediate":
        mail_receipt(version, at=timezone.now())


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
    return send_kind(
        "extension_granted",
        values,
        call=call,
        to=applicant_recipients(candidacy),
        reply_to=[call.contact_email] if call.contact_email else None,
    )


def _send_to_applicants(kind, candidacy, **values):
    """One mail about a candidacy to everyone it concerns (applicant_recipients), replies to the call's contact."""
    call = candidacy.call
    return send_kind(
        kind,
        {**candidacy_values(candidacy), **values},
        call=call,
        to=applicant_recipients(candidacy),
        reply_to=[call.contact_email] if call.contact_email else None,
    )


def send_inadmissible(candidacy):
    """The call manager declared the candidacy inadmissible: why, and how to object."""
    with translation.override(settings.LANGUAGE_CODE):
        return _send_to_applicants("candidacy_inadmissible", candidacy, reden=candidacy.status_reason)


def send_withdrawal_confirmed(candidacy):
    """Confirms a withdrawal to every member, so no one learns of it only when the deadline has passed."""
    with translation.override(settings.LANGUAGE_CODE):
        return _send_to_applicants(
            "withdrawal_confirmed", candidacy, ingetrokken_op=moment_text(candidacy.withdrawn_at)
        )
