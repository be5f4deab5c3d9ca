"""The ranking of a call's round, computed in the database in a fixed number of queries.

A juror's total for a candidacy is the total stored on their sheet (jury/scoring.py: Σ (score − lowest) /
(highest − lowest) × weight / Σ weight × 100 over the round's criteria, a figure from 0 to 100). Only submitted
sheets of jurors without a conflict count. A candidacy's mean is the average of those totals; ties share a rank.
The z-score of a total is (total − the juror's mean) / the juror's standard deviation over the candidacies they
scored in the round, so that a strict and a lenient juror weigh the same.

The decision letters take their place and their averages per criterion from here too (`letter_place`,
`criterion_averages`), so that a letter never tells a figure the ranking does not show.

A closed round is frozen: closing it stores its ranking, its counted sheets and the conflicts as they were
(`freeze`, models in jury/results.py), and from then on `rank`, the letters and the dashboard read what was stored.
A conflict that appears later changes nothing; it flags the candidacy's row (`late_conflicts`).
"""

from dataclasses import dataclass, field

from django.db.models import Case, Count, Exists, F, FloatField, Func, OuterRef, Q, Sum, Value, When, Window
from django.db.models.functions import Cast, Greatest, Rank, Round, Sqrt
from django.db.models.lookups import GreaterThan

from candidacies.models import Candidacy

from . import queries
from .models import JuryMember, Score, ScoreSheet
from .models import Round as ScoringRound
from .queries import ROUND_STATUSES
from .results import RoundResult, RoundResultConflict, RoundResultRow, RoundResultSheet

DISAGREEMENT_THRESHOLD = 25
"""Points (of 100) between the most and the least favourable juror above which a candidacy is flagged."""

TIE_PRECISION = 6
"""Means and spreads are compared at this many decimals, so that floating-point noise never breaks a tie or
raises a flag."""

MINIMUM_VARIANCE = 1e-9
"""Below this a juror's totals are all equal and what is left is rounding noise: their z-scores are 0."""


def exceeds(figure, threshold):
    return round(figure, TIE_PRECISION) > threshold


class WindowAggregate(Func):
    """An aggregate over a window, e.g. AVG(total) OVER (PARTITION BY …), that later expressions reuse."""

    window_compatible = True
    output_field = FloatField()


class WindowAvg(WindowAggregate):
    function = "AVG"


class WindowMax(WindowAggregate):
    function = "MAX"


class WindowMin(WindowAggregate):
    function = "MIN"


class WindowCount(WindowAggregate):
    function = "COUNT"


class OverWindows(Func):
    """An expression of window results. It adds nothing to GROUP BY: its windows are computed after grouping, and
    Django would otherwise group by it (and SQL refuses windows there)."""

    template = "%(expressions)s"
    output_field = FloatField()
    contains_aggregate = False

    def get_group_by_cols(self):
        return []


def _float(expression):
    return Cast(expression, FloatField())


def counted_sheets(call, round):
    """Submitted sheets of the round, of candidacies still in it, by jurors of the call without a conflict."""
    return ScoreSheet.objects.filter(
        round=round,
        submitted_at__isnull=False,
        jury_member__call=call,
        candidacy__call=call,
        candidacy__status__in=ROUND_STATUSES[round],
    ).exclude(queries.conflicted_sheet())


def counted_totals(call, round):
    """The counted sheets that have a total (a sheet without any score has none)."""
    return counted_sheets(call, round).filter(total__isnull=False)


def sheet_totals(call, round):
    """One row per counted sheet: its stored total, its z-score and the figures behind it, and the candidacy's
    highest and lowest total.

    The juror's mean and deviation, and the candidacy's highest and lowest, are windows over the sheets. A juror
    whose totals are all equal (or who scored one candidacy) has no deviation: their z-scores are 0.
    """
    per_juror = {"partition_by": [F("jury_member")]}
    per_candidacy = {"partition_by": [F("candidacy")]}
    return (
        counted_totals(call, round)
        .annotate(
            juror_mean=Window(WindowAvg(F("total")), **per_juror),
            juror_mean_square=Window(WindowAvg(F("total") * F("total")), **per_juror),
            juror_sheets=Window(WindowCount(Value(1)), **per_juror),
            highest=Window(WindowMax(F("total")), **per_candidacy),
            lowest=Window(WindowMin(F("total")), **per_candidacy),
        )
        # The sample variance from the moments, (E[t²] − E[t]²) × n / (n − 1): SQLite has no STDDEV_SAMP window.
        .annotate(
            juror_variance=OverWindows(
                Case(
                    When(
                        GreaterThan(F("juror_sheets"), 1),
                        then=Greatest(F("juror_mean_square") - F("juror_mean") * F("juror_mean"), Value(0.0))
                        * F("juror_sheets")
                        / (F("juror_sheets") - 1.0),
                    ),
                    default=Value(0.0),
                )
            )
        )
        .annotate(
            juror_inverse=OverWindows(
                Case(
                    When(GreaterThan(F("juror_variance"), MINIMUM_VARIANCE), then=1.0 / Sqrt(F("juror_variance"))),
                    default=Value(0.0),
                )
            )
        )
        .annotate(
            juror_offset=OverWindows(F("juror_mean") * F("juror_inverse")),
            z=OverWindows((F("total") - F("juror_mean")) * F("juror_inverse")),
        )
        .order_by("candidacy", "jury_member__user__full_name", "jury_member__user__email")
        .values("pk", "candidacy", "jury_member", "total", "z", "highest", "lowest", "juror_inverse", "juror_offset")
    )


