"""The weerwoord's assessment in two steps (jury.communication.prepare_assessment and confirm_assessment): the call
manager prepares, the chair confirms, each step in the Logboek, and only the confirmed assessment counts; a call may
choose one step instead. Each guard is tried with the role, the order and the moment it refuses."""

import datetime

import pytest
from django.urls import reverse

from candidacies.models import ProcedureStep
from challenges.models import Call
from jury import communication
from jury.models import Decision, Weerwoord
from maasland.clock import BRUSSELS

PREPARED = datetime.datetime(2023, 7, 20, 10, 0, tzinfo=BRUSSELS)
CONFIRMED = datetime.datetime(2023, 7, 20, 15, 0, tzinfo=BRUSSELS)
PREPARED_AGAIN = datetime.datetime(2023, 7, 21, 9, 0, tzinfo=BRUSSELS)
REVISED = datetime.datetime(2023, 7, 22, 10, 0, tzinfo=BRUSSELS)
BEFORE_FILING = datetime.datetime(2023, 7, 12, 13, 59, tzinfo=BRUSSELS)


def fresh(seeded):
    return Weerwoord.objects.select_related("decision__candidacy__call").get(pk=seeded.weerwoord_a.pk)


def prepare(seeded, assessment="founded", *, by=None, at=PREPARED):
    return communication.prepare_assessment(
        fresh(seeded), assessment=assessment, motivation="Het OCMW telt mee.", by=by or seeded.manager, at=at
    )


def confirm(seeded, *, by=None, at=CONFIRMED):
    return communication.confirm_assessment(fresh(seeded), by=by or seeded.chair.user, at=at)


def refused(action):
    with pytest.raises(communication.CommunicationError) as refusal:
        action()
    return refusal.value.message


def revise(seeded, at=REVISED):
    return communication.revise_decision(
        seeded.decision_a, outcome="selected", motivation="Na het weerwoord geselecteerd.", by=seeded.manager, at=at
    )


def test_a_prepared_assessment_counts_only_once_the_chair_confirms_it(
    seeded_call_shared, mailoutbox, django_capture_on_commit_callbacks
):
    seeded = seeded_call_shared
    mailoutbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        prepare(seeded)
    prepared = fresh(seeded)
    assert (prepared.proposed_assessment, prepared.assessment, prepared.awaits_confirmation()) == ("founded", "", True)
    assert refused(lambda: revise(seeded)) == "Een beslissing kan alleen herzien worden na een gegrond weerwoord."
    assert mailoutbox == []
    with django_capture_on_commit_callbacks(execute=True):
        confirm(seeded)
    confirmed = fresh(seeded)
    assert (confirmed.assessment, confirmed.assessment_motivation, confirmed.assessed_by, confirmed.assessed_at) == (
        "founded",
        "Het OCMW telt mee.",
        seeded.chair.user,
        CONFIRMED,
    )
    assert [message.to for message in mailoutbox] == [[seeded.applicant_a.email, seeded.candidacy_a.contact_email]]
    assert revise(seeded).number == 2


def test_each_step_is_in_the_logbook_with_who_and_when(seeded_call_shared):
    seeded = seeded_call_shared
    prepare(seeded)
    confirm(seeded)
    steps = ProcedureStep.objects.filter(
        candidacy=seeded.candidacy_a, action__in=["prepare_assessment", "confirm_assessment"]
    ).order_by("at")
    assert list(steps.values_list("action", "by", "at", "reason")) == [
        ("prepare_assessment", seeded.manager.pk, PREPARED, "Gegrond: Het OCMW telt mee."),
        ("confirm_assessment", seeded.chair.user.pk, CONFIRMED, "Gegrond: Het OCMW telt mee."),
    ]


@pytest.mark.parametrize("role", ["chair", "juror", "applicant"])
def test_only_the_call_manager_prepares(seeded_call_shared, role):
    seeded = seeded_call_shared
    user = {"chair": seeded.chair.user, "juror": seeded.juror.user, "applicant": seeded.applicant_a}[role]
    assert refused(lambda: prepare(seeded, by=user)) == (
        "Alleen de oproepbeheerder bereidt de beoordeling van een weerwoord voor."
    )
    assert fresh(seeded).proposed_at is None


@pytest.mark.parametrize("role", ["manager", "juror", "conflicted juror"])
def test_only_the_chair_confirms(seeded_call_shared, role):
    seeded = seeded_call_shared
    prepare(seeded)
    user = {"manager": seeded.manager, "juror": seeded.juror.user, "conflicted juror": seeded.conflicted_juror.user}
    assert refused(lambda: confirm(seeded, by=user[role])) == (
        "Alleen de voorzitter van de jury bevestigt de beoordeling van een weerwoord."
    )
    assert (fresh(seeded).assessment, ProcedureStep.objects.filter(action="confirm_assessment").count()) == ("", 0)


def test_nothing_is_confirmed_before_it_is_prepared(seeded_call_shared):
    assert refused(lambda: confirm(seeded_call_shared)) == (
        "Er is nog geen beoordeling voorbereid: de oproepbeheerder bereidt ze eerst voor."
    )


def test_a_confirmed_assessment_is_not_confirmed_twice(
    seeded_call_shared, mailoutbox, django_capture_on_commit_callbacks
):
    seeded = seeded_call_shared
    prepare(seeded)
    confirm(seeded)
    mailoutbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        message = refused(lambda: confirm(seeded, at=CONFIRMED + datetime.timedelta(hours=1)))
    assert (message, fresh(seeded).assessed_at, mailoutbox) == ("Deze beoordeling is al bevestigd.", CONFIRMED, [])


