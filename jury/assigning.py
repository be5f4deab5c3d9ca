"""Who scores which written proposal in a call that assigns its jurors (Call.jury_assignment "assigned").

The call manager runs `distribute` (admin action "Assign candidacies to the jury" on the jury members), then adjusts
with `add` and `remove` (the assignments' admin). Every conflict comes from the one rule, queries.conflict_exists
(through `queries.conflicts_of_call` and `permissions.has_conflict`); whom a juror scores is then decided by
`queries.assignment_holds`, which every list, sheet, count and ranking reads.
"""

from dataclasses import dataclass, field

from django.db import transaction
from django.utils.translation import gettext as _

from candidacies.models import Candidacy
from challenges.models import Call

from . import queries
from .models import Assignment, JuryMember, Round, ScoreSheet
from .permissions import has_conflict
from .roles import is_call_manager
from .services import JuryError, round_is_closed


@dataclass
class Shortfall:
    """A candidacy that cannot reach the call's number of jurors: too many of them have a conflict."""

    candidacy: Candidacy
    jurors: int
    needed: int


@dataclass
class Distribution:
    created: int = 0
    shortfalls: list = field(default_factory=list)


def _check(call, by):
    if not is_call_manager(by):
        raise JuryError(_("Only the call manager can do this."))
    if call.jury_assignment != Call.JuryAssignment.ASSIGNED:
        raise JuryError(
            _("In this call every juror without a conflict scores every candidacy: choose assigned jurors first.")
        )
    if round_is_closed(call, Round.WRITTEN):
        raise JuryError(_("The written round is closed: who scored what no longer changes."))


def plan(candidacies, jurors, needed, conflicts, existing):
    """The greedy distribution, without the database: each candidacy (fewest eligible jurors first) gets the
    least-loaded eligible jurors (ties in the order of `jurors`) until it has `needed`. `conflicts` and `existing`
    are sets of (candidacy pk, juror pk); existing pairs are kept and counted. Returns (new pairs, shortfalls as
    (candidacy pk, jurors it has))."""
    order = {juror: position for position, juror in enumerate(jurors)}
    kept = {(candidacy, juror) for candidacy, juror in existing if (candidacy, juror) not in conflicts}
    load = dict.fromkeys(jurors, 0)
    for _candidacy, juror in kept:
        if juror in load:
            load[juror] += 1
    eligible = {
        candidacy: [juror for juror in jurors if (candidacy, juror) not in conflicts] for candidacy in candidacies
    }
    new, shortfalls = [], []
    for candidacy in sorted(candidacies, key=lambda candidacy: len(eligible[candidacy])):  # stable: ties keep order
        has = {juror for juror in eligible[candidacy] if (candidacy, juror) in kept}
        free = sorted((juror for juror in eligible[candidacy] if juror not in has), key=lambda j: (load[j], order[j]))
        for juror in free[: max(needed - len(has), 0)]:
            new.append((candidacy, juror))
            has.add(juror)
            load[juror] += 1
        if len(has) < needed:
            shortfalls.append((candidacy, len(has)))
    return new, shortfalls


@transaction.atomic
def distribute(call, *, by, at):
    """Gives each candidacy of the written round at least `call.jurors_per_candidacy` jurors without a conflict,
    keeping every assignment made before and every sheet already started, the load balanced across the jurors.
    Five queries and one insert, whatever the size of the call."""
    call = Call.objects.select_for_update().get(pk=call.pk)
    _check(call, by)
    candidacies = {
        candidacy.pk: candidacy
        for candidacy in Candidacy.objects.filter(call=call, status__in=queries.ROUND_STATUSES[Round.WRITTEN])
        .select_related("organisation")
        .order_by("reference", "pk")
    }
    jurors = list(JuryMember.objects.filter(call=call).order_by("pk").values_list("pk", flat=True))
    conflicts = set(queries.conflicts_of_call(call))
    assigned = set(Assignment.objects.filter(jury_member__call=call).values_list("candidacy", "jury_member"))
    started = set(
        ScoreSheet.objects.filter(jury_member__call=call, round=Round.WRITTEN).values_list("candidacy", "jury_member")
    )
    new, shortfalls = plan(list(candidacies), jurors, call.jurors_per_candidacy, conflicts, assigned | started)
    rows = [(candidacy, juror) for candidacy, juror in (started - assigned) | set(new) if candidacy in candidacies]
    Assignment.objects.bulk_create(
        Assignment(candidacy_id=candidacy, jury_member_id=juror, created_by=by, created_at=at)
        for candidacy, juror in sorted(rows)
    )
    return Distribution(
        created=len(new),
        shortfalls=[
            Shortfall(candidacy=candidacies[pk], jurors=count, needed=call.jurors_per_candidacy)
            for pk, count in sorted(shortfalls, key=lambda item: candidacies[item[0]].reference or "")
        ],
    )


def shortfall_message(shortfall):
    return _("%(candidacy)s: only %(count)d of %(needed)d jurors without a conflict of interest.") % {
        "candidacy": shortfall.candidacy.reference or shortfall.candidacy.title,
        "count": shortfall.jurors,
        "needed": shortfall.needed,
    }


def add_refusal(jury_member, candidacy, *, by):
    """Why the manager may not assign this juror to this candidacy now, or None."""
    try:
        _check_add(jury_member, candidacy, by)
    except JuryError as refusal:
        return refusal
    return None


def _check_add(jury_member, candidacy, by):
    if candidacy.call_id != jury_member.call_id:
        raise JuryError(_("This juror is not on the jury of this candidacy's call."), field="candidacy")
    _check(jury_member.call, by)
    if candidacy.status not in queries.ROUND_STATUSES[Round.WRITTEN]:
        raise JuryError(_("Only a submitted candidacy is scored by the jury."), field="candidacy")
    if has_conflict(jury_member, candidacy):
        raise JuryError(_("This juror has a conflict of interest with this candidacy."), field="candidacy")
    if Assignment.objects.filter(jury_member=jury_member, candidacy=candidacy).exists():
        raise JuryError(_("This juror is already assigned to this candidacy."), field="candidacy")


@transaction.atomic
def add(jury_member, candidacy, *, by, at):
    """The manager assigns one more juror to a candidacy."""
    Call.objects.select_for_update().get(pk=jury_member.call_id)
    _check_add(jury_member, candidacy, by)
    return Assignment.objects.create(jury_member=jury_member, candidacy=candidacy, created_by=by, created_at=at)


@transaction.atomic
def remove(assignment, *, by, at):
    """The manager takes a candidacy from a juror, unless the juror has started its sheet."""
    call = Call.objects.select_for_update().get(pk=assignment.jury_member.call_id)
    _check(call, by)
    if ScoreSheet.objects.filter(
        jury_member=assignment.jury_member_id, candidacy=assignment.candidacy_id, round=Round.WRITTEN
    ).exists():
        raise JuryError(_("This juror has started the score sheet of this candidacy: the assignment stays."))
    assignment.delete()
