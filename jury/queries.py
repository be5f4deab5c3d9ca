"""Querysets of the jury: what a juror is assigned, without conflicts, in a fixed number of queries."""

from django.db.models import Exists, OuterRef, Q, Subquery

from candidacies.models import Candidacy, Membership, Organisation, ProcedureStep
from challenges.models import Call

from .models import (
    Assignment,
    Conflict,
    JuryMember,
    JuryMemberEnterpriseNumber,
    PitchSlot,
    Round,
    RoundClosure,
    ScoreSheet,
)

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


def conflict_exists(jury_member, candidacy):
    """The conflict rule, once: true where the juror has a conflict of interest with the candidacy. Declared by the
    juror or set by the manager (Conflict), the juror a member of the applying organisation, or the organisation's
    KBO number in the juror's profile.

    Each argument is an object, a pk, or an OuterRef to one in the query this expression filters: a single juror
    against a candidacy column, a juror column against a candidacy, or a sheet's own juror and candidacy.

    The juror's user and the candidacy's organisation and KBO number are compared as values (`_value_of`), not
    joined: a join of membership, organisation, candidacy, user and jury member inside these EXISTS cost
    PostgreSQL's planner ten times the rest of the query on every page that asks."""
    declared = Conflict.objects.filter(jury_member=jury_member, candidacy=candidacy)
    member = Membership.objects.filter(
        user_id=_value_of(JuryMember, "user_id", jury_member),
        organisation_id=_value_of(Candidacy, "organisation_id", candidacy),
    )
    by_number = JuryMemberEnterpriseNumber.objects.filter(
        jury_member=jury_member,
        organisation_id=Subquery(
            Organisation.objects.filter(candidacies=_one_level_deeper(candidacy)).values("enterprise_number")[:1]
        ),
    )
    return Q(Exists(declared)) | Q(Exists(member)) | Q(Exists(by_number))


def _value_of(model, column, value):
    """`column` of an object of `model` as it is, or of a pk or an OuterRef as a subquery."""
    if isinstance(value, model):
        return getattr(value, column)
    return Subquery(model.objects.filter(pk=_one_level_deeper(value)).values(column)[:1])


def _one_level_deeper(value):
    """An object, a pk, or an OuterRef that still points at the same query from a subquery one level deeper."""
    return OuterRef(value) if isinstance(value, OuterRef) else value


def assignment_holds(jury_member, candidacy, round):
    """The assignment rule, once: true where the juror is to score the candidacy in this round, conflicts aside.
    In the pitch round, and in a call whose every juror scores everything (Call.jury_assignment), always; in the
    written round of a call that assigns its jurors, where an Assignment joins them or the juror has started a sheet
    (a started sheet keeps its juror). Arguments as for `conflict_exists`; only ever used to narrow (AND), never
    OR-ed: for the pitch round it is the empty Q."""
    if round != Round.WRITTEN:
        return Q()
    every = Call.objects.filter(candidacies=candidacy, jury_assignment=Call.JuryAssignment.EVERY_JUROR)
    assigned = Assignment.objects.filter(jury_member=jury_member, candidacy=candidacy)
    started = ScoreSheet.objects.filter(jury_member=jury_member, candidacy=candidacy, round=round)
    return Q(Exists(every)) | Q(Exists(assigned)) | Q(Exists(started))


def round_closure(call, round):
    """The chair's closure of the call's round, if it is closed (a call, its pk or an OuterRef to one)."""
    return RoundClosure.objects.filter(call=call, round=round)


def assigned_candidacies(jury_member, round):
    """The candidacies of the juror's call in this round that the juror scores (`assignment_holds`) and has no
    conflict with: the juror's list, the sheets they may open, the dashboard's counts and the outstanding sheets."""
    return (
        Candidacy.objects.filter(call_id=jury_member.call_id, status__in=ROUND_STATUSES[round])
        .filter(assignment_holds(jury_member, OuterRef("pk"), round))
        .exclude(conflict_exists(jury_member, OuterRef("pk")))
        .select_related("organisation", "call")
        .order_by("reference")
    )


def conflicted_candidacies(jury_member):
    """The candidacies of the juror's call the juror may not see or judge."""
    return Candidacy.objects.filter(call_id=jury_member.call_id).filter(conflict_exists(jury_member, OuterRef("pk")))


def conflicted_sheet(sheet_path=""):
    """True where a score sheet (or what `sheet_path` leads to one) was written by a juror with a conflict with its
    candidacy: such a sheet counts nowhere and is shown to no colleague."""
    prefix = f"{sheet_path}__" if sheet_path else ""
    return conflict_exists(OuterRef(f"{prefix}jury_member"), OuterRef(f"{prefix}candidacy"))


def conflicts_of_call(call):
    """(candidacy pk, jury member pk) for every conflict of interest in the call as it is now, in one query: each
    candidacy of the call against each juror of its jury, by the one rule (`conflict_exists`)."""
    return (
        Candidacy.objects.filter(call=call)
        .filter(conflict_exists(OuterRef("call__jury_members"), OuterRef("pk")))
        .values_list("pk", "call__jury_members")
        .order_by()
        .distinct()
    )


def conflicted_slot_jurors(slots):
    """The pairs (slot pk, juror pk) among these slots where a juror of the slot's call has a conflict with the
    candidacy in it: the jurors absent from that pitch. One query, whatever the number of slots and jurors."""
    return (
        slots.filter(candidacy__isnull=False)
        .filter(conflict_exists(OuterRef("call__jury_members"), OuterRef("candidacy")))
        .order_by()
        .values_list("pk", "call__jury_members")
    )


def pitch_slots_of_juror(memberships):
    """The filled pitch slots of the calls of these jury seats, without those of a candidacy the seat's juror has
    a conflict with: what a juror's calendar shows."""
    if not memberships:
        return PitchSlot.objects.none()
    seen = Q()
    for member in memberships:
        seen |= Q(call_id=member.call_id) & ~conflict_exists(member, OuterRef("candidacy"))
    return PitchSlot.objects.filter(candidacy__isnull=False).filter(seen)


def withdrawn_conflicts(call):
    """The Logboek's steps where a juror withdrew a conflict of interest in this call, newest first, for the chair."""
    return (
        ProcedureStep.objects.filter(call=call, action=ProcedureStep.Action.WITHDRAW_CONFLICT)
        .select_related("candidacy", "by")
        .order_by("-at", "-pk")
    )
