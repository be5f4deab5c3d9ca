"""Brussels time in one place: the zone, a local day's first and last second, and the deadline rule.

Instants are stored in UTC and decided in Europe/Brussels (docs/architecture.md, "Where each rule lives"). Every rule
here names its zone itself, so the answer does not depend on the timezone a request happened to activate. The
project package is the bottom layer: this module imports no app.
"""

import datetime
from zoneinfo import ZoneInfo

BRUSSELS = ZoneInfo("Europe/Brussels")

LAST_SECOND = datetime.time(23, 59, 59)


def day_start(day):
    """The first instant of a Brussels calendar day: 00:00:00 local, aware. Brussels changes its clocks at 02:00
    and 03:00, never at midnight, so this instant always exists and is unambiguous."""
    return datetime.datetime.combine(day, datetime.time.min, tzinfo=BRUSSELS)


def day_end(day):
    """The last second of a Brussels calendar day: 23:59:59 local, aware. A day's dates (a pitch day, the last day
    of the weerwoord window) run up to and including this second, as a deadline does (see `on_or_before`)."""
    return datetime.datetime.combine(day, LAST_SECOND, tzinfo=BRUSSELS)


def local_date(at):
    """The Brussels calendar date of an aware instant."""
    return at.astimezone(BRUSSELS).date()


def on_or_before(at, deadline):
    """The deadline rule: `at` is in time when it falls at or before the deadline instant, to the second. A deadline
    is a whole second (23:59:59): a submission at 23:59:59.999 counts, one at 00:00:00 does not."""
    return at.replace(microsecond=0) <= deadline


def at_brussels(day, time):
    """The instant a Brussels wall clock shows `time` on `day`, aware (a time typed in a form)."""
    return datetime.datetime.combine(day, time, tzinfo=BRUSSELS)
