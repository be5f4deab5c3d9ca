"""One conflict rule for every page: for each kind of conflict (declared, a member of the applying organisation,
its KBO number in the juror's profile) the juror's list, the candidacy page, the score sheet, the colleagues'
sheets, the ranking, the call manager's dashboard, the admin's count and has_conflict give the same answer."""

import importlib

import pytest
import time_machine
from django.apps import apps
from django.test import Client
from django.urls import reverse

from candidacies.enterprise_number import format_enterprise_number
from jury import queries, ranking, services
from jury.models import Criterion, JuryMember, JuryMemberEnterpriseNumber, Round
from jury.permissions import has_conflict
from office import dashboard

from .conftest import WRITTEN_ROUND

pytestmark = pytest.mark.django_db


def client_for(user):
    client = Client()
    client.force_login(user)
    return client


def submit(juror, candidacy, value):
    criteria = Criterion.objects.filter(call=candidacy.call, round=Round.WRITTEN)
    services.save_sheet(
        juror,
        candidacy,
        Round.WRITTEN,
        values={criterion.pk: (value, "") for criterion in criteria},
        overall_comment="",
        submit=True,
        by=juror.user,
        at=WRITTEN_ROUND,
    )


def declared(juror, candidacy):
    services.declare_conflict(juror, candidacy, reason="Mijn zus werkt er.", by=juror.user, at=WRITTEN_ROUND)


def member_of_the_organisation(juror, candidacy):
    candidacy.organisation.members.add(juror.user)


def kbo_number_with_dots(juror, candidacy):
    """As a manager types it: with dots, among another number, with stray spaces."""
    juror.enterprise_numbers = f"  {format_enterprise_number(candidacy.organisation.enterprise_number)} \n0202239951"
    juror.save()


def what_each_consumer_says(call, candidacies, jurors, manager):
    """Per consumer, its answer about the conflicted juror (jurors[1]) and Buddywerk (candidacies[0])."""
    buddywerk = candidacies[0]
    juror = jurors[1]
    juror_client = client_for(juror.user)
    own_list = juror_client.get(reverse("jury:dashboard")).context["calls"][0]["rounds"][0]["rows"]
    colleagues = client_for(jurors[0].user).get(reverse("jury:score_sheet", args=[buddywerk.pk, Round.WRITTEN]))
    ranked = {row.candidacy: row for row in ranking.rank(call, Round.WRITTEN).rows}
    (board,) = dashboard.call_dashboards(WRITTEN_ROUND)
    admin_list = client_for(manager).get(reverse("admin:jury_jurymember_changelist")).context["cl"].result_list
    return {
        "assigned_candidacies": [candidacy.reference for candidacy in queries.assigned_candidacies(juror, "written")],
        "own list": [candidacy.reference for candidacy, _state in own_list],
        "candidacy page": juror_client.get(reverse("jury:candidacy", args=[buddywerk.pk])).status_code,
        "score sheet": juror_client.get(reverse("jury:score_sheet", args=[buddywerk.pk, Round.WRITTEN])).status_code,
        "colleagues' sheets": [other["juror"].email for other in colleagues.context["others"]],
        "jurors counted in the ranking": [total.juror.user.email for total in ranked[buddywerk].totals],
        "dashboard (assigned, submitted)": {
            row.juror.user.email: (row.rounds[0].assigned, row.rounds[0].submitted) for row in board.jurors
        },
        "admin conflict count": {member.user.email: member.conflict_count for member in admin_list},
        "has_conflict": [has_conflict(juror, candidacy) for candidacy in candidacies],
    }


