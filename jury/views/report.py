"""The decision report of a call as a PDF (jury/report.py), for the chair of that call and the call managers; the
admin links to it from the call's page and the dashboard."""

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.http import content_disposition_header

from accounts import two_factor
from challenges.models import Call

from .. import report, roles


def may_have_report(user, call):
    """The call managers (a superuser too) and the chair of the call; nobody else, not even the deputy chair."""
    return roles.is_call_manager(user) or roles.is_chair(user, call)


def report_access(user, call):
    """None when the user may not have the call's report (`may_have_report`), else the candidacies whose figures are
    hidden from them: none for a call manager, the chair's conflicts for the chair."""
    if roles.is_call_manager(user):
        return set()
    seat = roles.chair_of(user, call)
    if seat is None:
        return None
    return roles.hidden_candidacies(user, call, seat)


@login_required
def decision_report(request, call_slug):
    call = get_object_or_404(Call, slug=call_slug)
    hidden = report_access(request.user, call)
    if hidden is None:
        raise Http404
    # The chair reads it as a jury page: behind the second factor when the call asks for it (staff always pass it).
    two_factor.require(request, call.jury_requires_two_factor)
    now = timezone.now()
    response = HttpResponse(report.render_report_pdf(call, at=now, hidden=hidden), content_type="application/pdf")
    response["Content-Disposition"] = content_disposition_header(True, report.report_file_name(call, now))
    return response
