"""The pitch days: a timetable per day (Brussels time, candidacy, organisation, place or link, the jurors present by
the one conflict rule), in admin and for the jury of the call, in a fixed number of queries; and each juror's calendar
feed at a secret link that needs no login and can be renewed."""

import datetime

import pytest
import time_machine
from django.test import Client
from django.urls import reverse
from icalendar import Calendar

from candidacies import services as candidacy_services
from challenges.models import Call
from jury import pitch_days, scheduling, services
from jury.feeds import CalendarFeed
from jury.models import JuryMember
from maasland.clock import BRUSSELS
from tests import factories

from .conftest import WRITTEN_ROUND

pytestmark = pytest.mark.usefixtures("time_travel")


@pytest.fixture
def time_travel():
    with time_machine.travel(WRITTEN_ROUND, tick=False):
        yield


def at(day, hour, minute=0):
    return datetime.datetime(2023, 6, day, hour, minute, tzinfo=BRUSSELS)


def slot(call, manager, day, hour, minute=0, *, place="Raadzaal Maasmechelen", video_link=""):
    return scheduling.create_slot(
        call,
        starts_at=at(day, hour, minute),
        ends_at=at(day, hour, minute + 30),
        place=place,
        video_link=video_link,
        by=manager,
        at=WRITTEN_ROUND,
    )


def planned(call, manager, candidacy, day, hour, **where):
    shortlisted = candidacy_services.shortlist(candidacy, by=manager, at=WRITTEN_ROUND)
    return scheduling.assign(slot(call, manager, day, hour, **where), shortlisted, by=manager, at=WRITTEN_ROUND)


@pytest.fixture
def schedule(maasland_call, manager, candidacies, chair, jurors):
    """Two pitches on 19 June (the second at 09:00, planned first), one on 21 June by video, a free slot on 21 June;
    juror 1 declared a conflict with the first candidacy, juror 2 is a member of the second's organisation."""
    second = planned(maasland_call, manager, candidacies[1], 19, 10)
    first = planned(maasland_call, manager, candidacies[0], 19, 9)
    third = planned(maasland_call, manager, candidacies[2], 21, 14, place="", video_link="https://meet.example.org/p")
    free = slot(maasland_call, manager, 21, 15)
    services.declare_conflict(jurors[0], candidacies[0], reason="Ik werk er.", by=jurors[0].user, at=WRITTEN_ROUND)
    factories.organisation(jurors[1].user)  # another organisation: no conflict
    candidacies[1].organisation.members.add(jurors[1].user)
    return {"first": first, "second": second, "third": third, "free": free}


def names(jurors):
    return [juror.user.full_name for juror in jurors]


def test_the_timetable_lists_each_pitch_day_in_order_with_its_slots_in_brussels_time(maasland_call, schedule):
    days = pitch_days.timetable(maasland_call)
    assert [day.date for day in days] == [
        datetime.date(2023, 6, 19),
        datetime.date(2023, 6, 21),
        datetime.date(2023, 6, 23),
    ]
    assert [(row.starts_at.strftime("%H:%M"), row.ends_at.strftime("%H:%M")) for row in days[0].rows] == [
        ("09:00", "09:30"),
        ("10:00", "10:30"),
    ]
    assert [row.slot for row in days[1].rows] == [schedule["third"], schedule["free"]]
    assert days[2].rows == []


def test_the_jurors_present_are_the_calls_jurors_without_a_conflict_by_any_source(
    maasland_call, schedule, chair, jurors
):
    rows = {row.slot.pk: row for day in pitch_days.timetable(maasland_call) for row in day.rows}
    everyone = ["Vera Voorzitter", "Jurylid 1", "Jurylid 2", "Jurylid 3"]
    assert names(rows[schedule["first"].pk].present) == ["Vera Voorzitter", "Jurylid 2", "Jurylid 3"]  # declared
    assert names(rows[schedule["first"].pk].absent) == ["Jurylid 1"]
    assert names(rows[schedule["second"].pk].present) == ["Vera Voorzitter", "Jurylid 1", "Jurylid 3"]  # a member
    assert names(rows[schedule["third"].pk].present) == everyone
    assert rows[schedule["free"].pk].candidacy is None


def test_a_kbo_number_in_the_jurors_profile_makes_them_absent_too(maasland_call, schedule, candidacies, jurors):
    jurors[2].enterprise_numbers = candidacies[2].organisation.enterprise_number
    jurors[2].save()
    rows = {row.slot.pk: row for day in pitch_days.timetable(maasland_call) for row in day.rows}
    assert names(rows[schedule["third"].pk].absent) == ["Jurylid 3"]


