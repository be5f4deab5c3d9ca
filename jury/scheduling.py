"""Pitch scheduling: slots on the call's pitch days, the planner, the call manager's manual moves and the
applicant's "I cannot come then". Each state change checks role and clock, writes in one transaction, leaves
history and mails the applicant after the commit."""

import datetime
from dataclasses import dataclass, field
from functools import partial

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from candidacies import transitions
from candidacies.models import Candidacy, ProcedureStep
from candidacies.permissions import is_member
from challenges.models import Call
from maasland import clock
from maasland.clock import BRUSSELS

from . import emails
from .models import Decision, PitchSlot, Unavailability, pitch_released_reason
from .roles import is_call_manager
from .services import JuryError, NotFound


class SchedulingError(JuryError):
    """A refused scheduling change, with the Dutch message (and the form field it concerns, if any)."""


@dataclass
class PlanResult:
    """What `plan` did: `placed` as (candidacy, slot) in slot order, `unplaced` as (candidacy, reason)."""

    placed: list = field(default_factory=list)
    unplaced: list = field(default_factory=list)


def _check_manager(by):
    if not is_call_manager(by) or not by.has_perm("jury.change_pitchslot"):
        raise SchedulingError(_("Only the call manager can schedule pitches."))


def _overlaps(starts_at, ends_at, other_starts_at, other_ends_at):
    return starts_at < other_ends_at and other_starts_at < ends_at


def _validated(slot):
    """PitchSlot.clean refuses an overlap at the same place; every other field is checked too."""
    try:
        slot.full_clean(exclude=["candidacy"])
    except ValidationError as error:
        name, messages = next(iter(error.message_dict.items()))
        raise SchedulingError(messages[0], field=None if name == "__all__" else name) from error


_ASSIGNED, _MOVED = ProcedureStep.Action.ASSIGN_SLOT, ProcedureStep.Action.MOVE_SLOT


def _when(slot):
    """The slot as the log shows it: its Brussels start."""
    return transitions.moment_text(slot.starts_at)


def _save(slot, *, by, reason):
    slot._history_user = by
    slot._change_reason = reason
    slot.save()


def _check_where(place, video_link):
    if not place.strip() and not video_link.strip():
        raise SchedulingError(_("Give a place or a video link for the pitches."), field="place")


# Slots


@transaction.atomic
def generate_slots(
    call,
    *,
    day_start=datetime.time(9, 0),
    day_end=datetime.time(17, 0),
    length=datetime.timedelta(minutes=30),
    pause=datetime.timedelta(minutes=10),
    place="",
    video_link="",
    by,
    at,
):
    """Fills each pitch day of the call from `day_start` to `day_end` (Brussels time) with slots of `length`
    and a `pause` between them. A slot that would overlap an existing one at the same place is skipped, so
    running it twice adds nothing, and so is one that would start at or before `at`. Returns the created slots."""
    _check_manager(by)
    if length <= datetime.timedelta(0):
        raise SchedulingError(_("A pitch slot lasts at least one minute."), field="length")
    if pause < datetime.timedelta(0):
        raise SchedulingError(_("The break between slots cannot be negative."), field="pause")
    if day_end <= day_start:
        raise SchedulingError(_("The end of the pitch day must be later than its start."), field="day_end")
    _check_where(place, video_link)
    call = Call.objects.select_for_update().get(pk=call.pk)
    if not call.pitch_dates:
        raise SchedulingError(_("This call has no pitch days yet: add them to the call first."))
    place = place.strip()
    taken = list(PitchSlot.objects.filter(call=call, place=place).values_list("starts_at", "ends_at"))
    created = []
    for day in call.pitch_dates:
        starts_at, last_end = clock.at_brussels(day, day_start), clock.at_brussels(day, day_end)
        while starts_at + length <= last_end:
            ends_at = starts_at + length
            if starts_at > at and not any(_overlaps(starts_at, ends_at, *other) for other in taken):
                slot = PitchSlot(
                    call=call, starts_at=starts_at, ends_at=ends_at, place=place, video_link=video_link.strip()
                )
                _validated(slot)
                _save(slot, by=by, reason="generated")
                taken.append((starts_at, ends_at))
                created.append(slot)
            starts_at = ends_at + pause
    return created


