"""The call manager in a real browser: logs in to the admin through its form and the second factor, opens the call's
page, follows "Pitchdagen" to the timetable (day headings, Brussels times, candidacy references, the jurors present)
and, back on the call's page, downloads the decision report, read back with pypdf. The call's change page and the
timetable are checked with axe-core (journey.check)."""

import datetime
import io
import re
from pathlib import Path

import pytest
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.formats import date_format
from playwright.sync_api import expect
from pypdf import PdfReader

from candidacies import services as candidacy_services
from jury import scheduling
from jury.models import JuryMember
from maasland import clock
from tests import factories

from .conftest import PASSWORD, call_manager, call_shifted_to, chair_of, pass_the_second_factor, submitted_candidacy

pytestmark = pytest.mark.sqlite_pass


def test_the_call_manager_reads_the_pitch_days_and_downloads_the_decision_report(
    page, live_server, e2e_maasland_call, journey
):
    # The pitch days start in five days: two pitches on the first day, one on the second; a chair and a juror, who
    # has a conflict with nobody, so both are present at every pitch.
    call = call_shifted_to(
        e2e_maasland_call, slug="e2e-mpd", first_pitch_day=timezone.localdate() + datetime.timedelta(days=5)
    )
    now = timezone.now()
    manager = call_manager()
    chair = chair_of(call)
    JuryMember.objects.create(call=call, user=factories.user("jurylid@example.org", full_name="Jan Jurylid"))
    first_day, second_day = call.pitch_dates[0], call.pitch_dates[1]
    planned = []
    for day, hour, name in ((first_day, 9, "De Brug"), (first_day, 10, "Taalhuis"), (second_day, 14, "Buurtwerk")):
        candidacy = candidacy_services.shortlist(submitted_candidacy(call, name), by=manager, at=now)
        slot = scheduling.create_slot(
            call,
            starts_at=clock.at_brussels(day, datetime.time(hour)),
            ends_at=clock.at_brussels(day, datetime.time(hour, 30)),
            place="Raadzaal Maasmechelen",
            by=manager,
            at=now,
        )
        planned.append(scheduling.assign(slot, candidacy, by=manager, at=now))
    references = [slot.candidacy.reference for slot in planned]

    # 1. The admin's login form, then the second factor's code from the manager's authenticator.
    factories.authenticator(manager)
    page.goto(live_server.url + reverse("admin:login"))
    page.locator("#id_username").fill(manager.email)
    page.locator("#id_password").fill(PASSWORD)
    page.locator("#login-form [type=submit]").click()
    pass_the_second_factor(page, manager)
    expect(page.locator(".call-dashboard").first).to_be_visible()

    # 2. The call's admin page, then its pitch days.
    call_page = live_server.url + reverse("admin:challenges_call_change", args=[call.pk])
    page.goto(call_page)
    journey.check(page, "call-page")
    page.locator("#content-main").get_by_role("link", name="Pitchdagen", exact=True).click()
    expect(page).to_have_url(re.compile(rf"/admin/jury/pitchslot/days/\?call={call.pk}$"))
    content = page.locator("#content-main")
    headings = content.get_by_role("heading", level=2)
    with translation.override("nl"):
        day_names = [date_format(day, "j F Y") for day in (first_day, second_day)]
    for day_name in day_names:
        expect(headings.filter(has_text=day_name)).to_have_count(1)
    rows = content.locator("tbody tr")
    expect(rows).to_have_count(len(planned))
    for slot, hour in zip(planned, (9, 10, 14), strict=True):
        row = rows.filter(has_text=slot.candidacy.reference)
        expect(row).to_have_count(1)
        # Brussels time, whatever the offset of the day is from UTC.
        expect(row.locator("th")).to_have_text(f"{hour:02d}:00–{hour:02d}:30")
        expect(row).to_contain_text(slot.candidacy.organisation.name)
        expect(row).to_contain_text("Jan Jurylid")
        expect(row).to_contain_text(f"{chair.user.full_name} (voorzitter)")
    journey.check(page, "pitch-days")

    # 3. Back on the call's page: the decision report as a download, a PDF with the call's title and every
    # candidacy's reference.
    page.go_back()
    expect(page).to_have_url(call_page)
    with page.expect_download() as download_info:
        page.locator("#content-main").get_by_role("link", name="Beslissingsverslag (PDF)").click()
    download = download_info.value
    assert download.suggested_filename.endswith(".pdf")
    data = Path(download.path()).read_bytes()
    assert data.startswith(b"%PDF")
    text = " ".join("".join(pdf_page.extract_text() for pdf_page in PdfReader(io.BytesIO(data)).pages).split())
    assert call.title in text
    assert [reference for reference in references if reference not in text] == []
