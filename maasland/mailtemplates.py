"""The text of every e-mail the portal sends: a catalogue of kinds with the placeholders each may use, the check
that refuses anything else, and the composing of a mail from a stored text or the default.

Why it looks like this:
- A call manager edits texts in admin (app `mailtemplates`, model `MailTemplate`), so a stored text may only hold
  plain placeholders such as `{{ naam }}`, filled by substitution here; no template code of hers ever runs.
- A kind's default is not a row but today's Django template of the app that sends it, rendered in the active
  language with each placeholder standing for itself ("Dag {{ naam }},"). Without a row, a mail is exactly what it
  was before (the golden files), and it follows the code and the translations. A row for the call replaces the
  default for that call; a row without a call replaces it for every call without its own.
- This is shared code, so that accounts (which comes before challenges) can use it too: the model is looked up by
  name when a mail is composed, never imported.
"""

import re
from dataclasses import dataclass, field

from django.apps import apps
from django.conf import settings
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.translation import gettext_lazy as _

PLACEHOLDER = re.compile(r"\{\{(.*?)\}\}", re.DOTALL)
NAME = re.compile(r"[a-z][a-z0-9_]*")
TEMPLATE_CODE = re.compile(r"\{%|%\}|\{#|#\}")

DESCRIPTIONS = {
    "naam": _("the recipient's name"),
    "portaal": _("the portal's name"),
    "link": _("the link the recipient has to open"),
    "geldig_dagen": _("for how many days the link works"),
    "inloglink": _("the link to the login page"),
    "wachtwoord_vergeten_link": _("the link to choose a new password when it is forgotten"),
    "wachtwoordlink": _("the link to choose a password for the new account"),
    "uitnodiger": _("the name of the member who invites"),
    "organisatie": _("the organisation's name"),
    "e_mailadres": _("the invited e-mail address"),
    "registratielink": _("the link to sign up first"),
    "titel": _("the candidacy's title"),
    "referentie": _("the candidacy's reference"),
    "versie": _("the number of the submitted version"),
    "oproep": _("the call's title"),
    "ingediend_op": _("date and time of filing"),
    "bestandsnaam": _("the name of the attached file"),
    "kandidatuur_link": _("the link to the candidacy's page"),
    "deadline": _("the deadline for candidacies"),
    "contact": _("the call's contact: name, organisation, e-mail address and phone"),
    "rol": _("chair or member"),
    "voorzitterstaken": _("the sentence on the chair's extra tasks (empty for a member)"),
    "oproep_link": _("the link to the call's page"),
    "datum": _("the day, e.g. monday 19 June 2023"),
    "begin": _("the starting time"),
    "einde": _("the ending time"),
    "waar": _("the lines with the place and the video link, each only when there is one"),
    "plaats": _("the place"),
    "videolink": _("the video link"),
    "pitch_link": _("the link to the candidacy's pitch page"),
    "beslissing": _("the decision: selected or not selected"),
    "weerwoord_tot": _("until when a weerwoord can be filed"),
    "beheer_link": _("the link to the weerwoord in the administration"),
    "overzicht": _("the overview of what is due, made by the portal"),
}

# Values shown in the admin's preview; the call's own title and contact replace these when the text has a call.
SAMPLES = {
    "naam": "An Peeters",
    "portaal": "Lokaal Partnerschap Maasland",
    "link": "https://oproep.maasland.example/account/bevestigen/MQ/voorbeeld/",
    "geldig_dagen": "3",
    "inloglink": "https://oproep.maasland.example/account/inloggen/",
    "wachtwoord_vergeten_link": "https://oproep.maasland.example/account/wachtwoord/vergeten/",
    "wachtwoordlink": "https://oproep.maasland.example/account/wachtwoord/nieuw/MQ/voorbeeld/",
    "uitnodiger": "An Peeters",
    "organisatie": "vzw De Brug",
    "e_mailadres": "sara.janssens@debrug.example",
    "registratielink": "https://oproep.maasland.example/account/registreren/",
    "titel": "Samen naar werk in Maasland",
    "referentie": "MAAS-2023-001",
    "versie": "1",
    "oproep": "Capacity Building Lokale Partnerschappen – Lokaal Addendum – werkingsregio Maasland",
    "ingediend_op": "31 mei 2023 om 14:30:15",
    "bestandsnaam": "ontvangstbewijs-MAAS-2023-001-v1.pdf",
    "kandidatuur_link": "https://oproep.maasland.example/kandidaturen/1/",
    "deadline": "1 juni 2023 om 23:59:59",
    "contact": "Liesbet Adams (Gemeente Maasmechelen), liesbet.adams@maasmechelen.be, 089/76.98.75",
    "rol": "lid",
    "voorzitterstaken": "",
    "oproep_link": "https://oproep.maasland.example/oproepen/maasland-2023/",
    "datum": "maandag 19 juni 2023",
    "begin": "09:30",
    "einde": "10:15",
    "waar": "Waar: Gemeentehuis Maasmechelen, raadzaal\n",
    "plaats": "Gemeentehuis Maasmechelen, raadzaal",
    "videolink": "",
    "pitch_link": "https://oproep.maasland.example/kandidaturen/1/pitch/",
    "beslissing": "niet geselecteerd",
    "weerwoord_tot": "28 juli 2023 om 23:59",
    "beheer_link": "https://oproep.maasland.example/admin/jury/weerwoord/1/change/",
    "overzicht": (
        "\n1 weerwoord wacht op een beoordeling:\n- MAAS-2023-001 – vzw De Brug, ingediend op 20 juli 2023 om 15:00:\n"
    ),
}


