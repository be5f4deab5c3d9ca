"""The decision report of a call: one tagged PDF of the jury's work as a whole, for the partners and the file.

It shows the call and its dates, the jury, each round's ranking with the averages per criterion, who abstained for a
conflict of interest, every decision with its motivation, and room for the chair's and the call manager's signatures.
Every figure is read where the ranking keeps it (jury/ranking.py: a closed round's stored result, else the live
counted sheets), never computed again here; it is printed by the letters' printer (jury/letters.py).
"""

import re
from decimal import ROUND_HALF_UP, Decimal

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.formats import date_format, number_format
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

from candidacies.models import Candidacy
from maasland import pdf
from maasland.clock import BRUSSELS

from . import letters, queries
from . import ranking as ranking_module
from .models import Criterion, Decision, JuryMember, Round, RoundClosure
from .queries import ROUND_STATUSES
from .results import RoundResultConflict

TEMPLATE = "jury/report/report.html"


def _date_text(moment):
    return date_format(timezone.localtime(moment, BRUSSELS), "DATE_FORMAT")


def _figure(value, places):
    """As the ranking page shows it (floatformat): rounded half up, with a decimal comma; a dash where there is
    none."""
    if value is None:
        return "—"
    rounded = Decimal(repr(value)).quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)
    return number_format(rounded, decimal_pos=places, use_l10n=True)


def _rank_text(rank, shared):
    if not rank:
        return "—"
    return _("%(rank)s (shared)") % {"rank": rank} if shared else str(rank)


def _jury(call):
    members = list(JuryMember.objects.filter(call=call).select_related("user").order_by("user__full_name", "pk"))
    return {
        "by_pk": {member.pk: member for member in members},
        "chair": [member for member in members if member.role == JuryMember.Role.CHAIR],
        "deputy": [member for member in members if member.role == JuryMember.Role.DEPUTY],
        "members": [member for member in members if member.role == JuryMember.Role.MEMBER],
    }


def _rounds(call, hidden, closures):
    """Each round's ranking as the ranking page shows it, with the averages per criterion of its counted sheets."""
    criteria_of = {scoring_round: [] for scoring_round in Round.values}
    for criterion in Criterion.objects.filter(call=call).order_by("position", "pk"):
        criteria_of[criterion.round].append(criterion)
    rounds = []
    for scoring_round, label in Round.choices:
        whole = ranking_module.rank(call, scoring_round)
        ranking = whole.without(hidden)
        averages = ranking_module.round_criterion_averages(call, scoring_round)
        criteria = criteria_of[scoring_round]
        rows = []
        for row in ranking.rows:
            sums = [averages.get((row.candidacy.pk, criterion.pk)) for criterion in criteria]
            rows.append(
                {
                    "rank": _rank_text(row.rank, row.rank_shared),
                    "reference": row.candidacy.reference,
                    "organisation": row.candidacy.organisation.name,
                    "mean": _figure(row.mean, 1),
                    "jurors_counted": row.jurors_counted,
                    "averages": [letters.one_decimal(*pair) if pair else "—" for pair in sums],
                    "late_conflict": row.late_conflict,
                }
            )
        closure = closures.get(scoring_round)
        rounds.append(
            {
                "key": scoring_round,
                "label": label,
                "closed_on": _date_text(closure.closed_at) if closure else "",
                "criteria": [
                    {
                        "name": criterion.name,
                        "weight": number_format(criterion.weight.normalize(), use_l10n=True),
                        "scale": f"{criterion.scale_min}–{criterion.scale_max}",
                    }
                    for criterion in criteria
                ],
                "rows": rows,
                "hidden_count": len(whole.rows) - len(ranking.rows),
            }
        )
    return rounds


def _abstentions(call, jurors):
    """Per candidacy, the jurors with a conflict of interest: those stored when a round closed, and those there now
    (one rule: jury/queries.py); they scored nothing of it and did not decide on it."""
    pairs = set(queries.conflicts_of_call(call))
    pairs |= set(RoundResultConflict.objects.filter(result__closure__call=call).values_list("candidacy", "jury_member"))
    names = {}
    for candidacy_pk, member_pk in pairs:
        names.setdefault(candidacy_pk, []).append(str(jurors[member_pk].user))
    return {candidacy_pk: sorted(found) for candidacy_pk, found in names.items()}


def _candidacies(call, abstentions):
    """Every candidacy the jury assessed, by reference, with its decision, motivation and abstentions."""
    candidacies = (
        Candidacy.objects.filter(call=call, status__in=ROUND_STATUSES[Round.WRITTEN])
        .select_related("organisation", "decision")
        .order_by("reference", "pk")
    )
    return [
        {
            "reference": candidacy.reference,
            "title": candidacy.title,
            "organisation": candidacy.organisation.name,
            "status": candidacy.get_status_display(),
            "abstained": abstentions.get(candidacy.pk, []),
            "decision": _decision(getattr(candidacy, "decision", None)),
        }
        for candidacy in candidacies
    ]


def _decision(decision):
    if decision is None:
        return None
    return {
        "outcome": decision.get_outcome_display(),
        "is_selected": decision.outcome == Decision.Outcome.SELECTED,
        "motivation": [part.strip() for part in re.split(r"\n\s*\n", decision.motivation) if part.strip()],
        "without_pitch_reason": decision.without_pitch_reason,
        "recorded_on": _date_text(decision.recorded_at),
        "communicated_on": _date_text(decision.communicated_at) if decision.communicated_at else "",
        "revised_on": _date_text(decision.revised_at) if decision.revised_at else "",
    }


def report_context(call, *, at, hidden=frozenset()):
    """What the report shows at `at`; the figures of the candidacies in `hidden` (those a conflicted chair may not
    see, jury/roles.py) are left out of the rankings."""
    jury = _jury(call)
    closures = {closure.round: closure for closure in RoundClosure.objects.filter(call=call)}
    chair = jury["chair"][0].user if jury["chair"] else None
    return {
        "portal_name": settings.PORTAL_NAME,
        "call_title": call.full_title,
        "timeline": [{"label": step.label, "when": step.when} for step in call.timeline(at)],
        "contact": call.contact_name,
        "jury": jury,
        "rounds": _rounds(call, hidden, closures),
        "candidacies": _candidacies(call, _abstentions(call, jury["by_pk"])),
        "date": _date_text(at),
        "date_iso": timezone.localtime(at, BRUSSELS).isoformat(),
        "chair_name": str(chair) if chair else "",
        "manager_name": call.contact_name,
    }


def render_report_html(call, *, at, hidden=frozenset()):
    """The report's HTML, in the portal's language."""
    with translation.override(settings.LANGUAGE_CODE):
        context = report_context(call, at=at, hidden=hidden)
        context["page_counter_css"] = pdf.page_counter_css()
        context["footer_css"] = mark_safe(
            pdf.css_string(
                _("%(portal)s · decision report of %(date)s")
                % {"portal": context["portal_name"], "date": context["date"]}
            )
        )
        return render_to_string(TEMPLATE, context)


def render_report_pdf(call, *, at, hidden=frozenset()):
    """The report as a tagged (PDF/UA) A4 PDF, always in the portal's language."""
    return letters.html_to_pdf(render_report_html(call, at=at, hidden=hidden), identifier=f"report-{call.slug}")


def report_file_name(call, at):
    return f"beslissingsverslag-{call.slug}-{timezone.localtime(at, BRUSSELS):%Y-%m-%d}.pdf"