def test_the_clock_refuses_a_preparation_before_the_filing_and_a_confirmation_before_the_preparation(
    seeded_call_shared,
):
    seeded = seeded_call_shared
    assert refused(lambda: prepare(seeded, at=BEFORE_FILING)) == (
        "Een beoordeling kan niet vóór het weerwoord komen dat ze beoordeelt."
    )
    prepare(seeded)
    assert refused(lambda: confirm(seeded, at=PREPARED - datetime.timedelta(minutes=1))) == (
        "Een bevestiging kan niet komen vóór de beoordeling voorbereid was."
    )


def test_a_new_preparation_leaves_the_confirmed_assessment_in_force_until_it_is_confirmed(seeded_call_shared):
    seeded = seeded_call_shared
    prepare(seeded)
    confirm(seeded)
    prepare(seeded, "unfounded", at=PREPARED_AGAIN)
    assert (fresh(seeded).assessment, fresh(seeded).awaits_confirmation()) == ("founded", True)
    confirm(seeded, at=PREPARED_AGAIN + datetime.timedelta(hours=1))
    assert fresh(seeded).assessment == "unfounded"
    assert refused(lambda: revise(seeded)) == "Een beslissing kan alleen herzien worden na een gegrond weerwoord."


def test_a_call_of_one_step_has_the_assessment_recorded_at_once_and_nothing_to_prepare_or_confirm(seeded_call_shared):
    seeded = seeded_call_shared
    Call.objects.filter(pk=seeded.call.pk).update(weerwoord_assessment="one_step")
    assert refused(lambda: prepare(seeded)) == (
        "Deze oproep beoordeelt een weerwoord in één stap: leg de beoordeling zelf vast."
    )
    communication.assess_weerwoord(
        fresh(seeded), assessment="founded", motivation="Klopt.", by=seeded.manager, at=PREPARED
    )
    assert (
        refused(lambda: confirm(seeded))
        == "Deze oproep beoordeelt een weerwoord in één stap: er is niets te bevestigen."
    )
    assert (fresh(seeded).assessment, fresh(seeded).assessed_by) == ("founded", seeded.manager)


def test_in_a_call_of_two_steps_nobody_records_the_assessment_alone(seeded_call_shared):
    seeded = seeded_call_shared
    assert refused(
        lambda: communication.assess_weerwoord(
            fresh(seeded), assessment="founded", motivation="Klopt.", by=seeded.chair.user, at=PREPARED
        )
    ) == (
        "Deze oproep beoordeelt een weerwoord in twee stappen: de oproepbeheerder bereidt de beoordeling voor, "
        "de voorzitter bevestigt ze."
    )


# The chair's page in the portal


def page_url(seeded):
    return reverse("jury:weerwoord_assessments", kwargs={"call_slug": seeded.call.slug})


def test_the_chair_sees_the_prepared_assessment_and_confirms_it(
    seeded_call_shared, client, mailoutbox, django_capture_on_commit_callbacks
):
    seeded = seeded_call_shared
    prepare(seeded, "unfounded")
    client.force_login(seeded.chair.user)
    page = client.get(page_url(seeded)).content.decode()
    assert ("Het OCMW telt mee." in page, "Ongegrond" in page, "Bevestig deze beoordeling" in page) == (True,) * 3
    mailoutbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(page_url(seeded), {"weerwoord": seeded.weerwoord_a.pk})
    assert (response.status_code, response.url) == (302, page_url(seeded))
    assert (fresh(seeded).assessment, fresh(seeded).assessed_by, len(mailoutbox)) == (
        "unfounded",
        seeded.chair.user,
        1,
    )
    assert "Bevestig deze beoordeling" not in client.get(page_url(seeded)).content.decode()


def test_confirming_twice_from_the_page_says_so_and_changes_nothing(seeded_call_shared, client):
    seeded = seeded_call_shared
    prepare(seeded)
    confirm(seeded)
    client.force_login(seeded.chair.user)
    response = client.post(page_url(seeded), {"weerwoord": seeded.weerwoord_a.pk})
    assert response.status_code == 400
    assert [str(message) for message in response.context["messages"]] == ["Deze beoordeling is al bevestigd."]
    assert fresh(seeded).assessed_at == CONFIRMED


@pytest.mark.parametrize("role", ["juror", "manager", "applicant"])
def test_only_the_chair_or_deputy_opens_the_page(seeded_call_shared, client, role):
    seeded = seeded_call_shared
    user = {"juror": seeded.juror.user, "manager": seeded.manager, "applicant": seeded.applicant_a}[role]
    client.force_login(user)
    assert (
        client.get(page_url(seeded)).status_code,
        client.post(page_url(seeded), {"weerwoord": "1"}).status_code,
    ) == (
        404,
        404,
    )


@pytest.mark.parametrize("extra", [0, 1])
def test_the_chairs_page_costs_the_same_queries_for_one_and_two_weerwoorden(
    seeded_call_shared, client, extra, django_assert_num_queries
):
    seeded = seeded_call_shared
    prepare(seeded)
    if extra:
        decision = Decision.objects.get(candidacy=seeded.candidacy_b)
        Weerwoord.objects.create(decision=decision, text="Ook wij.", filed_at=PREPARED, filed_by=seeded.applicant_b)
    client.force_login(seeded.chair.user)
    # Measured once: session, user, the call, the chair's seat, the weerwoorden with their candidacies and people,
    # and what the portal's layout asks; the same for one and two weerwoorden.
    with django_assert_num_queries(7):
        response = client.get(page_url(seeded))
    assert len(response.context["weerwoorden"]) == 1 + extra
