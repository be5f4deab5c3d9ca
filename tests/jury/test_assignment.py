"""Jury assignment for large calls (issue 15): the helper gives each candidacy its number of jurors without a
conflict, the load balanced; the manager adjusts through the service; lists, sheets, counts and outstanding sheets
follow the assignment; a call that does not assign keeps "every juror without a conflict"."""

import collections

import pytest
from django.urls import reverse

from candidacies.models import Candidacy
from challenges.models import Call
from jury import assigning, queries, services
from jury.models import Assignment, Conflict, Criterion, Round, RoundClosure
from office import dashboard
from tests import factories

from .conftest import WRITTEN_ROUND


def assigning_call(call, number=3):
    Call.objects.filter(pk=call.pk).update(jury_assignment=Call.JuryAssignment.ASSIGNED, jurors_per_candidacy=number)
    call.refresh_from_db()
    return call


def pairs(call):
    return set(Assignment.objects.filter(jury_member__call=call).values_list("candidacy", "jury_member"))


def save_sheet(member, candidacy, *, submit=False):
    values = {criterion.pk: (7, "") for criterion in Criterion.objects.filter(call=candidacy.call, round="written")}
    return services.save_sheet(
        member, candidacy, "written", values=values, overall_comment="", submit=submit, by=member.user, at=WRITTEN_ROUND
    )


# The helper


def test_sixty_candidacies_and_nine_jurors_with_ten_conflicts_get_three_jurors_each_and_a_balanced_load(
    maasland_call, manager
):
    call = assigning_call(maasland_call)
    candidacies, jurors = factories.large_call(call, candidacies=60, jurors=9, conflicts=10, by=manager)

    distribution = assigning.distribute(call, by=manager, at=WRITTEN_ROUND)

    conflicts = set(queries.conflicts_of_call(call))
    assigned = pairs(call)
    per_candidacy = collections.Counter(candidacy for candidacy, _juror in assigned)
    load = collections.Counter(juror for _candidacy, juror in assigned)
    average = len(assigned) / len(jurors)
    assert (
        len(conflicts),
        assigned & conflicts,
        min(per_candidacy[candidacy.pk] for candidacy in candidacies),
        max(load[juror.pk] for juror in jurors) <= average + 1,
        distribution.shortfalls,
    ) == (10, set(), 3, True, [])


def test_a_candidacy_that_cannot_reach_its_jurors_is_reported_in_dutch(maasland_call, manager):
    call = assigning_call(maasland_call)
    (candidacy,), jurors = factories.large_call(call, candidacies=1, jurors=3, conflicts=0, by=manager)
    Conflict.objects.create(
        jury_member=jurors[0], candidacy=candidacy, source=Conflict.Source.MANAGER, created_by=manager
    )

    distribution = assigning.distribute(call, by=manager, at=WRITTEN_ROUND)

    assert [assigning.shortfall_message(shortfall) for shortfall in distribution.shortfalls] == [
        f"{candidacy.reference}: slechts 2 van de 3 juryleden zonder belangenconflict."
    ]


def test_the_helper_keeps_manual_assignments_and_started_sheets_and_adds_only_what_is_missing(maasland_call, manager):
    call = assigning_call(maasland_call, number=2)
    (first, second), jurors = factories.large_call(call, candidacies=2, jurors=4, conflicts=0, by=manager)
    assigning.add(jurors[3], first, by=manager, at=WRITTEN_ROUND)
    Call.objects.filter(pk=call.pk).update(jury_assignment=Call.JuryAssignment.EVERY_JUROR)
    save_sheet(jurors[2], second)  # started while every juror scored everything
    call = assigning_call(call, number=2)

    distribution = assigning.distribute(call, by=manager, at=WRITTEN_ROUND)

    assigned = pairs(call)
    assert (
        (first.pk, jurors[3].pk) in assigned,
        (second.pk, jurors[2].pk) in assigned,
        collections.Counter(candidacy for candidacy, _juror in assigned),
        distribution.created,
    ) == (True, True, {first.pk: 2, second.pk: 2}, 2)


def test_running_the_helper_twice_adds_nothing(maasland_call, manager):
    call = assigning_call(maasland_call)
    factories.large_call(call, candidacies=5, jurors=4, conflicts=2, by=manager)
    assigning.distribute(call, by=manager, at=WRITTEN_ROUND)
    before = pairs(call)

    again = assigning.distribute(call, by=manager, at=WRITTEN_ROUND)

    assert (again.created, pairs(call)) == (0, before)


