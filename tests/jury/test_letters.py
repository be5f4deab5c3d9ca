"""Decision letters: a tagged Dutch PDF with the outcome, the motivation, the scores the call discloses and the
weerwoord's last day."""

import contextlib
import datetime
import hashlib
import io
import re
import zipfile
from pathlib import Path

import pytest
from pypdf import PdfReader
from pypdf.generic import BooleanObject

from candidacies.models import Candidacy, Membership
from challenges.models import Call
from jury import letters, scoring
from jury.models import Conflict, Criterion, Decision, DecisionLetter, Round, Score, ScoreSheet
from jury.services import record_decision
from maasland.clock import BRUSSELS
from tests import factories

from .letter_text import letter_text

pytestmark = pytest.mark.postgres_pass

WRITTEN_SCORED_AT = datetime.datetime(2023, 6, 9, 16, 0, tzinfo=BRUSSELS)
PITCH_SCORED_AT = datetime.datetime(2023, 6, 23, 17, 0, tzinfo=BRUSSELS)
DECIDED_AT = datetime.datetime(2023, 6, 26, 10, 0, tzinfo=BRUSSELS)
COMMUNICATED_AT = datetime.datetime(2023, 7, 14, 10, 30, tzinfo=BRUSSELS)
EXPORTED_AT = datetime.datetime(2023, 7, 20, 9, 0, tzinfo=BRUSSELS)
GOLDEN = Path(__file__).resolve().parent / "golden"
PORTAL_BASE_URL = "https://oproep.maasland.example"

FIRST_CRITERION = "Aansluiting bij de regio-uitdagingen en bereik van de persona"
MOTIVATION_SELECTED = (
    "Het voorstel sluit sterk aan bij regio-uitdaging 1 en bereikt Chadia via een bestaande buddywerking.\n\n"
    "De jury waardeert de samenwerking met de OCMW's van Maasmechelen en Lanaken."
)
MOTIVATION_NOT_SELECTED = (
    "Het voorstel beschrijft de doelgroep goed, maar de aanpak blijft algemeen.\n\n"
    "De begroting is niet onderbouwd voor het verwachte aantal deelnemers."
)


@pytest.fixture(autouse=True)
def portal(settings):
    settings.PORTAL_BASE_URL = PORTAL_BASE_URL
    settings.PORTAL_NAME = "Lokaal Partnerschap Maasland"


def score_sheet(juror, candidacy, round, values, *, submitted=True):
    """A juror's sheet with one value per criterion of the round, in the criteria's order."""
    criteria = Criterion.objects.filter(call=candidacy.call, round=round).order_by("position")
    sheet = ScoreSheet.objects.create(
        jury_member=juror,
        candidacy=candidacy,
        round=round,
        submitted_at=(WRITTEN_SCORED_AT if round == Round.WRITTEN else PITCH_SCORED_AT) if submitted else None,
    )
    for criterion, value in zip(criteria, values, strict=True):
        Score.objects.create(sheet=sheet, criterion=criterion, value=value)
    scoring.store_totals([sheet])
    return sheet


def decide(candidacy, chair, outcome, motivation="De jury heeft beraadslaagd."):
    factories.rounds_closed(candidacy.call, chair, at=DECIDED_AT)
    reason = "Testgegevens zonder pitch." if outcome == "selected" and candidacy.status != "pitched" else ""
    return record_decision(
        candidacy, outcome=outcome, motivation=motivation, without_pitch_reason=reason, by=chair.user, at=DECIDED_AT
    )


def communicate(decision, at=COMMUNICATED_AT):
    Decision.objects.filter(pk=decision.pk).update(communicated_at=at)
    decision.refresh_from_db()
    return decision


def call_discloses(decisions, **fields):
    """Changes the call's disclosure settings; returns the decisions as freshly loaded, as a letter run loads them."""
    Call.objects.filter(pk=decisions[0].candidacy.call_id).update(**fields)
    return [Decision.objects.get(pk=decision.pk) for decision in decisions]


def score_row(text, criterion=FIRST_CRITERION):
    """The letter's table line of a criterion: 'name | average | scale'."""
    return next((line for line in text.splitlines() if line.startswith(f"{criterion} |")), None)


def pdf_text(pdf):
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)


@pytest.fixture
def scored(candidacies, jurors):
    """Written scores by two jurors for each candidacy: Buddywerk highest, Taalhuis and De Sleutel tied."""
    buddywerk, taalhuis, sleutel = candidacies
    score_sheet(jurors[0], buddywerk, Round.WRITTEN, [8, 7, 6, 9, 7, 8])
    score_sheet(jurors[1], buddywerk, Round.WRITTEN, [7, 7, 5, 8, 6, 9])
    for candidacy in (taalhuis, sleutel):
        score_sheet(jurors[0], candidacy, Round.WRITTEN, [6, 5, 6, 5, 4, 6])
        score_sheet(jurors[1], candidacy, Round.WRITTEN, [5, 6, 5, 6, 5, 5])
    return candidacies


