"""The chair of the jury after the pitch days, in a real browser: reads the ranking, closes both rounds (refused
without the confirmation box, with the error summary), and records the deliberated decisions, which stay
uncommunicated. Every page is checked with axe-core (journey.check)."""

import datetime
import re

import pytest
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect

from candidacies import services as candidacy_services
from jury import services as jury_services
from jury.models import Criterion, Decision, JuryMember, RoundClosure
from tests import factories

from .conftest import call_manager, call_shifted_to, chair_of, submitted_candidacy

pytestmark = pytest.mark.sqlite_pass


def round_section(page, label):
    """The section of one round on the rounds page, named by its heading."""
    return page.get_by_role("region", name=label, exact=True)


def test_the_chair_reads_the_ranking_closes_both_rounds_and_records_the_decisions(
    page, live_server, e2e_maasland_call, journey, browser_log, log_in
):
    # The last pitch day was last week.
    call = call_shifted_to(
        e2e_maasland_call, slug="e2e-chair", first_pitch_day=timezone.localdate() - datetime.timedelta(days=12)
    )
    pitched = submitted_candidacy(call, "De Brug")
    written_only = submitted_candidacy(call, "Taalhuis")
    manager = call_manager()
    candidacy_services.shortlist(pitched, by=manager, at=timezone.now())
    candidacy_services.mark_pitched(pitched, by=manager, at=timezone.now())
    chair = chair_of(call)
    juror = JuryMember.objects.create(call=call, user=factories.user(full_name="Jan Jurylid"))
    for round, candidacies in (("written", [pitched, written_only]), ("pitch", [pitched])):
        criteria = Criterion.objects.filter(call=call, round=round)
        for number, candidacy in enumerate(candidacies):
            jury_services.save_sheet(
                juror,
                candidacy,
                round,
                values={criterion.pk: (8 - 2 * number, "") for criterion in criteria},
                overall_comment="Beoordeeld.",
                submit=True,
                by=juror.user,
                at=timezone.now(),
            )
    log_in(chair.user)

    # 1. The dashboard, then the ranking of the written round: De Brug first.
    journey.visit(page, reverse("jury:dashboard"), "dashboard")
    page.get_by_role("link", name="Rangschikking van de schriftelijke voorstellen").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Rangschikking")
    expect(page.locator("main table tbody tr").first).to_contain_text(pitched.reference)
    journey.check(page, "written-ranking")

    # 2. The rounds: closing needs the box ticked; without it the error summary says so.
    journey.visit(page, reverse("jury:rounds", args=[call.slug]), "rounds")
    written = round_section(page, "Schriftelijke voorstellen")
    expect(written.locator(".round-progress")).to_have_text("2 van 4 scoreformulieren ingediend")
    written.get_by_role("button", name="Ronde afsluiten").click()
    expect(page.locator("#error-summary")).to_contain_text("Vink het vakje aan")
    journey.check(page, "close-refused")
    for label in ("Schriftelijke voorstellen", "Pitches"):
        section = round_section(page, label)
        section.get_by_label(re.compile("Ik sluit deze ronde af")).check()
        # The chair scored nothing herself: her sheets are outstanding, so closing needs a reason, which is kept.
        section.get_by_label("Reden om toch af te sluiten").fill("De voorzitter scoort zelf niet.")
        section.get_by_role("button", name="Ronde afsluiten").click()
        expect(page.locator(".messages")).to_contain_text("is afgesloten")
    expect(page.get_by_role("button", name="Ronde afsluiten")).to_have_count(0)
    journey.check(page, "rounds-closed")
    assert sorted(RoundClosure.objects.filter(call=call).values_list("round", "reason")) == [
        ("pitch", "De voorzitter scoort zelf niet."),
        ("written", "De voorzitter scoort zelf niet."),
    ]

    # 3. A sheet is read-only now.
    journey.visit(page, reverse("jury:score_sheet", kwargs={"pk": pitched.pk, "round": "pitch"}), "sheet-closed")
    expect(page.get_by_text("De voorzitter heeft deze ronde afgesloten")).to_be_visible()
    expect(page.locator("input.score-input").first).to_be_disabled()
    expect(page.get_by_role("button", name="Indienen")).to_have_count(0)

    # 4. The decisions, recorded and not yet communicated.
    journey.visit(page, reverse("jury:decisions", args=[call.slug]), "decisions")
    for candidacy, outcome, motivation in (
        (pitched, "Geselecteerd", "Sterke aansluiting bij de regio-uitdagingen."),
        (written_only, "Niet geselecteerd", "Het voorstel scoorde lager in de schriftelijke ronde."),
    ):
        section = page.locator(f"#decision-{candidacy.pk}")
        section.get_by_label(outcome, exact=True).check()
        section.get_by_label("Motivering").fill(motivation)
        section.get_by_role("button", name="Beslissing vastleggen").click()
        expect(page.locator(".messages")).to_contain_text("Ze is nog niet gecommuniceerd.")
        expect(page.locator(f"#decision-{candidacy.pk} .decision-recorded")).to_contain_text("nog niet gecommuniceerd")
    journey.check(page, "decisions-recorded")
    decisions = Decision.objects.filter(candidacy__call=call).order_by("candidacy__reference")
    assert [(d.candidacy_id, d.outcome, d.communicated_at) for d in decisions] == [
        (pitched.pk, "selected", None),
        (written_only.pk, "not_selected", None),
    ]
    assert browser_log.failed_responses == [
        "400 " + live_server.url + reverse("jury:close_round", args=[call.slug, "written"])
    ]
