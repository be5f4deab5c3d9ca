"""The jury's pitch days: the timetable of a call for its jurors and chair, and each juror's calendar feed (a secret
link a calendar app fetches without logging in, renewed from the timetable page)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from accounts import two_factor
from challenges.models import Call

from .. import pitch_days, roles, services
from ..feeds import CalendarFeed, feed_for


@login_required
def timetable(request, call_slug):
    """Every planned pitch of the call, day by day, with the jurors present; the rows of the juror's own conflicts
    show no candidacy."""
    member = roles.jury_member_for(request.user, get_object_or_404(Call, slug=call_slug))
    if member is None:
        raise Http404
    two_factor.require(request, member.call.jury_requires_two_factor)
    feed = CalendarFeed.objects.filter(user=request.user).first()
    feed_url = (
        request.build_absolute_uri(reverse("jury:calendar_feed", kwargs={"feed_id": feed.pk, "token": feed.token}))
        if feed
        else None
    )
    context = {
        "call": member.call,
        "member": member,
        "days": pitch_days.timetable(member.call, viewer=member, free_slots=False),
        "feed": feed,
        "feed_url": feed_url,
    }
    return render(request, "jury/pitch_days.html", context)


@login_required
@require_POST
def calendar_feed_renew(request, call_slug):
    """Makes the juror's calendar link, or a new one: the old link stops working."""
    member = roles.jury_member_for(request.user, get_object_or_404(Call, slug=call_slug))
    if member is None:
        raise Http404
    two_factor.require(request, member.call.jury_requires_two_factor)
    had_feed = CalendarFeed.objects.filter(user=request.user).exists()
    services.renew_calendar_feed(request.user, at=timezone.now())
    if had_feed:
        messages.success(request, _("Your calendar has a new link: the old link no longer works."))
    else:
        messages.success(request, _("Your calendar link is ready: add it to your calendar app."))
    return redirect(reverse("jury:pitch_days", kwargs={"call_slug": member.call.slug}) + "#calendar")


@require_safe
def calendar_feed(request, feed_id, token):
    """The juror's pitches as .ics, for a calendar app that cannot log in: the secret link is the key. Never cached
    by anyone on the way."""
    feed = feed_for(feed_id, token)
    if feed is None:
        raise Http404
    response = HttpResponse(
        pitch_days.juror_calendar(feed.user, now=timezone.now()), content_type="text/calendar; charset=utf-8"
    )
    response["Cache-Control"] = "private, no-store"
    response["X-Robots-Tag"] = "noindex, nofollow"
    return response
