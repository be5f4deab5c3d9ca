"""Every cell of the jury's guard table (docs/procedure.md, "Guard table"): action × state × phase × role, each
allowed, or refused with its Dutch message and nothing changed. One seeded call for the module; each cell sets its
state and phase in its own savepoint."""

import datetime
import itertools

import pytest
from django.db import transaction

from candidacies.models import Candidacy
from jury import communication, scheduling, services
from jury.models import Decision, PitchSlot, Round, RoundClosure, ScoreSheet, Unavailability, Weerwoord
from maasland.clock import BRUSSELS
from tests import factories
from tests import seeded as story

AT_SHORTLIST = story.SHORTLISTED_AT
AT_SLOT = datetime.datetime(2023, 6, 20, 12, 0, tzinfo=BRUSSELS)
BEFORE_LAST_PITCH_DAY = datetime.datetime(2023, 6, 22, 17, 0, tzinfo=BRUSSELS)
AFTER_PITCHES = datetime.datetime(2023, 6, 26, 11, 0, tzinfo=BRUSSELS)
ASSESSED = datetime.datetime(2023, 7, 20, 10, 0, tzinfo=BRUSSELS)
REVISING = datetime.datetime(2023, 7, 21, 10, 0, tzinfo=BRUSSELS)

ROLES = ("manager", "chair", "juror")
PHASES = ("written_open", "written_closed", "pitch_closed")


def cells(*dimensions):
    return list(itertools.product(*dimensions))


def user_of(seeded, role):
    return {"manager": seeded.manager, "chair": seeded.chair.user, "juror": seeded.juror.user}[role]


def set_phase(seeded, phase):
    """The seeded call has both rounds closed: a phase before that removes the closures."""
    if phase in ("written_open", "written_closed"):
        factories.reopen_round(seeded.call, Round.PITCH)
    if phase == "written_open":
        factories.reopen_round(seeded.call, Round.WRITTEN)


def outcome_of(action):
    """Runs the action: its refusal's message, or None when it was allowed."""
    try:
        action()
    except (services.JuryError, communication.CommunicationError) as refusal:
        return refusal.message
    return None


def walk(cells, check):
    """Checks every cell in a savepoint of its own, rolled back after it; `check(*cell)` returns what differs from
    the table (an empty list when the cell is right). All wrong cells are reported at once."""
    wrong = []
    for cell in cells:
        with transaction.atomic():
            wrong += [f"{cell}: {problem}" for problem in check(*cell)]
            transaction.set_rollback(True)
    assert wrong == []


def differs(label, got, expected):
    return [] if got == expected else [f"{label}: got {got!r}, expected {expected!r}"]


def decide_by_orm(seeded, candidacy):
    return Decision.objects.create(
        candidacy=candidacy,
        outcome="not_selected",
        motivation="Vastgelegd.",
        recorded_by=seeded.chair.user,
        recorded_at=AFTER_PITCHES,
    )


# Shortlist

NOT_MANAGER = "Alleen de oproepbeheerder kan dit doen."
WRITTEN_OPEN = "De schriftelijke ronde is nog niet afgesloten: de shortlist volgt uit haar rangschikking."
PITCH_CLOSED = "De pitchronde is afgesloten: niemand kan nog op de shortlist."
DECIDED_NO_SHORTLIST = "Over deze kandidatuur is al een beslissing genomen: ze kan niet meer op de shortlist."
# A state the transition table does not shortlist from (candidacies.transitions): its refusal names the state.
NOT_SUBMITTED = {
    "inadmissible": "Selecteren voor de pitches kan niet: deze kandidatuur is onontvankelijk.",
    "shortlisted": "Selecteren voor de pitches kan niet: deze kandidatuur is geselecteerd voor de pitches.",
}

SHORTLIST_STATES = ("submitted", "submitted_decided", "inadmissible", "shortlisted")


def shortlist_expected(state, phase, role):
    if role != "manager":
        return NOT_MANAGER
    if phase == "written_open":
        return WRITTEN_OPEN
    if phase == "pitch_closed":
        return PITCH_CLOSED
    if state == "submitted_decided":
        return DECIDED_NO_SHORTLIST
    if state != "submitted":
        return NOT_SUBMITTED[state]
    return None


@pytest.mark.parametrize("role", ["manager", "chair"])
def test_every_shortlist_cell(seeded_call_shared, role):
    seeded = seeded_call_shared

    def check(state, phase):
        set_phase(seeded, phase)
        candidacy = Candidacy.objects.get(pk=seeded.candidacies[state.removesuffix("_decided")].pk)
        if state.endswith("_decided"):
            decide_by_orm(seeded, candidacy)
        before = candidacy.status
        expected = shortlist_expected(state, phase, role)
        got = outcome_of(lambda: services.shortlist(candidacy, by=user_of(seeded, role), at=AT_SHORTLIST))
        status = Candidacy.objects.get(pk=candidacy.pk).status
        return differs("refusal", got, expected) + differs(
            "status", status, "shortlisted" if expected is None else before
        )

    walk(cells(SHORTLIST_STATES, PHASES), check)