@transaction.atomic
def create_slot(call, *, starts_at, ends_at, place="", video_link="", by, at):
    """One slot by hand; one overlapping another at the same place is refused (at another place it is fine)."""
    _check_manager(by)
    _check_where(place, video_link)
    Call.objects.select_for_update().get(pk=call.pk)
    slot = PitchSlot(
        call=call, starts_at=starts_at, ends_at=ends_at, place=place.strip(), video_link=video_link.strip()
    )
    _validated(slot)
    _save(slot, by=by, reason="created")
    return slot


def check_reschedulable(slot, *, starts_at, ends_at, at, ignore_unavailability=False):
    """What `reschedule` refuses for the slot as stored: a slot holding a candidacy is not changed once it has
    started, is not moved to a moment that has passed, nor to a moment its applicant said they cannot come."""
    if slot.candidacy_id is None:
        return
    if slot.starts_at <= at:
        raise SchedulingError(_("This pitch slot has already started."), field="starts_at")
    if starts_at <= at:
        raise SchedulingError(_("A pitch cannot be moved to a moment that has passed."), field="starts_at")
    if not ignore_unavailability:
        _check_available(slot.candidacy, starts_at, ends_at, field="starts_at")


@transaction.atomic
def reschedule(slot, *, starts_at, ends_at, place, video_link, by, at, ignore_unavailability=False):
    """Changes a slot's time or place; the candidacy in it (if any) gets an update mail. A slot that holds a
    candidacy is refused as `check_reschedulable` says."""
    _check_manager(by)
    _check_where(place, video_link)
    Call.objects.select_for_update().get(pk=slot.call_id)
    slot = PitchSlot.objects.select_for_update(of=("self",)).select_related("candidacy").get(pk=slot.pk)
    before = (slot.starts_at, slot.ends_at, slot.place, slot.video_link)
    if before == (starts_at, ends_at, place.strip(), video_link.strip()):
        return slot
    check_reschedulable(slot, starts_at=starts_at, ends_at=ends_at, at=at, ignore_unavailability=ignore_unavailability)
    slot.starts_at, slot.ends_at, slot.place, slot.video_link = starts_at, ends_at, place.strip(), video_link.strip()
    _validated(slot)
    _save(slot, by=by, reason="rescheduled")
    if slot.candidacy_id is not None:
        transaction.on_commit(partial(emails.send_pitch_invitation, slot.candidacy, slot, update=True))
    return slot


# The planner


def _fits(slot, unavailabilities):
    return not any(_overlaps(slot.starts_at, slot.ends_at, item.starts_at, item.ends_at) for item in unavailabilities)


def _match(candidacy_pk, options, holder, visited):
    """Gives the candidacy its earliest free slot; when every slot it can come to is taken, moves an earlier
    placement to another of its slots if that frees one (an augmenting path), so the plan places as many
    candidacies as can be placed. `holder` maps slot pk to candidacy pk."""
    for slot in options[candidacy_pk]:
        if slot.pk not in holder and slot.pk not in visited:
            visited.add(slot.pk)
            holder[slot.pk] = candidacy_pk
            return True
    for slot in options[candidacy_pk]:
        if slot.pk in visited:
            continue
        visited.add(slot.pk)
        if _match(holder[slot.pk], options, holder, visited):
            holder[slot.pk] = candidacy_pk
            return True
    return False


