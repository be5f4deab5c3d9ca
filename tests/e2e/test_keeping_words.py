"""In the browser: the counter counts a line break once, as the server does; a long paste is kept, not cut; the
draft saves itself and the page keeps its lock_version in step; a warning comes before the session ends."""

import re

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from tests import factories

from .conftest import axe_violations, describe_violations

pytestmark = pytest.mark.sqlite_pass

SUMMARY_WITH_LINE_BREAKS = ("a" * 186 + "\n") * 8 + "b" * 4


def test_the_counter_counts_line_breaks_once_a_long_paste_is_kept_and_the_draft_saves_itself(
    page, live_server, open_call, log_in, browser_log, settings
):
    settings.SESSION_COOKIE_AGE = 5 * 60 + 1  # the warning, five minutes before the end, comes after a second
    applicant = factories.user("an@example.org", full_name="An Aanvrager")
    draft = factories.candidacy(open_call, factories.organisation(applicant, name="Buddywerk Maasland"))
    edit_url = live_server.url + reverse("candidacies:candidacy_update", args=[draft.pk])
    log_in(applicant)
    page.goto(edit_url)
    expect(page.locator("#session-warning")).to_have_text(re.compile(r"^Je sessie loopt over 5 minuten af\."))
    violations = axe_violations(page)
    assert violations == [], describe_violations(violations)

    page.locator("#id_summary").fill(SUMMARY_WITH_LINE_BREAKS)
    expect(page.locator("#id_summary-counter")).to_have_text("1500 van 1500 tekens")
    expect(page.locator("#autosave-status")).to_have_text(re.compile(r"^Bewaard om \d\d:\d\d$"), timeout=15_000)
    draft.refresh_from_db()
    assert (len(draft.summary), draft.summary) == (1500, SUMMARY_WITH_LINE_BREAKS)
    expect(page.locator("input[name=lock_version]")).to_have_value(str(draft.lock_version))

    pasted = "c" * 5048
    page.locator("#id_team").fill(pasted)
    expect(page.locator("#id_team")).to_have_value(pasted)
    expect(page.locator("#id_team-counter")).to_have_text(re.compile(r"^5048 van 5000 tekens: 48 te veel\."))
    page.get_by_role("button", name="Opslaan als concept").click()
    expect(page.get_by_text("het zijn er nu 5048").first).to_be_visible()
    expect(page.locator("#id_team")).to_have_value(pasted)
    violations = axe_violations(page)
    assert violations == [], describe_violations(violations)

    # Our own 404 page, in the portal's layout, passes the same checks.
    page.goto(live_server.url + "/bestaat-niet/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Deze pagina bestaat niet")
    violations = axe_violations(page)
    assert violations == [], describe_violations(violations)
    assert browser_log.failed_responses == ["400 " + edit_url, "404 " + live_server.url + "/bestaat-niet/"]
