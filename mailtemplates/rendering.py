"""The text of a mail: the default or the stored text of its kind, filled with the values of its placeholders.

Why it looks like this:
- A call manager edits texts in admin (model `MailTemplate`), so a stored text may only hold plain placeholders
  such as `{{ naam }}`, filled by substitution here; no template code of hers ever runs.
- A kind's default is not a row but the Django template of the app that sends it, rendered in the active language
  with each placeholder standing for itself ("Dag {{ naam }},"). Without a row, a mail is exactly what it was before
  (the golden files), and it follows the code and the translations. A row for the call replaces the default for
  that call; a row without a call replaces it for every call without its own.
- The placeholders about the call and the portal (`oproep`, `contact`, `portaal`) are filled by `call_values` only,
  for every mail and for the admin's preview, so a call is named the same way everywhere (as its letter names it).
"""

import logging

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import translation

from .catalogue import KINDS, NAME, PLACEHOLDER, SAMPLES, problems, token

logger = logging.getLogger(__name__)

DEFAULT_PORTAL_BASE_URL = "http://127.0.0.1:8000"


def portal_language():
    """The language of the mails about a call, and of the texts shown to the call manager."""
    return settings.LANGUAGE_CODE


def valid_days():
    """How long a mailed account link works, in whole days."""
    return settings.PASSWORD_RESET_TIMEOUT // (24 * 60 * 60)


def invitation_valid_days():
    """How long an invitation's link works, in whole days."""
    return settings.INVITATION_VALID_DAYS


def link_valid_days(kind):
    """The days the mailed link of this kind works, as its default text says."""
    return invitation_valid_days() if kind.link_validity == "invitation" else valid_days()


def portal_url(path):
    """An absolute link for a mail, which has no request to take the host from."""
    return getattr(settings, "PORTAL_BASE_URL", DEFAULT_PORTAL_BASE_URL).rstrip("/") + path


def contact_text(call):
    """'Liesbet Adams, liesbet.adams@maasmechelen.be, 089/76.98.75', with the organisation in brackets after the
    name when the call names one."""
    name = f"{call.contact_name} ({call.contact_organisation})" if call.contact_organisation else call.contact_name
    return ", ".join(part for part in (name, call.contact_email, call.contact_phone) if part)


def call_values(call):
    """The placeholders every mail about a call fills the same way: the call's full name (what its letters print),
    its contact and the portal's name."""
    return {"oproep": call.full_title, "contact": contact_text(call), "portaal": settings.PORTAL_NAME}


def preview_values(call=None):
    """Sample values for the admin's preview, with the call's own values when the text belongs to a call."""
    values = dict(SAMPLES)
    if call is not None:
        values.update(call_values(call))
    return values


def default_text(key, *, language=None):
    """(subject, body) of the kind's default, with its placeholders unfilled, in the given or active language."""
    kind = KINDS[key]
    context = {name: token(name) for name in kind.placeholders}
    context.update(kind.flags, valid_days=link_valid_days(kind))
    with translation.override(language or translation.get_language()):
        subject = " ".join(render_to_string(kind.subject_template, context).split())
        body = render_to_string(kind.body_template, context)
    return subject, body


def fill(text, values):
    """Replaces each known placeholder by its value in one pass, so a value that looks like a placeholder stays
    as it is; anything else is left untouched (a saved text has been checked already)."""

    def value(match):
        name = match.group(1).strip()
        if NAME.fullmatch(name) and name in values:
            return str(values[name])
        return match.group()

    return PLACEHOLDER.sub(value, text)


def fill_text(subject, body, values):
    """(subject on one line, body) with the placeholders filled."""
    return " ".join(fill(subject, values).split()), fill(body, values)


def stored_text(key, call=None):
    """The MailTemplate row that applies: the call's own, else the portal-wide one, else None (one query)."""
    from .models import MailTemplate

    rows = MailTemplate.objects.filter(kind=key, call__isnull=True)
    if call is not None:
        rows = MailTemplate.objects.filter(kind=key, call=call) | rows
    return min(rows, key=lambda row: row.call_id is None, default=None)


def compose(key, values, *, call=None):
    """(subject, body) of a mail of this kind, filled with `values` (placeholder name to text). Renders the
    default in the active language: callers choose it (the portal's language, or the visitor's)."""
    row = stored_text(key, call)
    if row is not None and problems(key, subject=row.subject, body=row.body):
        # Stored before today's checks (a link of its own) or past them: the default goes out instead.
        logger.warning("The stored text %s of %r fails its check; the default text is sent.", row.pk, key)
        row = None
    subject, body = (row.subject, row.body) if row is not None else default_text(key)
    return fill_text(subject, body, values)
