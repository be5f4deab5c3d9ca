from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MaaslandConfig(AppConfig):
    """The project's shared code as an app, so that its admin (locked accounts) and signal receivers load at start."""

    name = "maasland"
    verbose_name = _("Security")

    def ready(self):
        from . import sessions  # noqa: F401  (connects the staff session stamp to user_logged_in)
