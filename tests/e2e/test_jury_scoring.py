"""A juror scores both rounds in a real browser: logs in through the form, sees none of another juror's scores before
submitting, is refused a wrong score with the error summary, fills the written sheet (with its live total), submits
and then sees the other juror's scores; the sheet fits a tablet; then the same juror scores the pitch. Every page is
checked with axe-core (journey.check)."""

import datetime
import re

import pytest
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect

from candidacies import services as candidacy_services
from jury import services as jury_services
from jury.models import Criterion, JuryMember
from tests import factories

from .conftest import call_manager, call_shifted_to, log_in_through_the_form, submitted_candidacy

pytestmark = pytest.mark.sqlite_pass

OTHER_COMMENT = "Jurylid twee vindt het netwerk nog dun."


def round_section(page, label):
    """The dashboard's section of one round, named by its heading ("Pitches open")."""
    return page.get_by_role("region", name=re.compile(rf"^{label} "))


def sheet_path(candidacy, round):
    return reverse("jury:score_sheet", kwargs={"pk": candidacy.pk, "round": round})


def test_a_juror_scores_the_written_round_and_the_pitch_and_sees_others_only_after_submitting(
    page, live_server, e2e_maasland_call, journey, browser_log
):
    # Both rounds are open: the intake closed weeks ago and the first pitch day was the day before yesterday.
    call = call_shifted_to(
        e2e_maasland_call, slug="e2e-jury", first_pitch_day=timezone.localdate() - datetime.timedelta(days=2)
    )
    candidacy = submitted_candidacy(call, "De Brug")
    submitted_candidacy(call, "Taalhuis")
    candidacy_services.shortlist(candidacy, by=call_manager(), at=timezone.now())
    first = JuryMember.objects.create(call=call, user=factories.user("jurylid1@example.org", full_name="Jurylid Een"))
    second = JuryMember.objects.create(call=call, user=factories.user("jurylid2@example.org", full_name="Jurylid Twee"))
    criteria = list(Criterion.objects.filter(call=call, round="written"))
    pitch_criteria = list(Criterion.objects.filter(call=call, round="pitch"))
    jury_services.save_sheet(
        second,
        candidacy,
        "written",
        values={criterion.pk: (4, OTHER_COMMENT) for criterion in criteria},
        overall_comment="Algemeen: degelijk maar klein.",
        submit=True,
        by=second.user,
        at=timezone.now(),
    )

    # 1. Juror 1 logs in through the login form and opens the jury dashboard: nothing submitted in either round.
    log_in_through_the_form(page, live_server, first.user.email, journey)
    journey.visit(page, reverse("jury:dashboard"), "dashboard")
    expect(page.get_by_role("heading", level=1)).to_have_text("Jury")
    written_round = round_section(page, "Schriftelijke voorstellen")
    expect(written_round).to_contain_text("Je hebt 0 van 2 scoreformulieren ingediend.")
    expect(round_section(page, "Pitches")).to_contain_text("Je hebt 0 van 1 scoreformulieren ingediend.")

    # 2. The written sheet: every criterion, no trace of juror 2.
    written_round.get_by_role("link", name=f"Scoren – {candidacy.reference}").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Scoreformulier: Schriftelijke voorstellen")
    expect(page.locator("input.score-input")).to_have_count(len(criteria))
    expect(page.get_by_text("zodra je je eigen scoreformulier hebt ingediend")).to_be_visible()
    for hidden in ("Jurylid Twee", OTHER_COMMENT, "Algemeen: degelijk maar klein."):
        assert hidden not in page.content()
    expect(page.locator(".other-sheet")).to_have_count(0)
    journey.check(page, "written-sheet")

    # 3. A wrong score comes back with a Dutch message at its field and the typed values kept.
    inputs = page.locator("input.score-input")
    for index in range(len(criteria)):
        inputs.nth(index).fill("8")
    inputs.nth(0).fill("12")
    page.get_by_label("Opmerking bij dit criterium").first.fill("Sterke aansluiting bij Chadia.")
    page.get_by_role("button", name="Indienen", exact=True).click()
    expect(page.locator("#error-summary")).to_contain_text(f"Geef “{criteria[0].name}” een geheel getal van 0 tot 10.")
    expect(inputs.nth(0)).to_have_value("12")
    expect(inputs.nth(1)).to_have_value("8")
    expect(page.get_by_label("Opmerking bij dit criterium").first).to_have_value("Sterke aansluiting bij Chadia.")
    journey.check(page, "written-sheet-refused")

    # 4. Corrected, the live total follows the scores; then the sheet is submitted.
    inputs.nth(0).fill("10")
    inputs.nth(1).fill("6")
    # (25 × 10 + 20 × 6 + 55 × 8) / 100 on a scale of 10: 81 out of 100.
    expect(page.locator("#sheet-total")).to_have_text("81,0 / 100")
    journey.check(page, "written-sheet-filled")
    page.get_by_role("button", name="Indienen", exact=True).click()

    # 5. Now juror 2's scores and comments are shown.
    expect(page.locator(".messages")).to_contain_text("Je scoreformulier is ingediend.")
    other = page.locator(".other-sheet")
    expect(other).to_have_count(1)
    expect(other.get_by_role("heading")).to_contain_text("Jurylid Twee")
    expect(other.get_by_text(OTHER_COMMENT).first).to_be_visible()
    expect(other).to_contain_text("Algemeen: degelijk maar klein.")
    expect(other).to_contain_text("gewogen totaal 40,0 / 100")
    journey.check(page, "written-sheet-submitted")

    # 6. On a tablet the sheet stacks: no horizontal scrolling, inputs large enough to touch.
    page.set_viewport_size({"width": 768, "height": 1024})
    page.reload()
    assert page.evaluate("document.documentElement.scrollWidth") <= 768
    box = page.locator("input.score-input").first.bounding_box()
    assert box["height"] >= 44
    comment_box = page.get_by_label("Opmerking bij dit criterium").first.bounding_box()
    assert comment_box["y"] > box["y"] + box["height"]
    journey.check(page, "written-sheet-tablet")

    # 7. The candidacy as submitted, with the conflict form.
    page.get_by_role("link", name=candidacy.reference, exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Project van De Brug")
    expect(page.get_by_role("button", name="Belangenconflict melden")).to_be_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= 768
    journey.check(page, "candidacy")

    # 8. The pitch round, from the dashboard: the sheet with the pitch criteria, submitted in one go.
    journey.visit(page, reverse("jury:dashboard"), "dashboard-after-written-round")
    expect(written_round).to_contain_text("Je hebt 1 van 2 scoreformulieren ingediend.")
    round_section(page, "Pitches").get_by_role("link", name=f"Scoren – {candidacy.reference}").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Scoreformulier: Pitches")
    pitch_inputs = page.locator("input.score-input")
    expect(pitch_inputs).to_have_count(len(pitch_criteria))
    for index in range(len(pitch_criteria)):
        pitch_inputs.nth(index).fill("7")
    expect(page.locator("#sheet-total")).to_have_text("70,0 / 100")
    journey.check(page, "pitch-sheet-filled")
    page.get_by_role("button", name="Indienen", exact=True).click()
    expect(page.locator(".messages")).to_contain_text("Je scoreformulier is ingediend.")
    journey.check(page, "pitch-sheet-submitted")
    journey.visit(page, reverse("jury:dashboard"), "dashboard-after-pitch-round")
    expect(round_section(page, "Pitches")).to_contain_text("Je hebt 1 van 1 scoreformulieren ingediend.")

    sheets = first.sheets.filter(submitted_at__isnull=False).order_by("round")
    assert [(sheet.candidacy_id, sheet.round) for sheet in sheets] == [
        (candidacy.pk, "pitch"),
        (candidacy.pk, "written"),
    ]
    assert browser_log.failed_responses == ["400 " + live_server.url + sheet_path(candidacy, "written")]
