"""The role rules of jury/roles.py: one chair and at most one deputy per call, nobody appoints themselves, no call
manager on a jury, and a chair or deputy with a conflict sees no figure of that candidacy."""

import csv
import io

import pytest
from django.contrib.auth.models import Permission
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from jury import invitations, services
from jury.models import Conflict, Decision, JuryMember, Round
from maasland.refusals import Refusal
from tests import factories

from .conftest import WRITTEN_ROUND


def add_member(client, call, email, role):
    return client.post(
        reverse("admin:jury_jurymember_add"),
        {"call": call.pk, "email": email, "full_name": "Iemand", "role": role},
    )


def conflict(member, candidacy, by):
    return Conflict.objects.create(
        jury_member=member, candidacy=candidacy, source=Conflict.Source.MANAGER, created_by=by
    )


@pytest.fixture
def manager_client(client, manager):
    client.force_login(manager)
    return client


@pytest.fixture
def deputy(maasland_call):
    user = factories.user("plaatsvervanger@example.org", full_name="Paul Plaatsvervanger")
    return JuryMember.objects.create(call=maasland_call, user=user, role=JuryMember.Role.DEPUTY)


# Appointing


def test_the_call_manager_cannot_appoint_herself_chair(manager_client, manager, maasland_call, chair):
    response = add_member(manager_client, maasland_call, manager.email, "chair")
    assert response.status_code == 200
    assert response.context["adminform"].form.errors == {
        "email": ["Niemand benoemt zichzelf: een andere oproepbeheerder doet dit."],
        "role": ["De jury van deze oproep heeft al een voorzitter."],
    }
    assert list(JuryMember.objects.filter(call=maasland_call, role="chair")) == [chair]


def test_a_second_chair_is_refused_at_the_role_field_and_by_the_database(manager_client, maasland_call, chair):
    response = add_member(manager_client, maasland_call, "tweede@example.org", "chair")
    assert response.context["adminform"].form.errors == {"role": ["De jury van deze oproep heeft al een voorzitter."]}
    with pytest.raises(IntegrityError), transaction.atomic():
        JuryMember.objects.create(call=maasland_call, user=factories.user(), role=JuryMember.Role.CHAIR)


def test_a_second_deputy_is_refused_by_the_database(maasland_call, deputy):
    with pytest.raises(IntegrityError), transaction.atomic():
        JuryMember.objects.create(call=maasland_call, user=factories.user(), role=JuryMember.Role.DEPUTY)


def test_a_call_manager_cannot_be_appointed_to_a_jury(manager, maasland_call):
    colleague = factories.user("collega@example.org", is_staff=True)
    colleague.groups.add(*manager.groups.all())
    with pytest.raises(Refusal) as refused:
        invitations.appoint(
            maasland_call, email=colleague.email, full_name="", role="member", by=manager, at=timezone.now()
        )
    assert (refused.value.message, refused.value.field) == (
        "Een oproepbeheerder leidt de oproep en kan niet in de jury zetelen.",
        "email",
    )
    assert not JuryMember.objects.filter(user=colleague).exists()


def test_making_a_member_chair_when_the_call_has_one_is_refused_at_the_role_field(manager_client, jurors, chair):
    member = jurors[0]
    response = manager_client.post(
        reverse("admin:jury_jurymember_change", args=[member.pk]),
        {"role": "chair", "enterprise_numbers": "", "conflicts-TOTAL_FORMS": 0, "conflicts-INITIAL_FORMS": 0},
    )
    assert response.context["adminform"].form.errors == {"role": ["De jury van deze oproep heeft al een voorzitter."]}
    member.refresh_from_db()
    assert member.role == "member"


def test_the_call_manager_makes_a_member_deputy_chair_through_the_service(manager_client, manager, jurors, chair):
    member = jurors[0]
    response = manager_client.post(
        reverse("admin:jury_jurymember_change", args=[member.pk]),
        {"role": "deputy", "enterprise_numbers": "", "conflicts-TOTAL_FORMS": 0, "conflicts-INITIAL_FORMS": 0},
    )
    member.refresh_from_db()
    assert (response.status_code, member.role, member.get_role_display()) == (
        302,
        "deputy",
        "Plaatsvervangend voorzitter",
    )
    assert member.history.filter(history_change_reason="role changed", history_user=manager).exists()


