"""Jurors and the chair: assigned candidacies, conflicts, score sheets, closing rounds and decisions.

Thin views: who may see what is decided here with the jury's queries (404 for what a user may not know exists),
every change goes through `jury.services`, which checks role and clock again.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Case, Count, Exists, OuterRef, Q, Subquery, Value, When
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from accounts import two_factor
from candidacies.models import Attachment, Candidacy
from candidacies.receipts import receipt_context
from challenges.models import Call

from .. import queries, roles, scoring, services
from ..forms import CloseRoundForm, ConflictForm, DecisionForm, ReopenSheetForm, ScoreSheetForm
from ..models import Conflict, Criterion, JuryMember, Round, ScoreSheet

SHEET_STATES = {
    "not_started": gettext_lazy("Not started"),
    "draft": gettext_lazy("Draft"),
    "submitted": gettext_lazy("Submitted"),
}


def _round_has_started(call, round, at):
    """The written round starts when intake closes, the pitch round on the first pitch day; a closed round has
    started too (its sheets stay readable)."""
    if round == Round.WRITTEN:
        return at > call.deadline
    return call.pitches_have_started(at)


def sheet_state(jury_member, round):
    """An annotation for assigned candidacies: the state of this juror's own sheet, decided in SQL."""
    own_sheets = ScoreSheet.objects.filter(jury_member=jury_member, candidacy=OuterRef("pk"), round=round)
    return Case(
        When(Exists(own_sheets.filter(submitted_at__isnull=False)), then=Value("submitted")),
        When(Exists(own_sheets), then=Value("draft")),
        default=Value("not_started"),
    )


def _chair_or_404(request, call_slug):
    call = get_object_or_404(Call, slug=call_slug)
    member = roles.chair_of(request.user, call)
    if member is None:
        raise Http404
    two_factor.require(request, call.jury_requires_two_factor)
    return member


def _round_or_404(round):
    if round not in Round.values:
        raise Http404
    return Round(round)


def _assigned(request, pk, round, at):
    """The candidacy and the user's jury membership, if the candidacy is assigned to the user in this round
    (its call's juror, no conflict, a status that belongs to the round) and intake has closed; 404 otherwise. A call
    whose jury works with two-step verification asks for it first. Two queries: the seat (with the call), then the
    candidacy among those assigned, with whether the round is closed (`candidacy.round_is_closed`)."""
    member = roles.jury_member_for(request.user, Subquery(Candidacy.objects.filter(pk=pk).values("call_id")))
    if member is None or not _round_has_started(member.call, Round.WRITTEN, at):
        raise Http404
    candidacy = get_object_or_404(
        queries.assigned_candidacies(member, round)
        .select_related(None)
        .select_related("organisation")
        .annotate(round_is_closed=Exists(queries.round_closure(OuterRef("call_id"), round))),
        pk=pk,
    )
    candidacy.call = member.call
    two_factor.require(request, candidacy.call.jury_requires_two_factor)
    return candidacy, member


def _latest_version(candidacy):
    version = candidacy.versions.select_related("submitted_by").order_by("-number").first()
    if version is None:
        raise Http404
    return version


