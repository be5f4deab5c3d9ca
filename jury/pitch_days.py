"""The pitch days: per day of a call, its slots in Brussels time with the candidacy, the organisation, the place or
link and the jurors present (the call's jurors without a conflict, `queries.conflict_exists`). The call manager sees
it in admin, the jury on its portal page, and each juror as a calendar feed (`juror_calendar`).

A timetable costs four queries whatever the number of days, slots and jurors: the pitch days, the slots, the jurors
and the pairs of slot and conflicted juror."""

import datetime
from dataclasses import dataclass, field

from django.conf import settings
from django.db.models import Count
from django.utils import timezone
from django.utils.translation import gettext
from icalendar import Calendar

from maasland.clock import BRUSSELS

from . import emails, queries
from .models import JuryMember, PitchSlot


@dataclass
class TimetableRow:
    slot: PitchSlot
    starts_at: datetime.datetime  # Brussels time
    ends_at: datetime.datetime
    present: list  # the call's jurors without a conflict with the candidacy (all of them for a free slot)
    absent: list  # the call's jurors with a conflict, who leave the room for this pitch
    viewer_absent: bool = False  # the juror looking at the timetable has a conflict: the row shows no candidacy

    @property
    def candidacy(self):
        return self.slot.candidacy


@dataclass
class TimetableDay:
    date: datetime.date
    rows: list = field(default_factory=list)


def timetable(call, *, viewer=None, free_slots=True):
    """The call's pitch days in order, each with its slots in order of time. `viewer` is the jury seat of the juror
    looking at it (their conflicted rows are marked); without `free_slots` only slots with a candidacy are shown."""
    slots = PitchSlot.objects.filter(call=call).select_related("candidacy__organisation").order_by("starts_at", "place")
    if not free_slots:
        slots = slots.filter(candidacy__isnull=False)
    jurors = list(
        JuryMember.objects.filter(call=call).select_related("user").order_by("role", "user__full_name", "user__email")
    )
    absent = set(queries.conflicted_slot_jurors(PitchSlot.objects.filter(call=call)))
    days = {day: TimetableDay(day) for day in call.pitch_dates}
    for slot in slots:
        starts_at = timezone.localtime(slot.starts_at, BRUSSELS)
        row = TimetableRow(
            slot=slot,
            starts_at=starts_at,
            ends_at=timezone.localtime(slot.ends_at, BRUSSELS),
            present=[juror for juror in jurors if (slot.pk, juror.pk) not in absent],
            absent=[juror for juror in jurors if (slot.pk, juror.pk) in absent],
            viewer_absent=viewer is not None and (slot.pk, viewer.pk) in absent,
        )
        days.setdefault(starts_at.date(), TimetableDay(starts_at.date())).rows.append(row)
    return [days[day] for day in sorted(days)]


# Calendars: the call's schedule for the jury (office's export) and each juror's own feed


def jury_pitch_uid(candidacy):
    """Not the applicant's UID: a juror's calendar keeps the jury's copy apart from any invitation."""
    return f"jury-pitch-{candidacy.pk}@maasland-portal"


def jury_calendar(slots, *, name, now):
    """These filled slots as VEVENTs in Brussels time, in one calendar for the jury; importing or refreshing a newer
    one updates the events, since the UID stays and the SEQUENCE rises with each change of the slot."""
    slots = list(slots.select_related("candidacy__organisation", "candidacy__call").order_by("starts_at", "place"))
    versions = dict(
        PitchSlot.history.filter(candidacy_id__in=[slot.candidacy_id for slot in slots])
        .order_by()
        .values_list("candidacy_id")
        .annotate(count=Count("history_id"))
    )
    calendar = Calendar()
    calendar.add("prodid", f"-//{settings.PORTAL_NAME}//Pitchschema//NL")
    calendar.add("version", "2.0")
    calendar.add("method", "PUBLISH")
    calendar.add("x-wr-calname", name)
    calendar.add("x-wr-timezone", "Europe/Brussels")
    for slot in slots:
        calendar.add_component(
            emails.pitch_event(
                slot.candidacy,
                slot,
                uid=jury_pitch_uid(slot.candidacy),
                sequence=max(2 * (versions.get(slot.candidacy_id, 1) - 1), 0),
                now=now,
                zone=BRUSSELS,
            )
        )
    calendar.add_missing_timezones()
    return calendar.to_ical()


def juror_calendar(user, *, now):
    """The juror's own feed: every filled slot of each call whose jury they sit on, except the pitches of the
    candidacies they have a conflict with."""
    memberships = list(JuryMember.objects.filter(user=user))
    slots = queries.pitch_slots_of_juror(memberships)
    return jury_calendar(slots, name=gettext("Pitches of the jury"), now=now)