@pytest.mark.parametrize("make_conflict", [declared, member_of_the_organisation, kbo_number_with_dots])
def test_every_consumer_of_the_conflict_rule_agrees_on_each_kind_of_conflict(
    maasland_call, candidacies, jurors, manager, make_conflict
):
    buddywerk, taalhuis, sleutel = candidacies
    for juror in jurors:
        submit(juror, buddywerk, 6)
    submit(jurors[1], taalhuis, 6)
    make_conflict(jurors[1], buddywerk)

    with time_machine.travel(WRITTEN_ROUND, tick=False):
        answers = what_each_consumer_says(maasland_call, candidacies, jurors, manager)

    emails = [juror.user.email for juror in jurors]
    assert answers == {
        "assigned_candidacies": [taalhuis.reference, sleutel.reference],
        "own list": [taalhuis.reference, sleutel.reference],
        "candidacy page": 404,
        "score sheet": 404,
        "colleagues' sheets": [emails[2]],
        "jurors counted in the ranking": [emails[0], emails[2]],
        "dashboard (assigned, submitted)": {emails[0]: (3, 1), emails[1]: (2, 1), emails[2]: (3, 1)},
        "admin conflict count": {emails[0]: 0, emails[1]: 1, emails[2]: 0},
        "has_conflict": [True, False, False],
    }


def test_without_a_conflict_every_consumer_counts_the_juror(maasland_call, candidacies, jurors, manager):
    buddywerk, taalhuis, sleutel = candidacies
    for juror in jurors:
        submit(juror, buddywerk, 6)
    submit(jurors[1], taalhuis, 6)

    with time_machine.travel(WRITTEN_ROUND, tick=False):
        answers = what_each_consumer_says(maasland_call, candidacies, jurors, manager)

    emails = [juror.user.email for juror in jurors]
    references = [buddywerk.reference, taalhuis.reference, sleutel.reference]
    assert answers == {
        "assigned_candidacies": references,
        "own list": references,
        "candidacy page": 200,
        "score sheet": 200,
        "colleagues' sheets": [emails[1], emails[2]],
        "jurors counted in the ranking": emails,
        "dashboard (assigned, submitted)": {emails[0]: (3, 1), emails[1]: (3, 2), emails[2]: (3, 1)},
        "admin conflict count": dict.fromkeys(emails, 0),
        "has_conflict": [False, False, False],
    }


# The KBO numbers of a juror's profile, normalised in a table of their own


def stored_numbers(juror):
    return sorted(JuryMemberEnterpriseNumber.objects.filter(jury_member=juror).values_list("organisation", flat=True))


@pytest.mark.parametrize("typed", ["0123.456.749", "BE 0123 456 749", "123456749", "0123-456-749, 0123456749"])
def test_a_kbo_number_typed_with_dots_spaces_or_without_its_zero_is_stored_as_ten_digits(jurors, typed):
    jurors[0].enterprise_numbers = typed
    jurors[0].save()
    assert stored_numbers(jurors[0]) == ["0123456749"]


def test_a_kbo_number_with_dots_makes_a_conflict_and_removing_it_ends_the_conflict(candidacies, jurors):
    organisation = candidacies[2].organisation
    jurors[0].enterprise_numbers = format_enterprise_number(organisation.enterprise_number)
    jurors[0].save()
    before = [has_conflict(jurors[0], candidacy) for candidacy in candidacies]
    jurors[0].enterprise_numbers = "0202239951"
    jurors[0].save()
    after = [has_conflict(jurors[0], candidacy) for candidacy in candidacies]
    assert (before, after, stored_numbers(jurors[0])) == ([False, False, True], [False, False, False], ["0202239951"])


def test_the_migration_fills_the_table_from_the_numbers_already_typed(candidacies, jurors):
    migration = importlib.import_module("jury.migrations.0007_jury_member_enterprise_number")
    jurors[0].enterprise_numbers = "0202.239.951\n" + format_enterprise_number(
        candidacies[1].organisation.enterprise_number
    )
    jurors[0].save()
    JuryMemberEnterpriseNumber.objects.all().delete()
    JuryMember.objects.filter(pk=jurors[1].pk).update(enterprise_numbers="geen nummer\n0202239951")

    migration.fill_from_profiles(apps, None)

    assert (stored_numbers(jurors[0]), stored_numbers(jurors[1]), stored_numbers(jurors[2])) == (
        sorted(["0202239951", candidacies[1].organisation.enterprise_number]),
        ["0202239951"],
        [],
    )
    assert [has_conflict(jurors[0], candidacy) for candidacy in candidacies] == [False, True, False]
