"""The ranking of a round for the chair and the call managers: a page with charts, and its CSV export."""

from decimal import ROUND_HALF_UP, Decimal

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.template.defaultfilters import floatformat
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

# The chart is 320 units wide, so that it fits a 360 px phone unscaled: a column of names, the 0–100 plot, and a
# column of values right of the plot, where no value can touch a bar or the mean's line. Text is 11 units high;
# CHART_CHAR_WIDTH is a generous average width of one character of the system sans-serif at that size.
CHART_WIDTH = 320
CHART_LABEL_WIDTH = 124
CHART_BAR_WIDTH = 150
CHART_GAP = 6
CHART_CHAR_WIDTH = 6.6
CHART_LINE_HEIGHT = 12
CHART_ROW_PADDING = 8
CHART_BAR_HEIGHT = 12
CHART_TOP = 18
CHART_BOTTOM = 18
NAME_LINE_CHARS = int((CHART_LABEL_WIDTH - CHART_GAP) / CHART_CHAR_WIDTH)
NAME_LINES = 2


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


def text_width(text):
    """A generous estimate of a label's width in the chart's units, to keep labels apart without a browser."""
    return round(len(text) * CHART_CHAR_WIDTH, 1)


def name_lines(name):
    """A juror's name on at most two lines that fit the name column, broken between words; what does not fit ends
    in "…" (the full name is the label's <title> and in the table beside the chart)."""
    lines = []
    for word in name.split():
        if lines and len(lines[-1]) + 1 + len(word) <= NAME_LINE_CHARS:
            lines[-1] += " " + word
        else:
            lines.append(word)
    lines = lines or [""]
    cut = len(lines) > NAME_LINES or any(len(line) > NAME_LINE_CHARS for line in lines[:NAME_LINES])
    lines = [line[:NAME_LINE_CHARS] for line in lines[:NAME_LINES]]
    if cut:
        lines[-1] = lines[-1][: NAME_LINE_CHARS - 1].rstrip() + "…"
    return lines


def _mean_label_x(mean_x, label):
    """The mean's label sits under the plot at the line, moved sideways only as far as needed to stay in the chart."""
    half = text_width(label) / 2
    return round(min(max(mean_x, half + 2), CHART_WIDTH - half - 2), 1)


def chart(row):
    """The geometry of one candidacy's bar chart: a row per juror (name, bar on a 0–100 axis, value in its own column)
    and a dashed line at the mean, labelled under the plot."""
    bars = []
    y = CHART_TOP
    for total in row.totals:
        name = str(total.juror.user)
        lines = name_lines(name)
        row_height = len(lines) * CHART_LINE_HEIGHT + CHART_ROW_PADDING
        middle = y + row_height / 2
        value = floatformat(total.total, 1)
        first_baseline = middle - (len(lines) - 1) * CHART_LINE_HEIGHT / 2 + 4
        bars.append(
            {
                "juror": name,
                "lines": [
                    {"text": line, "y": round(first_baseline + index * CHART_LINE_HEIGHT, 1)}
                    for index, line in enumerate(lines)
                ],
                "total": value,
                "y": round(middle - CHART_BAR_HEIGHT / 2, 1),
                "text_y": round(middle + 4, 1),
                "width": max(_x(total.total) - CHART_LABEL_WIDTH, 0.5),
                "value_x": CHART_WIDTH - 2,
                "value_width": text_width(value),
            }
        )
        y += row_height
    plot_bottom = y
    mean_x = _x(row.mean) if row.mean is not None else None
    mean_label = _("mean %(mean)s") % {"mean": floatformat(row.mean, 1)} if row.mean is not None else ""
    return {
        "bars": bars,
        "height": plot_bottom + CHART_BOTTOM,
        "width": CHART_WIDTH,
        "axis_x": CHART_LABEL_WIDTH,
        "name_x": CHART_LABEL_WIDTH - CHART_GAP,
        "plot_right": CHART_LABEL_WIDTH + CHART_BAR_WIDTH,
        "plot_bottom": plot_bottom,
        "bar_height": CHART_BAR_HEIGHT,
        "ticks": [{"x": _x(points), "label": points} for points in (0, 50, 100)],
        "mean_x": mean_x,
        "mean_label": mean_label,
        "mean_label_x": _mean_label_x(mean_x, mean_label) if mean_x is not None else None,
        "mean_label_y": plot_bottom + CHART_BOTTOM - 4,
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
