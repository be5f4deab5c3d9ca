"""The call manager's admin pages that belong to no single model (routed in admin_urls.py): the coverage of the
region's needs, a call's Logboek, and a call's exports (a page of links, the spreadsheets and the jury's .ics).

Staff only (wrapped by the admin's login in admin_urls.py). The coverage is the call manager's; each export needs the
view permission of what it shows (exports.EXPORTS).
"""

from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from candidacies import logbook
from challenges.models import Call
from jury.roles import is_call_manager
from maasland import spreadsheets

from . import coverage as coverage_matrix
from . import exports

# The call's Logboek


def logbook_page(request, call_id):
    """Every step of the call's procedure, of each candidacy and of the call itself (rounds, slots)."""
    call = get_object_or_404(Call, pk=call_id)
    return logbook.page(
        request,
        title=_("Log: %(call)s") % {"call": call},
        subject=call,
        back_url=reverse("admin:challenges_call_change", args=[call.pk]),
        rows=[logbook.row(step) for step in logbook.steps(call=call)],
        per_candidacy=False,
    )


# The coverage of the region's needs


def _call_for_manager(request, call_id):
    if not is_call_manager(request.user):
        raise PermissionDenied
    return get_object_or_404(Call, pk=call_id)


def coverage(request, call_id):
    """The heat map of one call's needs against its candidacies, with the same figures as a table."""
    call = _call_for_manager(request, call_id)
    matrix = coverage_matrix.coverage(call)
    context = {
        **admin.site.each_context(request),
        "title": _("Coverage of the needs: %(call)s") % {"call": call},
        "call": call,
        "matrix": matrix,
        "heat_map": coverage_matrix.heat_map(matrix),
    }
    return TemplateResponse(request, "admin/office/coverage.html", context)


def coverage_csv(request, call_id):
    call = _call_for_manager(request, call_id)
    return coverage_matrix.csv_response(coverage_matrix.coverage(call), timezone.now())


# A call's exports

TITLES = {
    "kandidaturen": gettext_lazy("Candidacies: one row each, every field"),
    "scores": gettext_lazy("Scores: one row per juror, candidacy and criterion"),
    "ranking": gettext_lazy("Ranking of both rounds, as the chair sees it"),
    "pitchschema": gettext_lazy("Pitch schedule: every slot, in Brussels time"),
}


def _call_for_export(request, call_id, what=None):
    if not request.user.is_staff:
        raise PermissionDenied
    if what is not None and not exports.may_export(request.user, what):
        raise PermissionDenied
    return get_object_or_404(Call, pk=call_id)


def exports_page(request, call_id):
    call = _call_for_export(request, call_id)
    available = [what for what in exports.EXPORTS if exports.may_export(request.user, what)]
    if not available:
        raise PermissionDenied
    rows = [
        {
            "title": TITLES[what],
            "links": [
                (file_format.upper(), reverse("office:export_download", args=[call.pk, what, file_format]))
                for file_format in exports.FORMATS
            ],
        }
        for what in available
    ]
    context = {
        **admin.site.each_context(request),
        "title": _("Exports: %(call)s") % {"call": call},
        "call": call,
        "rows": rows,
        "calendar_url": reverse("office:export_calendar", args=[call.pk]) if "pitchschema" in available else None,
    }
    return TemplateResponse(request, "admin/office/exports.html", context)


def export_download(request, call_id, what, file_format):
    if what not in exports.EXPORTS or file_format not in exports.FORMATS:
        raise Http404
    call = _call_for_export(request, call_id, what)
    stem = spreadsheets.export_stem(call, what, timezone.now())
    return spreadsheets.table_response(exports.table(call, what, request.user), stem, file_format)


def export_calendar(request, call_id):
    call = _call_for_export(request, call_id, "pitchschema")
    now = timezone.now()
    response = HttpResponse(exports.schedule_calendar(call, now=now), content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = content_disposition_header(
        True, f"{spreadsheets.export_stem(call, 'pitchschema', now)}.ics"
    )
    return response
