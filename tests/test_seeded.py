"""The shared seeded call really holds what its docstring promises, so tests built on it test something."""

import pytest

from candidacies.models import Candidacy, ProcedureStep
from jury.models import Conflict, Decision, RoundClosure, ScoreSheet


@pytest.fixture
def seeded_call(seeded_call_shared):
    """The seeded call built once for the module: its tests only read it."""
    return seeded_call_shared


def test_the_seeded_call_has_a_candidacy_in_every_status(seeded_call):
    statuses = dict(Candidacy.objects.filter(call=seeded_call.call).values_list("organisation__name", "status"))

    assert sorted(statuses.values()) == sorted(status.value for status in Candidacy.Status)
    assert statuses["Organisatie A vzw"] == "not_selected"
    assert statuses["Organisatie B vzw"] == "selected"


def test_the_seeded_call_has_scores_decisions_a_letter_and_a_weerwoord(seeded_call):
    a = seeded_call.candidacy_a

    assert ScoreSheet.objects.filter(candidacy=a, submitted_at__isnull=False).count() == 4
    assert not ScoreSheet.objects.filter(jury_member=seeded_call.conflicted_juror, candidacy=a).exists()
    assert Conflict.objects.filter(jury_member=seeded_call.conflicted_juror, candidacy=a).count() == 1
    assert RoundClosure.objects.filter(call=seeded_call.call).count() == 2
    assert Decision.objects.filter(candidacy__call=seeded_call.call, communicated_at__isnull=False).count() == 2
    assert seeded_call.letter_a.decision == seeded_call.decision_a
    assert seeded_call.weerwoord_a.decision == seeded_call.decision_a
    assert seeded_call.slot_a.candidacy == a
    assert seeded_call.attachment_a.candidacy == a


def test_the_seeded_calls_log_holds_every_step_of_its_story(seeded_call):
    actions = set(ProcedureStep.objects.filter(call=seeded_call.call).values_list("action", flat=True))
    Action = ProcedureStep.Action
    # The seeded drafts are made by the test factory, not by start_candidacy: no "started" step.
    assert actions == {
        Action.SUBMIT,
        Action.WITHDRAW,
        Action.MARK_INADMISSIBLE,
        Action.DECLARE_CONFLICT,
        Action.CLOSE_ROUND,
        Action.SHORTLIST,
        Action.ASSIGN_SLOT,
        Action.MARK_PITCHED,
        Action.RECORD_DECISION,
        Action.SEND_DECISION,
        Action.FILE_WEERWOORD,
    }
