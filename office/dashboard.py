"""The call manager's start page in admin: per call, where the procedure stands and how far each part of the work is.

Every figure is counted in the database, in the same five queries whatever the number of calls, candidacies, jurors or
slots, and comes with the admin list filtered on exactly the rows it counts.
"""

import datetime
from dataclasses import dataclass, field
from urllib.parse import urlencode

from django.db.models import Count, Exists, IntegerField, OuterRef, Prefetch, Q, Subquery, Value
from django.db.models.functions import Coalesce, TruncDate
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from candidacies.models import Candidacy
from challenges.models import Call, PitchDay
from jury.models import Decision, JuryMember, PitchSlot, Round, ScoreSheet, Weerwoord
from jury.queries import ROUND_STATUSES, assignment_holds, conflict_exists
from jury.results import RoundResult, RoundResultConflict, RoundResultRow, RoundResultSheet
from maasland.clock import BRUSSELS


def changelist_url(model_name, **filters):
    """The admin list of a model with these filters, e.g. changelist_url("candidacies_candidacy", status__exact=…)."""
    return reverse(f"admin:{model_name}_changelist") + "?" + urlencode(filters)


@dataclass(frozen=True)
class Figure:
    """A count and the admin list that shows exactly the rows counted."""

    key: str
    label: str
    count: int
    url: str


@dataclass(frozen=True)
class RoundProgress:
    round: str
    label: str
    submitted: int  # assigned candidacies with the juror's submitted sheet of this round
    assigned: int  # candidacies of the call in this round the juror has no conflict with
    url: str  # the juror's submitted sheets of this round, of candidacies still in it


@dataclass(frozen=True)
class JurorProgress:
    juror: JuryMember
    rounds: list


@dataclass(frozen=True)
class SlotDay:
    """A pitch day (Brussels date) of the call: its slots and how many have a candidacy."""

    day: datetime.date
    filled: int
    total: int
    filled_url: str
    total_url: str


@dataclass(frozen=True)
class NextStep:
    """The first step of the timeline that has not ended yet, and whole days (Brussels) until its end."""

    label: str
    when: str
    ends_at: datetime.datetime
    days_left: int
    is_current: bool  # the step of today's phase: its end is the next date


@dataclass
class CallDashboard:
    call: Call
    phase: str
    phase_label: str
    timeline: list
    next_step: NextStep | None
    statuses: list = field(default_factory=list)
    jurors: list = field(default_factory=list)
    slot_days: list = field(default_factory=list)
    decisions: list = field(default_factory=list)

    @property
    def is_closed(self):
        return self.phase == Call.Phase.CLOSED

    @property
    def coverage_url(self):
        return reverse("office:coverage", args=[self.call.pk])

    @property
    def links(self):
        """What the call manager opens most, one click from the start page: the exports, each round's ranking, the
        coverage, the log of the procedure and the decision report (label, URL)."""
        return [
            (_("Exports"), reverse("office:exports", args=[self.call.pk])),
            *(
                (
                    _("Ranking: %(round)s") % {"round": round.label.lower()},
                    reverse("jury:ranking", args=[self.call.slug, round.value]),
                )
                for round in Round
            ),
            (_("Coverage of the region's needs"), self.coverage_url),
            (_("Log"), reverse("office:logbook", args=[self.call.pk])),
            (_("Decision report (PDF)"), reverse("jury:decision_report", args=[self.call.slug])),
        ]


# Queries


def _count(queryset):
    """A correlated COUNT(*) of `queryset`, 0 when it finds nothing."""
    counted = queryset.order_by().annotate(group=Value(1)).values("group").annotate(count=Count("*")).values("count")
    return Coalesce(Subquery(counted, output_field=IntegerField()), Value(0))