@transaction.atomic
def plan(call, *, by, at):
    """Puts every shortlisted candidacy of the call that has no slot yet into a free future slot it can come
    to. Most constrained candidacies first, earliest slot first, by reference on a tie: the same data gives
    the same plan. What cannot be placed is reported with a reason, not refused. Each placed candidacy gets
    its invitation after the commit."""
    _check_manager(by)
    Call.objects.select_for_update().get(pk=call.pk)
    free = list(
        PitchSlot.objects.select_for_update()
        .filter(call=call, candidacy__isnull=True, starts_at__gt=at)
        .order_by("starts_at", "place", "pk")
    )
    candidacies = list(
        Candidacy.objects.filter(
            call=call, status=Candidacy.Status.SHORTLISTED, pitch_slot__isnull=True, decision__isnull=True
        )
        .select_related("call", "organisation")
        .prefetch_related("unavailabilities")
        .order_by("reference", "pk")
    )
    options = {
        candidacy.pk: [slot for slot in free if _fits(slot, candidacy.unavailabilities.all())]
        for candidacy in candidacies
    }
    holder = {}
    for candidacy in sorted(candidacies, key=lambda candidacy: len(options[candidacy.pk])):
        _match(candidacy.pk, options, holder, set())

    by_pk = {candidacy.pk: candidacy for candidacy in candidacies}
    result = PlanResult()
    for slot in free:
        if slot.pk in holder:
            candidacy = by_pk[holder[slot.pk]]
            slot.candidacy = candidacy
            _save(slot, by=by, reason="planned")
            result.placed.append((candidacy, slot))
            transaction.on_commit(partial(emails.send_pitch_invitation, candidacy, slot))
    placed = set(holder.values())
    for candidacy in candidacies:
        if candidacy.pk in placed:
            continue
        if not free:
            reason = _("There is no free pitch slot left: add slots first.")
        elif not options[candidacy.pk]:
            reason = _("The applicant said they cannot come at any of the free pitch slots.")
        else:
            reason = _("Every free pitch slot the applicant can come to went to another candidacy.")
        result.unplaced.append((candidacy, reason))
    return result


# Manual moves


def _check_available(candidacy, starts_at, ends_at, *, field):
    unavailable = [
        item for item in candidacy.unavailabilities.all() if _overlaps(starts_at, ends_at, item.starts_at, item.ends_at)
    ]
    if unavailable:
        raise SchedulingError(
            _("%(reference)s said they cannot come then (%(moment)s).")
            % {"reference": candidacy.reference, "moment": unavailability_text(unavailable[0])},
            field=field,
        )


def check_assignable(slot, candidacy, *, at, ignore_unavailability=False):
    """What `assign` refuses: a candidacy of another call, not shortlisted or decided, a slot taken by another, a slot
    that has already started, a slot at a moment the applicant said they cannot come. `slot` may be unsaved
    (a form's values), so a form can show the refusal at its field before anything is written."""
    if candidacy.call_id != slot.call_id:
        raise SchedulingError(_("This candidacy belongs to another call."), field="candidacy")
    if candidacy.status != Candidacy.Status.SHORTLISTED:
        raise SchedulingError(_("Only a shortlisted candidacy gets a pitch slot."), field="candidacy")
    if Decision.objects.filter(candidacy=candidacy).exists():
        raise SchedulingError(
            _("The jury has already decided on this candidacy: it gets no pitch slot."), field="candidacy"
        )
    if slot.candidacy_id is not None and slot.candidacy_id != candidacy.pk:
        raise SchedulingError(
            _("This pitch slot is already taken by %(reference)s: free it first or choose another slot.")
            % {"reference": slot.candidacy.reference},
            field="candidacy",
        )
    if slot.starts_at <= at:
        raise SchedulingError(_("This pitch slot has already started."), field="starts_at")
    if not ignore_unavailability:
        _check_available(candidacy, slot.starts_at, slot.ends_at, field="candidacy")


