"""Pitch scheduling: slots on the three pitch days, the planner, manual moves and the invitation mails."""

import datetime

import pytest
from django.utils import timezone
from icalendar import Calendar

from candidacies import services as candidacy_services
from candidacies.models import Candidacy
from jury import scheduling
from jury.models import PitchSlot, Unavailability
from maasland.clock import BRUSSELS
from tests import factories

from .conftest import WRITTEN_ROUND

DAY_ONE, DAY_TWO, DAY_THREE = datetime.date(2023, 6, 19), datetime.date(2023, 6, 21), datetime.date(2023, 6, 23)


def brussels(day, hour, minute=0):
    return datetime.datetime.combine(day, datetime.time(hour, minute), tzinfo=BRUSSELS)


def local_start(slot):
    return timezone.localtime(slot.starts_at, BRUSSELS)


@pytest.fixture
def shortlisted(candidacies, manager):
    for candidacy in candidacies:
        candidacy_services.shortlist(candidacy, by=manager, at=WRITTEN_ROUND)
    return candidacies


@pytest.fixture
def slots(maasland_call, manager):
    """Twelve slots a day (9:00–17:00, 30 minutes and a 10-minute break) in the council room."""
    return scheduling.generate_slots(maasland_call, place="Raadzaal Maasmechelen", by=manager, at=WRITTEN_ROUND)


def many_shortlisted(call, count):
    """Shortlisted candidacies straight through the ORM: the planner only reads status and reference."""
    result = []
    applicant = factories.user()
    for number in range(1, count + 1):
        organisation = factories.organisation(applicant)
        result.append(
            factories.candidacy(
                call,
                organisation,
                by=applicant,
                status=Candidacy.Status.SHORTLISTED,
                reference=f"MAAS-2023-{number:03d}",
                contact_email=f"contact{number}@example.org",
            )
        )
    return result


def unavailable(candidacy, starts_at, ends_at):
    return Unavailability.objects.create(candidacy=candidacy, starts_at=starts_at, ends_at=ends_at)


def whole_day(candidacy, day):
    return unavailable(candidacy, brussels(day, 0), brussels(day + datetime.timedelta(days=1), 0))


def calendar_of(message):
    (attachment,) = message.attachments
    return attachment.filename, attachment.mimetype, Calendar.from_ical(attachment.content).walk("VEVENT")[0]


# Slots


def test_generate_slots_makes_twelve_slots_on_each_of_the_three_pitch_days_in_brussels_time(slots):
    per_day = {}
    for slot in slots:
        per_day.setdefault(local_start(slot).date(), []).append(slot)
    assert {day: len(day_slots) for day, day_slots in per_day.items()} == {DAY_ONE: 12, DAY_TWO: 12, DAY_THREE: 12}
    first, last = per_day[DAY_ONE][0], per_day[DAY_ONE][-1]
    assert (local_start(first).time(), local_start(last).time()) == (datetime.time(9, 0), datetime.time(16, 20))
    assert timezone.localtime(last.ends_at, BRUSSELS).time() == datetime.time(16, 50)
    assert PitchSlot.objects.get(pk=first.pk).starts_at == datetime.datetime(2023, 6, 19, 7, 0, tzinfo=datetime.UTC)


def test_generating_slots_twice_adds_none(maasland_call, manager, slots):
    again = scheduling.generate_slots(maasland_call, place="Raadzaal Maasmechelen", by=manager, at=WRITTEN_ROUND)
    assert (again, PitchSlot.objects.count()) == ([], 36)


def test_generating_slots_at_another_place_adds_them_beside_the_first(maasland_call, manager, slots):
    scheduling.generate_slots(maasland_call, place="Zaal De Maas", by=manager, at=WRITTEN_ROUND)
    assert PitchSlot.objects.filter(call=maasland_call).count() == 72


def test_only_the_call_manager_can_generate_slots(maasland_call, candidacies):
    applicant = candidacies[0].organisation.members.first()
    with pytest.raises(scheduling.SchedulingError) as refusal:
        scheduling.generate_slots(maasland_call, place="Raadzaal", by=applicant, at=WRITTEN_ROUND)
    assert (refusal.value.message, PitchSlot.objects.count()) == ("Alleen de oproepbeheerder kan pitches plannen.", 0)


