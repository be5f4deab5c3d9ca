"""The jury's state changes: scores within the scale, only on assigned candidacies without a conflict, only while
the round is open; closing rounds and recording decisions only by the chair."""

import pytest

from candidacies import services as candidacy_services
from candidacies.models import Candidacy, Membership
from jury import queries, services
from jury.models import Conflict, Criterion, Decision, RoundClosure, Score, ScoreSheet
from tests import factories

from .conftest import DURING_INTAKE, PITCH_DAY, WRITTEN_ROUND


def values_for(call, round, value, comment=""):
    return {criterion.pk: (value, comment) for criterion in Criterion.objects.filter(call=call, round=round)}


def save(member, candidacy, round="written", value=7, submit=False, at=WRITTEN_ROUND, **kwargs):
    return services.save_sheet(
        member,
        candidacy,
        round,
        values=kwargs.pop("values", None) or values_for(candidacy.call, round, value),
        overall_comment=kwargs.pop("overall_comment", ""),
        submit=submit,
        by=kwargs.pop("by", member.user),
        at=at,
    )


def test_a_submitted_sheet_stores_every_score_and_the_moment(candidacies, jurors):
    sheet = save(jurors[0], candidacies[0], value=8, submit=True)
    assert (sheet.submitted_at, sorted(sheet.scores.values_list("value", flat=True))) == (WRITTEN_ROUND, [8] * 6)


def test_a_draft_may_leave_scores_empty(candidacies, jurors):
    sheet = save(jurors[0], candidacies[0], value=None)
    assert (sheet.submitted_at, sheet.scores.filter(value__isnull=True).count()) == (None, 6)


def test_a_score_outside_the_scale_is_refused_and_nothing_is_stored(candidacies, jurors):
    with pytest.raises(services.JuryError) as refusal:
        save(jurors[0], candidacies[0], value=11)
    assert (refusal.value.field.startswith("score_"), ScoreSheet.objects.count(), Score.objects.count()) == (
        True,
        0,
        0,
    )


def test_submitting_with_a_missing_score_is_refused_and_nothing_is_stored(maasland_call, candidacies, jurors):
    values = values_for(maasland_call, "written", 6)
    first = Criterion.objects.filter(call=maasland_call, round="written").first()
    values[first.pk] = (None, "")
    with pytest.raises(services.JuryError) as refusal:
        save(jurors[0], candidacies[0], values=values, submit=True)
    assert (refusal.value.field, Score.objects.count()) == (f"score_{first.pk}", 0)


def test_a_score_on_a_declared_conflict_is_refused(candidacies, jurors):
    services.declare_conflict(jurors[0], candidacies[0], reason="Ik werk er.", by=jurors[0].user, at=WRITTEN_ROUND)
    with pytest.raises(services.NotFound):
        save(jurors[0], candidacies[0])
    assert Score.objects.count() == 0


def test_a_juror_who_is_a_member_of_the_applying_organisation_is_conflicted(candidacies, jurors):
    Membership.objects.create(user=jurors[0].user, organisation=candidacies[0].organisation)
    with pytest.raises(services.NotFound):
        save(jurors[0], candidacies[0])
    assert list(queries.assigned_candidacies(jurors[0], "written")) == sorted(
        candidacies[1:], key=lambda candidacy: candidacy.reference
    )


def test_a_juror_whose_profile_names_the_organisations_kbo_number_is_conflicted(candidacies, jurors):
    jurors[1].enterprise_numbers = candidacies[1].organisation.enterprise_number_display
    jurors[1].save()
    with pytest.raises(services.NotFound):
        save(jurors[1], candidacies[1])
    assert candidacies[1] not in queries.assigned_candidacies(jurors[1], "written")


def test_a_conflicted_juror_is_not_counted_among_the_assigned(candidacies, jurors):
    services.declare_conflict(jurors[2], candidacies[2], reason="Familie.", by=jurors[2].user, at=WRITTEN_ROUND)
    assigned = {
        member.pk for member in jurors if queries.assigned_candidacies(member, "written").filter(pk=candidacies[2].pk)
    }
    assert assigned == {jurors[0].pk, jurors[1].pk}


def test_the_call_manager_can_set_a_conflict_and_another_juror_cannot(candidacies, jurors, manager):
    conflict = services.declare_conflict(jurors[0], candidacies[0], reason="Gemeld.", by=manager, at=WRITTEN_ROUND)
    with pytest.raises(services.JuryError):
        services.declare_conflict(jurors[1], candidacies[0], reason="", by=jurors[2].user, at=WRITTEN_ROUND)
    assert (conflict.source, Conflict.objects.count()) == (Conflict.Source.MANAGER, 1)


def test_a_withdrawn_candidacy_cannot_be_scored(maasland_call, jurors):
    from .conftest import submitted_candidacy

    candidacy = submitted_candidacy(maasland_call, name="Terug")
    candidacy_services.withdraw(candidacy, by=candidacy.organisation.members.first(), at=DURING_INTAKE)
    with pytest.raises(services.NotFound):
        save(jurors[0], candidacy)
    assert ScoreSheet.objects.count() == 0


def test_a_draft_that_was_never_submitted_cannot_be_scored(maasland_call, jurors):
    applicant = factories.user()
    draft = factories.candidacy(maasland_call, factories.organisation(applicant))
    with pytest.raises(services.NotFound):
        save(jurors[0], draft)
    assert ScoreSheet.objects.count() == 0


