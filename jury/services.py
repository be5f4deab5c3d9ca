"""State changes of the jury. Each checks role and clock, writes in one transaction and leaves history."""

from django.db import transaction
from django.db.models import Exists, OuterRef
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.text import capfirst, get_text_list
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from candidacies import services as candidacy_services
from candidacies import transitions
from candidacies.models import Candidacy, ProcedureStep
from maasland import clock
from maasland.refusals import Refusal

from . import queries, ranking, scoring
from .feeds import CalendarFeed, new_token
from .models import Conflict, Criterion, Decision, JuryMember, PitchSlot, Round, RoundClosure, Score, ScoreSheet
from .permissions import has_conflict
from .roles import chair_of, is_call_manager, presided_candidacies, presiding_seat


class JuryError(Refusal):
    """A refused change by or for the jury."""


class NotFound(JuryError):
    """The user may not know the thing exists: views answer 404."""


def round_is_closed(call, round):
    return queries.round_closure(call, round).exists()


def round_is_open(call, round, at):
    """The written round opens when intake has closed; the pitch round opens on the first pitch day."""
    if round_is_closed(call, round):
        return False
    if round == Round.WRITTEN:
        return at > call.deadline
    return call.pitches_have_started(at)


def _check_assigned(jury_member, candidacy, round):
    if not queries.assigned_candidacies(jury_member, round).filter(pk=candidacy.pk).exists():
        raise NotFound(_("This candidacy is not assigned to you."))


@transaction.atomic
def declare_conflict(jury_member, candidacy, *, reason, by, at):
    """The juror declares a conflict (or the call manager sets one): from then on the juror neither sees nor
    scores the candidacy, and their sheet no longer counts."""
    if by.pk == jury_member.user_id:
        source = Conflict.Source.DECLARED
    elif is_call_manager(by):
        source = Conflict.Source.MANAGER
    else:
        raise JuryError(_("Only the juror or the call manager can record this conflict."))
    if candidacy.call_id != jury_member.call_id:
        raise NotFound(_("This candidacy is not part of your call."))
    conflict, _created = Conflict.objects.get_or_create(
        jury_member=jury_member,
        candidacy=candidacy,
        defaults={"source": source, "reason": reason.strip(), "created_by": by},
    )
    if _created:
        transitions.record(
            None,
            ProcedureStep.Action.DECLARE_CONFLICT,
            candidacy=candidacy,
            by=by,
            at=at,
            reason=conflict.reason,
        )
    return conflict


@transaction.atomic
def withdraw_conflict(jury_member, candidacy, *, by, at):
    """The juror takes back a conflict they declared by mistake, as long as they have not scored the candidacy
    (a sheet of theirs for it, in any round, draft or submitted): from then on they see and score it again. Recorded
    in the Logboek, where the chair sees it (`queries.withdrawn_conflicts`). A conflict the manager set, or one that
    follows from the juror's organisations, is not theirs to withdraw."""
    if by.pk != jury_member.user_id:
        raise JuryError(_("Only the juror who declared this conflict of interest can withdraw it."))
    conflict = Conflict.objects.select_for_update().filter(jury_member=jury_member, candidacy=candidacy).first()
    if conflict is None or conflict.source != Conflict.Source.DECLARED:
        raise NotFound(_("You have not declared a conflict of interest for this candidacy."))
    if ScoreSheet.objects.filter(jury_member=jury_member, candidacy=candidacy).exists():
        raise JuryError(
            _("You have already scored this candidacy: the conflict of interest can no longer be withdrawn.")
        )
    candidacy = Candidacy.objects.get(pk=candidacy.pk)
    if all(
        round_is_closed(candidacy.call_id, round)
        for round in Round
        if candidacy.status in queries.ROUND_STATUSES[round]
    ):
        raise JuryError(_("Every round of this candidacy is closed: the conflict of interest stays as it was."))
    conflict._history_user = by
    conflict.delete()
    transitions.record(
        None,
        ProcedureStep.Action.WITHDRAW_CONFLICT,
        candidacy=candidacy,
        by=by,
        at=at,
        reason=_("%(juror)s withdrew the conflict of interest declared on %(declared)s.")
        % {
            "juror": by.full_name or by.email,
            "declared": date_format(timezone.localtime(conflict.created_at, clock.BRUSSELS), "DATETIME_FORMAT"),
        },
    )
    return conflict