def z_score_sum(statistics):
    """Σ over sheets of (total − the juror's mean) / the juror's deviation, as total × 1/σ − μ/σ with each juror's
    1/σ and μ/σ (`statistics`) as constants. So a candidacy's mean z-score is a sum over its sheets, which one
    GROUP BY can make, like its mean."""
    spread_out = {juror: figures for juror, figures in statistics.items() if figures[0]}
    if not spread_out:
        return Sum(Value(0.0))
    inverse = Case(
        *[When(jury_member=juror, then=Value(inverse)) for juror, (inverse, _offset) in spread_out.items()],
        default=Value(0.0),
        output_field=FloatField(),
    )
    offset = Case(
        *[When(jury_member=juror, then=Value(offset)) for juror, (_inverse, offset) in spread_out.items()],
        default=Value(0.0),
        output_field=FloatField(),
    )
    return Sum(F("total") * inverse - offset)


def candidacy_figures(call, round, statistics):
    """One row per candidacy with counted sheets: mean, jurors counted, mean z-score and both ranks."""
    by_mean = F("mean_key").desc(nulls_last=True)
    by_z_score = F("z_key").desc(nulls_last=True)
    return (
        counted_totals(call, round)
        .values("candidacy")
        .annotate(total_sum=Sum("total"), z_sum=z_score_sum(statistics), jurors_counted=Count("pk"))
        .annotate(mean=F("total_sum") / _float("jurors_counted"), z_mean=F("z_sum") / _float("jurors_counted"))
        .annotate(mean_key=Round("mean", TIE_PRECISION), z_key=Round("z_mean", TIE_PRECISION))
        .annotate(
            rank=Window(Rank(), order_by=by_mean),
            rank_size=Window(WindowCount(Value(1)), partition_by=[F("mean_key")]),
            z_rank=Window(Rank(), order_by=by_z_score),
            z_rank_size=Window(WindowCount(Value(1)), partition_by=[F("z_key")]),
        )
        .order_by(by_mean, "candidacy")
    )


@dataclass
class JurorTotal:
    juror: JuryMember
    total: float
    z_score: float
    sheet_id: int | None = None


@dataclass
class RankedCandidacy:
    candidacy: Candidacy
    mean: float | None = None
    jurors_counted: int = 0
    spread: float | None = None
    disagreement: bool = False
    rank: int | None = None
    rank_shared: bool = False
    z_mean: float | None = None
    z_rank: int | None = None
    z_rank_shared: bool = False
    totals: list = field(default_factory=list)
    late_conflict: bool = False  # a conflict appeared after the round was closed: shown, never counted


@dataclass
class Ranking:
    call: object
    round: str
    rows: list
    threshold: float = DISAGREEMENT_THRESHOLD
    result: RoundResult | None = None  # the stored result of a closed round, None while the round is open

    def without(self, candidacy_pks):
        """The same ranking without these candidacies' rows (what a conflicted chair may not see, jury/roles.py)."""
        if not candidacy_pks:
            return self
        rows = [row for row in self.rows if row.candidacy.pk not in candidacy_pks]
        return Ranking(call=self.call, round=self.round, rows=rows, threshold=self.threshold, result=self.result)

    @property
    def rows_by_z_score(self):
        """The same candidacies in the order of their mean z-score (unranked ones last)."""
        return sorted(self.rows, key=lambda row: (row.z_rank is None, row.z_rank or 0))


