"""The jury's guards of issue 13, one case each from the issue, on the seeded call (built once for the module):
shortlist, pitch slot, decision, revision, closing a round, a submitted sheet. docs/procedure.md, "Guard table"."""

import datetime

import pytest
from django.urls import reverse

from candidacies.models import Candidacy, ProcedureStep
from jury import communication, scheduling, services
from jury.models import Decision, DecisionLetter, PitchSlot, Round, RoundClosure, ScoreSheet, Weerwoord
from maasland.clock import BRUSSELS
from tests import factories
from tests import seeded as story

from .letter_text import letter_text

AFTER_PITCHES = datetime.datetime(2023, 6, 26, 11, 0, tzinfo=BRUSSELS)
BEFORE_LAST_PITCH_DAY = datetime.datetime(2023, 6, 22, 17, 0, tzinfo=BRUSSELS)
ASSESSED = datetime.datetime(2023, 7, 20, 10, 0, tzinfo=BRUSSELS)
REVISED = datetime.datetime(2023, 7, 21, 10, 0, tzinfo=BRUSSELS)
ASSESSED_AGAIN = datetime.datetime(2023, 8, 1, 10, 0, tzinfo=BRUSSELS)
REVISED_AGAIN = datetime.datetime(2023, 8, 2, 10, 0, tzinfo=BRUSSELS)


def reopen(call, round):
    factories.reopen_round(call, round)


def values(sheet, value):
    return {score.criterion_id: (value, "") for score in sheet.scores.all()}


# Shortlist: a submitted, admissible candidacy, written round closed, no decision yet


def test_a_candidacy_with_a_recorded_decision_is_neither_offered_nor_shortlisted_from_the_ranking_page(
    seeded_call_shared, client
):
    seeded = seeded_call_shared
    candidacy = seeded.candidacies["submitted"]
    services.record_decision(
        candidacy, outcome="not_selected", motivation="Schriftelijk te zwak.", by=seeded.chair.user, at=AFTER_PITCHES
    )
    client.force_login(seeded.manager)
    page = client.get(reverse("jury:ranking", args=[seeded.call.slug, "written"])).content.decode()
    client.post(reverse("jury:ranking_shortlist", args=[seeded.call.slug, "written"]), {"candidacy": [candidacy.pk]})
    candidacy.refresh_from_db()
    assert (f'id="shortlist-{candidacy.pk}"' in page, candidacy.status) == (False, "submitted")


def test_shortlisting_a_candidacy_with_a_recorded_decision_is_refused_with_the_reason(seeded_call_shared):
    seeded = seeded_call_shared
    candidacy = seeded.candidacies["submitted"]
    services.record_decision(
        candidacy, outcome="not_selected", motivation="Schriftelijk te zwak.", by=seeded.chair.user, at=AFTER_PITCHES
    )
    reopen(seeded.call, Round.PITCH)
    with pytest.raises(services.JuryError) as refusal:
        services.shortlist(candidacy, by=seeded.manager, at=AFTER_PITCHES)
    candidacy.refresh_from_db()
    assert (refusal.value.message, candidacy.status) == (
        "Over deze kandidatuur is al een beslissing genomen: ze kan niet meer op de shortlist.",
        "submitted",
    )


def test_shortlisting_before_the_written_round_is_closed_is_refused(seeded_call_shared):
    seeded = seeded_call_shared
    reopen(seeded.call, Round.PITCH)
    reopen(seeded.call, Round.WRITTEN)
    candidacy = seeded.candidacies["submitted"]
    with pytest.raises(services.JuryError) as refusal:
        services.shortlist(candidacy, by=seeded.manager, at=story.SHORTLISTED_AT)
    candidacy.refresh_from_db()
    assert (refusal.value.message, candidacy.status) == (
        "De schriftelijke ronde is nog niet afgesloten: de shortlist volgt uit haar rangschikking.",
        "submitted",
    )


def test_the_admin_shortlist_action_refuses_a_candidacy_with_a_decision(seeded_call_shared, client):
    seeded = seeded_call_shared
    candidacy = seeded.candidacies["submitted"]
    services.record_decision(
        candidacy, outcome="not_selected", motivation="Schriftelijk te zwak.", by=seeded.chair.user, at=AFTER_PITCHES
    )
    reopen(seeded.call, Round.PITCH)
    client.force_login(seeded.manager)
    response = client.post(
        reverse("admin:candidacies_candidacy_changelist"),
        {"action": "shortlist", "_selected_action": [candidacy.pk]},
        follow=True,
    )
    candidacy.refresh_from_db()
    assert candidacy.status == "submitted"
    assert "Over deze kandidatuur is al een beslissing genomen" in response.content.decode()


