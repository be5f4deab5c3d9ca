"""The applicant's pitch page: the planned slot and its .ics, or before the planning, when they cannot come."""

import datetime

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from candidacies import queries as candidacy_queries
from candidacies.models import Candidacy

from .. import emails, scheduling
from ..models import Round
from ..queries import ROUND_STATUSES


class UnavailabilityForm(forms.Form):
    """Parses what the applicant typed; the rules (a pitch day, until after from) live in the service."""

    WHOLE_DAY = "day"
    HOURS = "hours"

    day = forms.TypedChoiceField(
        label=gettext_lazy("Pitch day"),
        coerce=datetime.date.fromisoformat,
        error_messages={"invalid_choice": gettext_lazy("Choose one of the pitch days.")},
    )
    extent = forms.ChoiceField(
        label=gettext_lazy("I cannot come"),
        choices=[(WHOLE_DAY, gettext_lazy("the whole day")), (HOURS, gettext_lazy("from … until …"))],
        initial=WHOLE_DAY,
        widget=forms.RadioSelect,
    )
    starts = forms.TimeField(
        label=gettext_lazy("From"),
        required=False,
        help_text=gettext_lazy("For example 09:00."),
        widget=forms.TimeInput(format="%H:%M", attrs={"type": "time"}),
    )
    ends = forms.TimeField(
        label=gettext_lazy("Until"),
        required=False,
        help_text=gettext_lazy("For example 12:30."),
        widget=forms.TimeInput(format="%H:%M", attrs={"type": "time"}),
    )

    def __init__(self, *args, days, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["day"].choices = [(day.isoformat(), date_format(day, "l j F Y")) for day in days]

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("extent") == self.HOURS:
            if cleaned.get("starts") is None and "starts" not in self.errors:
                self.add_error("starts", _("Give the time from which you cannot come."))
            if cleaned.get("ends") is None and "ends" not in self.errors:
                self.add_error("ends", _("Give the time until which you cannot come."))
        return cleaned

    def times(self):
        if self.cleaned_data["extent"] == self.WHOLE_DAY:
            return None, None
        return self.cleaned_data["starts"], self.cleaned_data["ends"]


def _pitch_candidacy(user, pk):
    """The candidacy if the user is a member of its organisation and it reached the pitches; 404 otherwise."""
    return get_object_or_404(
        candidacy_queries.of_member(user).select_related("call", "organisation"),
        pk=pk,
        status__in=ROUND_STATUSES[Round.PITCH],
    )


@login_required
def pitch(request, pk):
    now = timezone.now()
    candidacy = _pitch_candidacy(request.user, pk)
    slot = scheduling.slot_of(candidacy)
    days = scheduling.open_pitch_dates(candidacy.call, now)
    can_say = slot is None and candidacy.status == Candidacy.Status.SHORTLISTED and bool(days)
    form = UnavailabilityForm(request.POST if request.method == "POST" else None, days=days)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            starts, ends = form.times()
            try:
                scheduling.add_unavailability(
                    candidacy, day=form.cleaned_data["day"], starts=starts, ends=ends, by=request.user, at=now
                )
            except scheduling.NotFound as refusal:
                raise Http404 from refusal
            except scheduling.SchedulingError as refusal:
                if refusal.field not in form.fields:
                    messages.error(request, refusal.message)
                    return redirect("jury:pitch", pk=candidacy.pk)
                form.add_error(refusal.field, refusal.message)
            else:
                messages.success(request, _("Noted: we will not plan your pitch then."))
                return redirect("jury:pitch", pk=candidacy.pk)
        status = 400
    unavailabilities = [
        (item, scheduling.unavailability_text(item)) for item in candidacy.unavailabilities.order_by("starts_at")
    ]
    return render(
        request,
        "jury/pitch.html",
        {
            "candidacy": candidacy,
            "slot": slot,
            "slot_texts": emails.slot_texts(slot) if slot else None,
            "form": form,
            "can_say": can_say,
            "unavailabilities": unavailabilities,
            "contact": emails.contact_text(candidacy.call),
        },
        status=status,
    )


@login_required
@require_POST
def unavailability_remove(request, pk, unavailability_pk):
    candidacy = _pitch_candidacy(request.user, pk)
    unavailability = get_object_or_404(candidacy.unavailabilities, pk=unavailability_pk)
    text = scheduling.unavailability_text(unavailability)
    try:
        scheduling.remove_unavailability(unavailability, by=request.user, at=timezone.now())
    except scheduling.NotFound as refusal:
        raise Http404 from refusal
    except scheduling.SchedulingError as refusal:
        messages.error(request, refusal.message)
    else:
        messages.success(request, _("Removed: %(moment)s.") % {"moment": text})
    return redirect("jury:pitch", pk=candidacy.pk)


@login_required
def pitch_ics(request, pk):
    candidacy = _pitch_candidacy(request.user, pk)
    slot = scheduling.slot_of(candidacy)
    if slot is None:
        raise Http404
    response = HttpResponse(emails.pitch_calendar(candidacy, slot), content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = content_disposition_header(True, emails.pitch_file_name(candidacy))
    return response
