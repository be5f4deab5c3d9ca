"""Communicating decisions and the weerwoord that may follow: each move checks role and clock, writes in one
transaction, keeps history, and mails only after the commit."""

from django.db import transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from candidacies import files, transitions
from candidacies import services as candidacy_services
from candidacies.models import Candidacy, ProcedureStep
from candidacies.permissions import is_member
from maasland.refusals import Refusal
from maasland.tasks import after_commit

from .models import Decision, Weerwoord
from .roles import is_call_manager, is_chair, presided_candidacies, presiding, presiding_seat


class CommunicationError(Refusal):
    """A refused move in communicating a decision or a weerwoord."""


def _moment(value):
    return date_format(timezone.localtime(value), "DATETIME_FORMAT")


def _check_manager(by):
    if not is_call_manager(by) or not by.has_perm("jury.change_decision"):
        raise CommunicationError(_("Only the call manager sends decisions."))


def _check_sendable(decision):
    if not decision.motivation.strip():
        raise CommunicationError(_("This decision has no motivation: it cannot be sent."), field="motivation")
    if decision.outcome not in Decision.Outcome.values:
        raise CommunicationError(_("This decision was not deliberated by the jury."))
    if not presiding(decision.candidacy.call_id).filter(user_id=decision.recorded_by_id).exists():
        raise CommunicationError(_("Only a decision recorded by the chair of the jury can be sent."))


STATUS_FOR_OUTCOME = {
    Decision.Outcome.SELECTED: Candidacy.Status.SELECTED,
    Decision.Outcome.NOT_SELECTED: Candidacy.Status.NOT_SELECTED,
}


def _set_candidacy_status(decision, *, by, at, reason, revision=False):
    """The candidacy's move (candidacies.transitions), which also writes the step into the log; a move its state
    does not allow is refused as this module's refusal, and the transaction writes nothing."""
    try:
        candidacy_services.mark_decided(
            decision.candidacy, STATUS_FOR_OUTCOME[decision.outcome], by=by, at=at, reason=reason, revision=revision
        )
    except candidacy_services.CandidacyError as refusal:
        raise CommunicationError(refusal.message) from None


def check_sending(decision, *, by):
    """What `send_decision` would refuse of this user and this decision, raised before it is queued."""
    _check_manager(by)
    _check_sendable(decision)


def _mail_after_commit(letter):
    from .tasks import mail_letter

    after_commit(mail_letter, letter.pk)


def send_decision(decision, *, by, at, queue_mail=True):
    """Makes the letter, marks the decision communicated and queues the letter's mail (jury.tasks.mail_letter, once
    committed; not with queue_mail=False, for a caller that mails it itself). Sending twice sends once: returns None
    when the decision had already gone out."""
    from . import letters

    _check_manager(by)
    with transaction.atomic():
        decision = (
            Decision.objects.select_for_update(of=("self",)).select_related("candidacy__call").get(pk=decision.pk)
        )
        if decision.communicated_at is not None:
            return None
        _check_sendable(decision)
        letter = letters.make_letter(decision, by=by, at=at)
        letter.sent_at = at
        letter.save(update_fields=["sent_at"])
        decision.communicated_at = at
        decision._history_user = by
        decision._change_reason = "communicated"
        decision.save(update_fields=["communicated_at"])
        _set_candidacy_status(decision, by=by, at=at, reason="decision communicated")
        if queue_mail:
            _mail_after_commit(letter)
    return letter


def check_weerwoord_attachment(upload):
    """The same checks as a candidacy's attachments: size, and the type from the bytes."""
    refusal = files.size_refusal(upload)
    if refusal:
        raise CommunicationError(refusal, field="attachment")
    try:
        return files.check_document(upload, name=upload.name)
    except files.DocumentRefused as refusal:
        raise CommunicationError(refusal.message, field="attachment") from None


def weerwoord_window_text(decision):
    return _("%(start)s until %(end)s") % {
        "start": _moment(decision.communicated_at),
        "end": _moment(decision.weerwoord_deadline()),
    }