# Pitch slot: shortlisted and undecided, not past, outside the unavailability; no slots in the past


def test_a_candidacy_with_a_recorded_decision_gets_no_pitch_slot_and_no_invitation(seeded_call_shared, mailoutbox):
    seeded = seeded_call_shared
    candidacy = seeded.candidacies["shortlisted"]
    services.record_decision(
        candidacy, outcome="not_selected", motivation="Niet komen pitchen.", by=seeded.chair.user, at=AFTER_PITCHES
    )
    PitchSlot.objects.filter(candidacy=candidacy).update(candidacy=None)
    starts_at = datetime.datetime(2023, 6, 28, 10, 0, tzinfo=BRUSSELS)
    slot = PitchSlot.objects.create(
        call=seeded.call, starts_at=starts_at, ends_at=starts_at + datetime.timedelta(minutes=30), place="Zaal 2"
    )
    with pytest.raises(scheduling.SchedulingError) as refusal:
        scheduling.assign(slot, candidacy, by=seeded.manager, at=AFTER_PITCHES)
    result = scheduling.plan(seeded.call, by=seeded.manager, at=AFTER_PITCHES)
    assert refusal.value.message == "Over deze kandidatuur is al een beslissing genomen: ze krijgt geen pitchmoment."
    assert (result.placed, PitchSlot.objects.filter(candidacy=candidacy).count(), mailoutbox) == ([], 0, [])


def test_the_slot_generator_makes_no_slots_in_the_past(seeded_call_shared):
    seeded = seeded_call_shared
    at = datetime.datetime(2023, 6, 21, 12, 0, tzinfo=BRUSSELS)
    created = scheduling.generate_slots(seeded.call, place="Zaal De Maas", by=seeded.manager, at=at)
    assert created and min(slot.starts_at for slot in created) > at
    assert {slot.starts_at.astimezone(BRUSSELS).date() for slot in created} == {
        datetime.date(2023, 6, 21),
        datetime.date(2023, 6, 23),
    }


def test_a_past_empty_slot_can_be_removed_and_a_past_held_one_cannot(seeded_call_shared, client):
    seeded = seeded_call_shared
    starts_at = datetime.datetime(2023, 6, 19, 15, 0, tzinfo=BRUSSELS)
    empty = PitchSlot.objects.create(
        call=seeded.call, starts_at=starts_at, ends_at=starts_at + datetime.timedelta(minutes=30), place="Zaal 2"
    )
    client.force_login(seeded.manager)
    removed = client.post(reverse("admin:jury_pitchslot_delete", args=[empty.pk]), {"post": "yes"})
    kept = client.post(reverse("admin:jury_pitchslot_delete", args=[seeded.slot_a.pk]), {"post": "yes"})
    with pytest.raises(scheduling.SchedulingError) as refusal:
        scheduling.delete_slot(seeded.slot_a, by=seeded.manager, at=AFTER_PITCHES)
    assert (removed.status_code, kept.status_code) == (302, 403)
    assert (PitchSlot.objects.filter(pk=empty.pk).exists(), PitchSlot.objects.filter(pk=seeded.slot_a.pk).exists()) == (
        False,
        True,
    )
    assert refusal.value.message == "Dit pitchmoment heeft plaatsgevonden: het blijft bewaard."


# Decision: after the pitch round is closed; "selected" without a pitch only with a reason


def test_the_chair_cannot_select_a_candidacy_that_never_pitched_without_a_reason(seeded_call_shared):
    seeded = seeded_call_shared
    candidacy = seeded.candidacies["shortlisted"]
    with pytest.raises(services.JuryError) as refusal:
        services.record_decision(
            candidacy, outcome="selected", motivation="Toch goed.", by=seeded.chair.user, at=AFTER_PITCHES
        )
    assert (refusal.value.field, refusal.value.message, Decision.objects.filter(candidacy=candidacy).count()) == (
        "without_pitch_reason",
        "Deze kandidatuur heeft niet gepitcht: geef een reden op om ze toch te selecteren.",
        0,
    )
    decision = services.record_decision(
        candidacy,
        outcome="selected",
        motivation="Toch goed.",
        without_pitch_reason="Ziek op de pitchdag; het schriftelijke voorstel was het sterkste.",
        by=seeded.chair.user,
        at=AFTER_PITCHES,
    )
    assert decision.without_pitch_reason == "Ziek op de pitchdag; het schriftelijke voorstel was het sterkste."