@transaction.atomic
def renew_calendar_feed(user, *, at):
    """Makes the juror's secret calendar link, or gives it a new token: the old link answers 404 from then on."""
    if not JuryMember.objects.filter(user=user).exists():
        raise NotFound(_("Only a juror has a calendar of the pitches."))
    feed, created = CalendarFeed.objects.select_for_update().get_or_create(user=user, defaults={"renewed_at": at})
    if not created:
        feed.token = new_token()
        feed.renewed_at = at
        feed.save(update_fields=["token", "renewed_at"])
    return feed


def sheet_for(jury_member, candidacy, round):
    sheet, _created = ScoreSheet.objects.get_or_create(jury_member=jury_member, candidacy=candidacy, round=round)
    return sheet


@transaction.atomic
def save_sheet(jury_member, candidacy, round, *, values, overall_comment, submit, by, at):
    """Stores a juror's scores and the sheet's weighted total (jury/scoring.py); `values` maps criterion pk to
    (score or None, comment). Submitting needs every criterion scored. A round the chair closed refuses every
    change."""
    if by.pk != jury_member.user_id:
        raise NotFound(_("This score sheet is not yours."))
    if has_conflict(jury_member, candidacy):
        raise NotFound(_("You declared a conflict of interest for this candidacy."))
    _check_assigned(jury_member, candidacy, round)
    if round_is_closed(candidacy.call, round):
        raise JuryError(_("The chair has closed this round: scores can no longer change."))
    if not round_is_open(candidacy.call, round, at):
        raise JuryError(_("This round has not started yet."))
    criteria = {criterion.pk: criterion for criterion in Criterion.objects.filter(call=candidacy.call, round=round)}
    for criterion_pk, (value, _comment) in values.items():
        criterion = criteria.get(criterion_pk)
        if criterion is None:
            raise JuryError(_("Unknown criterion."))
        if value is not None and not criterion.scale_min <= value <= criterion.scale_max:
            raise JuryError(
                _("A score for “%(criterion)s” is between %(low)s and %(high)s.")
                % {"criterion": criterion.name, "low": criterion.scale_min, "high": criterion.scale_max},
                field=f"score_{criterion_pk}",
            )
    already_submitted = ScoreSheet.objects.filter(
        jury_member=jury_member, candidacy=candidacy, round=round, submitted_at__isnull=False
    ).exists()
    if already_submitted:
        raise JuryError(_("You have submitted this score sheet: it is final. Ask the chair to reopen it."))
    if submit:
        missing = [criterion for pk, criterion in criteria.items() if values.get(pk, (None, ""))[0] is None]
        if missing:
            raise JuryError(
                _("Score every criterion before you submit; missing: %(names)s.")
                % {"names": ", ".join(criterion.name for criterion in missing)},
                field=f"score_{missing[0].pk}",
            )
    sheet = ScoreSheet.objects.select_for_update().get(pk=sheet_for(jury_member, candidacy, round).pk)
    for criterion_pk, (value, comment) in values.items():
        Score.objects.update_or_create(
            sheet=sheet, criterion_id=criterion_pk, defaults={"value": value, "comment": comment.strip()}
        )
    sheet.overall_comment = overall_comment.strip()
    sheet.total = scoring.weighted_total(
        criteria.values(), dict(Score.objects.filter(sheet=sheet).values_list("criterion_id", "value"))
    )
    if submit:
        sheet.submitted_at = at
    sheet._history_user = by
    sheet.save()
    return sheet


