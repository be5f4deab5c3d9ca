"""The coverage of the region's needs for the chair in the portal: the same heat map and table the call manager sees
in admin (office/coverage.py), without the links into admin."""

from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import get_object_or_404, render
from django.utils import timezone

from accounts import two_factor
from challenges.models import Call
from jury import permissions

from . import coverage as coverage_matrix


def _coverage_call(request, call_slug):
    """The call if the user is its chair or a call manager; 404 otherwise, as for the ranking (and its two-step
    verification where the call asks for it)."""
    call = get_object_or_404(Call, slug=call_slug)
    if not permissions.can_see_ranking(request.user, call):
        raise Http404
    two_factor.require(request, call.jury_requires_two_factor)
    return call


@login_required
def coverage(request, call_slug):
    call = _coverage_call(request, call_slug)
    matrix = coverage_matrix.coverage(call)
    return render(
        request,
        "office/coverage.html",
        {"call": call, "matrix": matrix, "heat_map": coverage_matrix.heat_map(matrix)},
    )


@login_required
def coverage_csv(request, call_slug):
    call = _coverage_call(request, call_slug)
    return coverage_matrix.csv_response(coverage_matrix.coverage(call), timezone.now())
