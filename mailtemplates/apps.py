from django.apps import AppConfig
from django.utils.module_loading import autodiscover_modules
from django.utils.translation import gettext_lazy as _


class MailtemplatesConfig(AppConfig):
    """The portal's e-mails: the catalogue of kinds and their placeholders (catalogue.py), the texts per call,
    editable in admin (models.py, admin.py), the composing (rendering.py) and the sending (sending.py).

    It imports no app that sends mail: each app declares its kinds in its own `mails.py`, imported here."""

    default_auto_field = "django.db.models.BigAutoField"
    name = "mailtemplates"
    verbose_name = _("E-mail texts")

    def ready(self):
        autodiscover_modules("mails")
