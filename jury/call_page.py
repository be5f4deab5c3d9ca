"""How the jury judges, on the call's public page (registered with challenges.call_page): the criteria of both
rounds from the call's own data, each weight as its share of the round's total, as jury/scoring.py counts it."""

from decimal import ROUND_HALF_UP, Decimal

from challenges import page_cache
from challenges.call_page import register_section

from .models import Criterion, Round

page_cache.depends_on(Criterion)


@register_section
def judging(call):
    criteria = list(Criterion.objects.filter(call=call).order_by("round", "position", "pk"))
    rounds = []
    for round in Round:
        in_round = [criterion for criterion in criteria if criterion.round == round]
        if not in_round:
            continue
        total = sum(criterion.weight for criterion in in_round)
        rows = [
            (criterion, (criterion.weight * 100 / total).quantize(Decimal(1), rounding=ROUND_HALF_UP))
            for criterion in in_round
        ]
        rounds.append({"label": round.label, "value": round.value, "rows": rows})
    if not rounds:
        return None
    return {"template": "jury/includes/call_judging.html", "rounds": rounds}
