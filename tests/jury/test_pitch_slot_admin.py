"""The pitch slot admin is a client of jury.scheduling: moving, assigning, clearing and deleting a slot mail the
applicant like the services do, and what the services refuse is refused at the form's field."""

import datetime
import itertools

import pytest
from django.urls import reverse
from django.utils import timezone
from icalendar import Calendar

from candidacies.models import Candidacy
from jury import scheduling
from jury.models import PitchSlot, Unavailability
from tests import factories

from .conftest import BRUSSELS, PITCH_DAY, WRITTEN_ROUND

NUMBERS = itertools.count(1)
HALF_HOUR = datetime.timedelta(minutes=30)
KEEP = object()


@pytest.fixture(autouse=True)
def before_the_pitches(time_machine):
    time_machine.move_to(WRITTEN_ROUND, tick=False)


@pytest.fixture
def manager_client(client, manager):
    client.force_login(manager)
    return client


def shortlisted(call):
    number = next(NUMBERS)
    owner = factories.user(f"aanvrager{number}@example.org")
    return factories.candidacy(
        call,
        factories.organisation(owner),
        status=Candidacy.Status.SHORTLISTED,
        reference=f"SLOT-{number:03d}",
        title=f"Project {number}",
    )


def empty_slot(call, starts_at=PITCH_DAY, place="Raadzaal"):
    return PitchSlot.objects.create(call=call, starts_at=starts_at, ends_at=starts_at + HALF_HOUR, place=place)


def slot_data(slot, *, starts_at=None, place=None, video_link=None, candidacy=KEEP):
    """The change form as posted; without arguments, the slot as it is stored (candidacy None clears it)."""
    starts_at = timezone.localtime(starts_at or slot.starts_at, BRUSSELS)
    ends_at = starts_at + (slot.ends_at - slot.starts_at)
    chosen = slot.candidacy if candidacy is KEEP else candidacy
    return {
        "call": slot.call_id,
        "starts_at_0": starts_at.strftime("%d/%m/%Y"),
        "starts_at_1": starts_at.strftime("%H:%M"),
        "ends_at_0": ends_at.strftime("%d/%m/%Y"),
        "ends_at_1": ends_at.strftime("%H:%M"),
        "place": slot.place if place is None else place,
        "video_link": slot.video_link if video_link is None else video_link,
        "candidacy": chosen.pk if chosen else "",
    }


def change(client, slot, capture, **changes):
    with capture(execute=True):
        return client.post(reverse("admin:jury_pitchslot_change", args=[slot.pk]), slot_data(slot, **changes))


def event_of(message):
    (attachment,) = message.attachments
    return attachment.mimetype, Calendar.from_ical(attachment.content).walk("VEVENT")[0]


def invited(slot, candidacy, manager, capture):
    with capture(execute=True):
        scheduling.assign(slot, candidacy, by=manager, at=WRITTEN_ROUND)
    slot.refresh_from_db()


def move_clock(time_machine, client, manager, moment):
    """A staff session ends after two idle hours: log in again at the new moment."""
    time_machine.move_to(moment, tick=False)
    client.force_login(manager)


def errors_of(response):
    return {name: list(errors) for name, errors in response.context["adminform"].form.errors.items()}


# Assigning, moving, clearing, deleting


def test_choosing_a_candidacy_for_a_slot_in_admin_mails_the_invitation(
    manager_client, manager, maasland_call, mailoutbox, django_capture_on_commit_callbacks
):
    candidacy, slot = shortlisted(maasland_call), empty_slot(maasland_call)
    response = change(manager_client, slot, django_capture_on_commit_callbacks, candidacy=candidacy)
    (message,) = mailoutbox
    mimetype, event = event_of(message)
    record = slot.history.latest()
    assert response.status_code == 302
    assert PitchSlot.objects.get(pk=slot.pk).candidacy == candidacy
    assert message.subject == f"Uitnodiging voor je pitch op maandag 19 juni 2023 ({candidacy.reference})"
    assert (mimetype, event["SEQUENCE"], event["DTSTART"].dt) == ("text/calendar; method=REQUEST", 0, PITCH_DAY)
    assert (record.history_user, record.history_change_reason) == (manager, "assigned")


def test_a_new_slot_with_a_candidacy_mails_the_invitation(
    manager_client, maasland_call, mailoutbox, django_capture_on_commit_callbacks
):
    candidacy = shortlisted(maasland_call)
    data = slot_data(PitchSlot(call=maasland_call, starts_at=PITCH_DAY, ends_at=PITCH_DAY + HALF_HOUR, place="Zaal"))
    with django_capture_on_commit_callbacks(execute=True):
        response = manager_client.post(reverse("admin:jury_pitchslot_add"), {**data, "candidacy": candidacy.pk})
    (message,) = mailoutbox
    assert response.status_code == 302
    assert PitchSlot.objects.get().candidacy == candidacy
    assert message.subject.startswith("Uitnodiging voor je pitch")


