"""Brussels time in one place (maasland/clock.py): a local day's first and last second, also on the days the clocks
change, and the deadline rule to the second, whatever timezone a request has activated."""

import datetime

import pytest
from django.utils import timezone

from maasland.clock import BRUSSELS, day_end, day_start, local_date, on_or_before

pytestmark = pytest.mark.sqlite_pass

UTC = datetime.UTC
SPRING_FORWARD = datetime.date(2023, 3, 26)  # last Sunday of March: 02:00 becomes 03:00
FALL_BACK = datetime.date(2023, 10, 29)  # last Sunday of October: 03:00 becomes 02:00
ONE_DAY = datetime.timedelta(days=1)


def utc(*args):
    return datetime.datetime(*args, tzinfo=UTC)


def hours_in(day):
    """Elapsed hours, counted in UTC: subtracting two times of one zone would count wall-clock hours."""
    return (day_start(day + ONE_DAY).astimezone(UTC) - day_start(day).astimezone(UTC)) / datetime.timedelta(hours=1)


def test_the_zone_is_europe_brussels():
    assert str(BRUSSELS) == "Europe/Brussels"


def test_a_winter_day_starts_at_midnight_brussels_which_is_2300_utc_the_day_before():
    assert day_start(datetime.date(2023, 1, 10)) == utc(2023, 1, 9, 23, 0)


def test_a_summer_day_ends_at_235959_brussels_which_is_215959_utc():
    assert day_end(datetime.date(2023, 6, 1)) == utc(2023, 6, 1, 21, 59, 59)


def test_day_start_and_day_end_are_aware_and_read_as_brussels_wall_clock_times():
    start, end = day_start(datetime.date(2023, 6, 1)), day_end(datetime.date(2023, 6, 1))
    assert (start.tzinfo, start.time(), end.tzinfo, end.time()) == (
        BRUSSELS,
        datetime.time(0, 0),
        BRUSSELS,
        datetime.time(23, 59, 59),
    )


def test_the_last_sunday_of_march_starts_in_winter_time_and_ends_in_summer_time():
    assert day_start(SPRING_FORWARD) == utc(2023, 3, 25, 23, 0)
    assert day_end(SPRING_FORWARD) == utc(2023, 3, 26, 21, 59, 59)


def test_the_last_sunday_of_march_has_23_hours():
    assert hours_in(SPRING_FORWARD) == 23


def test_the_last_sunday_of_october_starts_in_summer_time_and_ends_in_winter_time():
    assert day_start(FALL_BACK) == utc(2023, 10, 28, 22, 0)
    assert day_end(FALL_BACK) == utc(2023, 10, 29, 22, 59, 59)


def test_the_last_sunday_of_october_has_25_hours():
    assert hours_in(FALL_BACK) == 25


def test_an_ordinary_day_has_24_hours():
    assert hours_in(datetime.date(2023, 6, 1)) == 24


def test_a_days_last_second_is_one_second_before_the_next_days_start_also_when_the_clocks_change():
    for day in (SPRING_FORWARD, FALL_BACK, datetime.date(2023, 6, 1)):
        assert day_start(day + ONE_DAY) - day_end(day).astimezone(UTC) == datetime.timedelta(seconds=1)


@pytest.mark.parametrize(
    ("at", "date"),
    [
        (utc(2023, 3, 25, 22, 59, 59), datetime.date(2023, 3, 25)),
        (utc(2023, 3, 25, 23, 0), datetime.date(2023, 3, 26)),
        (utc(2023, 10, 29, 22, 59, 59), datetime.date(2023, 10, 29)),
        (utc(2023, 10, 29, 23, 0), datetime.date(2023, 10, 30)),
        (utc(2023, 6, 1, 22, 0), datetime.date(2023, 6, 2)),
    ],
)
def test_the_local_date_is_the_brussels_calendar_date(at, date):
    assert local_date(at) == date


def test_the_local_date_does_not_follow_the_activated_timezone():
    with timezone.override("America/New_York"):
        assert local_date(utc(2023, 6, 1, 22, 30)) == datetime.date(2023, 6, 2)


DEADLINE = day_end(datetime.date(2023, 6, 1))


@pytest.mark.parametrize(
    ("at", "in_time"),
    [
        (datetime.datetime(2023, 6, 1, 23, 59, 58, tzinfo=BRUSSELS), True),
        (datetime.datetime(2023, 6, 1, 23, 59, 59, tzinfo=BRUSSELS), True),
        (datetime.datetime(2023, 6, 1, 23, 59, 59, 999999, tzinfo=BRUSSELS), True),
        (utc(2023, 6, 1, 21, 59, 59, 999999), True),
        (datetime.datetime(2023, 6, 2, 0, 0, 0, tzinfo=BRUSSELS), False),
        (datetime.datetime(2023, 6, 2, 0, 0, 0, 1, tzinfo=BRUSSELS), False),
        (utc(2023, 6, 1, 22, 0), False),
    ],
)
def test_on_or_before_counts_the_deadlines_whole_last_second_and_not_the_next(at, in_time):
    assert on_or_before(at, DEADLINE) is in_time


def test_on_or_before_holds_on_the_night_the_clocks_go_back():
    deadline = day_end(FALL_BACK)
    assert on_or_before(utc(2023, 10, 29, 22, 59, 59, 500000), deadline) is True
    assert on_or_before(utc(2023, 10, 29, 23, 0), deadline) is False
