"""Pages of the call manager's admin that belong to no single model: the coverage of the region's needs."""

from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.utils import timezone
from django.utils.translation import gettext as _

from challenges.models import Call

from . import coverage as coverage_matrix
from .roles import is_call_manager


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
    return TemplateResponse(request, "admin/jury/coverage.html", context)


def coverage_csv(request, call_id):
    call = _call_for_manager(request, call_id)
    return coverage_matrix.csv_response(coverage_matrix.coverage(call), timezone.now())
