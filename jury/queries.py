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


def conflicted_sheet(jurors, sheet_path=""):
    """A Q over score sheets (or over what `sheet_path` leads to one), true where the sheet's juror has a conflict
    with its candidacy: the same three kinds as `conflict_filter`. The KBO rule is per juror, so it is a Q per
    juror of the call (a jury is small)."""
    prefix = f"{sheet_path}__" if sheet_path else ""
    declared = Exists(
        Conflict.objects.filter(jury_member=OuterRef(f"{prefix}jury_member"), candidacy=OuterRef(f"{prefix}candidacy"))
    )
    member = Exists(
        Membership.objects.filter(
            user=OuterRef(f"{prefix}jury_member__user"), organisation=OuterRef(f"{prefix}candidacy__organisation")
        )
    )
    condition = Q(declared) | Q(member)
    for juror in jurors:
        numbers = juror.enterprise_number_list()
        if numbers:
            condition |= Q(
                **{f"{prefix}jury_member": juror.pk, f"{prefix}candidacy__organisation__enterprise_number__in": numbers}
            )
    return condition
