"""A score sheet's weighted total: the one rule, computed here and stored on the sheet (`ScoreSheet.total`).

A sheet's total is Σ (score − lowest) / (highest − lowest) × weight / Σ weight × 100, with Σ weight over every
criterion of the sheet's round: a figure from 0 to 100 whatever the criteria's scales. A criterion without a score
adds nothing (a submitted sheet has them all; a criterion added to the round later counts as 0 until the juror
scores it). A sheet without any score has no total (None).

The total is computed exactly (fractions) and stored as the nearest float, so that equal sheets store equal
totals. It is stored whenever the sheet's scores are written: `services.save_sheet` for the portal, and
`store_totals` for anything that writes Score rows itself (the demo's and the tests' bulk builders). The criteria's
weights and scales cannot change once the round has scores (`Criterion.clean`, and read-only in admin), so a
change of weight or scale needs no recomputation; adding a criterion to a round changes Σ weight, so
`Criterion.save` recomputes the round's totals.

Everything that shows a total reads the stored one: the ranking (jury/ranking.py) and through it the exports, the
chair's CSV and the letters; the sheet page. static/js/sheet.js previews the same formula in the browser while a
juror types; the server's stored figure is the one that counts.
"""

from fractions import Fraction

from django.db.models import QuerySet


def weighted_total(criteria, values):
    """The 0–100 total of one sheet: `criteria` are all criteria of its round, `values` maps a criterion's pk to its
    score (or None). None when no criterion has a score."""
    criteria = list(criteria)
    total_weight = sum((Fraction(criterion.weight) for criterion in criteria), Fraction(0))
    scored = [(criterion, values.get(criterion.pk)) for criterion in criteria]
    scored = [(criterion, value) for criterion, value in scored if value is not None]
    if not scored or not total_weight:
        return None
    weighed = sum(
        (
            Fraction(criterion.weight) * (value - criterion.scale_min) / (criterion.scale_max - criterion.scale_min)
            for criterion, value in scored
        ),
        Fraction(0),
    )
    return float(weighed * 100 / total_weight)


def is_complete(criteria, values):
    """Every criterion of the round has a score: the sheet page shows a total only then (as sheet.js does)."""
    criteria = list(criteria)
    return bool(criteria) and all(values.get(criterion.pk) is not None for criterion in criteria)


def store_totals(sheets):
    """Computes and stores the total of each sheet of `sheets` (a queryset, or an iterable of saved ScoreSheets), in
    four queries and a bulk update whatever their number: for builders that write Score rows without
    `services.save_sheet` (bulk inserts of the benchmarks and tests).

    A bulk update leaves no history row: a sheet's history keeps the totals its saves stored."""
    from .models import Criterion, Score, ScoreSheet

    if isinstance(sheets, QuerySet):
        chosen = sheets
        sheets = list(chosen)
    else:
        sheets = list(sheets)
        chosen = ScoreSheet.objects.filter(pk__in=[sheet.pk for sheet in sheets])
    if not sheets:
        return sheets
    values = {}
    scores = Score.objects.filter(sheet__in=chosen.values("pk")).values_list("sheet_id", "criterion_id", "value")
    for sheet_pk, criterion_pk, value in scores:
        values.setdefault(sheet_pk, {})[criterion_pk] = value
    calls = dict(chosen.values_list("pk", "candidacy__call_id"))
    criteria = {}
    for criterion in Criterion.objects.filter(call_id__in=set(calls.values())):
        criteria.setdefault((criterion.call_id, criterion.round), []).append(criterion)
    for sheet in sheets:
        sheet.total = weighted_total(criteria.get((calls[sheet.pk], sheet.round), []), values.get(sheet.pk, {}))
    ScoreSheet.objects.bulk_update(sheets, ["total"], batch_size=500)
    return sheets


def store_round_totals(call_id, round):
    """Recomputes every sheet's total of one round of a call (after a criterion was added to it)."""
    from .models import ScoreSheet

    return store_totals(ScoreSheet.objects.filter(candidacy__call_id=call_id, round=round))
