"""Querysets of the jury: what a juror is assigned, without conflicts, in a fixed number of queries."""

from django.db.models import Exists, OuterRef, Q

from candidacies.models import Candidacy, Membership

from .models import Conflict, Round

ROUND_STATUSES = {
    Round.WRITTEN: [
        Candidacy.Status.SUBMITTED,
        Candidacy.Status.SHORTLISTED,
        Candidacy.Status.PITCHED,
        Candidacy.Status.SELECTED,
        Candidacy.Status.NOT_SELECTED,
    ],
    Round.PITCH: [
        Candidacy.Status.SHORTLISTED,
        Candidacy.Status.PITCHED,
        Candidacy.Status.SELECTED,
        Candidacy.Status.NOT_SELECTED,
    ],
}


def conflict_filter(jury_member, candidacy_path=""):
    """A Q that is true where the juror has a conflict with the candidacy at `candidacy_path` ('' for Candidacy)."""
    prefix = f"{candidacy_path}__" if candidacy_path else ""
    outer = OuterRef(f"{prefix}pk" if prefix else "pk")
    outer_organisation = OuterRef(f"{prefix}organisation_id")
    declared = Exists(Conflict.objects.filter(jury_member=jury_member, candidacy=outer))
    member = Exists(Membership.objects.filter(user_id=jury_member.user_id, organisation=outer_organisation))
    numbers = jury_member.enterprise_number_list()
    return declared | member | Q(**{f"{prefix}organisation__enterprise_number__in": numbers})


def assigned_candidacies(jury_member, round):
    """The candidacies of the juror's call in this round that the juror has no conflict with."""
    return (
        Candidacy.objects.filter(call_id=jury_member.call_id, status__in=ROUND_STATUSES[round])
        .exclude(conflict_filter(jury_member))
        .select_related("organisation", "call")
        .order_by("reference")
    )


def conflicted_candidacies(jury_member):
    return Candidacy.objects.filter(call_id=jury_member.call_id).filter(conflict_filter(jury_member))