def file_weerwoord(decision, *, text, upload=None, by, at):
    """The applicant's one written response, from the communication until the window's last second."""
    from . import emails

    candidacy = decision.candidacy
    if not is_member(by, candidacy.organisation):
        raise CommunicationError(_("Only members of the organisation can file a weerwoord."))
    if decision.communicated_at is None:
        raise CommunicationError(_("The decision has not been communicated yet: a weerwoord is not possible."))
    if not decision.accepts_weerwoord(at):
        raise CommunicationError(
            _("A weerwoord on this decision could be filed from %(window)s.")
            % {"window": weerwoord_window_text(decision)}
        )
    text = text.strip()
    if not text:
        raise CommunicationError(_("Write your weerwoord."), field="text")
    if len(text) > Weerwoord.TEXT_MAX_LENGTH:
        raise CommunicationError(
            _("A weerwoord can be at most %(limit)s characters; yours has %(count)s.")
            % {"limit": Weerwoord.TEXT_MAX_LENGTH, "count": len(text)},
            field="text",
        )
    kind = check_weerwoord_attachment(upload) if upload else ""
    with transaction.atomic():
        Decision.objects.select_for_update().filter(pk=decision.pk).first()
        if Weerwoord.objects.filter(decision=decision).exists():
            raise CommunicationError(
                _("A weerwoord on this decision has already been filed; there is one per decision.")
            )
        weerwoord = Weerwoord(decision=decision, text=text, filed_at=at, filed_by=by)
        if upload:
            weerwoord.attachment_name = files.safe_file_name(upload.name, kind)
            weerwoord.attachment_kind = kind
            weerwoord.attachment_size = upload.size
            weerwoord.attachment_sha256 = files.sha256_of(upload)
            weerwoord.attachment.save(weerwoord.attachment_name, upload, save=False)
        weerwoord._history_user = by
        weerwoord.save()
        transitions.record(None, ProcedureStep.Action.FILE_WEERWOORD, candidacy=candidacy, by=by, at=at)
        transaction.on_commit(lambda: emails.send_weerwoord_received(weerwoord))
    return weerwoord


def _check_assessor(decision, by):
    manager = is_call_manager(by) and by.has_perm("jury.change_weerwoord")
    if not (manager or is_chair(by, decision.candidacy.call_id)):
        raise CommunicationError(_("Only the call manager or the chair assesses a weerwoord."))


def in_two_steps(weerwoord):
    """The weerwoord's call has its assessments prepared by the call manager and confirmed by the chair."""
    return weerwoord.decision.candidacy.call.weerwoord_assessment == "two_steps"


def _check_assessment(weerwoord, *, assessment, motivation, at):
    if assessment not in Weerwoord.Assessment.values:
        raise CommunicationError(_("Choose founded or unfounded."), field="assessment")
    if not motivation.strip():
        raise CommunicationError(_("Motivate the assessment."), field="assessment_motivation")
    if at < weerwoord.filed_at:
        raise CommunicationError(_("An assessment cannot come before the weerwoord it assesses."))


def _confirmed(weerwoord, *, assessment, motivation, by, at, action, reason):
    """Writes the assessment that counts, logs the step and mails the applicant after the commit."""
    from . import emails

    weerwoord.assessment = assessment
    weerwoord.assessment_motivation = motivation
    weerwoord.assessed_by = by
    weerwoord.assessed_at = at
    weerwoord._history_user = by
    weerwoord.save(update_fields=["assessment", "assessment_motivation", "assessed_by", "assessed_at"])
    transaction.on_commit(lambda: emails.send_weerwoord_assessed(weerwoord))
    transitions.record(None, action, candidacy=weerwoord.decision.candidacy, by=by, at=at, reason=reason)
    return weerwoord


def _assessment_text(assessment, motivation):
    return f"{Weerwoord.Assessment(assessment).label}: {motivation}"


@transaction.atomic
def assess_weerwoord(weerwoord, *, assessment, motivation, by, at):
    """The assessment in one step, by the call manager or the chair alone, where the call wants one step."""
    _check_assessor(weerwoord.decision, by)
    if in_two_steps(weerwoord):
        raise CommunicationError(
            _("This call assesses a weerwoord in two steps: the call manager prepares it, the chair confirms it.")
        )
    _check_assessment(weerwoord, assessment=assessment, motivation=motivation, at=at)
    # The decision's lock first, as revise_decision takes it: a revision never reads an assessment being changed.
    Decision.objects.select_for_update().filter(pk=weerwoord.decision_id).first()
    motivation = motivation.strip()
    return _confirmed(
        weerwoord,
        assessment=assessment,
        motivation=motivation,
        by=by,
        at=at,
        action=ProcedureStep.Action.ASSESS_WEERWOORD,
        reason=_assessment_text(assessment, motivation),
    )


@transaction.atomic
def prepare_assessment(weerwoord, *, assessment, motivation, by, at):
    """Step one of two: the call manager prepares the assessment (again, while the chair has not confirmed it, or
    anew after a confirmation); nothing of it counts until the chair confirms it."""
    if not (is_call_manager(by) and by.has_perm("jury.change_weerwoord")):
        raise CommunicationError(_("Only the call manager prepares the assessment of a weerwoord."))
    if not in_two_steps(weerwoord):
        raise CommunicationError(_("This call assesses a weerwoord in one step: record the assessment itself."))
    _check_assessment(weerwoord, assessment=assessment, motivation=motivation, at=at)
    Decision.objects.select_for_update().filter(pk=weerwoord.decision_id).first()
    weerwoord.proposed_assessment = assessment
    weerwoord.proposed_motivation = motivation.strip()
    weerwoord.proposed_by = by
    weerwoord.proposed_at = at
    weerwoord._history_user = by
    weerwoord.save(update_fields=["proposed_assessment", "proposed_motivation", "proposed_by", "proposed_at"])
    transitions.record(
        None,
        ProcedureStep.Action.PREPARE_ASSESSMENT,
        candidacy=weerwoord.decision.candidacy,
        by=by,
        at=at,
        reason=_assessment_text(assessment, weerwoord.proposed_motivation),
    )
    return weerwoord