@login_required
def dashboard(request):
    """Per call where the user is a juror: the rounds that have started, and each assigned candidacy with the
    state of the user's own sheet, in a fixed number of queries."""
    now = timezone.now()
    memberships = list(
        JuryMember.objects.filter(user=request.user)
        .select_related("call")
        .prefetch_related("call__pitch_days", "call__round_closures")
        .order_by("-call__deadline")
    )
    if not memberships:
        raise Http404
    two_factor.require(request, any(member.call.jury_requires_two_factor for member in memberships))
    scored = ScoreSheet.objects.filter(jury_member=OuterRef("jury_member"), candidacy=OuterRef("candidacy"))
    declared = {}
    for conflict in (
        Conflict.objects.filter(jury_member__in=memberships, source=Conflict.Source.DECLARED)
        .select_related("candidacy")
        .annotate(has_scored=Exists(scored))
        .order_by("candidacy__reference")
    ):
        declared.setdefault(conflict.jury_member_id, []).append(conflict)
    calls = []
    for member in memberships:
        call = member.call
        closed = {closure.round for closure in call.round_closures.all()}
        rounds = []
        for round in Round:
            if not _round_has_started(call, round, now):
                continue
            candidacies = list(
                queries.assigned_candidacies(member, round).annotate(sheet_state=sheet_state(member, round))
            )
            rounds.append(
                {
                    "round": round,
                    "label": round.label,
                    "is_closed": round in closed,
                    "rows": [(candidacy, SHEET_STATES[candidacy.sheet_state]) for candidacy in candidacies],
                    "submitted": sum(candidacy.sheet_state == "submitted" for candidacy in candidacies),
                    "assigned": len(candidacies),
                }
            )
        calls.append({"member": member, "call": call, "rounds": rounds, "conflicts": declared.get(member.pk, [])})
    return render(request, "jury/dashboard.html", {"calls": calls, "now": now})


def _sheet_links(member, candidacy, at):
    """The rounds in which the juror can open a sheet for this candidacy, with the state of their own sheet."""
    states = {
        sheet.round: ("submitted" if sheet.is_submitted else "draft")
        for sheet in ScoreSheet.objects.filter(jury_member=member, candidacy=candidacy)
    }
    return [
        {
            "round": round,
            "label": round.label,
            "url": reverse("jury:score_sheet", kwargs={"pk": candidacy.pk, "round": round.value}),
            "state": SHEET_STATES[states.get(round, "not_started")],
        }
        for round in Round
        if candidacy.status in queries.ROUND_STATUSES[round] and _round_has_started(candidacy.call, round, at)
    ]


def _render_candidacy(request, candidacy, member, conflict_form, now, status=200):
    version = _latest_version(candidacy)
    context = receipt_context(version)
    return render(
        request,
        "jury/candidacy_detail.html",
        {
            "candidacy": candidacy,
            "member": member,
            "version": version,
            "sections": context["sections"],
            "attachments": version.content.get("attachments", []),
            "sheet_links": _sheet_links(member, candidacy, now),
            "conflict_form": conflict_form,
            "now": now,
        },
        status=status,
    )


@login_required
def candidacy_detail(request, pk):
    """Exactly what the applicant submitted last (the submitted version, not the live draft)."""
    now = timezone.now()
    candidacy, member = _assigned(request, pk, Round.WRITTEN, now)
    return _render_candidacy(request, candidacy, member, ConflictForm(), now)


@login_required
@require_POST
def conflict_declare(request, pk):
    now = timezone.now()
    candidacy, member = _assigned(request, pk, Round.WRITTEN, now)
    form = ConflictForm(request.POST)
    if not form.is_valid():
        return _render_candidacy(request, candidacy, member, form, now, status=400)
    try:
        services.declare_conflict(member, candidacy, reason=form.cleaned_data["reason"], by=request.user, at=now)
    except services.NotFound as refusal:
        raise Http404 from refusal
    except services.JuryError as refusal:
        form.add_error(None, refusal.message)
        return _render_candidacy(request, candidacy, member, form, now, status=400)
    messages.success(
        request,
        _("Your conflict of interest for %(reference)s has been recorded: you no longer see or score it.")
        % {"reference": candidacy.reference},
    )
    return redirect("jury:dashboard")


