"""How complete a candidacy is, part by part: the one rule behind the task list, the check page and submitting.

A part is "not started" while none of its fields is filled in, "in progress" while some are missing and "done" when
everything the call asks for to submit is there. The form's REQUIRED_TO_SUBMIT and this list name the same fields.
"""

from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Exists, OuterRef
from django.utils.formats import date_format, number_format
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from .models import Candidacy


class Status:
    NOT_STARTED = "not_started"
    IN_PROGRESS = "in_progress"
    DONE = "done"
    LATER = "later"

    LABELS = {
        NOT_STARTED: pgettext_lazy("task", "Not started yet"),
        IN_PROGRESS: pgettext_lazy("task", "In progress"),
        DONE: pgettext_lazy("task", "Done"),
        LATER: pgettext_lazy("task", "Later"),
    }


@dataclass(frozen=True)
class Part:
    key: str
    label: str
    required: tuple  # fields that must be filled in to submit
    optional: tuple = ()  # shown on the check page, never missing


# The parts of a candidacy, in the order of the form, the task list and the check page.
PARTS = [
    Part(
        "project",
        _("The project"),
        ("title", "summary", "approach", "expected_participants", "team", "contact_name", "contact_email"),
        ("contact_phone",),
    ),
    Part("challenges", _("Regional challenges and personas"), ("challenges", "personas")),
    Part("services", _("Services"), ("service_types", "municipalities"), ("service_points",)),
    Part("budget", _("Budget and duration"), ("budget", "budget_breakdown", "duration_months")),
    Part("collaboration", _("Collaboration"), ("collaboration",)),
]
ATTACHMENTS = "attachments"
PITCH = "pitch"
MULTIPLE = {"challenges", "personas", "service_types", "service_points", "municipalities"}


@dataclass
class PartState:
    key: str
    label: str
    status: str
    missing: list = field(default_factory=list)
    note: str = ""

    @property
    def status_label(self):
        return Status.LABELS[self.status]

    @property
    def done(self):
        return self.status in {Status.DONE, Status.LATER}


def _label(name):
    return Candidacy._meta.get_field(name).verbose_name


def _multiple_filled(candidacy):
    """Whether each field of several choices (challenges, personas, ...) holds one: one query, not one per field."""
    row = (
        Candidacy.objects.filter(pk=candidacy.pk)
        .values(
            **{
                f"has_{name}": Exists(getattr(Candidacy, name).through.objects.filter(candidacy=OuterRef("pk")))
                for name in sorted(MULTIPLE)
            }
        )
        .get()
    )
    return {name: row[f"has_{name}"] for name in MULTIPLE}


def _filled(candidacy, name, multiple):
    if name in MULTIPLE:
        return multiple[name]
    return getattr(candidacy, name) not in (None, "")


def _state(key, label, filled, missing):
    if not missing:
        status = Status.DONE
    elif filled:
        status = Status.IN_PROGRESS
    else:
        status = Status.NOT_STARTED
    return PartState(key, label, status, missing)


def part_states(candidacy, attachments=None):
    """Every part of the task list with its status and what is still missing (labels, in the form's order)."""
    states = []
    multiple = _multiple_filled(candidacy)
    for part in PARTS:
        filled = [name for name in part.required + part.optional if _filled(candidacy, name, multiple)]
        missing = [_label(name) for name in part.required if name not in filled]
        states.append(_state(part.key, part.label, filled, missing))
    attachments = list(candidacy.attachments.current() if attachments is None else attachments)
    states.append(_attachments_state(candidacy, attachments))
    pitch_days = ", ".join(date_format(day, "j F Y") for day in candidacy.call.pitch_dates)
    states.append(PartState(PITCH, _("Availability for the pitch"), Status.LATER, note=pitch_days))
    return states


def missing_documents(candidacy, attachments=None):
    """The names of the documents the call requires that are not attached yet."""
    attachments = candidacy.attachments.current() if attachments is None else attachments
    present = {attachment.requested_kind_id for attachment in attachments}
    return [kind.name for kind in candidacy.call.attachment_kinds.all() if kind.required and kind.pk not in present]


def _attachments_state(candidacy, attachments):
    """Done when every kind of document the call requires is there; with none required, any attachment is extra."""
    return _state(ATTACHMENTS, _("Attachments"), attachments, missing_documents(candidacy, attachments))


def is_complete(states):
    return all(state.done for state in states)


def submitted_sections(content):
    """A snapshot (services.snapshot, a CandidacyVersion's content) as the parts of the task list, each with its
    label and its fields as (label, value) pairs: the check page and the submitted version read the same data."""
    sections = []
    for part in PARTS:
        rows = []
        for name in part.required + part.optional:
            value = content.get(name)
            if name in MULTIPLE:
                value = list(value or [])
            elif name == "budget" and value not in (None, ""):
                value = "€ " + number_format(Decimal(value), decimal_pos=2, use_l10n=True, force_grouping=True)
            rows.append((_label(name), value, name in MULTIPLE))
        sections.append({"key": part.key, "label": part.label, "rows": rows})
    return sections
