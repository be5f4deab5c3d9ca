"""The one way the portal mails after a commit: texts in the portal's language, and a mail server that fails
is logged, never raised, so the state change that triggered the mail stands (the portal shows it too).

`send_kind` takes its text from maasland.mailtemplates (the call's own text, the portal-wide one, or the default);
`send_templated` renders Django templates directly, for a mail that has no kind in that catalogue."""

import logging
import smtplib

from django.conf import settings
from django.core.mail import EmailMessage
from django.template.loader import render_to_string
from django.utils import translation

from .mailtemplates import compose

logger = logging.getLogger(__name__)


def send_templated(subject_template, body_template, context, *, to, cc=None, reply_to=None, attachments=()):
    """Renders a one-line subject and a body and sends them; returns the number of messages sent (0 or 1).
    `attachments` holds (file name, content, MIME type) triples."""
    with translation.override(settings.LANGUAGE_CODE):
        subject = " ".join(render_to_string(subject_template, context).split())
        body = render_to_string(body_template, context)
    return send_text(subject, body, to=to, cc=cc, reply_to=reply_to, attachments=attachments)


def send_kind(kind, values, *, call=None, to, cc=None, reply_to=None, attachments=()):
    """Sends the mail of this kind (see maasland.mailtemplates) filled with `values`; returns 0 or 1."""
    with translation.override(settings.LANGUAGE_CODE):
        subject, body = compose(kind, values, call=call)
    return send_text(subject, body, to=to, cc=cc, reply_to=reply_to, attachments=attachments)


def send_text(subject, body, *, to, cc=None, reply_to=None, attachments=()):
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