@login_required
@require_POST
def conflict_withdraw(request, pk):
    """The juror takes back a conflict declared by mistake (services.withdraw_conflict decides whether that may)."""
    candidacy = get_object_or_404(Candidacy, pk=pk)
    member = roles.jury_member_for(request.user, candidacy.call_id)
    if member is None:
        raise Http404
    two_factor.require(request, candidacy.call.jury_requires_two_factor)
    try:
        services.withdraw_conflict(member, candidacy, by=request.user, at=timezone.now())
    except services.NotFound as refusal:
        raise Http404 from refusal
    except services.JuryError as refusal:
        messages.error(request, refusal.message)
    else:
        messages.success(
            request,
            _("Your conflict of interest for %(reference)s has been withdrawn: you see and score it again.")
            % {"reference": candidacy.reference},
        )
    return redirect(reverse("jury:dashboard") + f"#conflicts-{member.call_id}")


@login_required
def attachment_download(request, pk, attachment_pk):
    """An attachment of the submitted version, for an assigned juror without conflict; always as a download."""
    candidacy, _member = _assigned(request, pk, Round.WRITTEN, timezone.now())
    submitted = {item["id"] for item in _latest_version(candidacy).content.get("attachments", [])}
    if attachment_pk not in submitted:
        raise Http404
    attachment = get_object_or_404(Attachment, pk=attachment_pk, candidacy=candidacy)
    response = FileResponse(
        attachment.file.open("rb"), as_attachment=True, filename=attachment.name, content_type=attachment.content_type
    )
    response["X-Content-Type-Options"] = "nosniff"
    return response


def _sheets(member, candidacy, round, criteria):
    """The juror's own sheet for this candidacy and round (or None), and the other jurors' submitted sheets without
    those of conflicted jurors, each with its scores per criterion: two queries."""
    others_visible = Q(submitted_at__isnull=False) & ~queries.conflicted_sheet()
    own, others = None, []
    for sheet in (
        ScoreSheet.objects.filter(candidacy=candidacy, round=round)
        .filter(Q(jury_member=member) | others_visible)
        .select_related("jury_member__user")
        .prefetch_related("scores")
        .order_by("jury_member__user__full_name", "jury_member__user__email")
    ):
        if sheet.jury_member_id == member.pk:
            own = sheet
            continue
        scores = {score.criterion_id: score for score in sheet.scores.all()}
        others.append(
            {
                "sheet": sheet,
                "juror": sheet.jury_member.user,
                "rows": [(criterion, scores.get(criterion.pk)) for criterion in criteria],
                "total": sheet.total,
            }
        )
    return own, others


@login_required
def score_sheet(request, pk, round):
    """The user's own sheet (there is no URL for another juror's); others' scores once the own one is submitted."""
    now = timezone.now()
    round = _round_or_404(round)
    candidacy, member = _assigned(request, pk, round, now)
    call = candidacy.call
    criteria = list(Criterion.objects.filter(call=call, round=round).order_by("position", "pk"))
    sheet, other_sheets = _sheets(member, candidacy, round, criteria)
    is_closed = candidacy.round_is_closed
    already_submitted = sheet is not None and sheet.is_submitted
    # A submitted sheet is final: only the chair reopens it (services.reopen_sheet).
    editable = not is_closed and _round_has_started(call, round, now) and not already_submitted
    status = 200
    if request.method == "POST":
        intent = "submit" if "submit" in request.POST else "draft"
        form = ScoreSheetForm(request.POST, criteria=criteria, intent=intent)
        if form.is_valid():
            try:
                services.save_sheet(
                    member,
                    candidacy,
                    round,
                    values=form.values(),
                    overall_comment=form.cleaned_data["overall_comment"],
                    submit=intent == "submit",
                    by=request.user,
                    at=now,
                )
            except services.NotFound as refusal:
                raise Http404 from refusal
            except services.JuryError as refusal:
                form.add_error(refusal.field if refusal.field in form.fields else None, refusal.message)
            else:
                if intent == "submit":
                    messages.success(request, _("Your score sheet has been submitted."))
                else:
                    messages.success(request, _("Your score sheet has been saved as a draft."))
                return redirect("jury:score_sheet", pk=candidacy.pk, round=round.value)
        status = 400
    else:
        form = ScoreSheetForm(initial=ScoreSheetForm.initial_from(sheet), criteria=criteria)
        if not editable:
            for field in form.fields.values():
                field.disabled = True
    state = "submitted" if already_submitted else ("draft" if sheet is not None else "not_started")
    stored_values = {score.criterion_id: score.value for score in sheet.scores.all()} if sheet else {}
    show_others = already_submitted or member.is_chair
    return render(
        request,
        "jury/sheet.html",
        {
            "candidacy": candidacy,
            "member": member,
            "round": round,
            "round_label": round.label,
            "criteria": criteria,
            "form": form,
            "sheet": sheet,
            "sheet_state_key": state,
            "sheet_state": SHEET_STATES[state],
            "own_total": sheet.total if scoring.is_complete(criteria, stored_values) else None,
            "editable": editable,
            "is_closed": is_closed,
            "has_started": _round_has_started(call, round, now),
            "already_submitted": already_submitted,
            "show_others": show_others,
            "others": other_sheets if show_others else [],
            "can_reopen": member.is_chair and not is_closed,
            "user_is_juror": True,
            "now": now,
        },
        status=status,
    )