def _calls():
    """Every call with its candidacies counted per status and its decisions counted, in one query; the pitch days in
    a second."""
    per_status = {
        f"status_{status}": Count("candidacies", filter=Q(candidacies__status=status)) for status in Candidacy.Status
    }
    decisions = Decision.objects.filter(candidacy__call=OuterRef("pk"))
    return Call.objects.annotate(
        **per_status,
        decisions_recorded=_count(decisions),
        decisions_communicated=_count(decisions.filter(communicated_at__isnull=False)),
        weerwoorden_to_assess=_count(Weerwoord.objects.filter(decision__candidacy__call=OuterRef("pk"), assessment="")),
    ).prefetch_related(Prefetch("pitch_days", queryset=PitchDay.objects.order_by("date")))


def _assigned(round):
    """The candidacies of the outer juror's call in this round that the juror scores, without a conflict: the rules
    of queries.assigned_candidacies (assignment_holds, conflict_exists), correlated to the outer JuryMember so that
    one query counts for every juror."""
    return (
        Candidacy.objects.filter(call=OuterRef("call"), status__in=ROUND_STATUSES[round])
        .filter(assignment_holds(OuterRef(OuterRef("pk")), OuterRef("pk"), round))
        .exclude(conflict_exists(OuterRef(OuterRef("pk")), OuterRef("pk")))
    )


def _juror_counts(jurors):
    """{juror pk: {"written_assigned": count, "written_submitted": count, "pitch_…": …}} in one query."""
    if not jurors:
        return {}
    annotations = {}
    for round in Round:
        assigned = _assigned(round)
        submitted_sheet = ScoreSheet.objects.filter(
            jury_member=OuterRef(OuterRef("pk")), candidacy=OuterRef("pk"), round=round, submitted_at__isnull=False
        )
        annotations[f"{round}_assigned"] = _count(assigned)
        annotations[f"{round}_submitted"] = _count(assigned.filter(Exists(submitted_sheet)))
        annotations.update(_stored_counts(round))
    rows = JuryMember.objects.filter(pk__in=[juror.pk for juror in jurors]).annotate(**annotations)
    counts = {}
    for row in rows.values("pk", *annotations):
        for round in Round:
            if row[f"{round}_stored"]:
                row[f"{round}_assigned"] = row[f"{round}_stored_assigned"]
                row[f"{round}_submitted"] = row[f"{round}_stored_submitted"]
        counts[row["pk"]] = row
    return counts


def _stored_counts(round):
    """For a closed round, the outer juror's counts as the round's stored result has them (jury/results.py): the
    candidacies of the round without a conflict at closing, and the juror's sheets that counted."""
    stored = {"result__closure__call": OuterRef("call"), "result__closure__round": round}
    rows = (
        RoundResultRow.objects.filter(**stored)
        .filter(assignment_holds(OuterRef(OuterRef("pk")), OuterRef("candidacy"), round))
        .exclude(
            Exists(
                RoundResultConflict.objects.filter(
                    result=OuterRef("result"), jury_member=OuterRef(OuterRef("pk")), candidacy=OuterRef("candidacy")
                )
            )
        )
    )
    return {
        f"{round}_stored": Exists(RoundResult.objects.filter(closure__call=OuterRef("call"), closure__round=round)),
        f"{round}_stored_assigned": _count(rows),
        f"{round}_stored_submitted": _count(RoundResultSheet.objects.filter(**stored, jury_member=OuterRef("pk"))),
    }


def _slot_days(calls):
    """{(call pk, Brussels date): (filled, total)} in one query."""
    rows = (
        PitchSlot.objects.filter(call__in=[call.pk for call in calls])
        .annotate(day=TruncDate("starts_at", tzinfo=BRUSSELS))
        .order_by()
        .values("call", "day")
        .annotate(total=Count("pk"), filled=Count("candidacy"))
    )
    return {(row["call"], row["day"]): (row["filled"], row["total"]) for row in rows}


# The pieces of one call's dashboard