def rank(call, round):
    """The ranking of one round: the stored one once the round is closed (four queries), else computed live (five)."""
    result = stored_result(call, round)
    if result is None:
        return compute(call, round)
    return stored_ranking(call, result)


def compute(call, round):
    """The whole ranking of one round from the live sheets in four queries, whatever the number of candidacies or
    jurors: the jurors, the totals per sheet (with each juror's mean and deviation), the figures and ranks per
    candidacy (with the jurors' figures as constants), and the candidacies themselves."""
    jurors = {juror.pk: juror for juror in JuryMember.objects.filter(call=call).select_related("user")}
    totals = list(sheet_totals(call, round))
    statistics = {sheet["jury_member"]: (sheet["juror_inverse"], sheet["juror_offset"]) for sheet in totals}
    figures = list(candidacy_figures(call, round, statistics))
    candidacies = (
        Candidacy.objects.filter(call=call, status__in=ROUND_STATUSES[round])
        .select_related("organisation")
        .order_by("reference", "pk")
    )
    rows = {candidacy.pk: RankedCandidacy(candidacy=candidacy) for candidacy in candidacies}
    for figure in figures:
        row = rows[figure["candidacy"]]
        row.mean = figure["mean"]
        row.jurors_counted = figure["jurors_counted"]
        row.rank = figure["rank"]
        row.rank_shared = figure["rank_size"] > 1
        row.z_mean = figure["z_mean"]
        row.z_rank = figure["z_rank"]
        row.z_rank_shared = figure["z_rank_size"] > 1
    for sheet in totals:
        row = rows[sheet["candidacy"]]
        row.spread = sheet["highest"] - sheet["lowest"]
        row.disagreement = exceeds(row.spread, DISAGREEMENT_THRESHOLD)
        row.totals.append(
            JurorTotal(
                juror=jurors[sheet["jury_member"]], total=sheet["total"], z_score=sheet["z"], sheet_id=sheet["pk"]
            )
        )
    ordered = sorted(rows.values(), key=lambda row: (row.rank is None, row.rank or 0))
    return Ranking(call=call, round=round, rows=ordered)


# A closed round's stored result

STORED_FIELDS = ["rank", "rank_shared", "mean", "jurors_counted", "spread", "disagreement", "z_mean", "z_rank"]


def freeze(closure, *, at):
    """Stores the round's ranking, its counted sheets and every conflict of the call as they are now; called by
    jury.services.close_round in the transaction that closes the round."""
    call = closure.call
    live = compute(call, closure.round)
    result = RoundResult.objects.create(closure=closure, stored_at=at)
    RoundResultRow.objects.bulk_create(
        RoundResultRow(
            result=result,
            candidacy=row.candidacy,
            position=position,
            z_rank_shared=row.z_rank_shared,
            **{name: getattr(row, name) for name in STORED_FIELDS},
        )
        for position, row in enumerate(live.rows)
    )
    RoundResultSheet.objects.bulk_create(
        RoundResultSheet(
            result=result,
            sheet_id=total.sheet_id,
            jury_member=total.juror,
            candidacy=row.candidacy,
            total=total.total,
            z_score=total.z_score,
        )
        for row in live.rows
        for total in row.totals
    )
    RoundResultConflict.objects.bulk_create(
        RoundResultConflict(result=result, jury_member=juror, candidacy_id=candidacy_pk)
        for juror in JuryMember.objects.filter(call=call)
        for candidacy_pk in queries.conflicted_candidacies(juror).values_list("pk", flat=True)
    )
    return result


def stored_result(call, round):
    return RoundResult.objects.filter(closure__call=call, closure__round=round).select_related("closure").first()


def late_conflicts(result):
    """The candidacies of a stored result with a conflict now (queries.conflict_exists) that was not there when the
    round closed: a conflict declared or set later, or a KBO number that changed since."""
    call_id = result.closure.call_id
    was_there = RoundResultConflict.objects.filter(
        result=result, jury_member=OuterRef("pk"), candidacy=OuterRef(OuterRef("candidacy"))
    )
    new = (
        JuryMember.objects.filter(call_id=call_id)
        .filter(queries.conflict_exists(OuterRef("pk"), OuterRef(OuterRef("candidacy"))))
        .exclude(Exists(was_there))
    )
    return set(result.rows.filter(Exists(new)).values_list("candidacy", flat=True))