@login_required
@require_POST
def reopen_sheet(request, pk, round, sheet_pk):
    """The chair makes a colleague's submitted sheet a draft again, with a reason (services.reopen_sheet)."""
    now = timezone.now()
    round = _round_or_404(round)
    candidacy, member = _assigned(request, pk, round, now)
    if not member.is_chair:
        raise Http404
    sheet = get_object_or_404(ScoreSheet, pk=sheet_pk, candidacy=candidacy, round=round)
    form = ReopenSheetForm(request.POST)
    form.is_valid()
    try:
        services.reopen_sheet(sheet, reason=form.cleaned_data.get("reason", ""), by=request.user, at=now)
    except services.NotFound as refusal:
        raise Http404 from refusal
    except services.JuryError as refusal:
        messages.error(request, refusal.message)
    else:
        messages.success(
            request,
            _("The score sheet of %(juror)s is open again; the reason is recorded.")
            % {"juror": sheet.jury_member.user.full_name or sheet.jury_member.user.email},
        )
    return redirect("jury:score_sheet", pk=candidacy.pk, round=round.value)


def _round_rows(call, at):
    """Per round: open or closed, and per juror how many of their assigned candidacies have a submitted sheet."""
    jurors = list(JuryMember.objects.filter(call=call).select_related("user"))
    closures = {closure.round: closure for closure in call.round_closures.select_related("closed_by")}
    rows = []
    for round in Round:
        progress = []
        for juror in jurors:
            submitted_sheet = ScoreSheet.objects.filter(
                jury_member=juror, candidacy=OuterRef("pk"), round=round, submitted_at__isnull=False
            )
            counts = (
                queries.assigned_candidacies(juror, round)
                .annotate(has_submitted=Exists(submitted_sheet))
                .aggregate(assigned=Count("pk"), submitted=Count("pk", filter=Q(has_submitted=True)))
            )
            progress.append({"juror": juror, **counts})
        rows.append(
            {
                "round": round,
                "label": round.label,
                "closure": closures.get(round),
                "has_started": _round_has_started(call, round, at),
                "progress": progress,
                "submitted": sum(item["submitted"] for item in progress),
                "assigned": sum(item["assigned"] for item in progress),
                "form": CloseRoundForm(prefix=round.value),
            }
        )
    return rows


@login_required
def round_list(request, call_slug):
    """The chair's view of both rounds: how far the jury is, and closing a round."""
    now = timezone.now()
    member = _chair_or_404(request, call_slug)
    context = {
        "call": member.call,
        "rows": _round_rows(member.call, now),
        "withdrawn": queries.withdrawn_conflicts(member.call),
        "now": now,
    }
    return render(request, "jury/round_list.html", context)