@pytest.mark.parametrize(
    "changes",
    [
        {"starts_at": PITCH_DAY + datetime.timedelta(hours=2)},
        {"place": "Cultureel centrum"},
        {"video_link": "https://meet.example/pitch"},
    ],
    ids=["time", "place", "video link"],
)
def test_moving_a_slot_in_admin_mails_the_update_with_a_sequence_one_higher(
    changes, manager_client, manager, maasland_call, mailoutbox, django_capture_on_commit_callbacks
):
    candidacy, slot = shortlisted(maasland_call), empty_slot(maasland_call)
    invited(slot, candidacy, manager, django_capture_on_commit_callbacks)
    response = change(manager_client, slot, django_capture_on_commit_callbacks, **changes)
    invitation, update = mailoutbox
    _mimetype, first = event_of(invitation)
    mimetype, second = event_of(update)
    stored = PitchSlot.objects.get(pk=slot.pk)
    assert response.status_code == 302
    assert update.subject.startswith("Gewijzigd: je pitch op maandag 19 juni 2023")
    assert (mimetype, str(second["UID"])) == ("text/calendar; method=REQUEST", str(first["UID"]))
    assert second["SEQUENCE"] == first["SEQUENCE"] + 1
    assert second["DTSTART"].dt == stored.starts_at == changes.get("starts_at", PITCH_DAY)
    assert str(second["LOCATION"]) == (stored.place or stored.video_link)


def test_saving_a_slot_unchanged_sends_nothing_and_adds_no_history(
    manager_client, manager, maasland_call, mailoutbox, django_capture_on_commit_callbacks
):
    candidacy, slot = shortlisted(maasland_call), empty_slot(maasland_call)
    invited(slot, candidacy, manager, django_capture_on_commit_callbacks)
    versions = slot.history.count()
    response = change(manager_client, slot, django_capture_on_commit_callbacks)
    assert response.status_code == 302
    assert (len(mailoutbox), slot.history.count()) == (1, versions)


def test_clearing_the_candidacy_in_admin_mails_the_cancellation(
    manager_client, manager, maasland_call, mailoutbox, django_capture_on_commit_callbacks
):
    candidacy, slot = shortlisted(maasland_call), empty_slot(maasland_call)
    invited(slot, candidacy, manager, django_capture_on_commit_callbacks)
    response = change(manager_client, slot, django_capture_on_commit_callbacks, candidacy=None)
    invitation, cancellation = mailoutbox
    mimetype, event = event_of(cancellation)
    assert response.status_code == 302
    assert PitchSlot.objects.get(pk=slot.pk).candidacy is None
    assert cancellation.subject.startswith("Geannuleerd")
    assert (mimetype, str(event["STATUS"])) == ("text/calendar; method=CANCEL", "CANCELLED")
    assert event["SEQUENCE"] == event_of(invitation)[1]["SEQUENCE"] + 1


def test_another_candidacy_in_the_slot_cancels_the_first_and_invites_the_second(
    manager_client, manager, maasland_call, mailoutbox, django_capture_on_commit_callbacks
):
    first, second, slot = shortlisted(maasland_call), shortlisted(maasland_call), empty_slot(maasland_call)
    invited(slot, first, manager, django_capture_on_commit_callbacks)
    response = change(manager_client, slot, django_capture_on_commit_callbacks, candidacy=second)
    _invitation, cancellation, invitation = mailoutbox
    assert response.status_code == 302
    assert PitchSlot.objects.get(pk=slot.pk).candidacy == second
    assert cancellation.subject == f"Geannuleerd: je pitch op maandag 19 juni 2023 ({first.reference})"
    assert invitation.subject == f"Uitnodiging voor je pitch op maandag 19 juni 2023 ({second.reference})"


def test_deleting_a_slot_in_admin_mails_the_cancellation(
    manager_client, manager, maasland_call, mailoutbox, django_capture_on_commit_callbacks
):
    candidacy, slot = shortlisted(maasland_call), empty_slot(maasland_call)
    invited(slot, candidacy, manager, django_capture_on_commit_callbacks)
    with django_capture_on_commit_callbacks(execute=True):
        response = manager_client.post(reverse("admin:jury_pitchslot_delete", args=[slot.pk]), {"post": "yes"})
    invitation, cancellation = mailoutbox
    mimetype, event = event_of(cancellation)
    assert response.status_code == 302
    assert not PitchSlot.objects.filter(pk=slot.pk).exists()
    assert (mimetype, event["DTSTART"].dt) == ("text/calendar; method=CANCEL", PITCH_DAY)
    assert event["SEQUENCE"] == event_of(invitation)[1]["SEQUENCE"] + 1