def test_no_decision_is_recorded_before_the_pitch_round_is_closed(seeded_call_shared):
    seeded = seeded_call_shared
    reopen(seeded.call, Round.PITCH)
    with pytest.raises(services.JuryError) as refusal:
        services.record_decision(
            seeded.candidacies["pitched"],
            outcome="selected",
            motivation="Sterk.",
            by=seeded.chair.user,
            at=AFTER_PITCHES,
        )
    assert (refusal.value.message, Decision.objects.filter(candidacy=seeded.candidacies["pitched"]).count()) == (
        "De pitchronde is nog niet afgesloten: de jury beslist daarna.",
        0,
    )


# Revision: after a founded assessment, once per assessment, only a change, after a preview; names the last letter


@pytest.fixture
def founded(seeded_call_shared):
    seeded = seeded_call_shared
    factories.assessed(
        seeded.weerwoord_a, assessment="founded", motivation="Het OCMW telt mee.", by=seeded.manager, at=ASSESSED
    )
    return seeded


def revise_url(seeded):
    return reverse("admin:jury_weerwoord_revise", args=[seeded.weerwoord_a.pk])


def test_the_revise_form_opens_empty_and_a_revision_that_changes_nothing_is_refused(founded, client):
    decision = founded.decision_a
    client.force_login(founded.manager)
    form = client.get(revise_url(founded)).context["form"]
    with pytest.raises(communication.CommunicationError) as refusal:
        communication.revise_decision(
            decision, outcome=decision.outcome, motivation=decision.motivation, by=founded.manager, at=REVISED
        )
    assert (form["outcome"].value(), form["motivation"].value()) == (None, None)
    assert refusal.value.message == "Er verandert niets: een herziening wijzigt de beslissing of haar motivering."
    assert DecisionLetter.objects.filter(decision=decision).count() == 1


def test_a_revision_shows_the_letter_before_it_is_sent(founded, client, mailoutbox):
    client.force_login(founded.manager)
    data = {"outcome": "selected", "motivation": "Na het weerwoord selecteert de jury dit voorstel."}
    preview = client.post(revise_url(founded), data)
    letters_after_preview = DecisionLetter.objects.filter(decision=founded.decision_a).count()
    sent = client.post(revise_url(founded), {**data, "confirm": "1"})
    assert (preview.status_code, letters_after_preview, sent.status_code) == (200, 1, 302)
    assert "Herziene beslissing over je kandidatuur" in preview.context["letter_preview"]
    assert DecisionLetter.objects.filter(decision=founded.decision_a).count() == 2


def test_a_decision_is_revised_once_per_assessment_and_the_form_is_gone_afterwards(founded, client):
    decision = founded.decision_a
    communication.revise_decision(
        decision, outcome="selected", motivation="Na het weerwoord geselecteerd.", by=founded.manager, at=REVISED
    )
    with pytest.raises(communication.CommunicationError) as refusal:
        communication.revise_decision(
            decision, outcome="not_selected", motivation="Toch niet.", by=founded.manager, at=REVISED_AGAIN
        )
    client.force_login(founded.manager)
    change_page = client.get(reverse("admin:jury_weerwoord_change", args=[founded.weerwoord_a.pk])).content.decode()
    assert refusal.value.message == "Deze beslissing is na dit weerwoord al herzien."
    assert (revise_url(founded) in change_page, client.get(revise_url(founded)).status_code) == (False, 302)
    assert DecisionLetter.objects.filter(decision=decision).count() == 2


def test_the_third_letter_names_the_second_letter_it_replaces(founded):
    decision = founded.decision_a
    communication.revise_decision(
        decision, outcome="selected", motivation="Na het weerwoord geselecteerd.", by=founded.manager, at=REVISED
    )
    weerwoord = Weerwoord.objects.get(pk=founded.weerwoord_a.pk)
    factories.assessed(
        weerwoord, assessment="founded", motivation="Opnieuw bekeken.", by=founded.manager, at=ASSESSED_AGAIN
    )
    decision.refresh_from_db()
    communication.revise_decision(
        decision,
        outcome="not_selected",
        motivation="Na herbeoordeling toch niet.",
        by=founded.manager,
        at=REVISED_AGAIN,
    )
    decision.refresh_from_db()
    text = letter_text(decision, sent_at=REVISED_AGAIN)
    assert "Deze brief vervangt onze brief van 21 juli 2023." in text
    assert DecisionLetter.objects.filter(decision=decision).count() == 3


