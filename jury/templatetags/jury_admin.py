"""The jury's part of the admin index: what is still to be communicated before each call's date."""

from django import template
from django.utils import timezone

from jury import reminders

register = template.Library()


@register.inclusion_tag("admin/jury/decision_dashboard.html", takes_context=True)
def decision_dashboard(context):
    request = context["request"]
    if not request.user.has_perm("jury.view_decision"):
        return {"summaries": []}
    return {"summaries": reminders.dashboard(timezone.now())}