@pytest.fixture
def decisions(scored, chair):
    buddywerk, taalhuis, sleutel = scored
    return [
        decide(buddywerk, chair, Decision.Outcome.SELECTED, MOTIVATION_SELECTED),
        decide(taalhuis, chair, Decision.Outcome.NOT_SELECTED, MOTIVATION_NOT_SELECTED),
        decide(sleutel, chair, Decision.Outcome.NOT_SELECTED),
    ]


def test_the_pdf_shows_reference_outcome_motivation_and_the_weerwoords_last_day(decisions):
    decision = communicate(decisions[1])
    text = pdf_text(letters.render_letter_pdf(decision))
    assert "MAAS-2023-002" in text
    assert "Niet geselecteerd" in text
    assert "De begroting is niet onderbouwd voor het verwachte aantal deelnemers." in text
    assert "28 juli 2023 om 23:59" in text


def test_a_letter_made_before_the_communication_counts_the_window_from_its_sending(decisions):
    text = letter_text(decisions[1], sent_at=COMMUNICATED_AT)
    assert "28 juli 2023 om 23:59" in text


def test_a_letter_printed_again_later_keeps_the_window_of_the_communication(decisions):
    decision = communicate(decisions[1])
    text = letter_text(decision, sent_at=EXPORTED_AT)
    assert "28 juli 2023 om 23:59" in text
    assert "14 juli 2023" in text


def test_the_averages_per_criterion_are_in_the_letter_when_the_call_discloses_them(decisions):
    text = letter_text(decisions[0], sent_at=COMMUNICATED_AT)
    assert score_row(text) == f"{FIRST_CRITERION} | 7,5 | 0 tot 10"
    assert score_row(text, "Haalbaarheid en budget") == "Haalbaarheid en budget | 6,5 | 0 tot 10"


def test_the_averages_are_absent_when_the_call_does_not_disclose_them(decisions):
    decisions = call_discloses(decisions, letters_disclose_scores=False)
    text = letter_text(decisions[0], sent_at=COMMUNICATED_AT)
    assert score_row(text) is None
    assert "Je scores" not in text
    assert "7,5" not in text


@contextlib.contextmanager
def scored_before_closing(call, chair):
    """Scores a test adds once the decisions exist: the rounds are opened again and closed after them, since a closed
    round's result is stored and does not change."""
    for round in Round:
        factories.reopen_round(call, round)
    yield
    factories.rounds_closed(call, chair, at=DECIDED_AT)


def shortlist(*candidacies):
    """Pitch sheets count for candidacies in the pitch round only, as in the ranking."""
    Candidacy.objects.filter(pk__in=[candidacy.pk for candidacy in candidacies]).update(
        status=Candidacy.Status.SHORTLISTED
    )


def test_the_averages_show_each_round_that_has_scores(decisions, jurors, chair):
    with scored_before_closing(decisions[0].candidacy.call, chair):
        shortlist(decisions[0].candidacy)
        score_sheet(jurors[0], decisions[0].candidacy, Round.PITCH, [9, 9, 8, 8, 7, 9])
    text = letter_text(decisions[0], sent_at=COMMUNICATED_AT)
    written, pitch = text.index("Schriftelijk voorstel"), text.index("Pitch\n")
    assert written < pitch
    assert score_row(text[pitch:]) == f"{FIRST_CRITERION} | 9,0 | 0 tot 10"


@pytest.mark.parametrize("conflict", ["declared", "member of the organisation", "enterprise number listed"])
def test_a_conflicted_jurors_scores_do_not_count_in_the_averages(decisions, jurors, conflict):
    candidacy = decisions[0].candidacy
    juror = jurors[2]
    score_sheet(juror, candidacy, Round.WRITTEN, [0, 0, 0, 0, 0, 0])
    if conflict == "declared":
        Conflict.objects.create(
            jury_member=juror, candidacy=candidacy, source=Conflict.Source.DECLARED, created_by=juror.user
        )
    elif conflict == "member of the organisation":
        Membership.objects.create(organisation=candidacy.organisation, user=juror.user)
    else:
        juror.enterprise_numbers = candidacy.organisation.enterprise_number
        juror.save()
    text = letter_text(decisions[0], sent_at=COMMUNICATED_AT)
    assert score_row(text) == f"{FIRST_CRITERION} | 7,5 | 0 tot 10"