def _check_confirmer(weerwoord, by):
    """The chair, or the deputy chair for a candidacy the chair has a conflict with (roles.presided_candidacies)."""
    candidacy = weerwoord.decision.candidacy
    seat = presiding_seat(by, candidacy.call_id)
    if seat is None or not presided_candidacies(seat).filter(pk=candidacy.pk).exists():
        raise CommunicationError(_("Only the chair of the jury confirms the assessment of a weerwoord."))


def confirm_assessment(weerwoord, *, by, at):
    """Step two of two: the chair confirms the assessment the call manager prepared, as it stands; from then on it
    counts (the applicant's mail, a revision after a founded weerwoord)."""
    _check_confirmer(weerwoord, by)
    if not in_two_steps(weerwoord):
        raise CommunicationError(_("This call assesses a weerwoord in one step: there is nothing to confirm."))
    with transaction.atomic():
        Decision.objects.select_for_update().filter(pk=weerwoord.decision_id).first()
        weerwoord = Weerwoord.objects.select_related("decision__candidacy__call").get(pk=weerwoord.pk)
        if weerwoord.proposed_at is None:
            raise CommunicationError(_("No assessment has been prepared yet: the call manager prepares it first."))
        if not weerwoord.awaits_confirmation():
            raise CommunicationError(_("This assessment has been confirmed already."))
        if at < weerwoord.proposed_at:
            raise CommunicationError(_("A confirmation cannot come before the assessment was prepared."))
        return _confirmed(
            weerwoord,
            assessment=weerwoord.proposed_assessment,
            motivation=weerwoord.proposed_motivation,
            by=by,
            at=at,
            action=ProcedureStep.Action.CONFIRM_ASSESSMENT,
            reason=_assessment_text(weerwoord.proposed_assessment, weerwoord.proposed_motivation),
        )


def check_revisable(decision):
    """A decision is revised after a founded assessment of its weerwoord, once per assessment."""
    weerwoord = Weerwoord.objects.filter(decision=decision).first()
    if weerwoord is None or weerwoord.assessment != Weerwoord.Assessment.FOUNDED:
        raise CommunicationError(_("A decision can only be revised after a founded weerwoord."))
    if decision.revised_at is not None and decision.revised_at >= weerwoord.assessed_at:
        raise CommunicationError(_("This decision has already been revised after this weerwoord."))


def check_revision(decision, *, outcome, motivation):
    """What `revise_decision` refuses of the new outcome and motivation: an unknown outcome, no motivation, or
    nothing changed."""
    if outcome not in Decision.Outcome.values:
        raise CommunicationError(_("Choose selected or not selected."), field="outcome")
    if not motivation.strip():
        raise CommunicationError(_("A decision needs a motivation."), field="motivation")
    if outcome == decision.outcome and motivation.strip() == decision.motivation.strip():
        raise CommunicationError(
            _("Nothing changes: a revision changes the decision or its motivation."), field="motivation"
        )


def revise_decision(decision, *, outcome, motivation, by, at):
    """After a founded weerwoord the decision may change, once per assessment and only if it changes: a new letter
    goes out, naming the letter it replaces; the first letter, the weerwoord and the revision all stay in the
    history."""
    from . import letters

    _check_assessor(decision, by)
    check_revisable(decision)
    check_revision(decision, outcome=outcome, motivation=motivation)
    with transaction.atomic():
        decision = (
            Decision.objects.select_for_update(of=("self",)).select_related("candidacy__call").get(pk=decision.pk)
        )
        check_revisable(decision)
        check_revision(decision, outcome=outcome, motivation=motivation)
        decision.outcome = outcome
        decision.motivation = motivation.strip()
        decision.revised_at = at
        decision._history_user = by
        decision._change_reason = "revised after weerwoord"
        decision.save(update_fields=["outcome", "motivation", "revised_at"])
        _set_candidacy_status(decision, by=by, at=at, reason="decision revised after weerwoord", revision=True)
        letter = letters.make_letter(decision, by=by, at=at)
        letter.sent_at = at
        letter.save(update_fields=["sent_at"])
        _mail_after_commit(letter)
    return letter