# Closing a round: not with sheets outstanding or pitch days to come, unless the chair gives a reason


def test_the_pitch_round_is_not_closed_before_its_last_pitch_day_nor_with_a_sheet_outstanding(seeded_call_shared):
    seeded = seeded_call_shared
    reopen(seeded.call, Round.PITCH)
    with pytest.raises(services.JuryError) as refusal:
        services.close_round(seeded.call, Round.PITCH, by=seeded.chair.user, at=BEFORE_LAST_PITCH_DAY)
    assert (refusal.value.field, RoundClosure.objects.filter(call=seeded.call, round=Round.PITCH).count()) == (
        "reason",
        0,
    )
    assert refusal.value.message == (
        "Nog 3 scoreformulieren zijn niet ingediend; nog 1 pitchdag volgt (vrijdag 23 juni 2023). "
        "Sluit de ronde pas af als alles binnen is, of geef een reden op om ze toch af te sluiten."
    )
    closure = services.close_round(
        seeded.call,
        Round.PITCH,
        by=seeded.chair.user,
        at=BEFORE_LAST_PITCH_DAY,
        reason="Shortlist vzw trok zich terug.",
    )
    assert closure.reason == "Shortlist vzw trok zich terug."


# A submitted sheet is final; the chair reopens it with a reason


def test_a_juror_cannot_change_a_submitted_sheet_after_reading_the_colleagues(seeded_call_shared):
    seeded = seeded_call_shared
    reopen(seeded.call, Round.PITCH)
    candidacy = seeded.candidacies["pitched"]
    sheet = ScoreSheet.objects.get(jury_member=seeded.juror, candidacy=candidacy, round=Round.PITCH)
    before = (sheet.total, sheet.submitted_at)
    with pytest.raises(services.JuryError) as refusal:
        services.save_sheet(
            seeded.juror,
            candidacy,
            Round.PITCH,
            values=values(sheet, 10),
            overall_comment="Toch beter.",
            submit=True,
            by=seeded.juror.user,
            at=BEFORE_LAST_PITCH_DAY,
        )
    sheet.refresh_from_db()
    assert ((sheet.total, sheet.submitted_at), refusal.value.message) == (
        before,
        "Je hebt dit scoreformulier ingediend: het is definitief. Vraag de voorzitter het te heropenen.",
    )


def test_the_chair_reopens_a_submitted_sheet_with_a_reason_and_the_juror_changes_it(seeded_call_shared):
    seeded = seeded_call_shared
    reopen(seeded.call, Round.PITCH)
    candidacy = seeded.candidacies["pitched"]
    sheet = ScoreSheet.objects.get(jury_member=seeded.juror, candidacy=candidacy, round=Round.PITCH)
    with pytest.raises(services.JuryError) as refusal:
        services.reopen_sheet(sheet, reason=" ", by=seeded.chair.user, at=BEFORE_LAST_PITCH_DAY)
    assert refusal.value.field == "reason"
    services.reopen_sheet(sheet, reason="Score verkeerd ingetikt.", by=seeded.chair.user, at=BEFORE_LAST_PITCH_DAY)
    changed = services.save_sheet(
        seeded.juror,
        candidacy,
        Round.PITCH,
        values=values(sheet, 9),
        overall_comment="Verbeterd.",
        submit=True,
        by=seeded.juror.user,
        at=BEFORE_LAST_PITCH_DAY,
    )
    assert (changed.reopen_reason, changed.reopened_by, changed.is_submitted) == (
        "Score verkeerd ingetikt.",
        seeded.chair.user,
        True,
    )
    assert Candidacy.objects.get(pk=candidacy.pk).status == "pitched"
    assert list(
        ProcedureStep.objects.filter(candidacy=candidacy, action="reopen_sheet").values_list("by", "reason")
    ) == [(seeded.chair.user.pk, f"{Round.PITCH.label}: Score verkeerd ingetikt.")]


