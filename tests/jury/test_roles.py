"""The "Call managers" group: made by a data migration with exactly the role's permissions (jury/roles.py). A call
manager can run the call in admin, and cannot touch users, groups or her own rights."""

import datetime

import pytest
import time_machine
from django.contrib import admin
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from django.db.migrations import RunPython
from django.db.migrations.loader import MigrationLoader
from django.urls import reverse

from candidacies.models import Candidacy
from challenges.services import copy_call_shifted
from jury import roles, services
from jury.models import Decision, PitchSlot
from maasland.clock import BRUSSELS
from tests import factories

DELIBERATION = datetime.datetime(2023, 6, 26, 14, 0, tzinfo=BRUSSELS)
SENDING = datetime.datetime(2023, 7, 14, 10, 30, tzinfo=BRUSSELS)
LAST_GROUP_MIGRATION = "0014_call_manager_group_assignments"
FORBIDDEN_APPS = {"accounts", "auth", "axes", "sites", "contenttypes", "admin", "sessions"}


@pytest.fixture
def manager_client(client, manager):
    client.force_login(manager)
    return client


def group_keys(group):
    return set(group.permissions.values_list("content_type__app_label", "codename"))


def migration_function(settings):
    """The test databases are built from the models (pytest's --nomigrations): the loader is shown the migrations."""
    settings.MIGRATION_MODULES = {}
    loader = MigrationLoader(None, ignore_no_migrations=True)
    migration = loader.get_migration("jury", LAST_GROUP_MIGRATION)
    steps = [operation.code for operation in migration.operations if isinstance(operation, RunPython)]
    return loader, steps[-1]


# The group and its migration


def test_the_migration_makes_the_permissions_and_the_group_with_exactly_the_roles_permissions(db, settings):
    """As on a fresh database, where permissions are only made after all migrations: none exist yet."""
    Group.objects.filter(name=roles.CALL_MANAGER_GROUP).delete()
    Permission.objects.all().delete()
    loader, create_group = migration_function(settings)
    historical_apps = loader.project_state(("jury", LAST_GROUP_MIGRATION)).apps

    create_group(historical_apps, None)

    assert group_keys(Group.objects.get(name=roles.CALL_MANAGER_GROUP)) == roles.call_manager_permission_keys()


def test_every_permission_of_the_role_exists(db):
    existing = set(Permission.objects.values_list("content_type__app_label", "codename"))
    assert roles.call_manager_permission_keys() - existing == set()


def test_ensuring_the_group_twice_sets_back_exactly_the_roles_permissions(db):
    group = roles.ensure_call_manager_group()
    group.permissions.add(Permission.objects.get(content_type__app_label="accounts", codename="change_user"))

    again = roles.ensure_call_manager_group()

    assert (again.pk, group_keys(again)) == (group.pk, roles.call_manager_permission_keys())
    assert Group.objects.filter(name=roles.CALL_MANAGER_GROUP).count() == 1


def test_the_role_has_no_permission_on_users_groups_axes_sites_content_types_or_the_admin_log(db):
    group = roles.ensure_call_manager_group()
    apps = {app_label for app_label, _codename in group_keys(group)}
    assert apps & FORBIDDEN_APPS == set()


def test_the_demo_gives_its_call_manager_the_same_group(db):
    from demo.services import seed_accounts

    users = seed_accounts()

    manager = users["beheerder@demo.example"]
    assert list(manager.groups.values_list("name", flat=True)) == [roles.CALL_MANAGER_GROUP]
    assert group_keys(manager.groups.get()) == roles.call_manager_permission_keys()


# What a call manager can do


def test_a_call_manager_opens_the_list_of_every_model_her_role_may_view(manager_client):
    viewable = [
        model
        for model in admin.site._registry
        if (model._meta.app_label, f"view_{model._meta.model_name}") in roles.call_manager_permission_keys()
    ]
    statuses = {
        model._meta.label: manager_client.get(
            reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist")
        ).status_code
        for model in viewable
    }
    assert len(viewable) >= 20
    assert set(statuses.values()) == {200}


