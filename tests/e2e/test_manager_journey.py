"""The call manager sends the chair's decisions in Django admin, in a real browser: the admin's start page, the
decisions, the action with its confirmation page, the success message, the letters and one letter's download.
Admin pages are checked with axe-core too (journey.check), with only the rules that challenges.accessibility lists
for Django admin's own markup left out."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect

from jury.models import Decision

from .conftest import call_manager, call_shifted_to, chair_of, decided_candidacy

pytestmark = pytest.mark.sqlite_pass


def test_the_call_manager_sends_the_decisions_and_downloads_a_letter_in_the_admin(
    page, live_server, e2e_maasland_call, journey, browser_log, log_in, mailoutbox
):
    call = call_shifted_to(
        e2e_maasland_call, slug="e2e-letters", first_pitch_day=timezone.localdate() - datetime.timedelta(days=12)
    )
    manager = call_manager()
    chair = chair_of(call)
    selected = decided_candidacy(call, "De Brug", chair, outcome="selected", manager=manager)
    not_selected = decided_candidacy(call, "Taalhuis", chair, outcome="not_selected", manager=manager)
    log_in(manager)

    # 1. The admin's start page, then the decisions: two, not sent.
    journey.visit(page, reverse("admin:index"), "admin-index")
    journey.visit(page, reverse("admin:jury_decision_changelist"), "decisions")
    rows = page.locator("#result_list tbody tr")
    expect(rows).to_have_count(2)

    # 2. Both ticked, the action "Beslissingen versturen", and its confirmation page.
    page.locator("#action-toggle").check()
    page.locator("select[name=action]").select_option(label="Beslissingen versturen")
    page.get_by_role("button", name="Uitvoeren").click()
    expect(page.get_by_role("button", name="Ja, verstuur ze")).to_be_visible()
    expect(page.locator("#content table tbody tr")).to_have_count(2)
    journey.check(page, "send-confirmation")

    # 3. Confirmed: both sent, each with its letter, mailed to the organisation.
    mails_before = len(mailoutbox)
    page.get_by_role("button", name="Ja, verstuur ze").click()
    expect(page.locator(".messagelist")).to_contain_text("2 beslissingen worden verstuurd.")
    journey.check(page, "decisions-sent")
    decisions = Decision.objects.filter(candidacy__call=call).order_by("candidacy__reference")
    assert [(d.candidacy_id, d.communicated_at is not None, d.letters.count()) for d in decisions] == [
        (selected.pk, True, 1),
        (not_selected.pk, True, 1),
    ]
    letter_mails = mailoutbox[mails_before:]
    assert [[mimetype for _name, _content, mimetype in message.attachments] for message in letter_mails] == [
        ["application/pdf"],
        ["application/pdf"],
    ]

    # 4. The letters, and one downloaded as a PDF.
    journey.visit(page, reverse("admin:jury_decisionletter_changelist"), "letters")
    expect(page.locator("#result_list tbody tr")).to_have_count(2)
    with page.expect_download() as download_info:
        page.locator("#result_list").get_by_role("link", name="Downloaden").first.click()
    assert download_info.value.path().read_bytes()[:4] == b"%PDF"

    # 5. One decision in detail: communicated, with its letter.
    decision = decisions[0]
    journey.visit(page, reverse("admin:jury_decision_change", args=[decision.pk]), "decision")
    expect(page.locator("#content")).to_contain_text(selected.reference)
    assert browser_log.failed_responses == []
