from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DemoConfig(AppConfig):
    """Demo data for trying the portal; imports from every other app, nothing imports from it."""

    name = "demo"
    verbose_name = _("Demo")