@dataclass(frozen=True)
class Kind:
    """One e-mail the portal sends: its default templates, the placeholders it may use and those it needs."""

    key: str
    label: str
    subject_template: str
    body_template: str
    placeholders: tuple
    required: tuple = ()
    per_call: bool = True
    flags: dict = field(default_factory=dict)  # fixed context that picks this kind's variant of a shared template

    def allowed(self):
        return set(self.placeholders)


PITCH = ("organisatie", "titel", "referentie", "oproep", "datum", "begin", "einde")
CONTACT = ("contact", "portaal")

KINDS = {
    kind.key: kind
    for kind in [
        Kind(
            "signup_confirmation",
            _("Sign-up: confirm the e-mail address"),
            "accounts/emails/confirm_subject.txt",
            "accounts/emails/confirm.txt",
            ("naam", "link", "geldig_dagen", "portaal"),
            required=("link",),
            per_call=False,
        ),
        Kind(
            "signup_already_registered",
            _("Sign-up: the address has an account already"),
            "accounts/emails/already_registered_subject.txt",
            "accounts/emails/already_registered.txt",
            ("naam", "inloglink", "wachtwoord_vergeten_link", "portaal"),
            required=("inloglink",),
            per_call=False,
        ),
        Kind(
            "password_reset",
            _("Password forgotten"),
            "registration/password_reset_subject.txt",
            "registration/password_reset_email.txt",
            ("naam", "link", "portaal"),
            required=("link",),
            per_call=False,
        ),
        Kind(
            "organisation_invitation",
            _("Invitation to join an organisation"),
            "candidacies/emails/invitation_subject.txt",
            "candidacies/emails/invitation.txt",
            ("uitnodiger", "organisatie", "e_mailadres", "link", "registratielink", "portaal"),
            required=("link",),
            per_call=False,
        ),
        Kind(
            "receipt",
            _("Receipt of a submitted candidacy"),
            "candidacies/emails/receipt_subject.txt",
            "candidacies/emails/receipt_body.txt",
            (
                "naam",
                "titel",
                "organisatie",
                "referentie",
                "versie",
                "oproep",
                "ingediend_op",
                "bestandsnaam",
                "kandidatuur_link",
                "deadline",
                *CONTACT,
            ),
            required=("kandidatuur_link",),
        ),
        Kind(
            "jury_invitation_new_account",
            _("Jury invitation, with a link to choose a password"),
            "jury/emails/jury_invitation_subject.txt",
            "jury/emails/jury_invitation.txt",
            ("naam", "rol", "voorzitterstaken", "oproep", "oproep_link", "wachtwoordlink", "geldig_dagen", *CONTACT),
            required=("wachtwoordlink",),
            flags={"needs_password": True},
        ),
        Kind(
            "jury_invitation_existing_account",
            _("Jury invitation, for someone with an account"),
            "jury/emails/jury_invitation_subject.txt",
            "jury/emails/jury_invitation.txt",
            (
                "naam",
                "rol",
                "voorzitterstaken",
                "oproep",
                "oproep_link",
                "inloglink",
                "wachtwoord_vergeten_link",
                *CONTACT,
            ),
            required=("inloglink",),
            flags={"needs_password": False},
        ),
        Kind(
            "pitch_invitation",
            _("Pitch: invitation"),
            "jury/emails/pitch_subject.txt",
            "jury/emails/pitch_body.txt",
            (*PITCH, "waar", "plaats", "videolink", "bestandsnaam", "pitch_link", *CONTACT),
            required=("pitch_link",),
            flags={"kind": "invitation"},
        ),
        Kind(
            "pitch_update",
            _("Pitch: changed moment or place"),
            "jury/emails/pitch_subject.txt",
            "jury/emails/pitch_body.txt",
            (*PITCH, "waar", "plaats", "videolink", "bestandsnaam", "pitch_link", *CONTACT),
            required=("pitch_link",),
            flags={"kind": "update"},
        ),
        Kind(
            "pitch_cancellation",
            _("Pitch: cancelled"),
            "jury/emails/pitch_subject.txt",
            "jury/emails/pitch_body.txt",
            (*PITCH, *CONTACT),
            flags={"kind": "cancellation"},
        ),
        Kind(
            "decision_letter",
            _("Decision letter"),
            "jury/emails/decision_subject.txt",
            "jury/emails/decision_body.txt",
            ("referentie", "titel", "oproep", "beslissing", "kandidatuur_link", "weerwoord_tot", *CONTACT),
            required=("kandidatuur_link",),
            flags={"revised": False},
        ),
        Kind(
            "decision_letter_revised",
            _("Revised decision letter, after a weerwoord"),
            "jury/emails/decision_subject.txt",
            "jury/emails/decision_body.txt",
            ("referentie", "titel", "oproep", "beslissing", "kandidatuur_link", *CONTACT),
            required=("kandidatuur_link",),
            flags={"revised": True},
        ),
        Kind(
            "weerwoord_received",
            _("Weerwoord received (to the applicant)"),
            "jury/emails/weerwoord_received_subject.txt",
            "jury/emails/weerwoord_received_body.txt",
            ("referentie", "ingediend_op", "kandidatuur_link", *CONTACT),
            required=("kandidatuur_link",),
        ),
        Kind(
            "weerwoord_to_assess",
            _("Weerwoord to assess (to the call's contact)"),
            "jury/emails/weerwoord_to_assess_subject.txt",
            "jury/emails/weerwoord_to_assess_body.txt",
            ("organisatie", "referentie", "ingediend_op", "beheer_link", "portaal"),
            required=("beheer_link",),
        ),
        Kind(
            "reminders_digest",
            _("Daily reminder of decisions and weerwoorden (to the call managers)"),
            "jury/emails/reminders_subject.txt",
            "jury/emails/reminders_body.txt",
            ("datum", "oproep", "overzicht", "portaal"),
            required=("overzicht",),
        ),
    ]
}


