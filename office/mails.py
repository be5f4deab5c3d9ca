"""The mail the office sends (office/reminders.py), declared in the catalogue of the mailtemplates app."""

from django.utils.translation import gettext_lazy as _

from mailtemplates.catalogue import Kind, register

register(
    Kind(
        "reminders_digest",
        _("Daily reminder of decisions and weerwoorden (to the call managers)"),
        "office/emails/reminders_subject.txt",
        "office/emails/reminders_body.txt",
        ("datum", "oproep", "overzicht", "portaal"),
        required=("overzicht",),
    ),
)
