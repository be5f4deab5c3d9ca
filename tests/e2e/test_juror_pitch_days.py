"""A juror in a real browser: logs in through the form and lands on the jury page, withdraws a conflict of interest
declared by mistake, opens the pitch days of the call, makes a personal calendar link and fetches it as a calendar
app would (no login). Every page is checked with axe-core (journey.check)."""

import datetime
import re

import pytest
from django.urls import reverse
from django.utils import timezone
from icalendar import Calendar
from playwright.sync_api import expect

from candidacies import services as candidacy_services
from jury import scheduling
from jury import services as jury_services
from jury.models import Conflict, JuryMember
from maasland import clock
from tests import factories

from .conftest import call_manager, call_shifted_to, chair_of, log_in_through_the_form, submitted_candidacy

pytestmark = pytest.mark.sqlite_pass


def test_a_juror_lands_on_the_jury_page_withdraws_a_conflict_and_follows_the_pitch_days_in_a_calendar(
    page, live_server, e2e_maasland_call, journey
):
    # The written round is open; the pitch days start in five days, with two pitches planned on the first.
    call = call_shifted_to(
        e2e_maasland_call, slug="e2e-pd", first_pitch_day=timezone.localdate() + datetime.timedelta(days=5)
    )
    now = timezone.now()
    manager = call_manager()
    chair_of(call)
    juror = JuryMember.objects.create(call=call, user=factories.user("jurylid@example.org", full_name="Jan Jurylid"))
    first_day = call.pitch_dates[0]
    planned = []
    for hour, name in ((9, "De Brug"), (10, "Taalhuis")):
        candidacy = candidacy_services.shortlist(submitted_candidacy(call, name), by=manager, at=now)
        slot = scheduling.create_slot(
            call,
            starts_at=clock.at_brussels(first_day, datetime.time(hour)),
            ends_at=clock.at_brussels(first_day, datetime.time(hour, 30)),
            place="Raadzaal Maasmechelen",
            by=manager,
            at=now,
        )
        planned.append(scheduling.assign(slot, candidacy, by=manager, at=now))
    mistaken = planned[1].candidacy
    jury_services.declare_conflict(juror, mistaken, reason="Verkeerde knop.", by=juror.user, at=now)

    # 1. The login form leads a juror without an organisation to the jury page, not to "Mijn kandidaturen".
    log_in_through_the_form(page, live_server, juror.user.email, journey)
    expect(page).to_have_url(live_server.url + reverse("jury:dashboard"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Jury")
    conflicts = page.get_by_role("region", name="Je gemelde belangenconflicten")
    expect(conflicts).to_contain_text(mistaken.reference)
    journey.check(page, "landing")

    # 2. The conflict was a mistake and nothing is scored yet: withdrawn, recorded, the candidacy is back.
    conflicts.get_by_role("button", name=f"Conflict intrekken – {mistaken.reference}").click()
    expect(page.get_by_text(f"Je belangenconflict voor {mistaken.reference} is ingetrokken")).to_be_visible()
    expect(page.get_by_role("region", name="Je gemelde belangenconflicten")).to_have_count(0)
    expect(page.get_by_role("link", name=mistaken.title).first).to_be_visible()
    assert not Conflict.objects.filter(jury_member=juror).exists()
    journey.check(page, "conflict-withdrawn")

    # 3. The pitch days: the first day with both pitches in Brussels time and the jurors present.
    page.get_by_role("link", name="Pitchdagen", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Pitchdagen")
    day = page.get_by_role("region", name=re.compile(rf"{first_day.day} "))
    expect(day.get_by_role("row")).to_have_count(3)
    expect(day.get_by_role("row").nth(1)).to_contain_text("09:00–09:30")
    expect(day.get_by_role("row").nth(2)).to_contain_text(mistaken.reference)
    expect(day.get_by_role("row").nth(2)).to_contain_text("Jan Jurylid")
    journey.check(page, "pitch-days")

    # 4. A personal calendar link, fetched without the session as a calendar app does: both pitches as events.
    page.get_by_role("button", name="Maak mijn agendalink").click()
    link = page.get_by_label("Je agendalink")
    expect(link).to_have_value(re.compile(r"/jury/agenda/\d+/[\w-]{43}/pitches\.ics$"))
    journey.check(page, "calendar-link")
    response = page.request.get(link.input_value(), headers={"Cookie": ""})
    assert (response.status, response.headers["cache-control"]) == (200, "private, no-store")
    events = Calendar.from_ical(response.body()).walk("VEVENT")
    assert sorted(str(event["summary"]) for event in events) == sorted(
        f"Pitch {slot.candidacy.reference} – {call.title}" for slot in planned
    )
