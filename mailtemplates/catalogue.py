"""The catalogue of the portal's e-mails: every kind, the placeholders it may use and those it needs, what each
placeholder means (shown beside the form in admin) with a sample value (for the preview), and the check that
refuses anything else in a stored text.

Each app declares its own kinds in its `mails.py` with `register(Kind(...), ...)`; `MailtemplatesConfig.ready()`
imports every app's `mails` module, so this app imports none of the apps that send. A kind's default text is the
Django template of the app that sends it (see rendering.py).
"""

import re
from dataclasses import dataclass, field

from django.utils.translation import gettext_lazy as _

from maasland.links import find_link

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
    "oproep": _("the call's full name: its title and subtitle, as its letters print it"),
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
    "verlengd_tot": _("the last second until which the candidacy can still be changed and submitted"),
    "reden": _("the reason the call manager gave"),
    "ingetrokken_op": _("date and time of the withdrawal"),
    "motivering": _("the motivation of the assessment"),
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
    "contact": "Liesbet Adams, liesbet.adams@maasmechelen.be, 089/76.98.75",
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
    "verlengd_tot": "8 juni 2023 om 23:59:59",
    "reden": "Overstroming in het kantoor op 1 juni.",
    "ingetrokken_op": "1 juni 2023 om 11:15:00",
    "motivering": "Het bereik werd over het hoofd gezien.",
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
    # A mail that carries a login or a token (sign-up, password, invitations): only a superuser changes its text.
    superusers_only: bool = False
    # How long the kind's mailed link works: "password_reset" (PASSWORD_RESET_TIMEOUT) or "invitation"
    # (INVITATION_VALID_DAYS); the default text says it (rendering.link_valid_days).
    link_validity: str = "password_reset"
    flags: dict = field(default_factory=dict)  # fixed context that picks this kind's variant of a shared template

    def allowed(self):
        return set(self.placeholders)


# Contact and portal name, which every mail about a call may use (filled by rendering.call_values).
CONTACT = ("contact", "portaal")

KINDS = {}


def register(*kinds):
    """Adds the kinds an app sends to the catalogue (from that app's mails.py); the order of registration is the
    order of the choices in admin."""
    for kind in kinds:
        if kind.key in KINDS and KINDS[kind.key] != kind:
            raise ValueError(f"Two kinds of e-mail are registered as {kind.key!r}.")
        KINDS[kind.key] = kind


def token(name):
    """How a placeholder is written: {{ naam }}."""
    return "{{ " + name + " }}"


def kind_choices():
    return [(kind.key, kind.label) for kind in KINDS.values()]


def placeholder_rows(key):
    """(placeholder as written, what fills it, required) for each placeholder of the kind: the table beside a form."""
    kind = KINDS[key]
    return [(token(name), DESCRIPTIONS[name], name in kind.required) for name in kind.placeholders]


def problems(key, *, subject, body):
    """What is wrong with a text for this kind, as {field: [Dutch message, ...]}; empty when it may be saved.

    Only the placeholders of the kind, and no link of the text's own: every link in a mail is one the portal made
    (a text with https://evil.example/login?next={{ link }} would send a reset token to a foreign page)."""
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
        found = find_link(PLACEHOLDER.sub(" ", text))
        if found:
            messages.append(
                _(
                    "An e-mail text may hold no links, web or e-mail addresses of its own (found: “%(found)s”): the "
                    "portal fills them in itself through placeholders, such as {{ link }} and {{ contact }}."
                )
                % {"found": found}
            )
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
