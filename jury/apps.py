from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class JuryConfig(AppConfig):
    name = "jury"
    verbose_name = _("Jury")

    def ready(self):
        from . import (
            call_page,  # noqa: F401  (adds how the jury judges to the call's public page)
            landing,  # noqa: F401  (jurors land on the jury page after login)
        )
