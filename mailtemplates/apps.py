from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MailtemplatesConfig(AppConfig):
    """The texts of the portal's e-mails, per call, editable in admin; the catalogue of kinds and the composing
    live in maasland/mailtemplates.py so that every app, accounts too, can use them."""

    default_auto_field = "django.db.models.BigAutoField"
    name = "mailtemplates"
    verbose_name = _("E-mail texts")
