"""The one way the portal sends a mail: the text of its kind (rendering.compose) in the portal's language unless the
caller names another. A mail that belongs to a change is queued (`queue_kind`, `queue_text`): composed at once and
sent by a task once the change commits (mailtemplates.tasks.send_message), retried while the mail server fails. A
task that mails from an outbox row sends it itself (`send_kind` with fail_silently=False, so a failure is retried);
elsewhere a mail server that fails is logged, never raised, so the state change that triggered the mail stands."""

import base64
import contextlib
import logging
import smtplib
import uuid
from urllib.parse import urlsplit

from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.db import transaction
from django.utils import translation

from maasland.tasks import after_commit, publish

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


def deliver(email, *, fail_silently=True):
    """Sends a message built by `message`; returns the number sent (0 or 1), logging a mail server that fails (or,
    with fail_silently=False, raising it, for a task to retry)."""
    try:
        return email.send()
    except (smtplib.SMTPException, OSError):
        if not fail_silently:
            raise
        logger.exception("The mail %r to %s could not be sent.", email.subject, ", ".join(email.to))
        return 0


def outbox_message_id(kind, *parts):
    """The Message-ID of the mail of an outbox row, e.g. `<letter-12-1@oproep.maasland.example>`: the same each
    time the row is mailed, so a mail sent again after a crash between the mail server's acceptance and the commit
    that marks the row (docs/tasks.md) is recognisable as the same mail."""
    domain = urlsplit(settings.PORTAL_BASE_URL).hostname or "maasland-portal"
    return f"<{'-'.join([kind, *map(str, parts)])}@{domain}>"


def send_claimed(claim, email):
    """Sends `email` in a transaction if `claim()` (run in it) is true, and commits the claim at once after the mail
    server accepted the mail: the connection is opened after the claim and closed (QUIT) after the commit, so nothing
    but the commit lies between the server's "250" and the row marked sent. Returns 0 or 1; raises the mail server's
    failure (the claim rolls back)."""
    connection = get_connection(fail_silently=False)
    try:
        with transaction.atomic():
            if not claim():
                return 0
            connection.open()
            sent = connection.send_messages([email])
        return sent
    finally:
        with contextlib.suppress(smtplib.SMTPException, OSError):
            connection.close()  # QUIT, after the commit: a mail server that fails here changes nothing sent


def send_once(owed, email, *, fail_silently=True, **stamp):
    """Sends `email` for an outbox row unless it went out already: `owed` is the queryset of that row while the mail
    is owed, and `email` carries the row's Message-ID (`outbox_message_id`). The row is claimed in the transaction
    that sends (a row lock that a second sender skips, then the UPDATE of `stamp` only while it is owed), so two
    senders never mail it twice; when the mail server fails or the process dies before the server accepts the mail,
    the transaction rolls back and the row stays owed (`send_claimed`). Returns 0 or 1; a failure is logged, or
    raised when not fail_silently (for a task to retry)."""
    if "Message-ID" not in email.extra_headers:
        raise ValueError("A mail of an outbox row carries the row's Message-ID (outbox_message_id).")

    def claim():
        return owed.select_for_update(skip_locked=True).values_list("pk", flat=True).first() is not None and bool(
            owed.update(**stamp)
        )

    try:
        return send_claimed(claim, email)
    except (smtplib.SMTPException, OSError):
        if not fail_silently:
            raise
        logger.exception("The mail %r to %s could not be sent.", email.subject, ", ".join(email.to))
        return 0


def send_text(subject, body, *, fail_silently=True, **options):
    """Sends a text composed already; takes the options of `message`; returns 0 or 1."""
    return deliver(message(subject, body, **options), fail_silently=fail_silently)


def _compose(kind, values, *, call, language):
    with translation.override(language or settings.LANGUAGE_CODE):
        return compose(kind, values, call=call)


def send_kind(kind, values, *, call=None, language=None, fail_silently=True, **options):
    """Sends the mail of this kind (see catalogue.py) filled with `values`, in `language` (the portal's by
    default); takes the options of `message`; returns 0 or 1."""
    subject, body = _compose(kind, values, call=call, language=language)
    return send_text(subject, body, fail_silently=fail_silently, **options)


def message_data(email):
    """The message as JSON for a task: its attachments' bytes in base64."""
    return {
        "subject": email.subject,
        "body": email.body,
        "from_email": email.from_email,
        "to": list(email.to),
        "cc": list(email.cc),
        "reply_to": list(email.reply_to),
        "headers": dict(email.extra_headers),
        "attachments": [
            [name, base64.b64encode(content if isinstance(content, bytes) else content.encode()).decode(), mimetype]
            for name, content, mimetype in email.attachments
        ],
    }


def message_from_data(data):
    """The message `message_data` wrote."""
    attachments = [(name, base64.b64decode(content), mimetype) for name, content, mimetype in data["attachments"]]
    return message(
        data["subject"],
        data["body"],
        to=data["to"],
        cc=data["cc"],
        reply_to=data["reply_to"],
        headers=data["headers"] or None,
        from_email=data["from_email"],
        attachments=attachments,
    )


def queue_text(subject, body, *, on_commit=True, **options):
    """Queues a text composed already, to be sent by a task once the current transaction commits (or at once, with
    on_commit=False, for a mail that belongs to no change, such as a new password asked for); takes the options of
    `message`. Each queued mail carries a key of its own, so a task run twice sends it once."""
    from .tasks import send_message

    queue = after_commit if on_commit else publish
    queue(send_message, message_data(message(subject, body, **options)), uuid.uuid4().hex)


def queue_kind(kind, values, *, call=None, language=None, on_commit=True, **options):
    """`send_kind`, queued (`queue_text`): the text is composed now, in `language` (the portal's by default)."""
    subject, body = _compose(kind, values, call=call, language=language)
    queue_text(subject, body, on_commit=on_commit, **options)