def test_an_overlapping_slot_at_the_same_place_is_refused_and_nothing_is_stored(maasland_call, manager, slots):
    with pytest.raises(scheduling.SchedulingError) as refusal:
        scheduling.create_slot(
            maasland_call,
            starts_at=brussels(DAY_ONE, 9, 15),
            ends_at=brussels(DAY_ONE, 9, 45),
            place="Raadzaal Maasmechelen",
            by=manager,
            at=WRITTEN_ROUND,
        )
    assert refusal.value.field == "starts_at"
    assert "09:00" in refusal.value.message and "Raadzaal Maasmechelen" in refusal.value.message
    assert PitchSlot.objects.count() == 36


def test_an_overlapping_slot_at_another_place_is_allowed(maasland_call, manager, slots):
    slot = scheduling.create_slot(
        maasland_call,
        starts_at=brussels(DAY_ONE, 9, 15),
        ends_at=brussels(DAY_ONE, 9, 45),
        place="Zaal De Maas",
        by=manager,
        at=WRITTEN_ROUND,
    )
    assert (slot.place, PitchSlot.objects.count()) == ("Zaal De Maas", 37)


# The planner


def test_the_planner_places_sixty_candidacies_into_the_three_days_in_one_call(maasland_call, manager):
    scheduling.generate_slots(
        maasland_call,
        length=datetime.timedelta(minutes=20),
        pause=datetime.timedelta(minutes=4),
        place="Raadzaal Maasmechelen",
        by=manager,
        at=WRITTEN_ROUND,
    )
    candidacies = many_shortlisted(maasland_call, 60)
    for candidacy in candidacies[:10]:
        whole_day(candidacy, DAY_ONE)

    result = scheduling.plan(maasland_call, by=manager, at=WRITTEN_ROUND)

    assert (len(result.placed), result.unplaced) == (60, [])
    assert len({slot.pk for _candidacy, slot in result.placed}) == 60
    assert PitchSlot.objects.filter(candidacy__isnull=False).count() == 60
    assert {local_start(slot).date() for _candidacy, slot in result.placed} == {DAY_ONE, DAY_TWO, DAY_THREE}
    kept_free = {candidacy.pk for candidacy in candidacies[:10]}
    assert [
        slot for candidacy, slot in result.placed if candidacy.pk in kept_free and local_start(slot).date() == DAY_ONE
    ] == []


def test_a_candidacy_unavailable_on_every_pitch_day_is_reported_with_a_reason_and_the_others_are_placed(
    maasland_call, manager, shortlisted, slots
):
    nowhere = shortlisted[1]
    for day in (DAY_ONE, DAY_TWO, DAY_THREE):
        whole_day(nowhere, day)

    result = scheduling.plan(maasland_call, by=manager, at=WRITTEN_ROUND)

    assert [candidacy.pk for candidacy, _slot in result.placed] == [shortlisted[0].pk, shortlisted[2].pk]
    assert result.unplaced == [(nowhere, "De aanvrager gaf aan op geen enkel vrij pitchmoment te kunnen komen.")]
    assert not PitchSlot.objects.filter(candidacy=nowhere).exists()


def test_a_candidacy_unavailable_on_the_morning_of_day_one_gets_the_first_slot_after_that_morning(
    maasland_call, manager, shortlisted, slots
):
    unavailable(shortlisted[0], brussels(DAY_ONE, 9), brussels(DAY_ONE, 12))

    result = scheduling.plan(maasland_call, by=manager, at=WRITTEN_ROUND)

    starts = {candidacy.pk: local_start(slot) for candidacy, slot in result.placed}
    assert starts == {
        shortlisted[0].pk: brussels(DAY_ONE, 12, 20),
        shortlisted[1].pk: brussels(DAY_ONE, 9, 0),
        shortlisted[2].pk: brussels(DAY_ONE, 9, 40),
    }


