"""The call manager's exports of one call, in admin: a page of links, the spreadsheets and the jury's .ics.

Staff only (wrapped by the admin's login in exports_urls.py), and each export needs the view permission of what
it shows (jury.exports.EXPORTS).
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

from challenges.models import Call
from maasland import spreadsheets

from .. import exports

TITLES = {
    "kandidaturen": gettext_lazy("Candidacies: one row each, every field"),
    "scores": gettext_lazy("Scores: one row per juror, candidacy and criterion"),
    "ranking": gettext_lazy("Ranking of both rounds, as the chair sees it"),
    "pitchschema": gettext_lazy("Pitch schedule: every slot, in Brussels time"),
}


def _call(request, call_id, what=None):
    if not request.user.is_staff:
        raise PermissionDenied
    if what is not None and not exports.may_export(request.user, what):
        raise PermissionDenied
    return get_object_or_404(Call, pk=call_id)


def exports_page(request, call_id):
    call = _call(request, call_id)
    available = [what for what in exports.EXPORTS if exports.may_export(request.user, what)]
    if not available:
        raise PermissionDenied
    rows = [
        {
            "title": TITLES[what],
            "links": [
                (file_format.upper(), reverse("jury_exports:download", args=[call.pk, what, file_format]))
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
        "calendar_url": reverse("jury_exports:calendar", args=[call.pk]) if "pitchschema" in available else None,
    }
    return TemplateResponse(request, "admin/jury/exports.html", context)


def download(request, call_id, what, file_format):
    if what not in exports.EXPORTS or file_format not in exports.FORMATS:
        raise Http404
    call = _call(request, call_id, what)
    stem = spreadsheets.export_stem(call, what, timezone.now())
    return spreadsheets.table_response(exports.table(call, what), stem, file_format)


def calendar(request, call_id):
    call = _call(request, call_id, "pitchschema")
    now = timezone.now()
    response = HttpResponse(exports.schedule_calendar(call, now=now), content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = content_disposition_header(
        True, f"{spreadsheets.export_stem(call, 'pitchschema', now)}.ics"
    )
    return response
