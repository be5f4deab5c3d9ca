from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "accounts"
    verbose_name = _("Accounts")

    def ready(self):
        from django.utils.module_loading import autodiscover_modules

        from . import two_factor  # noqa: F401  (asks the second factor at login of those who set it up)

        # Each app's personal_data.py registers its part of a person's data download.
        autodiscover_modules("personal_data")