def _round_list_with(request, call, round, form, now):
    """The rounds page again with the refused form of one round, its values and its errors kept."""
    rows = _round_rows(call, now)
    for row in rows:
        if row["round"] == round:
            row["form"] = form
    context = {"call": call, "rows": rows, "withdrawn": queries.withdrawn_conflicts(call), "now": now}
    return render(request, "jury/round_list.html", context, status=400)


@login_required
@require_POST
def close_round(request, call_slug, round):
    now = timezone.now()
    member = _chair_or_404(request, call_slug)
    round = _round_or_404(round)
    form = CloseRoundForm(request.POST, prefix=round.value)
    if not form.is_valid():
        return _round_list_with(request, member.call, round, form, now)
    try:
        services.close_round(member.call, round, by=request.user, at=now, reason=form.cleaned_data["reason"])
    except services.JuryError as refusal:
        if refusal.field not in form.fields:
            messages.error(request, refusal.message)
            return redirect("jury:rounds", call_slug=member.call.slug)
        form.add_error(refusal.field, refusal.message)
        return _round_list_with(request, member.call, round, form, now)
    else:
        messages.success(
            request, _("The round “%(round)s” is closed: its scores can no longer change.") % {"round": round.label}
        )
    return redirect("jury:rounds", call_slug=member.call.slug)


@login_required
def decision_list(request, call_slug):
    """The chair records the deliberated decision per decidable candidacy (the deputy chair those where the chair has
    a conflict); nothing is communicated from here."""
    now = timezone.now()
    member = roles.presiding_seat(request.user, get_object_or_404(Call, slug=call_slug))
    if member is None:
        raise Http404
    two_factor.require(request, member.call.jury_requires_two_factor)
    call = member.call
    presided = roles.presided_candidacies(member).values("pk")
    candidacies = list(
        Candidacy.objects.filter(call=call, status__in=services.DECIDABLE)
        .select_related("organisation", "decision__recorded_by")
        .annotate(chair_conflicted=Case(When(pk__in=presided, then=Value(False)), default=Value(True)))
        .order_by("reference")
    )
    posted_pk = request.POST.get("candidacy", "") if request.method == "POST" else ""
    status = 200
    rows = []
    for candidacy in candidacies:
        decision = getattr(candidacy, "decision", None)
        prefix = f"decision-{candidacy.pk}"
        if posted_pk == str(candidacy.pk) and not candidacy.chair_conflicted:
            form = DecisionForm(request.POST, prefix=prefix)
            if form.is_valid():
                try:
                    services.record_decision(
                        candidacy,
                        outcome=form.cleaned_data["outcome"],
                        motivation=form.cleaned_data["motivation"],
                        without_pitch_reason=form.cleaned_data.get("without_pitch_reason", ""),
                        by=request.user,
                        at=now,
                    )
                except services.JuryError as refusal:
                    form.add_error(refusal.field if refusal.field in form.fields else None, refusal.message)
                else:
                    messages.success(
                        request,
                        _("The decision on %(reference)s has been recorded. It has not been communicated yet.")
                        % {"reference": candidacy.reference},
                    )
                    return redirect(reverse("jury:decisions", kwargs={"call_slug": call.slug}) + f"#{prefix}")
            status = 400
        else:
            initial = (
                {
                    "outcome": decision.outcome,
                    "motivation": decision.motivation,
                    "without_pitch_reason": decision.without_pitch_reason,
                }
                if decision
                else {}
            )
            form = DecisionForm(initial=initial, prefix=prefix)
        if candidacy.status == Candidacy.Status.PITCHED:
            # A candidacy that pitched needs no reason to be selected (services.record_decision).
            form.fields.pop("without_pitch_reason")
        rows.append({"candidacy": candidacy, "decision": decision, "form": form, "anchor": prefix})
    if request.method == "POST" and status == 200:
        # The posted candidacy is not on this page (or the chair has a conflict with it).
        raise Http404
    context = {"call": call, "member": member, "rows": rows, "now": now}
    return render(request, "jury/decision_list.html", context, status=status)
