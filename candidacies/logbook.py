"""The log of the procedure ("Logboek") as people read it: per candidacy or per call, each step with its Brussels
time (19-06-2023 14:30), who took it, what it was, the status before and after and why, in Dutch. The rows are
read in one query, whatever their number (the admin pages, tests/candidacies/test_logbook.py)."""

from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _

from .models import Candidacy, ProcedureStep
from .transitions import moment_text

EMPTY = "—"


def steps(**where):
    return ProcedureStep.objects.filter(**where).select_related("by", "candidacy").order_by("at", "pk")


def _status(value):
    return Candidacy.Status(value).label if value else ""


def row(step):
    source, target = _status(step.from_status), _status(step.to_status)
    change = f"{source} → {target}" if source else (target or EMPTY)
    candidacy = step.candidacy
    return {
        "at": moment_text(step.at),
        "by": (step.by.get_full_name() or step.by.email) if step.by else EMPTY,
        "what": step.get_action_display(),
        "candidacy": (candidacy.reference or candidacy.title) if candidacy else EMPTY,
        "candidacy_id": candidacy.pk if candidacy else None,
        "change": change,
        "why": step.reason or EMPTY,
    }


def page(request, *, title, subject, back_url, rows, per_candidacy, field_history_url=None):
    """The Logboek page of one candidacy or one call, for someone who may view candidacies."""
    if not request.user.has_perm("candidacies.view_candidacy"):
        raise PermissionDenied
    context = {
        **admin.site.each_context(request),
        "title": title,
        "subject": subject,
        "back_url": back_url,
        "rows": rows,
        "per_candidacy": per_candidacy,
        "field_history_url": field_history_url,
        "empty_text": _("No steps yet."),
    }
    return TemplateResponse(request, "admin/candidacies/logbook.html", context)
