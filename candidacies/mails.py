"""The mails the candidacies app sends (see candidacies/emails.py), declared in the catalogue of the mailtemplates
app: the invitation to join an organisation (portal-wide), and per call the receipt of a submitted version and the news
of every change the call manager or the applicant makes to a candidacy (extension, inadmissible, withdrawal)."""

from django.utils.translation import gettext_lazy as _

from mailtemplates.catalogue import CONTACT, Kind, register

register(
    Kind(
        "organisation_invitation",
        _("Invitation to join an organisation"),
        "candidacies/emails/invitation_subject.txt",
        "candidacies/emails/invitation.txt",
        ("uitnodiger", "organisatie", "e_mailadres", "link", "registratielink", "portaal"),
        required=("link",),
        per_call=False,
        superusers_only=True,
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
        "extension_granted",
        _("Extension of the deadline for one candidacy"),
        "candidacies/emails/extension_subject.txt",
        "candidacies/emails/extension_body.txt",
        ("titel", "organisatie", "oproep", "verlengd_tot", "reden", "kandidatuur_link", *CONTACT),
        required=("kandidatuur_link",),
    ),
    Kind(
        "candidacy_inadmissible",
        _("Candidacy declared inadmissible, with the reason and how to object"),
        "candidacies/emails/inadmissible_subject.txt",
        "candidacies/emails/inadmissible_body.txt",
        ("titel", "organisatie", "referentie", "oproep", "reden", "kandidatuur_link", *CONTACT),
        required=("reden", "kandidatuur_link"),
    ),
    Kind(
        "withdrawal_confirmed",
        _("Confirmation of a withdrawn candidacy"),
        "candidacies/emails/withdrawal_subject.txt",
        "candidacies/emails/withdrawal_body.txt",
        ("titel", "organisatie", "oproep", "ingetrokken_op", "kandidatuur_link", *CONTACT),
        required=("kandidatuur_link",),
    ),
    Kind(
        "group_mail",
        _("Group mail from the call manager to the contacts of chosen candidacies"),
        "candidacies/emails/group_mail_subject.txt",
        "candidacies/emails/group_mail_body.txt",
        ("titel", "organisatie", "referentie", "oproep", "deadline", "kandidatuur_link", *CONTACT),
    ),
)