@transaction.atomic
def assign(slot, candidacy, *, by, at, ignore_unavailability=False):
    """Puts the candidacy in this slot. A slot holds one candidacy: a taken slot is refused. A candidacy that
    had another slot moves (its old slot is freed) and gets an update; otherwise it gets an invitation.
    A slot at a moment the applicant said they cannot come is refused unless `ignore_unavailability`."""
    _check_manager(by)
    slot = PitchSlot.objects.select_for_update(of=("self",)).select_related("candidacy").get(pk=slot.pk)
    if slot.candidacy_id == candidacy.pk and candidacy.call_id == slot.call_id:
        return slot
    check_assignable(slot, candidacy, at=at, ignore_unavailability=ignore_unavailability)
    previous = PitchSlot.objects.select_for_update().filter(candidacy=candidacy).first()
    if previous is not None:
        previous.candidacy = None
        _save(previous, by=by, reason=f"{candidacy.reference} moved out")
    slot.candidacy = candidacy
    _save(slot, by=by, reason="moved in" if previous else "assigned")
    transitions.record(
        slot.call, _MOVED if previous else _ASSIGNED, candidacy=candidacy, by=by, at=at, reason=_when(slot)
    )
    transaction.on_commit(partial(emails.send_pitch_invitation, candidacy, slot, update=previous is not None))
    return slot


def move(candidacy, to_slot, *, by, at, ignore_unavailability=False):
    """The same as assign, read from the candidacy's side."""
    return assign(to_slot, candidacy, by=by, at=at, ignore_unavailability=ignore_unavailability)


@transaction.atomic
def release(slot, *, by, at):
    """Frees the slot; the candidacy that had it gets a cancellation (with a cancelling .ics)."""
    _check_manager(by)
    slot = PitchSlot.objects.select_for_update(of=("self",)).select_related("candidacy").get(pk=slot.pk)
    candidacy = slot.candidacy
    if candidacy is None:
        return slot
    slot.candidacy = None
    _save(slot, by=by, reason=pitch_released_reason(candidacy))
    transitions.record(None, ProcedureStep.Action.RELEASE_SLOT, candidacy=candidacy, by=by, at=at, reason=_when(slot))
    transaction.on_commit(partial(emails.send_pitch_cancellation, candidacy, slot))
    return slot


@transaction.atomic
def delete_slot(slot, *, by, at):
    """Removes the slot; the candidacy that had it is released first, so it gets the cancellation. A slot that held
    a candidacy when it began is what happened and stays; an empty one goes, past or not."""
    _check_manager(by)
    if slot.candidacy_id is not None and slot.starts_at <= at:
        raise SchedulingError(_("This pitch slot has taken place: it is kept."))
    slot = release(slot, by=by, at=at)
    slot._history_user = by
    slot._change_reason = "deleted"
    transitions.record(slot.call, ProcedureStep.Action.DELETE_SLOT, by=by, at=at, reason=_when(slot))
    slot.delete()


def check_change(slot, *, call, starts_at, ends_at, place, video_link, candidacy, at):
    """What `change_slot` would refuse, checked before anything is written (the admin form's clean calls it).
    `slot` is the slot as stored, or None for a new one."""
    _check_where(place, video_link)
    if slot is not None and candidacy is not None and slot.candidacy_id == candidacy.pk:
        if (slot.starts_at, slot.ends_at, slot.place, slot.video_link) != (
            starts_at,
            ends_at,
            place.strip(),
            video_link.strip(),
        ):
            check_reschedulable(slot, starts_at=starts_at, ends_at=ends_at, at=at)
    elif candidacy is not None:
        proposed = PitchSlot(call=call, starts_at=starts_at, ends_at=ends_at, place=place, video_link=video_link)
        check_assignable(proposed, candidacy, at=at)


