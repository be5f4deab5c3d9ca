"""The call manager's Django admin for the jury, one module per stage of the procedure: members and conflicts
(members.py), who scores which written proposal in a large call (assignments.py), criteria and score sheets
(scoring.py), pitch slots (pitches.py), decisions and letters (decisions.py), weerwoorden (weerwoord.py), and the
forms of their pages (forms.py).

Scores and decisions are written in the portal by jurors and the chair; here the manager sees them, sends the
decisions, and assesses the weerwoorden, always through the services that hold the rules. Importing this package
(Django's admin autodiscovery does) registers every page; a new page goes into the module of its stage.
"""

from .assignments import AssignmentAdmin
from .decisions import (
    CandidacyDecisionInline,
    CandidacyPitchSlotInline,
    DecisionAdmin,
    DecisionLetterAdmin,
)
from .forms import AssessmentForm, GenerateSlotsForm, JuryMemberAddForm, PitchSlotAdminForm, PlanForm, RevisionForm
from .members import ConflictAdmin, ConflictInline, JuryMemberAdmin
from .pitches import PitchSlotAdmin, UnavailabilityAdmin
from .scoring import CriterionAdmin, RoundClosureAdmin, ScoreAdmin, ScoreSheetAdmin
from .weerwoord import WeerwoordAdmin

__all__ = [
    "AssessmentForm",
    "AssignmentAdmin",
    "CandidacyDecisionInline",
    "CandidacyPitchSlotInline",
    "ConflictAdmin",
    "ConflictInline",
    "CriterionAdmin",
    "DecisionAdmin",
    "DecisionLetterAdmin",
    "GenerateSlotsForm",
    "JuryMemberAddForm",
    "JuryMemberAdmin",
    "PitchSlotAdmin",
    "PitchSlotAdminForm",
    "PlanForm",
    "RevisionForm",
    "RoundClosureAdmin",
    "ScoreAdmin",
    "ScoreSheetAdmin",
    "UnavailabilityAdmin",
    "WeerwoordAdmin",
]
