"""The mails the jury app sends (jury/invitations.py, jury/emails.py), declared in the catalogue of the mailtemplates
app; all of them belong to a call."""

from django.utils.translation import gettext_lazy as _

from mailtemplates.catalogue import CONTACT, Kind, register

PITCH = ("organisatie", "titel", "referentie", "oproep", "datum", "begin", "einde")

register(
    Kind(
        "jury_invitation_new_account",
        _("Jury invitation, with a link to choose a password"),
        "jury/emails/jury_invitation_subject.txt",
        "jury/emails/jury_invitation.txt",
        ("naam", "rol", "voorzitterstaken", "oproep", "oproep_link", "wachtwoordlink", "geldig_dagen", *CONTACT),
        required=("wachtwoordlink",),
        superusers_only=True,
        link_validity="invitation",
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
        superusers_only=True,
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
        "weerwoord_assessed_founded",
        _("Weerwoord assessed as founded (to the applicant)"),
        "jury/emails/weerwoord_assessed_subject.txt",
        "jury/emails/weerwoord_assessed_body.txt",
        ("referentie", "titel", "oproep", "motivering", "kandidatuur_link", *CONTACT),
        required=("motivering", "kandidatuur_link"),
        flags={"founded": True},
    ),
    Kind(
        "weerwoord_assessed_unfounded",
        _("Weerwoord assessed as unfounded (to the applicant)"),
        "jury/emails/weerwoord_assessed_subject.txt",
        "jury/emails/weerwoord_assessed_body.txt",
        ("referentie", "titel", "oproep", "motivering", "kandidatuur_link", *CONTACT),
        required=("motivering", "kandidatuur_link"),
        flags={"founded": False},
    ),
)
