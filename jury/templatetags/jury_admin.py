"""The admin index for staff: the dashboard of every call (jury/dashboard.py), and what is still to be communicated
before each call's decisions date."""

from django import template
from django.utils import timezone

from jury import dashboard, reminders
from jury.roles import is_call_manager

register = template.Library()


@register.inclusion_tag("admin/jury/call_dashboards.html", takes_context=True)
def call_dashboards(context):
    request = context["request"]
    if not is_call_manager(request.user):
        return {"dashboards": []}
    return {"dashboards": dashboard.call_dashboards(timezone.now())}


@register.inclusion_tag("admin/jury/decision_dashboard.html", takes_context=True)
def decision_dashboard(context):
    request = context["request"]
    if not request.user.has_perm("jury.view_decision"):
        return {"summaries": []}
    return {"summaries": reminders.dashboard(timezone.now())}