def test_the_plan_takes_the_candidacy_with_fewest_eligible_jurors_first_and_the_least_loaded_jurors():
    # Candidacy 2 can only have jurors 10 and 11; candidacy 1 then gets the two others.
    conflicts = {(2, 12), (2, 13)}
    new, shortfalls = assigning.plan([1, 2], [10, 11, 12, 13], 2, conflicts, set())
    assert (sorted(new), shortfalls) == ([(1, 12), (1, 13), (2, 10), (2, 11)], [])


# Refusals


@pytest.mark.parametrize(
    ("mode", "closed", "as_manager", "message"),
    [
        ("assigned", False, False, "Alleen de oproepbeheerder kan dit doen."),
        (
            "every_juror",
            False,
            True,
            "In deze oproep scoort elk jurylid zonder belangenconflict elke kandidatuur: kies eerst voor toegewezen "
            "juryleden.",
        ),
        ("assigned", True, True, "De schriftelijke ronde is afgesloten: wie wat scoorde, verandert niet meer."),
    ],
)
def test_the_helper_is_refused_and_writes_nothing(maasland_call, manager, chair, mode, closed, as_manager, message):
    Call.objects.filter(pk=maasland_call.pk).update(jury_assignment=mode)
    maasland_call.refresh_from_db()
    factories.large_call(maasland_call, candidacies=2, jurors=3, conflicts=0, by=manager)
    if closed:
        RoundClosure.objects.create(
            call=maasland_call, round=Round.WRITTEN, closed_by=chair.user, closed_at=WRITTEN_ROUND
        )

    with pytest.raises(services.JuryError) as refusal:
        assigning.distribute(maasland_call, by=manager if as_manager else chair.user, at=WRITTEN_ROUND)

    assert (refusal.value.message, pairs(maasland_call)) == (message, set())


def test_a_conflicted_juror_cannot_be_assigned(maasland_call, manager):
    call = assigning_call(maasland_call)
    (candidacy,), (juror,) = factories.large_call(call, candidacies=1, jurors=1, conflicts=1, by=manager)
    with pytest.raises(services.JuryError) as refusal:
        assigning.add(juror, candidacy, by=manager, at=WRITTEN_ROUND)
    assert (refusal.value.message, pairs(call)) == (
        "Dit jurylid heeft een belangenconflict met deze kandidatuur.",
        set(),
    )


def test_an_assignment_whose_sheet_is_started_stays(maasland_call, manager):
    call = assigning_call(maasland_call)
    (candidacy,), (juror,) = factories.large_call(call, candidacies=1, jurors=1, conflicts=0, by=manager)
    assignment = assigning.add(juror, candidacy, by=manager, at=WRITTEN_ROUND)
    save_sheet(juror, candidacy)
    with pytest.raises(services.JuryError) as refusal:
        assigning.remove(assignment, by=manager, at=WRITTEN_ROUND)
    assert (refusal.value.message, Assignment.objects.filter(pk=assignment.pk).exists()) == (
        "Dit jurylid is aan het scoreformulier van deze kandidatuur begonnen: de toewijzing blijft.",
        True,
    )


# Everything follows the assignment


def test_in_an_assigning_call_a_juror_scores_only_the_assigned_candidacies(maasland_call, manager):
    call = assigning_call(maasland_call)
    (first, second), (juror,) = factories.large_call(call, candidacies=2, jurors=1, conflicts=0, by=manager)
    assigning.add(juror, first, by=manager, at=WRITTEN_ROUND)

    with pytest.raises(services.NotFound):
        save_sheet(juror, second)

    assert (
        list(queries.assigned_candidacies(juror, Round.WRITTEN)),
        queries.assigned_candidacies(juror, Round.PITCH).count(),
    ) == ([first], 0)


@pytest.mark.parametrize(("candidacies", "expected"), [(4, ((2, 1), (2, 0), 3)), (12, ((6, 1), (6, 0), 11))])
def test_the_dashboard_and_the_outstanding_sheets_count_the_assignments_in_the_same_queries(
    maasland_call, manager, candidacies, expected, django_assert_num_queries
):
    call = assigning_call(maasland_call, number=1)
    _candidacies, jurors = factories.large_call(call, candidacies=candidacies, jurors=2, conflicts=0, by=manager)
    assigning.distribute(call, by=manager, at=WRITTEN_ROUND)
    save_sheet(jurors[0], queries.assigned_candidacies(jurors[0], Round.WRITTEN).first(), submit=True)

    with django_assert_num_queries(DASHBOARD_QUERIES):
        (board,) = dashboard.call_dashboards(WRITTEN_ROUND)

    counts = {row.juror.pk: (row.rounds[0].assigned, row.rounds[0].submitted) for row in board.jurors}
    first, second, outstanding = expected
    assert (counts, services.outstanding_sheets(call, Round.WRITTEN)) == (
        {jurors[0].pk: first, jurors[1].pk: second},
        outstanding,
    )


