"""A juror scores a written proposal in a real browser: logs in through the form, sees none of another juror's
scores before submitting, fills the sheet (with its live total), submits, and then sees the other juror's scores.
The same sheet fits a tablet (768 px wide) without horizontal scrolling."""

import datetime
import re
import uuid

from axe_playwright_python.sync_playwright import Axe
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect

from candidacies import services as candidacy_services
from challenges.services import copy_call_shifted
from jury import services as jury_services
from jury.models import Criterion, JuryMember
from tests import factories

PASSWORD = "a-Strong-passw0rd"  # what tests.factories.user gives every user
OTHER_COMMENT = "Jurylid twee vindt het netwerk nog dun."


def closed_call(real_call):
    """A copy of the real call whose deadline was three days ago and whose pitch days are still to come, with the
    real call's written criteria (the live server runs on today's clock)."""
    real_deadline = timezone.localtime(real_call.deadline).date()
    days = (timezone.localdate() - datetime.timedelta(days=3) - real_deadline).days
    call = copy_call_shifted(real_call, slug="e2e-jury", subtitle="E2E jury", reference_prefix="JURY", days=days)
    Criterion.objects.bulk_create(
        Criterion(
            call=call,
            round=criterion.round,
            position=criterion.position,
            name=criterion.name,
            description=criterion.description,
            weight=criterion.weight,
            scale_min=criterion.scale_min,
            scale_max=criterion.scale_max,
        )
        for criterion in Criterion.objects.filter(call=real_call, round="written")
    )
    return call


def submitted_candidacy(call, name, at):
    applicant = factories.user()
    candidacy = factories.candidacy(call, factories.organisation(applicant, name=name), title=f"Project van {name}")
    candidacy_services.submit(
        candidacy,
        {**factories.complete_content(call), "title": f"Project van {name}"},
        lock_version=candidacy.lock_version,
        token=uuid.uuid4(),
        by=applicant,
        at=at,
    )
    candidacy.refresh_from_db()
    return candidacy


WCAG_21_AA = {
    "runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]},
    "resultTypes": ["violations"],
}


def accessibility_violations(page):
    """axe-core's WCAG 2.1 A/AA violations on the page as it is now, as (rule, first element) pairs."""
    violations = Axe().run(page, options=WCAG_21_AA).response["violations"]
    return [(violation["id"], violation["nodes"][0]["html"]) for violation in violations]


def log_in_through_the_form(page, live_server, email):
    page.goto(live_server.url + reverse("accounts:login"))
    page.locator("main input[name=username]").fill(email)
    page.locator("main input[name=password]").fill(PASSWORD)
    page.locator("main form").get_by_role("button", name="Inloggen").click()
    expect(page.get_by_role("button", name=re.compile(r"^Afmelden"))).to_be_visible()


