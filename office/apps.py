from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OfficeConfig(AppConfig):
    """The call manager's office: what runs or reports on a call as a whole rather than on one stage of the jury's
    work: the admin start page's dashboards (dashboard.py), the coverage of the region's needs (coverage.py), the
    exports (exports.py), the daily reminders (reminders.py) and the anonymisation after the keeping period
    (anonymisation.py). It reads the jury's models and has none of its own; the jury never imports it."""

    name = "office"
    verbose_name = _("Call management")
