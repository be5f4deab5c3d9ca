"""The roles in one place: who is a call manager, a juror, the chair or the deputy chair of a call, and the call
managers' group.

A call has one chair and at most one deputy (database constraints on JuryMember). The deputy acts as chair only for
the candidacies the chair has a conflict of interest with: records their decisions and sees their figures. A chair
or deputy with a conflict sees no figure of that candidacy anywhere (`hidden_candidacies`). Nobody appoints
themselves, and a call manager is never on a jury: the call managers' group runs every call, so a member of it
cannot be a juror of any (`appointment_refusal`, used by jury.invitations and the admin's forms).

The group holds exactly the permissions a member of staff needs to run a call in Django admin. Nothing on users,
groups or permissions, nothing of axes, sites, content types or the admin log: a call manager runs the call, she does
not manage who may log in. The data migrations jury/0005, 0006 and 0013 and the demo build the group from this list,
through `ensure_call_manager_group`.

The call manager predicate itself is written in `candidacies.permissions`, because intake (which comes before the
jury and never imports it) needs it too; jury code, views, admin and templates take it from here.
"""

from django.apps import apps as global_apps
from django.contrib.auth import get_user_model
from django.db.models import OuterRef
from django.utils.translation import gettext as _

from candidacies.models import Candidacy
from candidacies.permissions import is_call_manager
from maasland.refusals import Refusal

from .models import JuryMember
from .queries import conflict_exists

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


def presiding(call):
    """The chair and the deputy chair of a call (a call or its id) as a queryset of jury members."""
    return JuryMember.objects.filter(call=call, role__in=[JuryMember.Role.CHAIR, JuryMember.Role.DEPUTY])


def presiding_seat(user, call):
    """The user's seat as chair or deputy chair of this call's jury, or None."""
    if not user.is_authenticated:
        return None
    return presiding(call).filter(user=user).select_related("user", "call").first()


def can_see_ranking(user, call):
    return is_call_manager(user) or presiding_seat(user, call) is not None


def _conflicted(seat):
    return Candidacy.objects.filter(call_id=seat.call_id).filter(conflict_exists(seat, OuterRef("pk"))).values("pk")


def chair_conflicted(call):
    """The candidacies of the call the chair has a conflict with: the deputy's to preside over."""
    chair = chairs(call).first()
    return Candidacy.objects.none() if chair is None else Candidacy.objects.filter(pk__in=_conflicted(chair))


def presided_candidacies(seat):
    """The candidacies this chair or deputy presides over: the chair all but her conflicted ones, the deputy those
    of the chair's conflicts that are not his own."""
    of_call = Candidacy.objects.filter(call_id=seat.call_id)
    if seat.role == JuryMember.Role.CHAIR:
        return of_call.exclude(pk__in=_conflicted(seat))
    if seat.role == JuryMember.Role.DEPUTY:
        chair = chairs(seat.call_id).first()
        if chair is None:
            return of_call.none()
        return of_call.filter(pk__in=_conflicted(chair)).exclude(pk__in=_conflicted(seat))
    return of_call.none()


def hidden_candidacies(user, call, seat=None):
    """The pks of the call's candidacies whose figures (ranking, exports, letter previews) the user may not see: for a
    chair or deputy (`seat`, looked up when not given) those they do not preside over; for anyone else, none."""
    seat = seat or presiding_seat(user, call)
    if seat is None:
        return set()
    presided = presided_candidacies(seat).values("pk")
    return set(Candidacy.objects.filter(call=call).exclude(pk__in=presided).values_list("pk", flat=True))


def ranking_access(user, call):
    """None when the user may not see the call's ranking, else the candidacies hidden from them, in two queries."""
    seat = presiding_seat(user, call)
    if seat is not None:
        return hidden_candidacies(user, call, seat)
    return set() if is_call_manager(user) else None


# Appointing


class RoleRefused(Refusal):
    """An appointment or a change of role that the role rules refuse."""


def appointment_refusal(call, user, role, *, by, member=None):
    """Why `by` may not give `user` this role on the call's jury (`member` is the seat being changed), or None.
    `user` may be None for an address that has no account yet."""
    if user is not None and by.pk == user.pk:
        return RoleRefused(_("Nobody appoints themselves: another call manager does this."), field="email")
    if user is not None and is_call_manager(user):
        return RoleRefused(_("A call manager runs the call and cannot be on its jury."), field="email")
    taken = {
        JuryMember.Role.CHAIR: _("This call's jury has a chair already."),
        JuryMember.Role.DEPUTY: _("This call's jury has a deputy chair already."),
    }
    if role in taken:
        others = JuryMember.objects.filter(call=call, role=role)
        if member is not None and member.pk is not None:
            others = others.exclude(pk=member.pk)
        if others.exists():
            return RoleRefused(taken[role], field="role")
    return None


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
        # The log of the group mails (candidacies.group_mail), sent from the candidacy list.
        "groupmail": VIEW,
        "groupmailrecipient": VIEW,
    },
    "jury": {
        "jurymember": ALL,
        "conflict": ("view", "add", "delete"),
        # Added and removed through jury.assigning (who scores which written proposal in a large call).
        "assignment": ("view", "add", "delete"),
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
