"""The mails the accounts app sends (see accounts/emails.py), declared in the catalogue of the mailtemplates app.
They belong to no call: their texts are portal-wide."""

from django.utils.translation import gettext_lazy as _

from mailtemplates.catalogue import Kind, register

register(
    Kind(
        "signup_confirmation",
        _("Sign-up: confirm the e-mail address"),
        "accounts/emails/confirm_subject.txt",
        "accounts/emails/confirm.txt",
        ("naam", "link", "geldig_dagen", "portaal"),
        required=("link",),
        per_call=False,
        superusers_only=True,
    ),
    Kind(
        "signup_already_registered",
        _("Sign-up: the address has an account already"),
        "accounts/emails/already_registered_subject.txt",
        "accounts/emails/already_registered.txt",
        ("naam", "inloglink", "wachtwoord_vergeten_link", "portaal"),
        required=("inloglink",),
        per_call=False,
        superusers_only=True,
    ),
    Kind(
        "password_reset",
        _("Password forgotten"),
        "registration/password_reset_subject.txt",
        "registration/password_reset_email.txt",
        ("naam", "link", "portaal"),
        required=("link",),
        per_call=False,
        superusers_only=True,
    ),
)
