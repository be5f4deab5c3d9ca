"""The weerwoord window: from the communication until the window's last day at 23:59:59 in Brussels."""

import datetime

from maasland.clock import BRUSSELS


def brussels(*args):
    return datetime.datetime(*args, tzinfo=BRUSSELS)


def test_the_window_ends_on_day_14_at_235959_local(maasland_call):
    deadline = maasland_call.weerwoord_deadline(brussels(2023, 7, 14, 10, 30))
    assert deadline == brussels(2023, 7, 28, 23, 59, 59)


def test_a_window_across_the_end_of_summer_time_still_ends_at_235959_local(maasland_call):
    deadline = maasland_call.weerwoord_deadline(brussels(2023, 10, 20, 16, 0))
    assert deadline.astimezone(BRUSSELS) == brussels(2023, 11, 3, 23, 59, 59)
    assert deadline.utcoffset() == datetime.timedelta(hours=1)
    assert deadline.astimezone(datetime.UTC) == datetime.datetime(2023, 11, 3, 22, 59, 59, tzinfo=datetime.UTC)


def test_the_windows_length_is_the_calls_setting(maasland_call):
    maasland_call.weerwoord_days = 21
    assert maasland_call.weerwoord_deadline(brussels(2023, 7, 14, 10, 30)) == brussels(2023, 8, 4, 23, 59, 59)
