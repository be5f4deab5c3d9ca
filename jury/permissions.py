"""Who may do what in the jury: one predicate per question, shared by views, querysets and templates. The roles
(call manager, juror, chair) are answered by jury/roles.py and re-exported here."""

from django.db.models import OuterRef

from candidacies.models import Candidacy

from .queries import conflict_exists
from .roles import can_see_ranking, is_call_manager, is_chair, jury_member_for


def has_conflict(jury_member, candidacy):
    """The rule of queries.conflict_exists for one juror and one candidacy."""
    return Candidacy.objects.filter(pk=candidacy.pk).filter(conflict_exists(jury_member, OuterRef("pk"))).exists()


__all__ = ["can_see_ranking", "has_conflict", "is_call_manager", "is_chair", "jury_member_for"]
