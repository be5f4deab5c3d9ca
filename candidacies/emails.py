"""E-mails the candidacies app sends: the receipt of each submitted version."""

from django.conf import settings
from django.utils import translation

from maasland.mail import send_templated

from .receipts import moment_text, receipt_file_name, render_receipt_pdf

DEFAULT_PORTAL_BASE_URL = "http://127.0.0.1:8000"


def portal_url(path):
    """An absolute link for a mail, which has no request to take the host from."""
    return getattr(settings, "PORTAL_BASE_URL", DEFAULT_PORTAL_BASE_URL).rstrip("/") + path


def receipt_recipients(version):
    """The submitter, and in copy the candidacy's contact when that is someone else."""
    to = [version.submitted_by.email]
    contact_email = (version.content.get("contact_email") or "").strip()
    cc = [contact_email] if contact_email and contact_email.lower() != version.submitted_by.email.lower() else []
    return to, cc


def contact_text(call):
    """'Liesbet Adams (Gemeente Maasmechelen), liesbet.adams@maasmechelen.be, 089/76.98.75'."""
    name = f"{call.contact_name} ({call.contact_organisation})" if call.contact_organisation else call.contact_name
    return ", ".join(part for part in (name, call.contact_email, call.contact_phone) if part)


def receipt_mail_context(version):
    candidacy = version.candidacy
    call = candidacy.call
    content = version.content
    return {
        "recipient_name": version.submitted_by.full_name,
        "reference": content["reference"],
        "version_number": version.number,
        "title": content["title"],
        "organisation_name": content["organisation"]["name"],
        "call_title": " – ".join(part for part in (content["call"]["title"], content["call"]["subtitle"]) if part),
        "submitted_at_text": moment_text(version.submitted_at),
        "candidacy_url": portal_url(candidacy.get_absolute_url()),
        "deadline_text": moment_text(candidacy.deadline()),
        "file_name": receipt_file_name(version),
        "contact": contact_text(call),
        "contact_email": call.contact_email,
        "portal_name": settings.PORTAL_NAME,
    }


def send_receipt(version):
    """Mails the PDF receipt of a submitted version; returns the number of messages sent (0 or 1).

    Runs after the submission is committed, so a mail server that fails is logged and does not undo or hide
    the submission: the receipt can still be downloaded from the candidacy page.
    """
    to, cc = receipt_recipients(version)
    with translation.override(settings.LANGUAGE_CODE):
        context = receipt_mail_context(version)
    return send_templated(
        "candidacies/emails/receipt_subject.txt",
        "candidacies/emails/receipt_body.txt",
        context,
        to=to,
        cc=cc,
        reply_to=[context["contact_email"]] if context["contact_email"] else None,
        attachments=[(context["file_name"], render_receipt_pdf(version), "application/pdf")],
    )