def test_a_jurors_scores_count_when_there_is_no_conflict(decisions, jurors, chair):
    with scored_before_closing(decisions[0].candidacy.call, chair):
        score_sheet(jurors[2], decisions[0].candidacy, Round.WRITTEN, [0, 0, 0, 0, 0, 0])
    text = letter_text(decisions[0], sent_at=COMMUNICATED_AT)
    assert score_row(text) == f"{FIRST_CRITERION} | 5,0 | 0 tot 10"


def test_a_score_sheet_not_submitted_does_not_count_in_the_averages(decisions, jurors):
    score_sheet(jurors[2], decisions[0].candidacy, Round.WRITTEN, [0, 0, 0, 0, 0, 0], submitted=False)
    text = letter_text(decisions[0], sent_at=COMMUNICATED_AT)
    assert score_row(text) == f"{FIRST_CRITERION} | 7,5 | 0 tot 10"


def test_the_rank_is_absent_when_the_call_does_not_disclose_it(decisions, maasland_call):
    assert maasland_call.letters_disclose_rank is False
    text = letter_text(decisions[0], sent_at=COMMUNICATED_AT)
    assert "rangschikking" not in text
    assert "plaats 1" not in text


def test_the_rank_is_shown_when_the_call_discloses_it(decisions):
    decisions = call_discloses(decisions, letters_disclose_rank=True)
    text = letter_text(decisions[0], sent_at=COMMUNICATED_AT)
    assert "Je kandidatuur staat op plaats 1 van de 3 kandidaturen waarover de jury besliste." in text
    assert "Je deelt deze plaats" not in text


def test_tied_candidacies_share_a_rank(decisions):
    decisions = call_discloses(decisions, letters_disclose_rank=True)
    for decision in decisions[1:]:
        text = letter_text(decision, sent_at=COMMUNICATED_AT)
        assert "Je kandidatuur staat op plaats 2 van de 3 kandidaturen waarover de jury besliste." in text
        assert "Je deelt deze plaats met 1 andere kandidatuur met dezelfde score." in text


def test_the_rank_follows_the_pitch_scores_once_there_are_any(decisions, jurors, chair):
    decisions = call_discloses(decisions, letters_disclose_rank=True)
    buddywerk, taalhuis, _sleutel = (decision.candidacy for decision in decisions)
    with scored_before_closing(buddywerk.call, chair):
        shortlist(buddywerk, taalhuis)
        score_sheet(jurors[0], buddywerk, Round.PITCH, [5, 5, 5, 5, 5, 5])
        score_sheet(jurors[0], taalhuis, Round.PITCH, [8, 8, 8, 8, 8, 8])
    texts = [letter_text(decision, sent_at=COMMUNICATED_AT) for decision in decisions]
    assert "op plaats 2 van de 3" in texts[0]
    assert "op plaats 1 van de 3" in texts[1]
    assert "op plaats 3 van de 3" in texts[2]


def test_the_rank_leaves_out_candidacies_without_a_decision(scored, chair):
    decisions = [decide(scored[1], chair, Decision.Outcome.NOT_SELECTED), decide(scored[2], chair, "not_selected")]
    decisions = call_discloses(decisions, letters_disclose_rank=True)
    text = letter_text(decisions[0], sent_at=COMMUNICATED_AT)
    assert "Je kandidatuur staat op plaats 1 van de 2 kandidaturen waarover de jury besliste." in text


@pytest.fixture
def golden_decisions(decisions):
    return call_discloses(decisions, letters_disclose_rank=True)


def with_pk_placeholder(text, decision):
    """The candidacy page's address holds a database id, which differs between databases; the rest is fixed."""
    return text.replace(f"/kandidaturen/{decision.candidacy.pk}/", "/kandidaturen/<pk>/")


def test_the_letter_text_for_selected_is_the_golden_one(golden_decisions):
    decision = golden_decisions[0]
    text = letter_text(decision, sent_at=COMMUNICATED_AT)
    assert with_pk_placeholder(text, decision) == (GOLDEN / "letter_selected.txt").read_text()


def test_the_letter_text_for_not_selected_is_the_golden_one(golden_decisions):
    decision = golden_decisions[1]
    text = letter_text(decision, sent_at=COMMUNICATED_AT)
    assert with_pk_placeholder(text, decision) == (GOLDEN / "letter_not_selected.txt").read_text()


def revise(decision, at=EXPORTED_AT):
    """The decision as the weerwoord's assessment leaves it: communicated, then revised to selected."""
    decision = communicate(decision)
    Decision.objects.filter(pk=decision.pk).update(
        outcome=Decision.Outcome.SELECTED,
        motivation="Na het weerwoord acht de jury de begroting voldoende onderbouwd.",
        revised_at=at,
    )
    decision.refresh_from_db()
    return decision