@transaction.atomic
def reopen_sheet(sheet, *, reason, by, at):
    """The chair makes a juror's submitted sheet a draft again, with the reason recorded on the sheet and in its
    history: a submitted sheet is final otherwise (save_sheet)."""
    member = chair_of(by, sheet.candidacy.call_id)
    if member is None:
        raise JuryError(_("Only the chair of the jury can reopen a score sheet."))
    if has_conflict(member, sheet.candidacy):
        raise NotFound(_("You have a conflict of interest for this candidacy."))
    if round_is_closed(sheet.candidacy.call_id, sheet.round):
        raise JuryError(_("The chair has closed this round: scores can no longer change."))
    sheet = ScoreSheet.objects.select_for_update().get(pk=sheet.pk)
    if sheet.submitted_at is None:
        raise JuryError(_("This score sheet has not been submitted: it is still open."))
    if not reason.strip():
        raise JuryError(_("Say why the score sheet is reopened."), field="reason")
    sheet.submitted_at = None
    sheet.reopened_at = at
    sheet.reopened_by = by
    sheet.reopen_reason = reason.strip()
    sheet._history_user = by
    sheet._change_reason = f"reopened: {reason.strip()}"
    sheet.save(update_fields=["submitted_at", "reopened_at", "reopened_by", "reopen_reason", "updated_at"])
    transitions.record(
        None,
        ProcedureStep.Action.REOPEN_SHEET,
        candidacy=sheet.candidacy,
        by=by,
        at=at,
        reason=f"{Round(sheet.round).label}: {reason.strip()}",
    )
    return sheet


def outstanding_sheets(call, round):
    """How many (juror, candidacy) pairs of the round still lack a submitted sheet: assigned, no conflict."""
    count = 0
    for member in JuryMember.objects.filter(call=call):
        submitted = ScoreSheet.objects.filter(
            jury_member=member, candidacy=OuterRef("pk"), round=round, submitted_at__isnull=False
        )
        count += queries.assigned_candidacies(member, round).exclude(Exists(submitted)).count()
    return count


def pitch_days_to_come(call, at):
    """The pitch days that have not begun, and the days of booked pitches that have not ended."""
    days = {day for day in call.pitch_dates if clock.day_start(day) > at}
    booked = PitchSlot.objects.filter(call=call, candidacy__isnull=False, ends_at__gt=at)
    days |= {clock.local_date(starts_at) for starts_at in booked.values_list("starts_at", flat=True)}
    return sorted(days)


def open_items(call, round, at):
    """What closing the round now would leave behind, in words; empty when nothing is left."""
    items = []
    outstanding = outstanding_sheets(call, round)
    if outstanding:
        items.append(
            ngettext(
                "%(count)d score sheet has not been submitted",
                "%(count)d score sheets have not been submitted",
                outstanding,
            )
            % {"count": outstanding}
        )
    days = pitch_days_to_come(call, at) if round == Round.PITCH else []
    if days:
        items.append(
            ngettext(
                "%(count)d pitch day is still to come (%(days)s)",
                "%(count)d pitch days are still to come (%(days)s)",
                len(days),
            )
            % {"count": len(days), "days": get_text_list([date_format(day, "l j F Y") for day in days], _("and"))}
        )
    return items


@transaction.atomic
def close_round(call, round, *, by, at, reason=""):
    """The chair closes a round. With score sheets outstanding or pitch days to come, only with a reason, which
    is recorded on the closure."""
    member = chair_of(by, call)
    if member is None:
        raise JuryError(_("Only the chair of the jury can close a round."))
    if round_is_closed(call, round):
        raise JuryError(_("This round was already closed."))
    items = open_items(call, round, at)
    if items and not reason.strip():
        raise JuryError(
            _("%(items)s. Close the round once everything is in, or give a reason to close it anyway.")
            % {"items": capfirst("; ".join(items))},
            field="reason",
        )
    closure, created = RoundClosure.objects.get_or_create(
        call=call, round=round, defaults={"closed_at": at, "closed_by": by, "reason": reason.strip()}
    )
    if not created:
        raise JuryError(_("This round was already closed."))
    ranking.freeze(closure, at=at)
    label = Round(round).label
    transitions.record(
        call,
        ProcedureStep.Action.CLOSE_ROUND,
        by=by,
        at=at,
        reason=f"{label}: {reason.strip()}" if reason.strip() else label,
    )
    return closure


def shortlist_refusal(call, *, by):
    """Why `by` can't shortlist for this call now, or None: only the call manager, once the written round is closed
    and while the pitch round is not (the guards of `shortlist` that don't depend on the candidacy)."""
    if not is_call_manager(by) or not by.has_perm("candidacies.change_candidacy"):
        return _("Only the call manager can do this.")
    if not round_is_closed(call, Round.WRITTEN):
        return _("The written round has not been closed yet: the shortlist follows from its ranking.")
    if round_is_closed(call, Round.PITCH):
        return _("The pitch round has been closed: nobody can be shortlisted any more.")
    return None


