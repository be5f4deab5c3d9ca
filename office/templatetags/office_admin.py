"""The admin index for staff: the dashboard of every call (office/dashboard.py), and what is still to be communicated
before each call's decisions date."""

from django import template
from django.utils import timezone

from jury.roles import is_call_manager
from office import dashboard, reminders

register = template.Library()


@register.inclusion_tag("admin/office/call_dashboards.html", takes_context=True)
def call_dashboards(context):
    request = context["request"]
    if not is_call_manager(request.user):
        return {"dashboards": []}
    return {"dashboards": dashboard.call_dashboards(timezone.now())}


@register.inclusion_tag("admin/office/decision_dashboard.html", takes_context=True)
def decision_dashboard(context):
    request = context["request"]
    if not request.user.has_perm("jury.view_decision"):
        return {"summaries": []}
    return {"summaries": reminders.dashboard(timezone.now())}