def test_the_letter_text_for_a_revised_decision_is_the_golden_one(golden_decisions):
    decision = revise(golden_decisions[1])
    text = letter_text(decision, sent_at=EXPORTED_AT)
    assert with_pk_placeholder(text, decision) == (GOLDEN / "letter_revised.txt").read_text()


def test_a_revised_decisions_letter_replaces_the_first_and_offers_no_new_weerwoord(decisions):
    decision = revise(decisions[1])
    text = letter_text(decision, sent_at=EXPORTED_AT)
    assert "Herziene beslissing over je kandidatuur" in text
    assert "Deze brief vervangt onze brief van 14 juli 2023." in text
    assert "Op deze herziene beslissing is geen nieuw weerwoord mogelijk." in text
    assert "om 23:59" not in text


def test_the_pdf_is_tagged_for_pdf_ua_in_dutch_with_the_reference_in_its_title(decisions):
    reader = PdfReader(io.BytesIO(letters.render_letter_pdf(decisions[0], sent_at=COMMUNICATED_AT)))
    catalog = reader.trailer["/Root"]
    assert catalog["/MarkInfo"]["/Marked"] == BooleanObject(True)
    assert "/StructTreeRoot" in catalog
    assert b"pdfuaid" in catalog["/Metadata"].get_object().get_data()
    assert catalog["/Lang"] == "nl-be"
    assert reader.metadata.title == "Beslissing over kandidatuur MAAS-2023-001"


def test_the_pdf_is_a4_and_numbers_its_pages(decisions):
    reader = PdfReader(io.BytesIO(letters.render_letter_pdf(decisions[1], sent_at=COMMUNICATED_AT)))
    pages = len(reader.pages)
    assert pages == 2
    assert {(round(page.mediabox.width), round(page.mediabox.height)) for page in reader.pages} == {(595, 842)}
    for number, page in enumerate(reader.pages, start=1):
        assert f"pagina {number} van {pages}" in page.extract_text()


def test_the_letter_links_to_no_host_but_the_portal(decisions):
    html = letters.render_letter_html(decisions[1], sent_at=COMMUNICATED_AT)
    addresses = re.findall(r"[a-z][a-z0-9+.-]*://[^\s\"<]*", html)
    assert addresses
    assert {address.startswith(f"{PORTAL_BASE_URL}/") for address in addresses} == {True}


def test_the_zip_holds_one_letter_per_decision_named_by_reference(decisions):
    archive = zipfile.ZipFile(io.BytesIO(letters.letters_zip(decisions, at=EXPORTED_AT)))
    assert archive.namelist() == ["MAAS-2023-001.pdf", "MAAS-2023-002.pdf", "MAAS-2023-003.pdf"]
    for decision in decisions:
        pdf = archive.read(f"{decision.candidacy.reference}.pdf")
        assert decision.candidacy.reference in pdf_text(pdf)


def test_make_letter_stores_the_pdf_with_its_sha256_and_numbers_the_letters(decisions, manager):
    first = letters.make_letter(decisions[1], by=manager, at=COMMUNICATED_AT)
    second = letters.make_letter(decisions[1], by=manager, at=EXPORTED_AT)
    stored = list(DecisionLetter.objects.filter(decision=decisions[1]))
    assert [(letter.pk, letter.number) for letter in stored] == [(first.pk, 1), (second.pk, 2)]
    for letter in stored:
        with letter.file.open("rb") as file:
            data = file.read()
        assert data.startswith(b"%PDF-")
        assert hashlib.sha256(data).hexdigest() == letter.sha256
        assert (letter.outcome, letter.created_by) == (Decision.Outcome.NOT_SELECTED, manager)
    assert [letter.created_at for letter in stored] == [COMMUNICATED_AT, EXPORTED_AT]
    assert stored[0].file.name != stored[1].file.name


def test_the_letter_greets_the_candidacys_contact_person_by_name(decisions):
    text = letter_text(decisions[0], sent_at=COMMUNICATED_AT)
    assert ("\n\nBeste An Aanvrager,\n\n" in text, "\n\nBeste,\n\n" in text) == (True, False)


def test_a_letter_for_a_candidacy_without_a_contact_greets_the_organisations_contact(decisions):
    candidacy = decisions[0].candidacy
    Candidacy.objects.filter(pk=candidacy.pk).update(contact_name="")
    candidacy.organisation.__class__.objects.filter(pk=candidacy.organisation_id).update(contact_name="Bram Bouwer")
    decision = Decision.objects.get(pk=decisions[0].pk)
    assert "\n\nBeste Bram Bouwer,\n\n" in letter_text(decision, sent_at=COMMUNICATED_AT)
