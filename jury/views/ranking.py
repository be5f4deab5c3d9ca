"""The ranking of a round for the chair and the call managers: a page with charts, and its CSV export."""

from decimal import ROUND_HALF_UP, Decimal

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from accounts import two_factor
from candidacies.models import Candidacy
from challenges.models import Call
from maasland import spreadsheets

from .. import ranking as ranking_module
from .. import roles, services
from ..models import Round
from .report import may_have_report

CHART_LABEL_WIDTH = 120
CHART_BAR_WIDTH = 160
CHART_ROW_HEIGHT = 20
CHART_BAR_HEIGHT = 12
CHART_TOP = 18


def _ranking_call(request, call_slug, round):
    """The call and the candidacies hidden from the user (jury/roles.py) if the user may see its ranking; 404
    otherwise, so jurors and applicants learn nothing. A call whose jury works with two-step verification asks for
    it first."""
    if round not in Round.values:
        raise Http404
    call = get_object_or_404(Call, slug=call_slug)
    hidden = roles.ranking_access(request.user, call)
    if hidden is None:
        raise Http404
    two_factor.require(request, call.jury_requires_two_factor)
    return call, hidden


def _x(points):
    return CHART_LABEL_WIDTH + round(points * CHART_BAR_WIDTH / 100, 1)


def chart(row):
    """The geometry of one candidacy's bar chart: a bar per juror on a 0–100 axis and a line at the mean."""
    bars = [
        {
            "juror": total.juror.user,
            "total": total.total,
            "y": CHART_TOP + index * CHART_ROW_HEIGHT,
            "text_y": CHART_TOP + index * CHART_ROW_HEIGHT + CHART_BAR_HEIGHT - 2,
            "width": max(_x(total.total) - CHART_LABEL_WIDTH, 0.5),
            "value_x": _x(total.total) + 4,
        }
        for index, total in enumerate(row.totals)
    ]
    height = CHART_TOP + len(bars) * CHART_ROW_HEIGHT
    return {
        "bars": bars,
        "height": height,
        "width": CHART_LABEL_WIDTH + CHART_BAR_WIDTH + 40,
        "axis_x": CHART_LABEL_WIDTH,
        "bar_height": CHART_BAR_HEIGHT,
        "ticks": [{"x": _x(points), "label": points} for points in (0, 50, 100)],
        "mean_x": _x(row.mean) if row.mean is not None else None,
    }


@login_required
def ranking(request, call_slug, round):
    call, hidden = _ranking_call(request, call_slug, round)
    result = ranking_module.rank(call, round).without(hidden)
    can_shortlist = _can_shortlist(request.user, call, round)
    return render(
        request,
        "jury/ranking.html",
        {
            "call": call,
            "round": round,
            "round_label": Round(round).label,
            "other_rounds": [(value, label) for value, label in Round.choices if value != round],
            "ranking": result,
            "charts": [(row, chart(row)) for row in result.rows],
            "can_shortlist": can_shortlist,
            "can_download_report": may_have_report(request.user, call),
            "shortlist_rows": _shortlistable(result.rows) if can_shortlist else [],
        },
    )


def _shortlistable(rows):
    """The rows the call manager may tick: submitted candidacies the jury has not decided on (jury.services)."""
    candidates = [row.candidacy.pk for row in rows if row.candidacy.status == Candidacy.Status.SUBMITTED]
    open_pks = set(Candidacy.objects.filter(pk__in=candidates, decision__isnull=True).values_list("pk", flat=True))
    return [row for row in rows if row.candidacy.pk in open_pks]


def _can_shortlist(user, call, round):
    """The call manager shortlists for the pitches from the written round's ranking, once intake and the written
    round are closed and while the pitch round is not."""
    return (
        round == Round.WRITTEN
        and not call.accepts_submissions(timezone.now())
        and services.shortlist_refusal(call, by=user) is None
    )


@login_required
@require_POST
def ranking_shortlist(request, call_slug, round):
    call, _hidden = _ranking_call(request, call_slug, round)
    if not _can_shortlist(request.user, call, round):
        raise Http404
    now = timezone.now()
    chosen = [value for value in request.POST.getlist("candidacy") if value.isascii() and value.isdigit()]
    shortlisted = 0
    for candidacy in Candidacy.objects.filter(call=call, pk__in=chosen).order_by("reference"):
        try:
            services.shortlist(candidacy, by=request.user, at=now)
        except services.JuryError as refusal:
            messages.error(request, f"{candidacy.reference}: {refusal.message}")
        else:
            shortlisted += 1
    if shortlisted:
        messages.success(
            request,
            ngettext(
                "%(count)d candidacy is shortlisted for the pitches.",
                "%(count)d candidacies are shortlisted for the pitches.",
                shortlisted,
            )
            % {"count": shortlisted},
        )
    elif not chosen:
        messages.error(request, _("Tick the candidacies to shortlist."))
    return redirect("jury:ranking", call_slug=call.slug, round=round)


def _decimal(value, places):
    """Rounded half up, like the page's floatformat, with a decimal comma for Belgian Excel."""
    if value is None:
        return ""
    rounded = Decimal(repr(value)).quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)
    return str(rounded).replace(".", ",")


@login_required
def ranking_csv(request, call_slug, round):
    """One row per candidacy: UTF-8 with BOM, semicolons and decimal commas, as Belgian Excel reads it."""
    call, hidden = _ranking_call(request, call_slug, round)
    result = ranking_module.rank(call, round).without(hidden)
    filename = f"ranking-{call.slug}-{round}-{timezone.localdate(timezone.now()):%Y-%m-%d}.csv"
    response, writer = spreadsheets.csv_response(filename)
    writer.writerow(
        [
            _("Rank"),
            _("Reference"),
            _("Organisation"),
            _("Title"),
            _("Mean (0–100)"),
            _("Jurors counted"),
            _("Spread (highest − lowest)"),
            _("Jurors disagree"),
            _("Mean z-score"),
            _("Rank by z-score"),
            _("Conflict reported after closing"),
        ]
    )
    for row in result.rows:
        writer.writerow(
            [
                row.rank or "",
                spreadsheets.cell(row.candidacy.reference),
                spreadsheets.cell(row.candidacy.organisation.name),
                spreadsheets.cell(row.candidacy.title),
                _decimal(row.mean, 1),
                row.jurors_counted,
                _decimal(row.spread, 1),
                _("yes") if row.disagreement else "",
                _decimal(row.z_mean, 2),
                row.z_rank or "",
                _("yes") if row.late_conflict else "",
            ]
        )
    return response
