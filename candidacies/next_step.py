"""What an applicant does or waits for next, and when: the one rule behind the "next step" of "Mijn kandidaturen".

The pitch slot and the decision belong to the jury app, which this app may not import: they are read through their
reverse relations (`pitch_slot`, `decision`), which candidacies.queries.candidacies_of_member selects in the same
query.
"""

from dataclasses import dataclass

from django.core.exceptions import ObjectDoesNotExist
from django.utils.translation import gettext_lazy as _

from .models import Candidacy


@dataclass(frozen=True)
class NextStep:
    label: str
    moment: object = None  # a datetime or a date, or None when there is nothing to wait for
    is_date = False

    def __post_init__(self):
        object.__setattr__(self, "is_date", self.moment is not None and not hasattr(self.moment, "hour"))


def _related(candidacy, name):
    try:
        return getattr(candidacy, name)
    except ObjectDoesNotExist:
        return None


def next_step(candidacy, at):
    status = candidacy.status
    call = candidacy.call
    Status = Candidacy.Status
    if status == Status.DRAFT:
        if candidacy.accepts_changes(at):
            return NextStep(_("Submit before the deadline"), candidacy.deadline())
        return NextStep(_("Not submitted before the deadline"))
    if status == Status.SUBMITTED:
        if candidacy.accepts_changes(at) and candidacy.changed_since_submission:
            return NextStep(_("Submit your changes again before the deadline"), candidacy.deadline())
        if candidacy.accepts_changes(at):
            return NextStep(_("Submitted; you can change it until the deadline"), candidacy.deadline())
        return NextStep(_("The jury assesses the written proposals until"), call.assessment_ends_on)
    if status == Status.SHORTLISTED:
        slot = _related(candidacy, "pitch_slot")
        if slot is not None:
            return NextStep(_("Your pitch"), slot.starts_at)
        return NextStep(_("Invited to pitch: tell us when you cannot come"))
    decision = _related(candidacy, "decision")
    if status == Status.PITCHED or decision is None or decision.communicated_at is None:
        if status in {Status.WITHDRAWN, Status.INADMISSIBLE}:
            return NextStep(_("No next step"))
        return NextStep(_("The decision is communicated before"), call.decisions_before)
    if decision.accepts_weerwoord(at):  # jury.Decision's own rule of the weerwoord window
        return NextStep(_("Read the decision; a weerwoord is possible until"), decision.weerwoord_deadline())
    return NextStep(_("The procedure is over"))