@transaction.atomic
def change_slot(slot, *, call, starts_at, ends_at, place, video_link, candidacy, by, at):
    """The slot's time, place and candidacy as one change (the admin's form), through the moves above: a
    candidacy taken out gets a cancellation, a slot that keeps its candidacy and moves sends an update, a
    candidacy put in gets an invitation. `slot` None makes a new one. Returns the stored slot."""
    if slot is None:
        slot = create_slot(call, starts_at=starts_at, ends_at=ends_at, place=place, video_link=video_link, by=by, at=at)
    else:
        if slot.call_id != call.pk:
            raise SchedulingError(_("A pitch slot stays in its call."), field="call")
        if slot.candidacy_id is not None and (candidacy is None or candidacy.pk != slot.candidacy_id):
            release(slot, by=by, at=at)
        slot = reschedule(slot, starts_at=starts_at, ends_at=ends_at, place=place, video_link=video_link, by=by, at=at)
    if candidacy is not None:
        slot = assign(slot, candidacy, by=by, at=at)
    return slot


# The applicant's unavailabilities


def slot_of(candidacy):
    try:
        return candidacy.pitch_slot
    except PitchSlot.DoesNotExist:
        return None


def open_pitch_dates(call, at):
    """The pitch days an applicant can still say something about: those that have not begun."""
    return [day for day in call.pitch_dates if clock.day_start(day) > at]


def unavailability_text(unavailability):
    """'maandag 19 juni 2023, de hele dag' or 'maandag 19 juni 2023, van 09:00 tot 12:00'."""
    starts_at = timezone.localtime(unavailability.starts_at, BRUSSELS)
    ends_at = timezone.localtime(unavailability.ends_at, BRUSSELS)
    day = date_format(starts_at, "l j F Y")
    if starts_at.time() == datetime.time.min and ends_at == clock.at_brussels(
        starts_at.date() + datetime.timedelta(days=1), datetime.time.min
    ):
        return _("%(day)s, the whole day") % {"day": day}
    return _("%(day)s, from %(starts)s until %(ends)s") % {
        "day": day,
        "starts": date_format(starts_at, "H:i"),
        "ends": date_format(ends_at, "H:i"),
    }


def _check_can_say_availability(candidacy, by):
    if not is_member(by, candidacy.organisation) or candidacy.status != Candidacy.Status.SHORTLISTED:
        raise NotFound(_("This candidacy is not invited to pitch."))
    if PitchSlot.objects.filter(candidacy=candidacy).exists():
        raise SchedulingError(
            _("Your pitch has been planned. To change it, contact %(contact)s.")
            % {"contact": emails.contact_text(candidacy.call)}
        )


@transaction.atomic
def add_unavailability(candidacy, *, day, starts=None, ends=None, by, at):
    """The applicant says when they cannot come: a whole pitch day (no times) or from `starts` until `ends`
    on it, Brussels time. Only before their pitch is planned, and only for days that have not begun."""
    _check_can_say_availability(candidacy, by)
    if day not in candidacy.call.pitch_dates:
        raise SchedulingError(_("Choose one of the pitch days."), field="day")
    if day not in open_pitch_dates(candidacy.call, at):
        raise SchedulingError(_("This pitch day has already begun."), field="day")
    if starts is None and ends is not None:
        raise SchedulingError(_("Give the time from which you cannot come."), field="starts")
    if ends is None and starts is not None:
        raise SchedulingError(_("Give the time until which you cannot come."), field="ends")
    if starts is None:
        starts_at, ends_at = clock.day_start(day), clock.day_start(day + datetime.timedelta(days=1))
    else:
        if ends <= starts:
            raise SchedulingError(_("The “until” time must be later than the “from” time."), field="ends")
        starts_at, ends_at = clock.at_brussels(day, starts), clock.at_brussels(day, ends)
    if candidacy.unavailabilities.filter(starts_at__lte=starts_at, ends_at__gte=ends_at).exists():
        raise SchedulingError(_("You already said you cannot come at that time."), field="day")
    return Unavailability.objects.create(candidacy=candidacy, starts_at=starts_at, ends_at=ends_at)


@transaction.atomic
def remove_unavailability(unavailability, *, by, at):
    _check_can_say_availability(unavailability.candidacy, by)
    unavailability.delete()