def stored_ranking(call, result):
    """The ranking as it was stored when the round closed, in three queries, with the rows of later conflicts
    flagged."""
    sheets = result.sheets.select_related("jury_member__user").order_by(
        "candidacy", "jury_member__user__full_name", "jury_member__user__email"
    )
    late = late_conflicts(result)
    rows = {}
    for stored in result.rows.select_related("candidacy__organisation").order_by("position"):
        rows[stored.candidacy_id] = RankedCandidacy(
            candidacy=stored.candidacy,
            z_rank_shared=stored.z_rank_shared,
            late_conflict=stored.candidacy_id in late,
            **{name: getattr(stored, name) for name in STORED_FIELDS},
        )
    for sheet in sheets:
        rows[sheet.candidacy_id].totals.append(
            JurorTotal(juror=sheet.jury_member, total=sheet.total, z_score=sheet.z_score, sheet_id=sheet.sheet_id)
        )
    return Ranking(call=call, round=result.closure.round, rows=list(rows.values()), result=result)


# What the decision letters tell


def letter_place(candidacy):
    """The candidacy's place among its call's candidacies with a decision, as its letter tells it, or None when it
    has no counted sheet.

    Each candidacy's figure is its mean total of one round, as `rank` shows it (stored once the round is closed): the
    pitch round for those with counted pitch sheets, ranked before those with written ones only. Ties (at
    TIE_PRECISION) share a place. Returns {"place", "count", "shared_with"}, in three queries.
    """
    call = candidacy.call
    stored = {
        result.closure.round: result
        for result in RoundResult.objects.filter(closure__call=call).select_related("closure")
    }
    keys = {}
    for order, scoring_round in enumerate([ScoringRound.WRITTEN, ScoringRound.PITCH]):
        if scoring_round in stored:
            means = (
                stored[scoring_round]
                .rows.filter(mean__isnull=False, candidacy__decision__isnull=False)
                .values("candidacy", "mean")
                .order_by()
            )
            for row in means:
                keys[row["candidacy"]] = (order, round(row["mean"], TIE_PRECISION))
            continue
        means = (
            counted_totals(call, scoring_round)
            .filter(candidacy__decision__isnull=False)
            .values("candidacy")
            .annotate(total_sum=Sum("total"), jurors_counted=Count("pk"))
            .order_by()
        )
        for row in means:
            keys[row["candidacy"]] = (order, round(row["total_sum"] / row["jurors_counted"], TIE_PRECISION))
    own = keys.get(candidacy.pk)
    if own is None:
        return None
    return {
        "place": 1 + sum(1 for key in keys.values() if key > own),
        "count": len(keys),
        "shared_with": sum(1 for key in keys.values() if key == own) - 1,
    }


def _counted_scores(call, rounds, **of_candidacy):
    """The scores of the counted sheets of these rounds: those stored when a closed round closed, else the live
    counted sheets (`counted_sheets`); `of_candidacy` narrows them, e.g. candidacy=…"""
    counted = Q()
    for scoring_round in rounds:
        result = RoundResult.objects.filter(closure__call=call, closure__round=scoring_round)
        stored = RoundResultSheet.objects.filter(result__in=result, **of_candidacy)
        live = counted_sheets(call, scoring_round).filter(**of_candidacy)
        counted |= Q(sheet__in=stored.values("sheet")) | (Q(sheet__in=live.values("pk")) & ~Q(Exists(result)))
    return Score.objects.filter(counted, criterion__round=F("sheet__round"), value__isnull=False)


def criterion_averages(candidacy):
    """Per round (written first) and per criterion of the round, the scores of the candidacy's counted sheets (those
    stored when a closed round closed): rows of {"round", "criterion", "name", "scale_min", "scale_max", "total",
    "count"}, in one query."""
    written_first = Case(When(sheet__round=ScoringRound.WRITTEN, then=Value(0)), default=Value(1))
    return list(
        _counted_scores(candidacy.call, ScoringRound, candidacy=candidacy)
        .values("sheet__round", "criterion", "criterion__name", "criterion__scale_min", "criterion__scale_max")
        .annotate(total=Sum("value"), count=Count("value"))
        .order_by(written_first, "criterion__position", "criterion")
    )


def round_criterion_averages(call, round):
    """For every candidacy of one round, per criterion, the sum and number of the scores of its counted sheets, as
    `criterion_averages` counts them for a letter: {(candidacy pk, criterion pk): (total, count)}, in one query."""
    rows = (
        _counted_scores(call, [round])
        .values("sheet__candidacy", "criterion")
        .annotate(total=Sum("value"), count=Count("value"))
        .order_by()
    )
    return {(row["sheet__candidacy"], row["criterion"]): (row["total"], row["count"]) for row in rows}
