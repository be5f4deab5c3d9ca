"""The candidacy's state machine (candidacies/transitions.py, docs/procedure.md): every move from every state is
either allowed and logged, or refused with a Dutch message with nothing written (status, log)."""

import datetime

import pytest

from candidacies import transitions
from candidacies.models import Candidacy, ProcedureStep
from maasland.clock import BRUSSELS
from tests import factories

Status = Candidacy.Status
Action = ProcedureStep.Action
AT = datetime.datetime(2023, 6, 19, 14, 30, tzinfo=BRUSSELS)

# Each move with the end it is asked for: a decision's two outcomes are two cells.
MOVES = [
    (Action.SUBMIT, Status.SUBMITTED),
    (Action.WITHDRAW, Status.WITHDRAWN),
    (Action.MARK_INADMISSIBLE, Status.INADMISSIBLE),
    (Action.SHORTLIST, Status.SHORTLISTED),
    (Action.MARK_PITCHED, Status.PITCHED),
    (Action.SEND_DECISION, Status.SELECTED),
    (Action.SEND_DECISION, Status.NOT_SELECTED),
    (Action.REVISE_DECISION, Status.SELECTED),
    (Action.REVISE_DECISION, Status.NOT_SELECTED),
]
# The table as the issue states it, written out independently of candidacies.transitions.TABLE.
ALLOWED_FROM = {
    Action.SUBMIT: {Status.DRAFT, Status.SUBMITTED},
    Action.WITHDRAW: {Status.DRAFT, Status.SUBMITTED},
    Action.MARK_INADMISSIBLE: {Status.SUBMITTED},
    Action.SHORTLIST: {Status.SUBMITTED},
    Action.MARK_PITCHED: {Status.SHORTLISTED},
    Action.SEND_DECISION: {Status.SUBMITTED, Status.SHORTLISTED, Status.PITCHED},
    Action.REVISE_DECISION: {Status.SELECTED, Status.NOT_SELECTED},
}
CELLS = [(action, to, state) for action, to in MOVES for state in Status]


@pytest.fixture
def candidacy_in(maasland_call):
    def make(state):
        owner = factories.user()
        return factories.candidacy(maasland_call, factories.organisation(owner), status=state)

    return make


def test_the_table_has_a_move_for_every_action_that_moves_a_state():
    assert set(transitions.TABLE) == set(ALLOWED_FROM)
    assert {action: set(move.sources) for action, move in transitions.TABLE.items()} == ALLOWED_FROM


@pytest.mark.parametrize(
    ("action", "to", "state"), CELLS, ids=[f"{a.value}-{t.value}-from-{s.value}" for a, t, s in CELLS]
)
def test_every_move_from_every_state_is_allowed_and_logged_or_refused_in_dutch_with_nothing_changed(
    candidacy_in, action, to, state
):
    candidacy = candidacy_in(state)
    manager = factories.user()
    steps = ProcedureStep.objects.count()
    if state in ALLOWED_FROM[action]:
        transitions.move(candidacy, action, to=to, by=manager, at=AT, reason="Zo beslist")
        step = ProcedureStep.objects.get(candidacy=candidacy)
        stored = Candidacy.objects.get(pk=candidacy.pk).status
        assert (stored, candidacy.status) == (to, to)
        assert (step.action, step.from_status, step.to_status, step.by, step.at, step.reason) == (
            action,
            state,
            to,
            manager,
            AT,
            "Zo beslist",
        )
    else:
        with pytest.raises(transitions.TransitionRefused) as refusal:
            transitions.move(candidacy, action, to=to, by=manager, at=AT)
        label = Status(state).label.lower()
        assert refusal.value.message.endswith(f" kan niet: deze kandidatuur is {label}.")
        assert (Candidacy.objects.get(pk=candidacy.pk).status, ProcedureStep.objects.count()) == (state, steps)


@pytest.mark.parametrize("to", [Status.DRAFT, Status.SHORTLISTED, Status.WITHDRAWN])
def test_a_decision_that_would_end_in_no_outcome_is_refused_with_nothing_changed(candidacy_in, to):
    candidacy = candidacy_in(Status.PITCHED)
    with pytest.raises(transitions.TransitionRefused) as refusal:
        transitions.move(candidacy, Action.SEND_DECISION, to=to, by=factories.user(), at=AT)
    assert refusal.value.message.startswith("Een beslissing versturen kan niet eindigen in")
    assert (Candidacy.objects.get(pk=candidacy.pk).status, ProcedureStep.objects.count()) == (Status.PITCHED, 0)


def test_a_move_decides_on_the_stored_state_not_on_the_callers_stale_copy(candidacy_in):
    stale = candidacy_in(Status.SUBMITTED)
    transitions.move(Candidacy.objects.get(pk=stale.pk), Action.WITHDRAW, by=factories.user(), at=AT)
    with pytest.raises(transitions.TransitionRefused, match="deze kandidatuur is ingetrokken"):
        transitions.move(stale, Action.SHORTLIST, by=factories.user(), at=AT)
    assert Candidacy.objects.get(pk=stale.pk).status == Status.WITHDRAWN


def test_a_guard_of_the_service_that_refuses_after_the_table_allowed_writes_nothing(candidacy_in):
    candidacy = candidacy_in(Status.SUBMITTED)

    def refuse(current):
        raise transitions.CandidacyError("Nog niet.")

    with pytest.raises(transitions.CandidacyError, match="Nog niet."):
        transitions.move(candidacy, Action.SHORTLIST, by=factories.user(), at=AT, changes=refuse)
    assert (Candidacy.objects.get(pk=candidacy.pk).status, ProcedureStep.objects.count()) == (Status.SUBMITTED, 0)


def test_a_move_writes_only_the_status_and_its_own_fields(candidacy_in):
    candidacy = candidacy_in(Status.SUBMITTED)
    stale = Candidacy.objects.get(pk=candidacy.pk)
    Candidacy.objects.filter(pk=candidacy.pk).update(extension_reason="Brand", title="Nieuwe titel")
    transitions.move(
        stale, Action.MARK_INADMISSIBLE, by=factories.user(), at=AT, changes=lambda c: {"status_reason": "Te laat"}
    )
    stored = Candidacy.objects.values_list("status", "status_reason", "extension_reason", "title").get(pk=candidacy.pk)
    assert stored == (Status.INADMISSIBLE, "Te laat", "Brand", "Nieuwe titel")


def test_a_step_that_moves_no_state_cannot_be_recorded_as_a_move(candidacy_in):
    with pytest.raises(ValueError, match="moves a candidacy's state"):
        transitions.record(None, Action.SHORTLIST, candidacy=candidacy_in(Status.SUBMITTED), by=None, at=AT)
