"""The one way the portal mails after a commit: templates in the portal's language, and a mail server that fails
is logged, never raised, so the state change that triggered the mail stands (the portal shows it too)."""

import logging
import smtplib

from django.conf import settings
from django.core.mail import EmailMessage
from django.template.loader import render_to_string
from django.utils import translation

logger = logging.getLogger(__name__)


def send_templated(subject_template, body_template, context, *, to, cc=None, reply_to=None, attachments=()):
    """Renders a one-line subject and a body and sends them; returns the number of messages sent (0 or 1).
    `attachments` holds (file name, content, MIME type) triples."""
    with translation.override(settings.LANGUAGE_CODE):
        subject = " ".join(render_to_string(subject_template, context).split())
        body = render_to_string(body_template, context)
    message = EmailMessage(
        subject=subject, body=body, from_email=settings.DEFAULT_FROM_EMAIL, to=to, cc=cc, reply_to=reply_to
    )
    for name, content, mimetype in attachments:
        message.attach(name, content, mimetype)
    try:
        return message.send()
    except (smtplib.SMTPException, OSError):
        logger.exception("The mail %r to %s could not be sent.", subject, ", ".join(to))
        return 0
