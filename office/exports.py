"""The call manager's spreadsheets of a call's jury work: every score, the ranking of both rounds and the pitch
schedule (CSV or XLSX through maasland/spreadsheets.py), and the schedule as one .ics for the jury.

Each builder takes a fixed number of queries whatever the number of rows. The ranking is jury/ranking.py's, so the
figures are the ones the chair sees.
"""

from django.db.models import BooleanField, Case, Value, When
from django.utils import timezone
from django.utils.text import capfirst
from django.utils.translation import gettext

from candidacies.exports import candidacy_table, label
from candidacies.models import Candidacy
from jury import pitch_days, queries, ranking, roles
from jury.models import Criterion, PitchSlot, Round, Score, ScoreSheet
from maasland.clock import BRUSSELS
from maasland.spreadsheets import DATE, DECIMAL, INTEGER, MOMENT, Column, Table

# What each export is called in its file name, and the permission that lets a member of staff download it.
EXPORTS = {
    "kandidaturen": "candidacies.view_candidacy",
    "scores": "jury.view_score",
    "ranking": "jury.view_score",
    "pitchschema": "jury.view_pitchslot",
}
FORMATS = ["csv", "xlsx"]


def yes_no(value):
    return gettext("yes") if value else gettext("no")


# Scores: one row per juror × candidacy × criterion


def scores_table(call, hidden=frozenset()):
    """Every score of the call, drafts included, each marked with whether its sheet counts: staff sees it all, except
    a chair or deputy the candidacies they do not preside over (`hidden`, jury/roles.py)."""
    scores = (
        Score.objects.filter(sheet__jury_member__call=call, sheet__candidacy__call=call)
        .exclude(sheet__candidacy__in=hidden)
        .select_related("sheet__jury_member__user", "sheet__candidacy__organisation", "criterion")
        .annotate(
            conflicted=Case(
                When(queries.conflicted_sheet("sheet"), then=Value(True)),
                default=Value(False),
                output_field=BooleanField(),
            )
        )
        .order_by(
            Case(When(sheet__round=Round.WRITTEN, then=Value(0)), default=Value(1)),
            "sheet__candidacy__reference",
            "sheet__jury_member__user__full_name",
            "sheet__jury_member__user__email",
            "criterion__position",
            "criterion__pk",
        )
    )
    round_labels = dict(Round.choices)
    columns = [
        (Column(label(ScoreSheet, "round")), lambda s: str(round_labels[s.sheet.round])),
        (Column(capfirst(gettext("reference"))), lambda s: s.sheet.candidacy.reference or ""),
        (Column(capfirst(gettext("organisation"))), lambda s: s.sheet.candidacy.organisation.name),
        (Column(capfirst(gettext("title"))), lambda s: s.sheet.candidacy.title),
        (Column(label(ScoreSheet, "jury_member")), lambda s: s.sheet.jury_member.user.full_name),
        (Column(capfirst(gettext("e-mail address"))), lambda s: s.sheet.jury_member.user.email),
        (Column(label(Score, "criterion")), lambda s: s.criterion.name),
        (Column(label(Criterion, "weight"), DECIMAL), lambda s: s.criterion.weight),
        (Column(label(Criterion, "scale_min"), INTEGER), lambda s: s.criterion.scale_min),
        (Column(label(Criterion, "scale_max"), INTEGER), lambda s: s.criterion.scale_max),
        (Column(label(Score, "value"), INTEGER), lambda s: s.value),
        (Column(label(Score, "comment")), lambda s: s.comment),
        (Column(label(ScoreSheet, "submitted_at"), MOMENT), lambda s: s.sheet.submitted_at),
        (Column(capfirst(gettext("conflict of interest"))), lambda s: yes_no(s.conflicted)),
        (Column(capfirst(gettext("counts in the ranking"))), lambda s: yes_no(counts(s))),
    ]
    return Table(
        name=capfirst(gettext("scores")),
        columns=[column for column, _value in columns],
        rows=[[value(score) for _column, value in columns] for score in scores],
    )