def test_the_admin_index_shows_the_call_manager_no_users_or_groups(manager_client):
    response = manager_client.get(reverse("admin:index"))
    apps = {app["app_label"] for app in response.context["app_list"]}
    assert apps == {"challenges", "candidacies", "mailtemplates", "jury"}


@time_machine.travel(datetime.datetime(2023, 6, 2, 9, 0, tzinfo=BRUSSELS), tick=False)
def test_a_call_manager_grants_an_extension_from_the_candidacy_list(manager_client, manager, candidacies):
    response = manager_client.post(
        reverse("admin:candidacies_candidacy_changelist"),
        {
            "action": "grant_extension",
            "_selected_action": [candidacies[0].pk],
            "apply_extension": "1",
            "until_date": "2023-06-05",
            "until_time": "12:00",
            "reason": "Server van de partner lag plat.",
        },
    )
    candidacies[0].refresh_from_db()
    assert response.status_code == 302
    assert (candidacies[0].extended_until, candidacies[0].extension_granted_by) == (
        datetime.datetime(2023, 6, 5, 12, 0, 59, tzinfo=BRUSSELS),
        manager,
    )


def test_a_call_manager_adds_a_pitch_slot(manager_client, maasland_call):
    response = manager_client.post(
        reverse("admin:jury_pitchslot_add"),
        {
            "call": maasland_call.pk,
            "starts_at_0": "19/06/2023",
            "starts_at_1": "09:00:00",
            "ends_at_0": "19/06/2023",
            "ends_at_1": "09:30:00",
            "place": "Raadzaal Maasmechelen",
            "video_link": "",
            "candidacy": "",
        },
    )
    assert response.status_code == 302
    slot = PitchSlot.objects.get()
    assert (slot.starts_at, slot.place) == (
        datetime.datetime(2023, 6, 19, 9, 0, tzinfo=BRUSSELS),
        "Raadzaal Maasmechelen",
    )


def test_a_call_manager_sends_a_decision_from_the_decision_list(
    manager_client, candidacies, chair, time_machine, mailoutbox, django_capture_on_commit_callbacks
):
    factories.rounds_closed(candidacies[0].call, chair, at=DELIBERATION)
    decision = services.record_decision(
        candidacies[0],
        outcome="selected",
        motivation="Sterk voorstel.",
        without_pitch_reason="Testgegevens zonder pitch.",
        by=chair.user,
        at=DELIBERATION,
    )
    time_machine.move_to(SENDING, tick=False)
    with django_capture_on_commit_callbacks(execute=True):
        manager_client.post(
            reverse("admin:jury_decision_changelist"),
            {"action": "send_decisions", "_selected_action": [decision.pk], "apply_send": "1"},
        )
    decision.refresh_from_db()
    assert (decision.communicated_at, decision.candidacy.status) == (SENDING, Candidacy.Status.SELECTED)
    assert len(mailoutbox) == 1


def test_a_call_manager_adds_and_changes_a_mail_text_for_her_call(manager_client, maasland_call):
    from mailtemplates.catalogue import KINDS
    from mailtemplates.models import MailTemplate
    from mailtemplates.rendering import default_text

    kind = next(key for key, spec in KINDS.items() if spec.per_call)
    subject, body = default_text(kind, language="nl-be")
    data = {"kind": kind, "call": maasland_call.pk, "subject": subject, "body": body}
    added = manager_client.post(reverse("admin:mailtemplates_mailtemplate_add"), data)
    template = MailTemplate.objects.get()
    changed = manager_client.post(
        reverse("admin:mailtemplates_mailtemplate_change", args=[template.pk]), {**data, "subject": "Nieuw onderwerp"}
    )
    template.refresh_from_db()
    assert (added.status_code, changed.status_code) == (302, 302)
    assert (template.call, template.subject) == (maasland_call, "Nieuw onderwerp")


# What a call manager cannot do