# Pitch slot

NOT_SCHEDULER = "Alleen de oproepbeheerder kan pitches plannen."
NOT_SHORTLISTED = "Alleen een kandidatuur die geselecteerd is voor de pitches, krijgt een pitchmoment."
DECIDED_NO_SLOT = "Over deze kandidatuur is al een beslissing genomen: ze krijgt geen pitchmoment."
STARTED = "Dit pitchmoment is al begonnen."

SLOT_STATES = ("shortlisted", "shortlisted_decided", "submitted", "pitched")


def slot_expected(state, moment, availability, role, reference):
    if role != "manager":
        return NOT_SCHEDULER
    if state.removesuffix("_decided") != "shortlisted":
        return NOT_SHORTLISTED
    if state.endswith("_decided"):
        return DECIDED_NO_SLOT
    if moment == "started":
        return STARTED
    if availability == "unavailable":
        return f"{reference} gaf aan dan niet te kunnen komen (woensdag 21 juni 2023, van 09:00 tot 12:00)."
    return None


@pytest.mark.parametrize("role", ["manager", "chair"])
def test_every_pitch_slot_cell(seeded_call_shared, role):
    seeded = seeded_call_shared

    def check(state, moment, availability):
        candidacy = Candidacy.objects.get(pk=seeded.candidacies[state.removesuffix("_decided")].pk)
        if state.endswith("_decided"):
            decide_by_orm(seeded, candidacy)
        starts_at = datetime.datetime(2023, 6, 21 if moment == "future" else 20, 10, 0, tzinfo=BRUSSELS)
        slot = PitchSlot.objects.create(
            call=seeded.call, starts_at=starts_at, ends_at=starts_at + datetime.timedelta(minutes=30), place="Zaal 2"
        )
        if availability == "unavailable":
            day = datetime.date(2023, 6, 21)
            Unavailability.objects.create(
                candidacy=candidacy,
                starts_at=datetime.datetime.combine(day, datetime.time(9), tzinfo=BRUSSELS),
                ends_at=datetime.datetime.combine(day, datetime.time(12), tzinfo=BRUSSELS),
            )
        held_before = list(PitchSlot.objects.filter(candidacy=candidacy).values_list("pk", flat=True))
        expected = slot_expected(state, moment, availability, role, candidacy.reference)
        try:
            scheduling.assign(slot, candidacy, by=user_of(seeded, role), at=AT_SLOT)
        except scheduling.SchedulingError as refusal:
            got = refusal.message
        else:
            got = None
        held = list(PitchSlot.objects.filter(candidacy=candidacy).values_list("pk", flat=True))
        return differs("refusal", got, expected) + differs(
            "slots held", held, [slot.pk] if expected is None else held_before
        )

    walk(cells(SLOT_STATES, ("future", "started"), ("free", "unavailable")), check)


# Decision

NOT_CHAIR_DECIDES = "Alleen de voorzitter van de jury legt beslissingen vast."
NOT_DECIDABLE = "Alleen een ingediende, voor de pitches geselecteerde of gepitchte kandidatuur krijgt een beslissing."
PITCH_OPEN = "De pitchronde is nog niet afgesloten: de jury beslist daarna."
COMMUNICATED = "Deze beslissing is al gecommuniceerd; ze kan alleen na een weerwoord herzien worden."
NO_PITCH_REASON = "Deze kandidatuur heeft niet gepitcht: geef een reden op om ze toch te selecteren."

DECISION_STATES = ("pitched", "shortlisted", "submitted", "selected", "withdrawn")


def decision_expected(state, outcome, reason, phase, role):
    if role != "chair":
        return NOT_CHAIR_DECIDES
    if state == "selected":
        return COMMUNICATED
    if state == "withdrawn":
        return NOT_DECIDABLE
    if phase != "pitch_closed":
        return PITCH_OPEN
    if outcome == "selected" and state != "pitched" and not reason:
        return NO_PITCH_REASON
    return None


def decision_row(candidacy):
    return list(Decision.objects.filter(candidacy=candidacy).values_list("outcome", "motivation", "communicated_at"))


