"""Who may do what in the jury: one predicate per question, shared by views, querysets and templates."""

from candidacies.permissions import is_call_manager

from .models import Conflict, JuryMember


def jury_member_for(user, call):
    if not user.is_authenticated:
        return None
    return JuryMember.objects.filter(call=call, user=user).select_related("user", "call").first()


def has_conflict(jury_member, candidacy):
    """Declared or set conflicts, plus the automatic ones: a member of the applying organisation, or its KBO
    number in the juror's profile."""
    organisation = candidacy.organisation
    return (
        Conflict.objects.filter(jury_member=jury_member, candidacy=candidacy).exists()
        or organisation.memberships.filter(user_id=jury_member.user_id).exists()
        or organisation.enterprise_number in jury_member.enterprise_number_list()
    )


def is_chair(user, call):
    member = jury_member_for(user, call)
    return member is not None and member.is_chair


def can_see_ranking(user, call):
    return is_call_manager(user) or is_chair(user, call)


__all__ = ["can_see_ranking", "has_conflict", "is_call_manager", "is_chair", "jury_member_for"]