def test_a_juror_sees_another_jurors_scores_only_after_submitting_the_own_sheet(
    page, live_server, e2e_maasland_call, screenshots, browser_log
):
    call = closed_call(e2e_maasland_call)
    during_intake = call.deadline - datetime.timedelta(days=1)
    candidacy = submitted_candidacy(call, "De Brug", during_intake)
    submitted_candidacy(call, "Taalhuis", during_intake)
    first = JuryMember.objects.create(call=call, user=factories.user("jurylid1@example.org", full_name="Jurylid Een"))
    second = JuryMember.objects.create(call=call, user=factories.user("jurylid2@example.org", full_name="Jurylid Twee"))
    criteria = list(Criterion.objects.filter(call=call, round="written"))
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

    # 1. Juror 1 logs in through the login form and opens the jury dashboard: two candidacies, not started.
    log_in_through_the_form(page, live_server, first.user.email)
    page.goto(live_server.url + reverse("jury:dashboard"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Jury")
    expect(page.get_by_text("Je hebt 0 van 2 scoreformulieren ingediend.")).to_be_visible()
    screenshots(page, "dashboard")
    assert accessibility_violations(page) == []

    # 2. The sheet: every criterion, no trace of juror 2.
    page.get_by_role("link", name=f"Scoren – {candidacy.reference}").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Scoreformulier: Schriftelijke voorstellen")
    expect(page.locator("input.score-input")).to_have_count(len(criteria))
    expect(page.get_by_text("zodra je je eigen scoreformulier hebt ingediend")).to_be_visible()
    for hidden in ("Jurylid Twee", OTHER_COMMENT, "Algemeen: degelijk maar klein."):
        assert hidden not in page.content()
    expect(page.locator(".other-sheet")).to_have_count(0)
    screenshots(page, "sheet-before")
    assert accessibility_violations(page) == []

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
    screenshots(page, "sheet-refused")
    assert accessibility_violations(page) == []

    # 4. Corrected, the live total follows the scores; then the sheet is submitted.
    inputs.nth(0).fill("10")
    inputs.nth(1).fill("6")
    # (25 × 10 + 20 × 6 + 55 × 8) / 100 on a scale of 10: 81 out of 100.
    expect(page.locator("#sheet-total")).to_have_text("81,0 / 100")
    screenshots(page, "sheet-filled")
    page.get_by_role("button", name="Indienen", exact=True).click()

    # 5. Now juror 2's scores and comments are shown.
    expect(page.locator(".messages")).to_contain_text("Je scoreformulier is ingediend.")
    expect(page.locator(".other-sheet")).to_have_count(1)
    other = page.locator(".other-sheet")
    expect(other.get_by_role("heading")).to_contain_text("Jurylid Twee")
    expect(other.get_by_text(OTHER_COMMENT).first).to_be_visible()
    expect(other).to_contain_text("Algemeen: degelijk maar klein.")
    expect(other).to_contain_text("gewogen totaal 40,0 / 100")
    screenshots(page, "sheet-after")
    assert accessibility_violations(page) == []

    # 6. On a tablet the sheet stacks: no horizontal scrolling, inputs large enough to touch.
    page.set_viewport_size({"width": 768, "height": 1024})
    page.reload()
    assert page.evaluate("document.documentElement.scrollWidth") <= 768
    box = page.locator("input.score-input").first.bounding_box()
    assert box["height"] >= 44
    comment_box = page.get_by_label("Opmerking bij dit criterium").first.bounding_box()
    assert comment_box["y"] > box["y"] + box["height"]
    screenshots(page, "sheet-tablet")
    assert accessibility_violations(page) == []

    # 7. The candidacy as submitted, with the conflict form.
    page.get_by_role("link", name=candidacy.reference, exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Project van De Brug")
    expect(page.get_by_role("button", name="Belangenconflict melden")).to_be_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= 768
    screenshots(page, "candidacy")
    assert accessibility_violations(page) == []
    assert browser_log.failed_responses == ["400 " + live_server.url + candidacy_sheet_path(candidacy)]


def test_the_chair_closes_the_written_round_and_records_a_decision(
    page, live_server, e2e_maasland_call, screenshots, browser_log, log_in
):
    call = closed_call(e2e_maasland_call)
    during_intake = call.deadline - datetime.timedelta(days=1)
    candidacy = submitted_candidacy(call, "De Brug", during_intake)
    chair = JuryMember.objects.create(
        call=call, user=factories.user("voorzitter@example.org", full_name="Vera Voorzitter"), role="chair"
    )
    log_in(chair.user)

    # 1. The rounds: none of the one assigned sheet is submitted; closing needs the box ticked.
    page.goto(live_server.url + reverse("jury:dashboard"))
    page.get_by_role("link", name="Rondes en afsluiten").click()
    written = page.locator("section").filter(has=page.get_by_role("heading", name="Schriftelijke voorstellen"))
    expect(written.locator(".round-progress")).to_have_text("0 van 1 scoreformulieren ingediend")
    screenshots(page, "rounds")
    assert accessibility_violations(page) == []
    written.get_by_role("button", name="Ronde afsluiten").click()
    expect(page.locator("#error-summary")).to_contain_text("Vink het vakje aan")
    assert accessibility_violations(page) == []
    written = page.locator("section").filter(has=page.get_by_role("heading", name="Schriftelijke voorstellen"))
    written.get_by_label(re.compile("Ik sluit deze ronde af")).check()
    written.get_by_role("button", name="Ronde afsluiten").click()
    expect(page.locator(".messages")).to_contain_text("is afgesloten")
    expect(page.get_by_role("button", name="Ronde afsluiten")).to_have_count(0)
    screenshots(page, "round-closed")

    # 2. The sheet is read-only now.
    page.goto(live_server.url + candidacy_sheet_path(candidacy))
    expect(page.get_by_text("De voorzitter heeft deze ronde afgesloten")).to_be_visible()
    expect(page.locator("input.score-input").first).to_be_disabled()
    expect(page.get_by_role("button", name="Indienen")).to_have_count(0)

    # 3. The decision, recorded and not yet communicated.
    page.goto(live_server.url + reverse("jury:decisions", args=[call.slug]))
    screenshots(page, "decisions")
    assert accessibility_violations(page) == []
    section = page.locator(f"#decision-{candidacy.pk}")
    section.get_by_label("Geselecteerd", exact=True).check()
    section.get_by_label("Motivering").fill("Sterke aansluiting bij de regio-uitdagingen.")
    section.get_by_role("button", name="Beslissing vastleggen").click()
    expect(page.locator(".messages")).to_contain_text("Ze is nog niet gecommuniceerd.")
    expect(page.locator(f"#decision-{candidacy.pk} .decision-recorded")).to_contain_text("nog niet gecommuniceerd")
    screenshots(page, "decision-recorded")
    assert accessibility_violations(page) == []
    assert browser_log.failed_responses == [
        "400 " + live_server.url + reverse("jury:close_round", args=[call.slug, "written"])
    ]


def candidacy_sheet_path(candidacy):
    return reverse("jury:score_sheet", kwargs={"pk": candidacy.pk, "round": "written"})
