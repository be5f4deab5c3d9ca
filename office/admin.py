"""The office in admin: the start page with every call's dashboard and what is still to be communicated
(templatetags/office_admin.py), and the log of the reminders sent (office/reminders.py).

The office's admin pages that are no model's are in admin_urls.py."""

from django.contrib import admin

from jury.models import ReminderSent
from maasland.admin import DutchMessagesMixin

# Set here rather than by a template override: django.contrib.admin precedes this app in INSTALLED_APPS.
admin.site.index_template = "admin/office/index.html"


@admin.register(ReminderSent)
class ReminderSentAdmin(DutchMessagesMixin, admin.ModelAdmin):
    """What the daily reminder command mailed: read only."""

    list_display = ["sent_at", "call", "recipient"]
    list_filter = ["call"]
    list_select_related = ["call"]
    search_fields = ["recipient"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