def token(name):
    """How a placeholder is written: {{ naam }}."""
    return "{{ " + name + " }}"


def kind_choices():
    return [(kind.key, kind.label) for kind in KINDS.values()]


def portal_language():
    """The language of the mails about a call, and of the texts shown to the call manager."""
    return settings.LANGUAGE_CODE


def valid_days():
    """How long a mailed account link works, in whole days."""
    return settings.PASSWORD_RESET_TIMEOUT // (24 * 60 * 60)


def default_text(key, *, language=None):
    """(subject, body) of the kind's default, with its placeholders unfilled, in the given or active language."""
    kind = KINDS[key]
    context = {name: token(name) for name in kind.placeholders}
    context.update(kind.flags, valid_days=valid_days())
    with translation.override(language or translation.get_language()):
        subject = " ".join(render_to_string(kind.subject_template, context).split())
        body = render_to_string(kind.body_template, context)
    return subject, body


def problems(key, *, subject, body):
    """What is wrong with a text for this kind, as {field: [Dutch message, ...]}; empty when it may be saved."""
    kind = KINDS[key]
    allowed = kind.allowed()
    errors = {}
    for field_name, text in (("subject", subject), ("body", body)):
        messages = []
        if TEMPLATE_CODE.search(text):
            messages.append(_("Template code such as {% … %} or {# … #} is not allowed: use only placeholders."))
        for match in PLACEHOLDER.finditer(text):
            name = match.group(1).strip()
            if not NAME.fullmatch(name):
                messages.append(
                    _("“%(placeholder)s” is not a plain placeholder: filters, dots and other code are not allowed.")
                    % {"placeholder": match.group()}
                )
            elif name not in allowed:
                messages.append(
                    _("{{ %(name)s }} is not a placeholder of this e-mail. You can use: %(allowed)s.")
                    % {"name": name, "allowed": ", ".join(token(other) for other in kind.placeholders)}
                )
        rest = PLACEHOLDER.sub("", text)
        if "{{" in rest or "}}" in rest:
            messages.append(_("A placeholder opens with {{ and closes with }}; one of them is missing."))
        if messages:
            errors[field_name] = messages
    used = {match.group(1).strip() for match in PLACEHOLDER.finditer(subject + "\n" + body)}
    missing = [name for name in kind.required if name not in used]
    if missing:
        errors.setdefault("body", []).append(
            _("This e-mail needs %(placeholders)s: without it the recipient cannot go on.")
            % {"placeholders": ", ".join(token(name) for name in missing)}
        )
    return errors


def fill(text, values):
    """Replaces each known placeholder by its value in one pass, so a value that looks like a placeholder stays
    as it is; anything else is left untouched (a saved text has been checked already)."""

    def value(match):
        name = match.group(1).strip()
        if NAME.fullmatch(name) and name in values:
            return str(values[name])
        return match.group()

    return PLACEHOLDER.sub(value, text)


def stored_text(key, call=None):
    """The MailTemplate row that applies: the call's own, else the portal-wide one, else None (one query)."""
    MailTemplate = apps.get_model("mailtemplates", "MailTemplate")
    rows = MailTemplate.objects.filter(kind=key, call__isnull=True)
    if call is not None:
        rows = MailTemplate.objects.filter(kind=key, call=call) | rows
    return min(rows, key=lambda row: row.call_id is None, default=None)


def compose(key, values, *, call=None):
    """(subject, body) of a mail of this kind, filled with `values` (placeholder name to text). Renders the
    default in the active language: callers choose it as before (the portal's language, or the visitor's)."""
    row = stored_text(key, call)
    subject, body = (row.subject, row.body) if row is not None else default_text(key)
    return " ".join(fill(subject, values).split()), fill(body, values)