def next_step(call, at):
    """The first step that ends at or after `at`; None once the weerwoord window has closed."""
    today = timezone.localtime(at, BRUSSELS).date()
    for step in call.timeline(at):
        if step.end >= at:
            days_left = (timezone.localtime(step.end, BRUSSELS).date() - today).days
            return NextStep(
                label=step.label, when=step.when, ends_at=step.end, days_left=days_left, is_current=step.is_current
            )
    return None


def status_figures(call):
    return [
        Figure(
            key=status.value,
            label=status.label,
            count=getattr(call, f"status_{status.value}"),
            url=changelist_url("candidacies_candidacy", call__id__exact=call.pk, status__exact=status.value),
        )
        for status in Candidacy.Status
    ]


def decision_figures(call):
    return [
        Figure(
            key="recorded",
            label=_("Decisions recorded"),
            count=call.decisions_recorded,
            url=changelist_url("jury_decision", candidacy__call__id__exact=call.pk),
        ),
        Figure(
            key="communicated",
            label=_("Decisions communicated"),
            count=call.decisions_communicated,
            url=changelist_url("jury_decision", candidacy__call__id__exact=call.pk, communicated="yes"),
        ),
        Figure(
            key="weerwoorden_to_assess",
            label=_("Weerwoorden to assess"),
            count=call.weerwoorden_to_assess,
            url=changelist_url("jury_weerwoord", decision__candidacy__call__id__exact=call.pk, assessed="no"),
        ),
    ]


def juror_progress(juror, counts):
    rounds = []
    for round in Round:
        url = changelist_url(
            "jury_scoresheet",
            candidacy__call__id__exact=juror.call_id,
            jury_member__id__exact=juror.pk,
            round__exact=round.value,
            submitted="yes",
            candidacy__status__in=",".join(ROUND_STATUSES[round]),
        )
        rounds.append(
            RoundProgress(
                round=round.value,
                label=round.label,
                submitted=counts[f"{round}_submitted"],
                assigned=counts[f"{round}_assigned"],
                url=url,
            )
        )
    return JurorProgress(juror=juror, rounds=rounds)


def slot_days(call, counted):
    """The call's pitch days, and any other day that has slots, in date order."""
    days = sorted({day.date for day in call.pitch_days.all()} | {day for call_pk, day in counted if call_pk == call.pk})
    result = []
    for day in days:
        filled, total = counted.get((call.pk, day), (0, 0))
        total_url = changelist_url("jury_pitchslot", call__id__exact=call.pk, day=day.isoformat())
        result.append(
            SlotDay(
                day=day,
                filled=filled,
                total=total,
                filled_url=total_url + "&" + urlencode({"candidacy__isnull": "False"}),
                total_url=total_url,
            )
        )
    return result


def _order(dashboard):
    """Calls still running first, by deadline; closed ones after, the most recent first."""
    deadline = dashboard.call.deadline.timestamp()
    return (dashboard.is_closed, -deadline if dashboard.is_closed else deadline, dashboard.call.title)


def call_dashboards(at, calls=None):
    """One dashboard per call (every call, or the given queryset of calls), in five queries."""
    calls = list(_calls().filter(pk__in=calls.values("pk")) if calls is not None else _calls())
    if not calls:
        return []
    jurors = list(JuryMember.objects.filter(call__in=[call.pk for call in calls]).select_related("user"))
    juror_counts = _juror_counts(jurors)
    counted_slots = _slot_days(calls)
    dashboards = []
    for call in calls:
        phase = call.phase(at)
        dashboards.append(
            CallDashboard(
                call=call,
                phase=phase,
                phase_label=Call.Phase(phase).label,
                timeline=call.timeline(at),
                next_step=next_step(call, at),
                statuses=status_figures(call),
                jurors=[juror_progress(juror, juror_counts[juror.pk]) for juror in jurors if juror.call_id == call.pk],
                slot_days=slot_days(call, counted_slots),
                decisions=decision_figures(call),
            )
        )
    return sorted(dashboards, key=_order)