def test_planning_again_leaves_placed_candidacies_where_they_are(maasland_call, manager, shortlisted, slots):
    first = scheduling.plan(maasland_call, by=manager, at=WRITTEN_ROUND)
    second = scheduling.plan(maasland_call, by=manager, at=WRITTEN_ROUND)
    assert (len(first.placed), second.placed, second.unplaced) == (3, [], [])


def test_the_planner_reports_when_there_are_no_slots(maasland_call, manager, shortlisted):
    result = scheduling.plan(maasland_call, by=manager, at=WRITTEN_ROUND)
    assert [reason for _candidacy, reason in result.unplaced] == [
        "Er is geen vrij pitchmoment meer: maak eerst pitchmomenten aan."
    ] * 3


# Manual moves


def test_moving_a_candidacy_into_a_taken_slot_is_refused_and_nothing_changes(
    maasland_call, manager, shortlisted, slots, mailoutbox, django_capture_on_commit_callbacks
):
    scheduling.plan(maasland_call, by=manager, at=WRITTEN_ROUND)
    taken = PitchSlot.objects.get(candidacy=shortlisted[1])
    own = PitchSlot.objects.get(candidacy=shortlisted[0])

    with django_capture_on_commit_callbacks(execute=True), pytest.raises(scheduling.SchedulingError) as refusal:
        scheduling.move(shortlisted[0], taken, by=manager, at=WRITTEN_ROUND)

    assert refusal.value.message == (
        f"Dit pitchmoment is al ingenomen door {shortlisted[1].reference}: "
        "maak het eerst vrij of kies een ander pitchmoment."
    )
    assert PitchSlot.objects.get(candidacy=shortlisted[0]).pk == own.pk
    assert PitchSlot.objects.get(candidacy=shortlisted[1]).pk == taken.pk
    assert mailoutbox == []


def test_assigning_a_slot_at_a_time_the_applicant_cannot_come_is_refused_unless_the_manager_overrides(
    manager, shortlisted, slots
):
    candidacy = shortlisted[0]
    whole_day(candidacy, DAY_ONE)
    with pytest.raises(scheduling.SchedulingError) as refusal:
        scheduling.assign(slots[0], candidacy, by=manager, at=WRITTEN_ROUND)
    assert refusal.value.message == (
        f"{candidacy.reference} gaf aan dan niet te kunnen komen (maandag 19 juni 2023, de hele dag)."
    )
    scheduling.assign(slots[0], candidacy, by=manager, at=WRITTEN_ROUND, ignore_unavailability=True)
    assert PitchSlot.objects.get(candidacy=candidacy).pk == slots[0].pk


def test_a_candidacy_that_is_not_shortlisted_gets_no_slot(manager, candidacies, slots):
    with pytest.raises(scheduling.SchedulingError) as refusal:
        scheduling.assign(slots[0], candidacies[0], by=manager, at=WRITTEN_ROUND)
    assert (refusal.value.message, PitchSlot.objects.filter(candidacy__isnull=False).count()) == (
        "Alleen een kandidatuur die geselecteerd is voor de pitches, krijgt een pitchmoment.",
        0,
    )


# Mails


def test_the_invitation_goes_to_every_member_and_the_contact_with_an_ics_at_the_slot(
    maasland_call, manager, shortlisted, slots, mailoutbox, django_capture_on_commit_callbacks
):
    candidacy = shortlisted[0]
    colleague = factories.user("collega@example.org")
    candidacy.organisation.memberships.create(user=colleague)
    first_member = candidacy.organisation.members.exclude(pk=colleague.pk).get()

    with django_capture_on_commit_callbacks(execute=True):
        scheduling.assign(slots[3], candidacy, by=manager, at=WRITTEN_ROUND)

    (message,) = mailoutbox
    file_name, mimetype, event = calendar_of(message)
    assert sorted(message.to) == sorted([first_member.email, "collega@example.org", "an@example.org"])
    assert message.subject == f"Uitnodiging voor je pitch op maandag 19 juni 2023 ({candidacy.reference})"
    assert "van 11:00 tot 11:30" in message.body and "Raadzaal Maasmechelen" in message.body
    assert "Liesbet Adams" in message.body
    assert (file_name, mimetype) == (f"pitch-{candidacy.reference}.ics", "text/calendar; method=REQUEST")
    assert event["DTSTART"].dt == slots[3].starts_at == datetime.datetime(2023, 6, 19, 9, 0, tzinfo=datetime.UTC)
    assert event["DTEND"].dt == slots[3].ends_at
    assert str(event["UID"]) == f"pitch-{candidacy.pk}@maasland-portal"
    assert str(event["SUMMARY"]) == f"Pitch {candidacy.reference} – {maasland_call.title}"
    assert str(event["LOCATION"]) == "Raadzaal Maasmechelen"