def test_the_timetable_costs_the_same_queries_for_one_slot_or_many(
    maasland_call, manager, candidacies, chair, jurors, django_assert_num_queries
):
    planned(maasland_call, manager, candidacies[0], 19, 9)
    call = Call.objects.get(pk=maasland_call.pk)  # pitch days not loaded yet
    with django_assert_num_queries(4):
        small = pitch_days.timetable(call)
    planned(maasland_call, manager, candidacies[1], 19, 10)
    planned(maasland_call, manager, candidacies[2], 23, 11)
    slot(maasland_call, manager, 23, 12)
    JuryMember.objects.create(call=maasland_call, user=factories.user(full_name="Jurylid 4"))
    call = Call.objects.get(pk=maasland_call.pk)  # pitch days not loaded yet
    with django_assert_num_queries(4):
        large = pitch_days.timetable(call)
    assert (sum(len(day.rows) for day in small), sum(len(day.rows) for day in large)) == (1, 4)


# The jury's page


def timetable_url(call):
    return reverse("jury:pitch_days", args=[call.slug])


def client_of(user):
    client = Client()
    client.force_login(user)
    return client


def test_a_juror_sees_the_planned_pitches_and_no_candidacy_of_their_own_conflict(
    maasland_call, schedule, candidacies, jurors
):
    page = client_of(jurors[0].user).get(timetable_url(maasland_call)).content.decode()
    assert "maandag 19 juni 2023" in page.lower()
    assert "09:00–09:30" in page and "10:00–10:30" in page
    assert candidacies[1].reference in page and candidacies[1].organisation.name in page
    assert candidacies[0].reference not in page and candidacies[0].organisation.name not in page
    assert "Een kandidatuur waarvoor je een belangenconflict hebt: je bent niet aanwezig." in page
    assert "15:00–15:30" not in page  # the free slot is for the call manager only
    assert 'href="https://meet.example.org/p"' in page


def test_the_chair_sees_who_is_present_at_each_pitch(maasland_call, schedule, candidacies, chair):
    page = client_of(chair.user).get(timetable_url(maasland_call)).content.decode()
    assert candidacies[0].reference in page
    assert "1 jurylid is afwezig (belangenconflict)" in page


def test_the_jury_page_links_to_the_pitch_days(maasland_call, jurors):
    page = client_of(jurors[0].user).get(reverse("jury:dashboard")).content.decode()
    assert f'href="{timetable_url(maasland_call)}"' in page


def test_someone_outside_the_jury_gets_a_404(maasland_call, schedule, candidacies, manager):
    applicant = candidacies[0].organisation.members.first()
    assert client_of(applicant).get(timetable_url(maasland_call)).status_code == 404
    assert client_of(manager).get(timetable_url(maasland_call)).status_code == 404


def test_the_jurys_page_costs_the_same_queries_for_one_pitch_or_many(
    maasland_call, manager, candidacies, chair, django_assert_num_queries
):
    client = client_of(chair.user)
    planned(maasland_call, manager, candidacies[0], 19, 9)
    client.get(timetable_url(maasland_call))  # the session's first request loads what later ones share
    with django_assert_num_queries(11) as small:
        client.get(timetable_url(maasland_call))
    planned(maasland_call, manager, candidacies[1], 19, 10)
    planned(maasland_call, manager, candidacies[2], 21, 10)
    with django_assert_num_queries(len(small.captured_queries)):
        client.get(timetable_url(maasland_call))


# Admin


def admin_url(call=None):
    return reverse("admin:jury_pitchslot_days") + (f"?call={call.pk}" if call else "")


def test_the_call_manager_sees_every_slot_with_the_absent_jurors(maasland_call, schedule, candidacies, manager):
    page = client_of(manager).get(admin_url(maasland_call)).content.decode()
    assert "Pitchdagen: " in page
    assert candidacies[0].reference in page and candidacies[0].organisation.name in page
    assert "15:00–15:30" in page and "vrij" in page
    assert "Afwezig (belangenconflict)" in page


def test_the_admin_pitch_days_are_reached_from_the_call_and_the_pitch_slot_list(maasland_call, manager):
    client = client_of(manager)
    call_page = client.get(reverse("admin:challenges_call_change", args=[maasland_call.pk])).content.decode()
    slot_list = client.get(reverse("admin:jury_pitchslot_changelist") + f"?call__id__exact={maasland_call.pk}")
    assert f'href="{admin_url(maasland_call)}"' in call_page
    assert f'href="{admin_url(maasland_call)}"' in slot_list.content.decode()


def test_without_a_call_the_admin_page_offers_the_calls_with_pitch_days(maasland_call, manager):
    page = client_of(manager).get(admin_url()).content.decode()
    assert f'href="?call={maasland_call.pk}"' in page


