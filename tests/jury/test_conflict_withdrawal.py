"""A conflict of interest declared by mistake: the juror withdraws it before scoring the candidacy (refused after, in
Dutch), through jury.services.withdraw_conflict; the Logboek records it and the chair sees it on the rounds page."""

import pytest
import time_machine
from django.test import Client
from django.urls import reverse

from candidacies.models import ProcedureStep
from jury import queries, services
from jury.models import Conflict, Criterion

from .conftest import WRITTEN_ROUND

pytestmark = pytest.mark.usefixtures("time_travel")


@pytest.fixture
def time_travel():
    with time_machine.travel(WRITTEN_ROUND, tick=False):
        yield


@pytest.fixture
def juror(jurors):
    return jurors[0]


@pytest.fixture
def declared(juror, candidacies):
    return services.declare_conflict(juror, candidacies[0], reason="Per vergissing.", by=juror.user, at=WRITTEN_ROUND)


def withdrawal_steps(candidacy):
    return list(
        ProcedureStep.objects.filter(candidacy=candidacy, action=ProcedureStep.Action.WITHDRAW_CONFLICT).values_list(
            "by__email", "at"
        )
    )


def assigned(juror):
    return list(queries.assigned_candidacies(juror, "written"))


def test_a_juror_withdraws_a_conflict_declared_by_mistake_and_sees_the_candidacy_again(juror, candidacies, declared):
    assert candidacies[0] not in assigned(juror)
    services.withdraw_conflict(juror, candidacies[0], by=juror.user, at=WRITTEN_ROUND)
    assert not Conflict.objects.filter(pk=declared.pk).exists()
    assert candidacies[0] in assigned(juror)
    assert withdrawal_steps(candidacies[0]) == [(juror.user.email, WRITTEN_ROUND)]


def test_after_scoring_the_conflict_can_no_longer_be_withdrawn(maasland_call, juror, candidacies):
    criterion = Criterion.objects.filter(call=maasland_call, round="written").first()
    services.save_sheet(
        juror,
        candidacies[0],
        "written",
        values={criterion.pk: (6, "")},
        overall_comment="",
        submit=False,
        by=juror.user,
        at=WRITTEN_ROUND,
    )
    services.declare_conflict(juror, candidacies[0], reason="", by=juror.user, at=WRITTEN_ROUND)
    with pytest.raises(services.JuryError) as refusal:
        services.withdraw_conflict(juror, candidacies[0], by=juror.user, at=WRITTEN_ROUND)
    assert refusal.value.message == (
        "Je hebt deze kandidatuur al gescoord: het belangenconflict kan niet meer ingetrokken worden."
    )
    assert Conflict.objects.filter(jury_member=juror, candidacy=candidacies[0]).exists()
    assert withdrawal_steps(candidacies[0]) == []


def test_a_conflict_the_call_manager_set_is_not_the_jurors_to_withdraw(juror, candidacies, manager):
    services.declare_conflict(juror, candidacies[0], reason="Gezien in de KBO.", by=manager, at=WRITTEN_ROUND)
    with pytest.raises(services.NotFound):
        services.withdraw_conflict(juror, candidacies[0], by=juror.user, at=WRITTEN_ROUND)
    assert Conflict.objects.filter(jury_member=juror, candidacy=candidacies[0]).exists()


def test_nobody_else_withdraws_a_jurors_conflict(juror, candidacies, declared, chair, manager):
    for other in (chair.user, manager):
        with pytest.raises(services.JuryError) as refusal:
            services.withdraw_conflict(juror, candidacies[0], by=other, at=WRITTEN_ROUND)
        assert refusal.value.message == "Alleen het jurylid dat dit belangenconflict meldde, kan het intrekken."
    assert Conflict.objects.filter(pk=declared.pk).exists()


def test_once_every_round_of_the_candidacy_is_closed_the_conflict_stays(
    maasland_call, juror, candidacies, declared, chair
):
    services.close_round(maasland_call, "written", by=chair.user, at=WRITTEN_ROUND, reason="Test: alles binnen.")
    with pytest.raises(services.JuryError) as refusal:
        services.withdraw_conflict(juror, candidacies[0], by=juror.user, at=WRITTEN_ROUND)
    assert refusal.value.message == (
        "Elke ronde van deze kandidatuur is afgesloten: het belangenconflict blijft zoals het was."
    )
    assert Conflict.objects.filter(pk=declared.pk).exists()


# The pages


def client_of(user):
    client = Client()
    client.force_login(user)
    return client


def withdraw_url(candidacy):
    return reverse("jury:conflict_withdraw", args=[candidacy.pk])


def test_the_jury_page_lists_the_declared_conflicts_with_a_button_to_withdraw(juror, candidacies, declared):
    page = client_of(juror.user).get(reverse("jury:dashboard")).content.decode()
    assert "Je gemelde belangenconflicten" in page
    assert f'action="{withdraw_url(candidacies[0])}"' in page


def test_the_juror_withdraws_from_the_jury_page(maasland_call, juror, candidacies, declared):
    client = client_of(juror.user)
    response = client.post(withdraw_url(candidacies[0]), follow=True)
    page = response.content.decode()
    assert response.redirect_chain == [(reverse("jury:dashboard") + f"#conflicts-{maasland_call.pk}", 302)]
    assert f"Je belangenconflict voor {candidacies[0].reference} is ingetrokken" in page
    assert not Conflict.objects.filter(pk=declared.pk).exists()


def test_a_refusal_comes_back_as_a_dutch_message_on_the_jury_page(maasland_call, juror, candidacies, declared, chair):
    services.close_round(maasland_call, "written", by=chair.user, at=WRITTEN_ROUND, reason="Test: alles binnen.")
    page = client_of(juror.user).post(withdraw_url(candidacies[0]), follow=True).content.decode()
    assert "het belangenconflict blijft zoals het was" in page
    assert Conflict.objects.filter(pk=declared.pk).exists()


def test_withdrawing_a_conflict_that_was_not_declared_is_a_404(juror, candidacies, jurors):
    assert client_of(juror.user).post(withdraw_url(candidacies[1])).status_code == 404


def test_the_chair_sees_the_withdrawal_on_the_rounds_page(maasland_call, juror, candidacies, declared, chair):
    services.withdraw_conflict(juror, candidacies[0], by=juror.user, at=WRITTEN_ROUND)
    page = client_of(chair.user).get(reverse("jury:rounds", args=[maasland_call.slug])).content.decode()
    assert f"Jurylid 1: belangenconflict voor {candidacies[0].reference} ingetrokken op 7 juni 2023 om 10:00" in page


def test_the_logboek_names_the_step_in_dutch(maasland_call, juror, candidacies, declared, manager):
    services.withdraw_conflict(juror, candidacies[0], by=juror.user, at=WRITTEN_ROUND)
    page = client_of(manager).get(reverse("office:logbook", args=[maasland_call.pk])).content.decode()
    assert "Belangenconflict ingetrokken" in page


def test_the_jury_page_costs_the_same_queries_for_one_declared_conflict_or_several(
    juror, candidacies, django_assert_num_queries
):
    client = client_of(juror.user)
    services.declare_conflict(juror, candidacies[0], reason="", by=juror.user, at=WRITTEN_ROUND)
    client.get(reverse("jury:dashboard"))
    with django_assert_num_queries(9) as small:
        client.get(reverse("jury:dashboard"))
    for candidacy in candidacies[1:]:
        services.declare_conflict(juror, candidacy, reason="", by=juror.user, at=WRITTEN_ROUND)
    with django_assert_num_queries(len(small.captured_queries)):
        client.get(reverse("jury:dashboard"))
