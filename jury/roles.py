"""The roles in one place: who is a call manager, a juror or the chair of a call, and the call managers' group.

The group holds exactly the permissions a member of staff needs to run a call in Django admin. Nothing on users,
groups or permissions, nothing of axes, sites, content types or the admin log: a call manager runs the call, she does
not manage who may log in. The data migrations jury/0005 and 0006 and the demo build the group from this list,
through `ensure_call_manager_group`.

The call manager predicate itself is written in `candidacies.permissions`, because intake (which comes before the
jury and never imports it) needs it too; jury code, views, admin and templates take it from here.
"""

from django.apps import apps as global_apps
from django.contrib.auth import get_user_model

from candidacies.permissions import is_call_manager

from .models import JuryMember

CALL_MANAGER_GROUP = "Call managers"


# Who is who


def call_managers():
    """The users the portal mails as call managers: active staff in the call managers' group."""
    return get_user_model().objects.filter(groups__name=CALL_MANAGER_GROUP, is_staff=True, is_active=True)


def chairs(call):
    """The chair(s) of a call (a call or its id) as a queryset of jury members."""
    return JuryMember.objects.filter(call=call, role=JuryMember.Role.CHAIR)


def jury_member_for(user, call):
    """The user's seat in this call's jury, or None."""
    if not user.is_authenticated:
        return None
    return JuryMember.objects.filter(call=call, user=user).select_related("user", "call").first()


def chair_of(user, call):
    """The user's seat as chair of this call's jury (a call or its id), or None."""
    if not user.is_authenticated:
        return None
    return chairs(call).filter(user=user).select_related("user", "call").first()


def is_juror(user, call):
    """A member or the chair of this call's jury."""
    return jury_member_for(user, call) is not None


def is_chair(user, call):
    return chair_of(user, call) is not None


def can_see_ranking(user, call):
    return is_call_manager(user) or is_chair(user, call)


# The call managers' group

VIEW = ("view",)
VIEW_CHANGE = ("view", "change")
VIEW_ADD_CHANGE = ("view", "add", "change")
ALL = ("view", "add", "change", "delete")

CALL_MANAGER_PERMISSIONS = {
    "challenges": {
        # The addendum's structure is fixed; its texts and dates are the manager's to keep right.
        "region": VIEW,
        "municipality": VIEW,
        "call": VIEW_CHANGE,
        "pitchday": ALL,
        "callnote": ALL,
        "persona": VIEW_CHANGE,
        "challenge": VIEW_CHANGE,
        "servicetype": VIEW_CHANGE,
        "servicetypepoint": VIEW_CHANGE,
    },
    "candidacies": {
        "organisation": VIEW_CHANGE,
        "membership": VIEW,
        "invitation": ("view", "delete"),
        # Extensions, inadmissible, shortlist and pitched are changes made through the candidacy's actions; only a
        # draft can be deleted (CandidacyAdmin).
        "candidacy": ("view", "change", "delete"),
        "attachment": VIEW,
        "candidacyversion": VIEW,
    },
    "jury": {
        "jurymember": ALL,
        "conflict": ("view", "add", "delete"),
        "criterion": ALL,
        "roundclosure": VIEW,
        "scoresheet": VIEW,
        "score": VIEW,
        "pitchslot": ALL,
        "unavailability": VIEW,
        # Sending a decision and assessing a weerwoord are changes, made through jury.communication.
        "decision": VIEW_CHANGE,
        "decisionletter": VIEW,
        "weerwoord": VIEW_CHANGE,
        "remindersent": VIEW,
    },
    "mailtemplates": {
        # The texts of the portal's e-mails, per call; checked when saved.
        "mailtemplate": VIEW_ADD_CHANGE,
    },
}


def call_manager_permission_keys():
    """The role's permissions as (app label, codename) pairs."""
    return {
        (app_label, f"{action}_{model}")
        for app_label, models in CALL_MANAGER_PERMISSIONS.items()
        for model, actions in models.items()
        for action in actions
    }


def ensure_call_manager_group(apps=global_apps):
    """Creates the group, or sets its permissions back to exactly the role's; `apps` is a migration's historical
    registry or the running one. A permission whose model is not installed yet is left out."""
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    keys = call_manager_permission_keys()
    candidates = Permission.objects.filter(
        content_type__app_label__in={app_label for app_label, _codename in keys},
        codename__in={codename for _app_label, codename in keys},
    ).select_related("content_type")
    group, _created = Group.objects.get_or_create(name=CALL_MANAGER_GROUP)
    group.permissions.set(
        [permission for permission in candidates if (permission.content_type.app_label, permission.codename) in keys]
    )
    return group


def migrate_call_manager_group(apps, schema_editor):
    """A data migration's step: on a fresh database the permissions only appear after all migrations
    (post_migrate), so they are made first, for every app the migration's state knows."""
    from django.contrib.auth.management import create_permissions

    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None
    ensure_call_manager_group(apps)
