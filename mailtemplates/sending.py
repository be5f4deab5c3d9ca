"""The one way the portal sends a mail: the text of its kind (rendering.compose) in the portal's language unless the
caller names another, and a mail server that fails is logged, never raised, so the state change that triggered
the mail stands (the portal shows it too)."""

import logging
import smtplib

from django.conf import settings
from django.core.mail import EmailMessage
from django.utils import translation

from .rendering import compose

logger = logging.getLogger(__name__)


def message(subject, body, *, to, cc=None, reply_to=None, attachments=(), headers=None, from_email=None):
    """The message, not sent yet; `attachments` holds (file name, content, MIME type) triples."""
    email = EmailMessage(
        subject=subject,
        body=body,
        from_email=from_email or settings.DEFAULT_FROM_EMAIL,
        to=to,
        cc=cc,
        reply_to=reply_to,
        headers=headers,
    )
    for name, content, mimetype in attachments:
        email.attach(name, content, mimetype)
    return email


def deliver(email):
    """Sends a message built by `message`; returns the number sent (0 or 1), logging a mail server that fails."""
    try:
        return email.send()
    except (smtplib.SMTPException, OSError):
        logger.exception("The mail %r to %s could not be sent.", email.subject, ", ".join(email.to))
        return 0


def send_text(subject, body, **options):
    """Sends a text composed already; takes the options of `message`; returns 0 or 1."""
    return deliver(message(subject, body, **options))


def send_kind(kind, values, *, call=None, language=None, **options):
    """Sends the mail of this kind (see catalogue.py) filled with `values`, in `language` (the portal's by
    default); takes the options of `message`; returns 0 or 1."""
    with translation.override(language or settings.LANGUAGE_CODE):
        subject, body = compose(kind, values, call=call)
    return send_text(subject, body, **options)
