"""The one state machine of a candidacy, and the log of the procedure ("Logboek").

`TABLE` says, for each move of `Candidacy.status`, from which states it may start and where it may end. `move` is
the only code that writes the status (tests/candidacies/test_transitions.py parses the sources to prove it): in one
transaction it locks the candidacy's row, re-reads its status, refuses with a Dutch `TransitionRefused` (nothing
written) when the move is not allowed from there, writes the status and the fields the move owns with a targeted
UPDATE, and writes a `ProcedureStep`. `record` writes a step that moves no state (an extension, a conflict, a slot,
a closed round); the jury's services call it. The guards of role, clock and round stay in the service that calls
`move` (candidacies/services.py, jury/); docs/procedure.md lists them all.
"""

from dataclasses import dataclass

from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from maasland.clock import BRUSSELS
from maasland.refusals import Refusal

from .models import Candidacy, ProcedureStep

Status = Candidacy.Status
Action = ProcedureStep.Action


class CandidacyError(Refusal):
    """A refused change to a candidacy."""


class TransitionRefused(CandidacyError):
    """The move is not allowed from the candidacy's current state."""


@dataclass(frozen=True)
class Move:
    sources: frozenset
    targets: frozenset
    label: str  # the move as a verb, for the refusal: "Intrekken kan niet: ..."


DECIDABLE = frozenset({Status.SUBMITTED, Status.SHORTLISTED, Status.PITCHED})
DECIDED = frozenset({Status.SELECTED, Status.NOT_SELECTED})

TABLE = {
    Action.SUBMIT: Move(
        frozenset({Status.DRAFT, Status.SUBMITTED}), frozenset({Status.SUBMITTED}), gettext_lazy("Submitting")
    ),
    Action.WITHDRAW: Move(
        frozenset({Status.DRAFT, Status.SUBMITTED}), frozenset({Status.WITHDRAWN}), gettext_lazy("Withdrawing")
    ),
    Action.MARK_INADMISSIBLE: Move(
        frozenset({Status.SUBMITTED}), frozenset({Status.INADMISSIBLE}), gettext_lazy("Declaring inadmissible")
    ),
    Action.SHORTLIST: Move(
        frozenset({Status.SUBMITTED}), frozenset({Status.SHORTLISTED}), gettext_lazy("Shortlisting for the pitches")
    ),
    Action.MARK_PITCHED: Move(
        frozenset({Status.SHORTLISTED}), frozenset({Status.PITCHED}), gettext_lazy("Marking as pitched")
    ),
    Action.SEND_DECISION: Move(DECIDABLE, DECIDED, gettext_lazy("Sending a decision")),
    Action.REVISE_DECISION: Move(DECIDED, DECIDED, gettext_lazy("Revising a decision")),
}


def status_text(status):
    return Status(status).label.lower() if status else ""


def moment_text(at):
    """An instant as the log shows it: Brussels wall-clock time, 19-06-2023 14:30."""
    return at.astimezone(BRUSSELS).strftime("%d-%m-%Y %H:%M")


def allowed(action, status):
    return status in TABLE[action].sources


def refusal(action, status):
    """Why the table refuses `action` from `status`, or None: the words `move` refuses with, for a page that asks
    before it moves (the admin's actions refuse at once instead of after the form)."""
    if allowed(action, status):
        return None
    return _("%(action)s is not possible: this candidacy is %(status)s.") % {
        "action": TABLE[action].label,
        "status": status_text(status),
    }


def move(candidacy, action, *, by, at, to=None, reason="", changes=None, history_reason=None):
    """Moves the candidacy by `action` (to `to`, when the move has more than one end) and returns the candidacy,
    with the written fields copied onto the caller's object.

    `changes(current)` gets the locked, freshly read row: it may refuse (raise a Refusal) after the table allowed
    the move, and returns the other fields the move writes. Only the status, those fields and `updated_at` are
    written, from the fresh row: what someone else changed since the caller loaded its copy stays.
    """
    rule = TABLE[action]
    target = to if to is not None else next(iter(rule.targets))
    if target not in rule.targets:
        raise TransitionRefused(
            _("%(action)s cannot end in “%(status)s”.") % {"action": rule.label, "status": status_text(target)}
        )
    with transaction.atomic():
        current = Candidacy.objects.select_for_update().get(pk=candidacy.pk)
        refused = refusal(action, current.status)
        if refused is not None:
            raise TransitionRefused(refused)
        values = changes(current) if changes is not None else {}
        source = current.status
        for name, value in values.items():
            setattr(current, name, value)
        current.status = target
        current._change_reason = history_reason or action.value
        current._history_user = by
        written = ["status", *values, "updated_at"]
        current.save(update_fields=written)
        _write(action, call_id=current.call_id, candidacy=current, by=by, at=at, reason=reason, source=source)
        for name in [*written, "lock_version", "_change_reason", "_history_user"]:
            setattr(candidacy, name, getattr(current, name))
    return candidacy


def _write(action, *, call_id, candidacy, by, at, reason, source=""):
    return ProcedureStep.objects.create(
        call_id=call_id,
        candidacy=candidacy,
        action=action,
        from_status=source,
        to_status=candidacy.status if candidacy is not None and source else "",
        by=by,
        at=at,
        reason=str(reason).strip(),
    )


def record(call, action, *, candidacy=None, by, at, reason=""):
    """Writes a step that moves no state into the log: of the candidacy, or (without one) of the call. `call` may
    be None when the candidacy is given."""
    if action in TABLE:
        raise ValueError(f"{action} moves a candidacy's state: use move()")
    call_id = call.pk if call is not None else candidacy.call_id
    return _write(action, call_id=call_id, candidacy=candidacy, by=by, at=at, reason=reason)


def started(candidacy, *, by, at):
    """The first line of a candidacy's log: the draft was started (its status is the model's default)."""
    return ProcedureStep.objects.create(
        call_id=candidacy.call_id,
        candidacy=candidacy,
        action=Action.START,
        to_status=candidacy.status,
        by=by,
        at=at,
    )