def test_a_call_manager_cannot_open_a_users_page(manager_client, manager):
    other = factories.user()
    for user in (other, manager):
        assert manager_client.get(reverse("admin:accounts_user_change", args=[user.pk])).status_code == 403
    assert manager_client.get(reverse("admin:accounts_user_changelist")).status_code == 403


def test_a_call_manager_cannot_add_a_user(manager_client):
    response = manager_client.post(
        reverse("admin:accounts_user_add"),
        {
            "email": "nieuw@example.org",
            "full_name": "Nieuw",
            "password1": "x-Long-pass-9",
            "password2": "x-Long-pass-9",
        },
    )
    assert response.status_code == 403
    assert not get_user_model().objects.filter(email="nieuw@example.org").exists()


def test_a_call_manager_cannot_open_groups(manager_client):
    assert manager_client.get(reverse("admin:auth_group_changelist")).status_code == 403
    group = Group.objects.get(name=roles.CALL_MANAGER_GROUP)
    assert manager_client.get(reverse("admin:auth_group_change", args=[group.pk])).status_code == 403


def test_a_call_manager_cannot_make_herself_superuser(manager_client, manager):
    response = manager_client.post(
        reverse("admin:accounts_user_change", args=[manager.pk]),
        {"email": manager.email, "is_active": "on", "is_staff": "on", "is_superuser": "on"},
    )
    manager.refresh_from_db()
    assert (response.status_code, manager.is_superuser) == (403, False)


def test_a_call_manager_cannot_delete_a_submitted_candidacy_or_a_decision(manager_client, candidacies, chair):
    decision = Decision.objects.create(
        candidacy=candidacies[0],
        outcome="selected",
        motivation="Goed.",
        recorded_by=chair.user,
        recorded_at=DELIBERATION,
    )
    candidacy_delete = reverse("admin:candidacies_candidacy_delete", args=[candidacies[1].pk])
    decision_delete = reverse("admin:jury_decision_delete", args=[decision.pk])
    assert [manager_client.post(url, {"post": "yes"}).status_code for url in (candidacy_delete, decision_delete)] == [
        403,
        403,
    ]
    assert (Candidacy.objects.count(), Decision.objects.count()) == (3, 1)


# Who is who (the predicates of jury/roles.py)


def test_the_chair_is_chair_and_juror_of_her_call_and_a_member_only_juror(chair, jurors):
    member = jurors[0]
    assert (roles.is_chair(chair.user, chair.call), roles.is_juror(chair.user, chair.call)) == (True, True)
    assert (roles.is_chair(member.user, member.call), roles.is_juror(member.user, member.call)) == (False, True)
    assert roles.chair_of(chair.user, chair.call_id) == chair


def test_a_juror_of_one_call_has_no_role_in_another(chair, maasland_call):
    other = copy_call_shifted(maasland_call, slug="andere-oproep", subtitle="Later", reference_prefix="LATER", days=365)
    assert (roles.is_chair(chair.user, other), roles.is_juror(chair.user, other), roles.chairs(other).count()) == (
        False,
        False,
        0,
    )


def test_an_anonymous_visitor_has_no_role(maasland_call, chair):
    from django.contrib.auth.models import AnonymousUser

    visitor = AnonymousUser()
    assert (
        roles.is_call_manager(visitor),
        roles.is_chair(visitor, maasland_call),
        roles.is_juror(visitor, maasland_call),
        roles.can_see_ranking(visitor, maasland_call),
    ) == (False, False, False, False)


def test_the_ranking_is_for_the_call_manager_and_the_chair_not_for_a_member(manager, chair, jurors, maasland_call):
    assert [roles.can_see_ranking(user, maasland_call) for user in (manager, chair.user, jurors[0].user)] == [
        True,
        True,
        False,
    ]


def test_the_call_managers_are_the_active_staff_of_the_group(manager):
    group = roles.ensure_call_manager_group()
    factories.user("oud@example.org", is_staff=True, is_active=False).groups.add(group)
    factories.user("geen-staff@example.org").groups.add(group)
    factories.user("andere-staff@example.org", is_staff=True)
    assert list(roles.call_managers().values_list("email", flat=True)) == ["beheerder@example.org"]
