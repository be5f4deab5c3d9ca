"""Who may do what in the jury: one predicate per question, shared by views, querysets and templates. The roles
(call manager, juror, chair) are answered by jury/roles.py and re-exported here."""

from .models import Conflict
from .roles import can_see_ranking, is_call_manager, is_chair, jury_member_for


def has_conflict(jury_member, candidacy):
    """Declared or set conflicts, plus the automatic ones: a member of the applying organisation, or its KBO
    number in the juror's profile."""
    organisation = candidacy.organisation
    return (
        Conflict.objects.filter(jury_member=jury_member, candidacy=candidacy).exists()
        or organisation.memberships.filter(user_id=jury_member.user_id).exists()
        or organisation.enterprise_number in jury_member.enterprise_number_list()
    )


__all__ = ["can_see_ranking", "has_conflict", "is_call_manager", "is_chair", "jury_member_for"]