@pytest.mark.parametrize("role", ROLES)
def test_every_decision_cell(seeded_call_shared, role):
    seeded = seeded_call_shared

    def check(state, outcome, reason, phase):
        set_phase(seeded, phase)
        candidacy = Candidacy.objects.get(pk=seeded.candidacies[state].pk)
        before = decision_row(candidacy)
        expected = decision_expected(state, outcome, reason, phase, role)
        got = outcome_of(
            lambda: services.record_decision(
                candidacy,
                outcome=outcome,
                motivation="Beraadslaagd.",
                without_pitch_reason=reason,
                by=user_of(seeded, role),
                at=AFTER_PITCHES,
            )
        )
        if expected is None:
            kept_reason = reason if outcome == "selected" and state != "pitched" else ""
            stored = list(Decision.objects.filter(candidacy=candidacy).values_list("outcome", "without_pitch_reason"))
            return differs("refusal", got, expected) + differs("stored", stored, [(outcome, kept_reason)])
        return differs("refusal", got, expected) + differs("decision", decision_row(candidacy), before)

    walk(cells(DECISION_STATES, ("selected", "not_selected"), ("", "Ziek op de pitchdag."), PHASES[1:]), check)


# Revision

NOT_ASSESSOR = "Alleen de oproepbeheerder of de voorzitter beoordeelt een weerwoord."
NOT_FOUNDED = "Een beslissing kan alleen herzien worden na een gegrond weerwoord."
REVISED = "Deze beslissing is na dit weerwoord al herzien."
UNCHANGED = "Er verandert niets: een herziening wijzigt de beslissing of haar motivering."

REVISION_STATES = ("unassessed", "unfounded", "founded", "founded_revised")


def revision_expected(state, change, role):
    if role == "juror":
        return NOT_ASSESSOR
    if state in ("unassessed", "unfounded"):
        return NOT_FOUNDED
    if state == "founded_revised":
        return REVISED
    if change == "unchanged":
        return UNCHANGED
    return None


@pytest.mark.parametrize("role", ROLES)
def test_every_revision_cell(seeded_call_shared, role):
    seeded = seeded_call_shared

    def check(state, change):
        if state != "unassessed":
            Weerwoord.objects.filter(decision__candidacy=seeded.candidacy_a).update(
                assessment="unfounded" if state == "unfounded" else "founded",
                assessment_motivation="Beoordeeld.",
                assessed_by=seeded.manager,
                assessed_at=ASSESSED,
            )
        if state == "founded_revised":
            Decision.objects.filter(candidacy=seeded.candidacy_a).update(
                revised_at=ASSESSED + datetime.timedelta(hours=1)
            )
        decision = Decision.objects.select_related("candidacy__call").get(candidacy=seeded.candidacy_a)
        before = (decision.outcome, decision.motivation, decision.revised_at, decision.letters.count())
        outcome = "selected" if change == "changed" else decision.outcome
        expected = revision_expected(state, change, role)
        got = outcome_of(
            lambda: communication.revise_decision(
                decision, outcome=outcome, motivation=decision.motivation, by=user_of(seeded, role), at=REVISING
            )
        )
        decision.refresh_from_db()
        after = (decision.outcome, decision.motivation, decision.revised_at, decision.letters.count())
        allowed = ("selected", before[1], REVISING, before[3] + 1)
        return differs("refusal", got, expected) + differs("decision", after, allowed if expected is None else before)

    walk(cells(REVISION_STATES, ("unchanged", "changed")), check)


# Closing a round

NOT_CHAIR_CLOSES = "Alleen de voorzitter van de jury kan een ronde afsluiten."
CLOSE_ANYWAY = "Sluit de ronde pas af als alles binnen is, of geef een reden op om ze toch af te sluiten."


def close_expected(round, outstanding, days, reason, role):
    if role != "chair":
        return NOT_CHAIR_CLOSES
    items = []
    if outstanding == "some":
        items.append(
            "nog 1 scoreformulier is niet ingediend"
            if round == "written"
            else "nog 3 scoreformulieren zijn niet ingediend"
        )
    if round == "pitch" and days == "to_come":
        items.append("nog 1 pitchdag volgt (vrijdag 23 juni 2023)")
    if items and not reason:
        text = "; ".join(items)
        return f"{text[0].upper()}{text[1:]}. {CLOSE_ANYWAY}"
    return None