def counts(score):
    """The rule of ranking.counted_sheets: a submitted sheet, no conflict, the candidacy still in the round."""
    sheet = score.sheet
    return (
        sheet.submitted_at is not None
        and not score.conflicted
        and sheet.candidacy.status in queries.ROUND_STATUSES[sheet.round]
        and score.value is not None
    )


# The ranking of both rounds


def ranking_table(call, hidden=frozenset()):
    """jury/ranking.py's rows for the written round, then the pitch round, without the `hidden` candidacies."""
    columns = [
        Column(label(ScoreSheet, "round")),
        Column(capfirst(gettext("Rank")), INTEGER),
        Column(capfirst(gettext("Reference"))),
        Column(capfirst(gettext("Organisation"))),
        Column(capfirst(gettext("Title"))),
        Column(gettext("Mean (0–100)"), DECIMAL, places=1),
        Column(gettext("Jurors counted"), INTEGER),
        Column(gettext("Spread (highest − lowest)"), DECIMAL, places=1),
        Column(gettext("Jurors disagree")),
        Column(gettext("Mean z-score"), DECIMAL, places=2),
        Column(gettext("Rank by z-score"), INTEGER),
        Column(gettext("Conflict reported after closing")),
    ]
    rows = []
    for round_value, round_label in Round.choices:
        for row in ranking.rank(call, round_value).without(hidden).rows:
            rows.append(
                [
                    str(round_label),
                    row.rank,
                    row.candidacy.reference or "",
                    row.candidacy.organisation.name,
                    row.candidacy.title,
                    row.mean,
                    row.jurors_counted,
                    row.spread,
                    gettext("yes") if row.disagreement else "",
                    row.z_mean,
                    row.z_rank,
                    gettext("yes") if row.late_conflict else "",
                ]
            )
    return Table(name=capfirst(gettext("ranking")), columns=columns, rows=rows)


# The pitch schedule


def schedule_slots(call):
    return (
        PitchSlot.objects.filter(call=call)
        .select_related("candidacy__organisation", "candidacy__call")
        .order_by("starts_at", "place", "pk")
    )


def schedule_table(call):
    """Every slot of the call in Brussels time, free ones included."""
    columns = [
        (Column(capfirst(gettext("day")), DATE), lambda s: timezone.localtime(s.starts_at, BRUSSELS).date()),
        (Column(label(PitchSlot, "starts_at"), MOMENT), lambda s: s.starts_at),
        (Column(label(PitchSlot, "ends_at"), MOMENT), lambda s: s.ends_at),
        (Column(label(PitchSlot, "place")), lambda s: s.place),
        (Column(label(PitchSlot, "video_link")), lambda s: s.video_link),
        (Column(capfirst(gettext("reference"))), lambda s: s.candidacy.reference if s.candidacy else ""),
        (Column(capfirst(gettext("organisation"))), lambda s: s.candidacy.organisation.name if s.candidacy else ""),
        (Column(capfirst(gettext("title"))), lambda s: s.candidacy.title if s.candidacy else ""),
        (Column(capfirst(gettext("contact person"))), lambda s: s.candidacy.contact_name if s.candidacy else ""),
        (Column(capfirst(gettext("contact e-mail"))), lambda s: s.candidacy.contact_email if s.candidacy else ""),
    ]
    return Table(
        name=capfirst(gettext("pitch schedule")),
        columns=[column for column, _value in columns],
        rows=[[value(slot) for _column, value in columns] for slot in schedule_slots(call)],
    )


def schedule_calendar(call, *, now):
    """Every filled slot of the call in one calendar the jury imports (jury/pitch_days.py builds it)."""
    return pitch_days.jury_calendar(
        schedule_slots(call).filter(candidacy__isnull=False),
        name=gettext("Pitches: %(call)s") % {"call": call},
        now=now,
    )


BUILDERS = {"scores": scores_table, "ranking": ranking_table, "pitchschema": schedule_table}


def table(call, what, user):
    if what == "kandidaturen":
        return candidacy_table(Candidacy.objects.filter(call=call))
    if what == "pitchschema":
        return schedule_table(call)
    return BUILDERS[what](call, roles.hidden_candidacies(user, call))


def may_export(user, what):
    return user.is_active and user.is_staff and user.has_perm(EXPORTS[what])