def test_a_move_sends_an_update_with_the_same_uid_and_a_higher_sequence(
    manager, shortlisted, slots, mailoutbox, django_capture_on_commit_callbacks
):
    candidacy = shortlisted[0]
    with django_capture_on_commit_callbacks(execute=True):
        scheduling.assign(slots[0], candidacy, by=manager, at=WRITTEN_ROUND)
    with django_capture_on_commit_callbacks(execute=True):
        scheduling.move(candidacy, slots[14], by=manager, at=WRITTEN_ROUND)

    invitation, update = mailoutbox
    _name, _type, first = calendar_of(invitation)
    _name, _type, second = calendar_of(update)
    assert update.subject == f"Gewijzigd: je pitch op woensdag 21 juni 2023 ({candidacy.reference})"
    assert (str(second["UID"]), second["DTSTART"].dt) == (str(first["UID"]), slots[14].starts_at)
    assert second["SEQUENCE"] > first["SEQUENCE"]
    assert PitchSlot.objects.get(pk=slots[0].pk).candidacy is None


def test_releasing_a_slot_frees_it_and_sends_a_cancellation(
    manager, shortlisted, slots, mailoutbox, django_capture_on_commit_callbacks
):
    candidacy = shortlisted[0]
    with django_capture_on_commit_callbacks(execute=True):
        scheduling.assign(slots[0], candidacy, by=manager, at=WRITTEN_ROUND)
    with django_capture_on_commit_callbacks(execute=True):
        scheduling.release(slots[0], by=manager, at=WRITTEN_ROUND)

    invitation, cancellation = mailoutbox
    _name, mimetype, event = calendar_of(cancellation)
    assert PitchSlot.objects.get(pk=slots[0].pk).candidacy is None
    assert (mimetype, str(event["STATUS"])) == ("text/calendar; method=CANCEL", "CANCELLED")
    assert event["SEQUENCE"] > calendar_of(invitation)[2]["SEQUENCE"]


def test_the_planner_invites_each_placed_candidacy_after_the_commit(
    maasland_call, manager, shortlisted, slots, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        scheduling.plan(maasland_call, by=manager, at=WRITTEN_ROUND)
    assert sorted(message.subject.split("(")[-1] for message in mailoutbox) == sorted(
        f"{candidacy.reference})" for candidacy in shortlisted
    )


def test_changing_the_time_of_a_planned_slot_sends_an_update_at_the_new_time(
    manager, shortlisted, slots, mailoutbox, django_capture_on_commit_callbacks
):
    candidacy = shortlisted[0]
    with django_capture_on_commit_callbacks(execute=True):
        scheduling.assign(slots[0], candidacy, by=manager, at=WRITTEN_ROUND)
    with django_capture_on_commit_callbacks(execute=True):
        scheduling.reschedule(
            slots[0],
            starts_at=brussels(DAY_ONE, 8, 15),
            ends_at=brussels(DAY_ONE, 8, 45),
            place="Raadzaal Maasmechelen",
            video_link="",
            by=manager,
            at=WRITTEN_ROUND,
        )

    invitation, update = mailoutbox
    assert update.subject.startswith("Gewijzigd: ")
    assert calendar_of(update)[2]["DTSTART"].dt == brussels(DAY_ONE, 8, 15)
    assert calendar_of(update)[2]["SEQUENCE"] > calendar_of(invitation)[2]["SEQUENCE"]