@pytest.mark.parametrize("role", ROLES)
def test_every_close_round_cell(seeded_call_shared, role):
    seeded = seeded_call_shared

    def check(round, outstanding, days, reason):
        factories.reopen_round(seeded.call, round)
        if round == "written" and outstanding == "some":
            sheet = ScoreSheet.objects.filter(candidacy=seeded.candidacies["submitted"], round=round).first()
            ScoreSheet.objects.filter(pk=sheet.pk).update(submitted_at=None)
        if round == "pitch" and outstanding == "none":
            for member in (seeded.chair, seeded.juror, seeded.conflicted_juror):
                ScoreSheet.objects.create(
                    jury_member=member, candidacy=seeded.candidacies["shortlisted"], round=round, submitted_at=AT_SLOT
                )
        at = BEFORE_LAST_PITCH_DAY if days == "to_come" else AFTER_PITCHES
        expected = close_expected(round, outstanding, days, reason, role)
        got = outcome_of(
            lambda: services.close_round(seeded.call, round, by=user_of(seeded, role), at=at, reason=reason)
        )
        closures = list(RoundClosure.objects.filter(call=seeded.call, round=round).values_list("reason", flat=True))
        return differs("refusal", got, expected) + differs("closures", closures, [reason] if expected is None else [])

    walk(cells(("written", "pitch"), ("none", "some"), ("none", "to_come"), ("", "Zo beslist.")), check)


# A submitted sheet is final; the chair reopens it

NOT_YOURS = "Dit scoreformulier is niet van jou."
ROUND_CLOSED = "De voorzitter heeft deze ronde afgesloten: scores kunnen niet meer veranderen."
FINAL = "Je hebt dit scoreformulier ingediend: het is definitief. Vraag de voorzitter het te heropenen."
NOT_CHAIR_REOPENS = "Alleen de voorzitter van de jury kan een scoreformulier heropenen."
STILL_OPEN = "Dit scoreformulier is niet ingediend: het is nog open."
NO_REOPEN_REASON = "Zeg waarom het scoreformulier heropend wordt."


def juror_sheet(seeded, sheet_state, round_state):
    if round_state == "open":
        factories.reopen_round(seeded.call, Round.PITCH)
    sheet = ScoreSheet.objects.get(jury_member=seeded.juror, candidacy=seeded.candidacies["pitched"], round="pitch")
    if sheet_state == "draft":
        ScoreSheet.objects.filter(pk=sheet.pk).update(submitted_at=None)
        sheet.refresh_from_db()
    return sheet


def sheet_row(sheet):
    return ScoreSheet.objects.filter(pk=sheet.pk).values("submitted_at", "total", "overall_comment", "reopen_reason")[0]


def save_expected(sheet_state, round_state, role):
    if role != "juror":
        return NOT_YOURS
    if round_state == "closed":
        return ROUND_CLOSED
    if sheet_state == "submitted":
        return FINAL
    return None


@pytest.mark.parametrize("role", ROLES)
def test_every_save_sheet_cell(seeded_call_shared, role):
    seeded = seeded_call_shared

    def check(sheet_state, round_state):
        sheet = juror_sheet(seeded, sheet_state, round_state)
        before = sheet_row(sheet)
        values = {score.criterion_id: (10, "") for score in sheet.scores.all()}
        expected = save_expected(sheet_state, round_state, role)
        got = outcome_of(
            lambda: services.save_sheet(
                seeded.juror,
                sheet.candidacy,
                "pitch",
                values=values,
                overall_comment="Anders bekeken.",
                submit=False,
                by=user_of(seeded, role),
                at=BEFORE_LAST_PITCH_DAY,
            )
        )
        after = sheet_row(sheet)
        if expected is None:
            return differs("refusal", got, expected) + differs("comment", after["overall_comment"], "Anders bekeken.")
        return differs("refusal", got, expected) + differs("sheet", after, before)

    walk(cells(("submitted", "draft"), ("open", "closed")), check)


def reopen_expected(sheet_state, round_state, reason, role):
    if role != "chair":
        return NOT_CHAIR_REOPENS
    if round_state == "closed":
        return ROUND_CLOSED
    if sheet_state == "draft":
        return STILL_OPEN
    if not reason:
        return NO_REOPEN_REASON
    return None


@pytest.mark.parametrize("role", ROLES)
def test_every_reopen_sheet_cell(seeded_call_shared, role):
    seeded = seeded_call_shared

    def check(sheet_state, round_state, reason):
        sheet = juror_sheet(seeded, sheet_state, round_state)
        before = sheet_row(sheet)
        expected = reopen_expected(sheet_state, round_state, reason, role)
        got = outcome_of(
            lambda: services.reopen_sheet(sheet, reason=reason, by=user_of(seeded, role), at=BEFORE_LAST_PITCH_DAY)
        )
        after = sheet_row(sheet)
        if expected is None:
            return differs("refusal", got, expected) + differs(
                "reopened", (after["submitted_at"], after["reopen_reason"]), (None, reason)
            )
        return differs("refusal", got, expected) + differs("sheet", after, before)

    walk(cells(("submitted", "draft"), ("open", "closed"), ("", "Verkeerd ingetikt.")), check)