def test_the_admin_page_costs_the_same_queries_for_one_slot_or_many(
    maasland_call, manager, candidacies, chair, jurors, django_assert_num_queries
):
    client = client_of(manager)
    planned(maasland_call, manager, candidacies[0], 19, 9)
    client.get(admin_url(maasland_call))
    with django_assert_num_queries(9) as small:
        client.get(admin_url(maasland_call))
    planned(maasland_call, manager, candidacies[1], 19, 10)
    slot(maasland_call, manager, 21, 9)
    with django_assert_num_queries(len(small.captured_queries)):
        client.get(admin_url(maasland_call))


# The calendar feed


def feed_url(feed):
    return reverse("jury:calendar_feed", kwargs={"feed_id": feed.pk, "token": feed.token})


def events(response):
    return [
        (str(event["uid"]), event["dtstart"].dt.astimezone(BRUSSELS).strftime("%d %H:%M"))
        for event in Calendar.from_ical(response.content).walk("VEVENT")
    ]


def test_the_feed_shows_the_jurors_pitches_without_their_conflicts_and_without_a_login(
    maasland_call, schedule, candidacies, jurors
):
    feed = services.renew_calendar_feed(jurors[0].user, at=WRITTEN_ROUND)
    response = Client().get(feed_url(feed))
    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    assert response["Cache-Control"] == "private, no-store"
    assert Client().head(feed_url(feed)).status_code == 200  # calendar apps may ask with HEAD first
    assert events(response) == [
        (f"jury-pitch-{candidacies[1].pk}@maasland-portal", "19 10:00"),
        (f"jury-pitch-{candidacies[2].pk}@maasland-portal", "21 14:00"),
    ]


def test_the_feed_follows_the_jurors_calls(maasland_call, schedule, candidacies, jurors, chair):
    feed = services.renew_calendar_feed(chair.user, at=WRITTEN_ROUND)
    assert len(events(Client().get(feed_url(feed)))) == 3


def test_an_unknown_or_wrong_token_gets_a_404(maasland_call, schedule, jurors):
    feed = services.renew_calendar_feed(jurors[0].user, at=WRITTEN_ROUND)
    wrong = reverse("jury:calendar_feed", kwargs={"feed_id": feed.pk, "token": "x" * len(feed.token)})
    unknown = reverse("jury:calendar_feed", kwargs={"feed_id": feed.pk + 1, "token": feed.token})
    assert (Client().get(wrong).status_code, Client().get(unknown).status_code) == (404, 404)


def test_the_link_of_an_account_that_is_no_longer_active_opens_nothing(maasland_call, schedule, jurors):
    feed = services.renew_calendar_feed(jurors[0].user, at=WRITTEN_ROUND)
    jurors[0].user.is_active = False
    jurors[0].user.save(update_fields=["is_active"])
    assert Client().get(feed_url(feed)).status_code == 404


def test_renewing_voids_the_old_link(maasland_call, schedule, jurors):
    old = services.renew_calendar_feed(jurors[0].user, at=WRITTEN_ROUND)
    old_url = feed_url(old)
    response = client_of(jurors[0].user).post(reverse("jury:calendar_feed_renew", args=[maasland_call.slug]))
    new = CalendarFeed.objects.get(user=jurors[0].user)
    assert response.status_code == 302
    assert (new.pk, new.token != old.token) == (old.pk, True)
    assert (Client().get(old_url).status_code, Client().get(feed_url(new)).status_code) == (404, 200)


def test_the_token_is_long_and_random(jurors):
    tokens = {services.renew_calendar_feed(jurors[0].user, at=WRITTEN_ROUND).token for _ in range(3)}
    assert len(tokens) == 3
    assert all(len(token) >= 43 for token in tokens)


def test_the_jury_page_shows_the_link_once_it_is_made(maasland_call, jurors):
    client = client_of(jurors[0].user)
    before = client.get(timetable_url(maasland_call)).content.decode()
    client.post(reverse("jury:calendar_feed_renew", args=[maasland_call.slug]))
    after = client.get(timetable_url(maasland_call)).content.decode()
    feed = CalendarFeed.objects.get(user=jurors[0].user)
    assert "Maak mijn agendalink" in before and feed.token not in before
    assert f'value="http://testserver{feed_url(feed)}"' in after and "Maak een nieuwe agendalink" in after


def test_only_a_juror_can_make_a_calendar_link(maasland_call, candidacies, manager):
    applicant = candidacies[0].organisation.members.first()
    response = client_of(applicant).post(reverse("jury:calendar_feed_renew", args=[maasland_call.slug]))
    assert response.status_code == 404
    with pytest.raises(services.NotFound):
        services.renew_calendar_feed(applicant, at=WRITTEN_ROUND)
    assert not CalendarFeed.objects.exists()