@transaction.atomic
def shortlist(candidacy, *, by, at):
    """The call manager invites a candidacy to pitch: submitted and admissible (candidacies.services.shortlist), once
    the written round is closed and before the pitch round is, and only while the jury has not decided on it."""
    refusal = shortlist_refusal(candidacy.call_id, by=by)
    if refusal is not None:
        raise JuryError(refusal)
    if Decision.objects.filter(candidacy=candidacy).exists():
        raise JuryError(_("The jury has already decided on this candidacy: it can no longer be shortlisted."))
    try:
        return candidacy_services.shortlist(candidacy, by=by, at=at)
    except candidacy_services.CandidacyError as refusal:
        raise JuryError(refusal.message, field=refusal.field) from None


DECIDABLE = {Candidacy.Status.SUBMITTED, Candidacy.Status.SHORTLISTED, Candidacy.Status.PITCHED}


def _booked_pitch(candidacy, at):
    return PitchSlot.objects.filter(candidacy=candidacy, ends_at__gt=at).first()


@transaction.atomic
def record_decision(candidacy, *, outcome, motivation, by, at, without_pitch_reason=""):
    """The chair records the deliberated decision (the deputy chair where the chair has a conflict of interest); it is
    not communicated yet, so the applicant sees nothing. Only once the pitch round is closed; "selected" for a
    candidacy that did not pitch only with a reason."""
    member = presiding_seat(by, candidacy.call)
    if member is None:
        raise JuryError(_("Only the chair of the jury records decisions."))
    if has_conflict(member, candidacy):
        raise JuryError(_("You have a conflict of interest for this candidacy: the deputy chair records its decision."))
    if not presided_candidacies(member).filter(pk=candidacy.pk).exists():
        raise JuryError(_("The deputy chair records a decision only where the chair has a conflict of interest."))
    if outcome not in Decision.Outcome.values:
        raise JuryError(_("Choose selected or not selected."), field="outcome")
    if not motivation.strip():
        raise JuryError(_("A decision needs a motivation."), field="motivation")
    # Locked and read again: a decision being sent meanwhile is seen as communicated once its sending commits.
    decision = Decision.objects.select_for_update().filter(candidacy=candidacy).first()
    if decision is not None and decision.communicated_at is not None:
        raise JuryError(_("This decision has been communicated; it can only be revised after a weerwoord."))
    candidacy.refresh_from_db(fields=["status"])
    if candidacy.status not in DECIDABLE:
        raise JuryError(_("Only a submitted, shortlisted or pitched candidacy gets a decision."))
    if not round_is_closed(candidacy.call_id, Round.PITCH):
        raise JuryError(_("The pitch round has not been closed yet: the jury decides after it."))
    booked = _booked_pitch(candidacy, at)
    if booked is not None:
        raise JuryError(
            _("This candidacy still has a pitch on %(moment)s: the call manager frees that slot first.")
            % {"moment": date_format(timezone.localtime(booked.starts_at, clock.BRUSSELS), "DATETIME_FORMAT")}
        )
    pitched = candidacy.status == Candidacy.Status.PITCHED
    if outcome == Decision.Outcome.SELECTED and not pitched and not without_pitch_reason.strip():
        raise JuryError(
            _("This candidacy did not pitch: give a reason to select it anyway."), field="without_pitch_reason"
        )
    decision = decision or Decision(candidacy=candidacy)
    decision.outcome = outcome
    decision.motivation = motivation.strip()
    selected_without_pitch = outcome == Decision.Outcome.SELECTED and not pitched
    decision.without_pitch_reason = without_pitch_reason.strip() if selected_without_pitch else ""
    decision.recorded_by = by
    decision.recorded_at = at
    decision._history_user = by
    decision.save()
    transitions.record(
        None,
        ProcedureStep.Action.RECORD_DECISION,
        candidacy=candidacy,
        by=by,
        at=at,
        reason=decision.get_outcome_display(),
    )
    return decision
