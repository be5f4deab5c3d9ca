"""The chair's side of a weerwoord in a call of two steps: the assessment the call manager prepared, shown with the
weerwoord, and confirmed here (jury.communication.confirm_assessment)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts import two_factor
from challenges.models import Call

from .. import communication, roles
from ..models import Weerwoord


@login_required
def assessment_list(request, call_slug):
    """Every weerwoord of a candidacy the user presides over, with the prepared and the confirmed assessment; a
    prepared one not confirmed yet has its button. Three queries whatever the number of weerwoorden."""
    seat = roles.presiding_seat(request.user, get_object_or_404(Call, slug=call_slug))
    if seat is None:
        raise Http404
    two_factor.require(request, seat.call.jury_requires_two_factor)
    call = seat.call
    weerwoorden = list(
        Weerwoord.objects.filter(decision__candidacy__in=roles.presided_candidacies(seat))
        .select_related("decision__candidacy__organisation", "proposed_by", "assessed_by")
        .order_by("decision__candidacy__reference")
    )
    status = 200
    if request.method == "POST":
        weerwoord = next((w for w in weerwoorden if str(w.pk) == request.POST.get("weerwoord", "")), None)
        if weerwoord is None:
            raise Http404
        weerwoord.decision.candidacy.call = call
        try:
            communication.confirm_assessment(weerwoord, by=request.user, at=timezone.now())
        except communication.CommunicationError as refusal:
            messages.error(request, refusal.message)
            status = 400
        else:
            messages.success(
                request,
                _("The assessment of the weerwoord on %(reference)s is confirmed; the applicant is told.")
                % {"reference": weerwoord.decision.candidacy.reference},
            )
            return redirect(reverse("jury:weerwoord_assessments", kwargs={"call_slug": call.slug}))
    context = {"call": call, "member": seat, "weerwoorden": weerwoorden}
    return render(request, "jury/weerwoord_assessments.html", context, status=status)