def test_a_candidacy_that_is_not_shortlisted_cannot_be_scored_in_the_pitch_round(candidacies, jurors):
    with pytest.raises(services.NotFound):
        save(jurors[0], candidacies[0], round="pitch", at=PITCH_DAY)
    assert ScoreSheet.objects.count() == 0


def test_a_shortlisted_candidacy_is_scored_on_a_pitch_day(candidacies, jurors, manager):
    candidacy_services.shortlist(candidacies[0], by=manager, at=WRITTEN_ROUND)
    sheet = save(jurors[0], candidacies[0], round="pitch", value=9, submit=True, at=PITCH_DAY)
    assert (sheet.round, sheet.scores.count()) == ("pitch", 6)


def test_the_pitch_round_refuses_scores_before_the_first_pitch_day(candidacies, jurors, manager):
    candidacy_services.shortlist(candidacies[0], by=manager, at=WRITTEN_ROUND)
    with pytest.raises(services.JuryError) as refusal:
        save(jurors[0], candidacies[0], round="pitch", at=WRITTEN_ROUND)
    assert (refusal.value.message, ScoreSheet.objects.count()) == ("Deze ronde is nog niet begonnen.", 0)


def test_the_written_round_refuses_scores_before_the_deadline(candidacies, jurors):
    with pytest.raises(services.JuryError):
        save(jurors[0], candidacies[0], at=DURING_INTAKE)
    assert ScoreSheet.objects.count() == 0


def test_nobody_saves_a_sheet_for_another_juror(candidacies, jurors):
    with pytest.raises(services.NotFound):
        save(jurors[0], candidacies[0], by=jurors[1].user)
    assert ScoreSheet.objects.count() == 0


def test_after_the_chair_closed_the_round_every_change_is_refused(candidacies, jurors, chair):
    save(jurors[0], candidacies[0], value=4)
    services.close_round(candidacies[0].call, "written", by=chair.user, at=WRITTEN_ROUND, reason="Zo beslist.")
    with pytest.raises(services.JuryError) as refusal:
        save(jurors[0], candidacies[0], value=9, submit=True)
    stored = list(Score.objects.values_list("value", flat=True).distinct())
    assert (refusal.value.message, stored) == (
        "De voorzitter heeft deze ronde afgesloten: scores kunnen niet meer veranderen.",
        [4],
    )


def test_only_the_chair_closes_a_round(maasland_call, jurors, chair, manager):
    for outsider in (jurors[0].user, manager):
        with pytest.raises(services.JuryError):
            services.close_round(maasland_call, "written", by=outsider, at=WRITTEN_ROUND)
    assert RoundClosure.objects.count() == 0


def test_a_round_is_closed_only_once(maasland_call, chair):
    services.close_round(maasland_call, "written", by=chair.user, at=WRITTEN_ROUND)
    with pytest.raises(services.JuryError):
        services.close_round(maasland_call, "written", by=chair.user, at=PITCH_DAY)
    assert list(RoundClosure.objects.values_list("closed_at", flat=True)) == [WRITTEN_ROUND]


def test_the_chair_records_a_decision_that_is_not_yet_communicated(candidacies, chair):
    factories.rounds_closed(candidacies[0].call, chair, at=PITCH_DAY)
    decision = services.record_decision(
        candidacies[0],
        outcome="selected",
        motivation=" Sterk voorstel. ",
        without_pitch_reason="Testgegevens zonder pitch.",
        by=chair.user,
        at=PITCH_DAY,
    )
    assert (decision.outcome, decision.motivation, decision.communicated_at, decision.recorded_by) == (
        "selected",
        "Sterk voorstel.",
        None,
        chair.user,
    )


def test_only_the_chair_records_a_decision(candidacies, jurors, manager):
    for outsider in (jurors[0].user, manager):
        with pytest.raises(services.JuryError):
            services.record_decision(candidacies[0], outcome="selected", motivation="Goed.", by=outsider, at=PITCH_DAY)
    assert Decision.objects.count() == 0


def test_a_decision_needs_a_motivation(candidacies, chair):
    with pytest.raises(services.JuryError) as refusal:
        services.record_decision(candidacies[0], outcome="not_selected", motivation="   ", by=chair.user, at=PITCH_DAY)
    assert (refusal.value.field, Decision.objects.count()) == ("motivation", 0)


def test_a_decision_needs_a_known_outcome(candidacies, chair):
    with pytest.raises(services.JuryError) as refusal:
        services.record_decision(candidacies[0], outcome="maybe", motivation="Twijfel.", by=chair.user, at=PITCH_DAY)
    assert (refusal.value.field, Decision.objects.count()) == ("outcome", 0)


def test_a_withdrawn_candidacy_gets_no_decision(candidacies, chair):
    Candidacy.objects.filter(pk=candidacies[0].pk).update(status=Candidacy.Status.WITHDRAWN)
    candidacies[0].refresh_from_db()
    with pytest.raises(services.JuryError):
        services.record_decision(candidacies[0], outcome="selected", motivation="Goed.", by=chair.user, at=PITCH_DAY)
    assert Decision.objects.count() == 0


def test_a_submitted_sheet_is_final_and_cannot_be_submitted_again_with_other_scores(candidacies, jurors):
    save(jurors[0], candidacies[0], value=3, submit=True)
    with pytest.raises(services.JuryError):
        save(jurors[0], candidacies[0], value=5, submit=True, at=PITCH_DAY)
    sheet = ScoreSheet.objects.get()
    assert (sheet.submitted_at, sorted(set(sheet.scores.values_list("value", flat=True)))) == (WRITTEN_ROUND, [3])