def test_nobody_changes_their_own_seat(manager_client, manager, maasland_call, jurors):
    seat = JuryMember.objects.create(call=maasland_call, user=manager)  # a seat from before the rule
    response = manager_client.post(
        reverse("admin:jury_jurymember_change", args=[seat.pk]),
        {"role": "deputy", "enterprise_numbers": "", "conflicts-TOTAL_FORMS": 0, "conflicts-INITIAL_FORMS": 0},
    )
    assert response.context["adminform"].form.errors == {
        "role": ["Niemand benoemt zichzelf: een andere oproepbeheerder doet dit."]
    }


# The deputy chair


def test_the_deputy_records_the_decision_where_the_chair_has_a_conflict_and_only_there(
    candidacies, chair, deputy, manager
):
    conflicted, other, _third = candidacies
    conflict(chair, conflicted, manager)
    factories.rounds_closed(conflicted.call, chair, at=WRITTEN_ROUND)
    decision = services.record_decision(
        conflicted,
        outcome="selected",
        motivation="Sterk.",
        without_pitch_reason="Testgegevens zonder pitch.",
        by=deputy.user,
        at=WRITTEN_ROUND,
    )
    with pytest.raises(services.JuryError) as refused:
        services.record_decision(other, outcome="selected", motivation="Sterk.", by=deputy.user, at=WRITTEN_ROUND)
    with pytest.raises(services.JuryError):
        services.record_decision(conflicted, outcome="selected", motivation="Sterk.", by=chair.user, at=WRITTEN_ROUND)
    assert (decision.recorded_by, Decision.objects.count()) == (deputy.user, 1)
    assert refused.value.message == (
        "De plaatsvervangend voorzitter legt alleen een beslissing vast waar de voorzitter een belangenconflict heeft."
    )


# No figure of a conflicted candidacy


def scored(candidacies, jurors):
    criteria = list(candidacies[0].call.criteria.filter(round=Round.WRITTEN))
    for juror in jurors:
        for candidacy in candidacies:
            values = {criterion.pk: (criterion.scale_max, "") for criterion in criteria}
            services.save_sheet(
                juror,
                candidacy,
                Round.WRITTEN,
                values=values,
                overall_comment="",
                submit=True,
                by=juror.user,
                at=WRITTEN_ROUND,
            )


def csv_references(client, call):
    response = client.get(reverse("jury:ranking_csv", args=[call.slug, Round.WRITTEN]))
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";"))
    return sorted(row[1] for row in rows[1:])


def test_a_conflicted_chair_sees_no_figure_of_that_candidacy_and_the_deputy_sees_only_that_one(
    client, maasland_call, candidacies, jurors, chair, deputy, manager
):
    scored(candidacies, jurors)
    conflicted = candidacies[0]
    conflict(chair, conflicted, manager)
    client.force_login(chair.user)
    chair_sees = csv_references(client, maasland_call)
    page = client.get(reverse("jury:ranking", args=[maasland_call.slug, Round.WRITTEN])).content.decode()
    client.force_login(deputy.user)
    deputy_sees = csv_references(client, maasland_call)
    client.force_login(manager)
    manager_sees = csv_references(client, maasland_call)
    assert chair_sees == sorted(candidacy.reference for candidacy in candidacies[1:])
    assert conflicted.reference not in page
    assert deputy_sees == [conflicted.reference]
    assert manager_sees == sorted(candidacy.reference for candidacy in candidacies)


def test_a_conflicted_chair_with_access_to_admin_gets_neither_the_letter_preview_nor_the_candidacys_export_rows(
    client, maasland_call, candidacies, jurors, chair, manager
):
    scored(candidacies, jurors)
    conflicted = candidacies[0]
    factories.rounds_closed(conflicted.call, chair, at=WRITTEN_ROUND)
    decision = services.record_decision(
        conflicted,
        outcome="selected",
        motivation="Sterk.",
        without_pitch_reason="Testgegevens zonder pitch.",
        by=chair.user,
        at=WRITTEN_ROUND,
    )
    conflict(chair, conflicted, manager)
    chair.user.is_staff = True
    chair.user.save()
    chair.user.user_permissions.add(
        *Permission.objects.filter(codename__in=["view_decision", "view_score"], content_type__app_label="jury")
    )
    client.force_login(chair.user)
    preview = client.get(reverse("admin:jury_decision_preview", args=[decision.pk]))
    export = client.get(reverse("office:export_download", args=[maasland_call.pk, "ranking", "csv"]))
    rows = list(csv.reader(io.StringIO(export.content.decode("utf-8-sig")), delimiter=";"))
    assert preview.status_code == 403
    assert sorted(row[2] for row in rows[1:]) == sorted(candidacy.reference for candidacy in candidacies[1:])
