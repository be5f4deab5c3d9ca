"""Who may do what in the jury: one predicate per question, shared by views, querysets and templates."""

from django.db.models import OuterRef

from candidacies.models import Candidacy
from candidacies.permissions import is_call_manager

from .models import JuryMember
from .queries import conflict_exists


def jury_member_for(user, call):
    if not user.is_authenticated:
        return None
    return JuryMember.objects.filter(call=call, user=user).select_related("user", "call").first()


def has_conflict(jury_member, candidacy):
    """The rule of queries.conflict_exists for one juror and one candidacy."""
    return Candidacy.objects.filter(pk=candidacy.pk).filter(conflict_exists(jury_member, OuterRef("pk"))).exists()


def is_chair(user, call):
    member = jury_member_for(user, call)
    return member is not None and member.is_chair


def can_see_ranking(user, call):
    return is_call_manager(user) or is_chair(user, call)


__all__ = ["can_see_ranking", "has_conflict", "is_call_manager", "is_chair", "jury_member_for"]
