"""The call decides its phase and its deadline in Europe/Brussels, from the instant it is asked about."""

import datetime

import pytest
from django.utils import timezone

from challenges.models import Call
from challenges.services import shift_instant
from maasland.clock import BRUSSELS


def brussels(*args):
    return datetime.datetime(*args, tzinfo=BRUSSELS)


def test_a_submission_at_235959_on_the_deadline_day_is_taken(maasland_call):
    assert maasland_call.accepts_submissions(brussels(2023, 6, 1, 23, 59, 59)) is True


def test_a_submission_within_the_last_second_is_taken(maasland_call):
    assert maasland_call.accepts_submissions(brussels(2023, 6, 1, 23, 59, 59, 999999)) is True


def test_a_submission_at_midnight_after_the_deadline_is_refused(maasland_call):
    assert maasland_call.accepts_submissions(brussels(2023, 6, 2, 0, 0, 0)) is False


def test_a_submission_before_the_launch_is_refused(maasland_call):
    assert maasland_call.accepts_submissions(brussels(2023, 4, 20, 23, 59, 59)) is False
    assert maasland_call.accepts_submissions(brussels(2023, 4, 21, 0, 0, 0)) is True


@pytest.mark.parametrize(
    ("moment", "phase"),
    [
        (brussels(2023, 4, 1, 12, 0), Call.Phase.ANNOUNCED),
        (brussels(2023, 5, 15, 12, 0), Call.Phase.INTAKE),
        (brussels(2023, 6, 2, 0, 0), Call.Phase.ASSESSMENT),
        (brussels(2023, 6, 19, 9, 0), Call.Phase.PITCHES),
        (brussels(2023, 6, 23, 23, 59, 59), Call.Phase.PITCHES),
        (brussels(2023, 6, 24, 0, 0), Call.Phase.DECISION),
        (brussels(2023, 7, 15, 0, 0), Call.Phase.WEERWOORD),
        (brussels(2023, 7, 28, 23, 59, 59), Call.Phase.WEERWOORD),
        (brussels(2023, 7, 29, 0, 0), Call.Phase.CLOSED),
    ],
)
def test_the_phase_follows_the_addendums_timeline(maasland_call, moment, phase):
    assert maasland_call.phase(moment) == phase


def test_the_timeline_marks_only_the_current_step(maasland_call):
    steps = maasland_call.timeline(brussels(2023, 6, 21, 10, 0))
    assert [step.key for step in steps if step.is_current] == [Call.Phase.PITCHES]
    assert [step.is_past for step in steps] == [True, True, True, False, False, False]


def test_the_timeline_states_the_addendums_dates_in_dutch(maasland_call):
    steps = maasland_call.timeline(brussels(2023, 5, 1, 10, 0))
    assert [step.when for step in steps] == [
        "21 april 2023",
        "1 juni 2023 om 23:59",
        "weken van 5 en 12 juni",
        "19, 21 en 23 juni 2023",
        "voor 15 juli 2023",
        "tot 14 dagen na de communicatie",
    ]


def test_time_left_is_shown_only_while_intake_is_open(maasland_call):
    assert maasland_call.time_left(brussels(2023, 6, 1, 23, 0, 0)) == datetime.timedelta(minutes=59, seconds=59)
    assert maasland_call.time_left(brussels(2023, 6, 2, 0, 0, 0)) is None


def test_shifting_a_deadline_into_winter_keeps_it_at_235959_local():
    summer_deadline = brussels(2023, 6, 1, 23, 59, 59)
    shifted = shift_instant(summer_deadline, 200)
    assert shifted.astimezone(BRUSSELS) == brussels(2023, 12, 18, 23, 59, 59)
    assert shifted.utcoffset() == datetime.timedelta(hours=1)


def test_the_pitch_round_starts_at_midnight_brussels_on_the_first_pitch_day(maasland_call):
    assert (
        maasland_call.pitches_have_started(brussels(2023, 6, 18, 23, 59, 59, 999999)),
        maasland_call.pitches_have_started(brussels(2023, 6, 19, 0, 0)),
    ) == (False, True)


def test_a_call_without_pitch_days_never_starts_its_pitch_round(maasland_call):
    maasland_call.pitch_days.all().delete()
    call = Call.objects.get(pk=maasland_call.pk)
    assert call.pitches_have_started(brussels(2023, 12, 31, 12, 0)) is False


def test_the_phase_is_decided_in_brussels_whatever_timezone_a_request_activated(maasland_call):
    with timezone.override("UTC"):
        assert maasland_call.phase(brussels(2023, 6, 24, 0, 30)) == Call.Phase.DECISION


def test_the_weerwoord_deadline_is_decided_in_brussels_whatever_timezone_a_request_activated(maasland_call):
    communicated_at = brussels(2023, 7, 14, 0, 30)  # still 13 July in UTC
    with timezone.override("UTC"):
        deadline = maasland_call.weerwoord_deadline(communicated_at)
    assert deadline == brussels(2023, 7, 28, 23, 59, 59)


def what_the_page_shows_about_time(call, at):
    steps = [(step.key, step.is_current, step.is_past) for step in call.timeline(at)]
    return call.phase(at), call.accepts_submissions(at), steps


def test_nothing_the_call_shows_about_time_changes_before_its_next_change(maasland_call):
    """Walked from before the launch to after the weerwoord: what the call page shows at an instant holds until the
    next change the call announces (the page cache keeps a page that long, challenges/page_cache.py)."""
    at, phases = brussels(2023, 4, 1, 12, 0), [maasland_call.phase(brussels(2023, 4, 1, 12, 0))]
    while (change := maasland_call.next_change(at)) is not None:
        just_before = change - datetime.timedelta(microseconds=1)
        assert what_the_page_shows_about_time(maasland_call, just_before) == what_the_page_shows_about_time(
            maasland_call, at
        )
        at = change
        phases += [maasland_call.phase(at)] if maasland_call.phase(at) != phases[-1] else []
    assert phases == list(Call.Phase)
    assert at == maasland_call.weerwoord_ends_at + datetime.timedelta(microseconds=1)


def test_the_next_change_during_intake_is_the_second_after_the_deadline(maasland_call):
    assert maasland_call.next_change(brussels(2023, 6, 1, 23, 59, 59, 500000)) == brussels(2023, 6, 2, 0, 0, 0)