def test_the_chair_reopens_a_sheet_from_the_sheet_page_and_a_juror_cannot(seeded_call_shared, client):
    seeded = seeded_call_shared
    reopen(seeded.call, Round.PITCH)
    candidacy = seeded.candidacies["pitched"]
    sheet = ScoreSheet.objects.get(jury_member=seeded.juror, candidacy=candidacy, round=Round.PITCH)
    url = reverse("jury:reopen_sheet", args=[candidacy.pk, "pitch", sheet.pk])
    client.force_login(seeded.juror.user)
    by_juror = client.post(url, {"reason": "Ik wil het zelf."})
    client.force_login(seeded.chair.user)
    page = client.get(reverse("jury:score_sheet", args=[candidacy.pk, "pitch"])).content.decode()
    by_chair = client.post(url, {"reason": "Score verkeerd ingetikt."})
    sheet.refresh_from_db()
    assert (by_juror.status_code, url in page, by_chair.status_code) == (404, True, 302)
    assert (sheet.submitted_at, sheet.reopen_reason) == (None, "Score verkeerd ingetikt.")


def test_closing_a_round_with_sheets_outstanding_shows_the_refusal_at_the_reason(seeded_call_shared, client):
    seeded = seeded_call_shared
    reopen(seeded.call, Round.PITCH)
    client.force_login(seeded.chair.user)
    response = client.post(reverse("jury:close_round", args=[seeded.call.slug, "pitch"]), {"pitch-confirm": "on"})
    form = next(row["form"] for row in response.context["rows"] if row["round"] == Round.PITCH)
    assert (response.status_code, list(form.errors), form["confirm"].value()) == (400, ["reason"], True)
    assert RoundClosure.objects.filter(call=seeded.call, round=Round.PITCH).count() == 0


def test_no_decision_is_recorded_while_the_candidacy_still_has_a_pitch_to_come(seeded_call_shared):
    seeded = seeded_call_shared
    candidacy = seeded.candidacies["shortlisted"]
    starts_at = datetime.datetime(2023, 6, 28, 10, 0, tzinfo=BRUSSELS)
    PitchSlot.objects.filter(candidacy=candidacy).update(
        starts_at=starts_at, ends_at=starts_at + datetime.timedelta(minutes=45)
    )
    with pytest.raises(services.JuryError) as refusal:
        services.record_decision(
            candidacy, outcome="not_selected", motivation="Te laat.", by=seeded.chair.user, at=AFTER_PITCHES
        )
    assert (refusal.value.message, Decision.objects.filter(candidacy=candidacy).count()) == (
        "Deze kandidatuur heeft nog een pitch op 28 juni 2023 om 10:00: de oproepbeheerder geeft dat pitchmoment "
        "eerst vrij.",
        0,
    )


def test_the_decisions_page_asks_a_reason_to_select_only_where_the_candidacy_did_not_pitch(seeded_call_shared, client):
    seeded = seeded_call_shared
    client.force_login(seeded.chair.user)
    page = client.get(reverse("jury:decisions", args=[seeded.call.slug])).content.decode()
    pitched, shortlisted = seeded.candidacies["pitched"], seeded.candidacies["shortlisted"]
    assert (
        f'name="decision-{pitched.pk}-without_pitch_reason"' in page,
        f'name="decision-{shortlisted.pk}-without_pitch_reason"' in page,
    ) == (False, True)


# Marking a pitch as held: not before its slot


def test_a_candidacy_is_not_marked_pitched_before_its_pitch_slot_and_is_once_it_began(seeded_call_shared):
    from candidacies import services as candidacy_services

    seeded = seeded_call_shared
    candidacy = seeded.candidacies["shortlisted"]
    slot = PitchSlot.objects.get(candidacy=candidacy)
    steps = ProcedureStep.objects.filter(candidacy=candidacy).count()
    with pytest.raises(candidacy_services.CandidacyError) as refusal:
        candidacy_services.mark_pitched(candidacy, by=seeded.manager, at=slot.starts_at - datetime.timedelta(minutes=1))
    assert refusal.value.message.startswith("De pitch van deze kandidatuur moet nog komen (")
    assert (
        Candidacy.objects.get(pk=candidacy.pk).status,
        ProcedureStep.objects.filter(candidacy=candidacy).count(),
    ) == (
        "shortlisted",
        steps,
    )
    candidacy_services.mark_pitched(candidacy, by=seeded.manager, at=slot.starts_at)
    assert Candidacy.objects.get(pk=candidacy.pk).status == "pitched"
