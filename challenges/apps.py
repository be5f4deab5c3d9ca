from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ChallengesConfig(AppConfig):
    name = "challenges"
    verbose_name = _("Calls and regional challenges")

    def ready(self):
        from . import page_cache

        page_cache.watch_the_calls_own_rows()