DASHBOARD_QUERIES = 5  # as tests/office/test_dashboard.py: the assignment rule adds no query


def test_a_call_that_does_not_assign_keeps_every_juror_without_a_conflict(maasland_call, manager):
    (first, second), (juror, other) = factories.large_call(
        maasland_call, candidacies=2, jurors=2, conflicts=1, by=manager
    )
    assert (
        list(queries.assigned_candidacies(juror, Round.WRITTEN)),
        list(queries.assigned_candidacies(other, Round.WRITTEN)),
    ) == ([second], [first, second])


# Admin


def test_the_manager_assigns_the_jury_from_the_jury_members_list(client, maasland_call, manager):
    call = assigning_call(maasland_call, number=2)
    candidacies, jurors = factories.large_call(call, candidacies=3, jurors=3, conflicts=0, by=manager)
    client.force_login(manager)

    response = client.post(
        reverse("admin:jury_jurymember_changelist"),
        {"action": "assign_candidacies", "_selected_action": [juror.pk for juror in jurors]},
        follow=True,
    )

    assert ([str(message) for message in response.context["messages"]], len(pairs(call))) == (
        [f"{call}: 6 toewijzingen toegevoegd."],
        6,
    )


def test_adding_a_conflicted_juror_in_admin_shows_why_at_the_field(client, maasland_call, manager):
    call = assigning_call(maasland_call)
    (candidacy,), (juror,) = factories.large_call(call, candidacies=1, jurors=1, conflicts=1, by=manager)
    client.force_login(manager)

    response = client.post(reverse("admin:jury_assignment_add"), {"jury_member": juror.pk, "candidacy": candidacy.pk})

    assert (response.status_code, response.context["adminform"].form.errors, pairs(call)) == (
        200,
        {"candidacy": ["Dit jurylid heeft een belangenconflict met deze kandidatuur."]},
        set(),
    )


@pytest.mark.parametrize("count", [2, 6])
def test_the_assignments_list_costs_the_same_queries_whatever_its_length(
    client, maasland_call, manager, count, django_assert_num_queries
):
    call = assigning_call(maasland_call, number=1)
    factories.large_call(call, candidacies=count, jurors=2, conflicts=0, by=manager)
    assigning.distribute(call, by=manager, at=WRITTEN_ROUND)
    client.force_login(manager)
    client.get(reverse("admin:jury_assignment_changelist"))  # the session and caches warm

    with django_assert_num_queries(ASSIGNMENT_LIST_QUERIES):
        response = client.get(reverse("admin:jury_assignment_changelist"))

    assert (response.status_code, response.context["cl"].result_count) == (200, count)


ASSIGNMENT_LIST_QUERIES = 8


def test_a_candidacy_in_draft_is_not_assigned(maasland_call, manager):
    call = assigning_call(maasland_call)
    (candidacy,), (juror,) = factories.large_call(call, candidacies=1, jurors=1, conflicts=0, by=manager)
    Candidacy.objects.filter(pk=candidacy.pk).update(status=Candidacy.Status.DRAFT)
    assigning.distribute(call, by=manager, at=WRITTEN_ROUND)
    assert pairs(call) == set()


def test_removing_a_started_assignment_in_admin_keeps_it_and_says_why(client, maasland_call, manager):
    call = assigning_call(maasland_call)
    (candidacy,), (juror,) = factories.large_call(call, candidacies=1, jurors=1, conflicts=0, by=manager)
    assignment = assigning.add(juror, candidacy, by=manager, at=WRITTEN_ROUND)
    save_sheet(juror, candidacy)
    client.force_login(manager)

    response = client.post(reverse("admin:jury_assignment_delete", args=[assignment.pk]), {"post": "yes"}, follow=True)

    assert ([str(message) for message in response.context["messages"]], pairs(call)) == (
        ["Dit jurylid is aan het scoreformulier van deze kandidatuur begonnen: de toewijzing blijft."],
        {(candidacy.pk, juror.pk)},
    )