def test_deleting_slots_with_the_bulk_action_mails_each_held_one_a_cancellation(
    manager_client, manager, maasland_call, mailoutbox, django_capture_on_commit_callbacks
):
    held = [empty_slot(maasland_call, PITCH_DAY + n * HALF_HOUR) for n in range(2)]
    free = empty_slot(maasland_call, PITCH_DAY + 2 * HALF_HOUR)
    candidacies = [shortlisted(maasland_call) for _slot in held]
    for slot, candidacy in zip(held, candidacies, strict=True):
        invited(slot, candidacy, manager, django_capture_on_commit_callbacks)
    mailoutbox.clear()
    data = {"action": "delete_selected", "_selected_action": [slot.pk for slot in [*held, free]], "post": "yes"}
    with django_capture_on_commit_callbacks(execute=True):
        response = manager_client.post(reverse("admin:jury_pitchslot_changelist"), data)
    assert response.status_code == 302
    assert PitchSlot.objects.count() == 0
    assert sorted(message.subject.split("(")[-1] for message in mailoutbox) == sorted(
        f"{candidacy.reference})" for candidacy in candidacies
    )
    assert all(message.subject.startswith("Geannuleerd") for message in mailoutbox)


# Refused at the field, nothing saved, nothing mailed


def test_a_slot_in_the_applicants_unavailability_is_refused_at_the_candidacy(
    manager_client, maasland_call, mailoutbox, django_capture_on_commit_callbacks
):
    candidacy, slot = shortlisted(maasland_call), empty_slot(maasland_call)
    Unavailability.objects.create(candidacy=candidacy, starts_at=PITCH_DAY, ends_at=PITCH_DAY + 2 * HALF_HOUR)
    response = change(manager_client, slot, django_capture_on_commit_callbacks, candidacy=candidacy)
    assert response.status_code == 200
    assert errors_of(response) == {
        "candidacy": [
            f"{candidacy.reference} gaf aan dan niet te kunnen komen (maandag 19 juni 2023, van 10:00 tot 11:00)."
        ]
    }
    assert (PitchSlot.objects.get(pk=slot.pk).candidacy, mailoutbox) == (None, [])


def test_moving_a_held_slot_into_the_applicants_unavailability_is_refused_at_the_start(
    manager_client, manager, maasland_call, mailoutbox, django_capture_on_commit_callbacks
):
    candidacy, slot = shortlisted(maasland_call), empty_slot(maasland_call)
    invited(slot, candidacy, manager, django_capture_on_commit_callbacks)
    afternoon = PITCH_DAY + datetime.timedelta(hours=4)
    Unavailability.objects.create(candidacy=candidacy, starts_at=afternoon, ends_at=afternoon + 2 * HALF_HOUR)
    response = change(manager_client, slot, django_capture_on_commit_callbacks, starts_at=afternoon)
    assert response.status_code == 200
    assert errors_of(response) == {
        "starts_at": [
            f"{candidacy.reference} gaf aan dan niet te kunnen komen (maandag 19 juni 2023, van 14:00 tot 15:00)."
        ]
    }
    assert (PitchSlot.objects.get(pk=slot.pk).starts_at, len(mailoutbox)) == (PITCH_DAY, 1)


def test_a_slot_that_has_already_started_gets_no_candidacy(
    manager_client, manager, maasland_call, mailoutbox, time_machine, django_capture_on_commit_callbacks
):
    candidacy, slot = shortlisted(maasland_call), empty_slot(maasland_call)
    move_clock(time_machine, manager_client, manager, PITCH_DAY + datetime.timedelta(minutes=5))
    response = change(manager_client, slot, django_capture_on_commit_callbacks, candidacy=candidacy)
    assert response.status_code == 200
    assert errors_of(response) == {"starts_at": ["Dit pitchmoment is al begonnen."]}
    assert (PitchSlot.objects.get(pk=slot.pk).candidacy, mailoutbox) == (None, [])


def test_a_held_slot_that_has_already_started_is_not_moved(
    manager_client, manager, maasland_call, mailoutbox, time_machine, django_capture_on_commit_callbacks
):
    candidacy, slot = shortlisted(maasland_call), empty_slot(maasland_call)
    invited(slot, candidacy, manager, django_capture_on_commit_callbacks)
    move_clock(time_machine, manager_client, manager, PITCH_DAY + datetime.timedelta(minutes=5))
    later = PITCH_DAY + datetime.timedelta(hours=2)
    response = change(manager_client, slot, django_capture_on_commit_callbacks, starts_at=later)
    assert response.status_code == 200
    assert errors_of(response) == {"starts_at": ["Dit pitchmoment is al begonnen."]}
    assert (PitchSlot.objects.get(pk=slot.pk).starts_at, len(mailoutbox)) == (PITCH_DAY, 1)


def test_a_held_slot_is_not_moved_to_a_moment_that_has_passed(
    manager_client, manager, maasland_call, mailoutbox, time_machine, django_capture_on_commit_callbacks
):
    candidacy = shortlisted(maasland_call)
    slot = empty_slot(maasland_call, PITCH_DAY + datetime.timedelta(hours=3))
    invited(slot, candidacy, manager, django_capture_on_commit_callbacks)
    move_clock(time_machine, manager_client, manager, PITCH_DAY + datetime.timedelta(minutes=5))
    response = change(manager_client, slot, django_capture_on_commit_callbacks, starts_at=PITCH_DAY)
    assert response.status_code == 200
    assert errors_of(response) == {
        "starts_at": ["Een pitch kan niet verplaatst worden naar een moment dat al voorbij is."]
    }
    assert len(mailoutbox) == 1
