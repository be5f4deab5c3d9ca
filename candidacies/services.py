"""State changes of a candidacy. Each checks role and clock, writes in one transaction and leaves history."""

import uuid

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from . import files, transitions
from .models import Attachment, Candidacy, CandidacyVersion, ReferenceSequence
from .permissions import is_call_manager, is_member
from .transitions import Action, CandidacyError

CONTENT_FIELDS = [
    "title",
    "summary",
    "approach",
    "collaboration",
    "expected_participants",
    "duration_months",
    "budget",
    "budget_breakdown",
    "team",
    "contact_name",
    "contact_email",
    "contact_phone",
]
CHOICE_FIELDS = ["challenges", "personas", "service_types", "service_points", "municipalities"]


class NotAllowed(CandidacyError):
    pass


class DeadlinePassed(CandidacyError):
    pass


class DuplicateCandidacy(CandidacyError):
    def __init__(self, message, existing):
        super().__init__(message)
        self.existing = existing


class EditConflict(CandidacyError):
    """Someone saved the candidacy since this form was opened: `current` is what is stored now."""

    def __init__(self, message, current):
        super().__init__(message)
        self.current = current


def deadline_text(moment):
    return date_format(timezone.localtime(moment), "DATETIME_FORMAT")


def deadline_refusal(candidacy):
    return DeadlinePassed(
        _(
            "The deadline of %(deadline)s has passed: submitting, changing and withdrawing this candidacy "
            "is no longer possible."
        )
        % {"deadline": deadline_text(candidacy.deadline())}
    )


def _check_member(candidacy, by):
    if not is_member(by, candidacy.organisation):
        raise NotAllowed(
            _("Only members of %(organisation)s can change this candidacy.")
            % {"organisation": candidacy.organisation.name}
        )


def _check_open(candidacy, at):
    if candidacy.status not in {Candidacy.Status.DRAFT, Candidacy.Status.SUBMITTED}:
        raise NotAllowed(
            _("This candidacy is %(status)s and can no longer be changed.")
            % {"status": candidacy.get_status_display().lower()}
        )
    if not candidacy.accepts_changes(at):
        raise deadline_refusal(candidacy)


@transaction.atomic
def start_candidacy(call, organisation, *, title, by, at):
    """A new draft for the organisation; with the call's rule on, one per organisation."""
    if not is_member(by, organisation):
        raise NotAllowed(_("You can only apply on behalf of an organisation you belong to."), field="organisation")
    if not call.accepts_submissions(at):
        raise DeadlinePassed(
            _("Candidacies for this call could be submitted until %(deadline)s.")
            % {"deadline": deadline_text(call.deadline)}
        )
    if call.one_candidacy_per_organisation:
        existing = (
            Candidacy.objects.filter(call=call, organisation=organisation)
            .exclude(status=Candidacy.Status.WITHDRAWN)
            .first()
        )
        if existing is not None:
            raise DuplicateCandidacy(
                _("%(organisation)s already has a candidacy for this call; organisations apply individually.")
                % {"organisation": organisation.name},
                existing=existing,
            )
    candidacy = Candidacy(call=call, organisation=organisation, title=title, created_by=by)
    candidacy._change_reason = "started"
    candidacy.save()
    transitions.started(candidacy, by=by, at=at)
    return candidacy


def _take_lock(candidacy, lock_version):
    """Moves the form version on, or raises EditConflict when another save came first."""
    taken = Candidacy.objects.filter(pk=candidacy.pk, lock_version=lock_version).update(
        lock_version=F("lock_version") + 1
    )
    if not taken:
        current = Candidacy.objects.select_related("call", "organisation").get(pk=candidacy.pk)
        raise EditConflict(
            _(
                "Someone else saved this candidacy after you opened it. Your changes have not been saved: "
                "compare them with the stored version below, then save again."
            ),
            current=current,
        )
    candidacy.refresh_from_db()  # the row as it is now, locked by the update: what others changed meanwhile stays


def _locked(candidacy):
    """The candidacy's row as it is now, locked until the transaction ends: every change below is decided on this
    fresh copy and writes only the fields it owns, so a change someone else made since `candidacy` was loaded
    (an extension, a status) is never overwritten from a stale copy."""
    return Candidacy.objects.select_for_update(of=("self",)).select_related("call", "organisation").get(pk=candidacy.pk)


def _content(data):
    return {field: data[field] for field in CONTENT_FIELDS if field in data}


def _set_choices(candidacy, data):
    """The chosen challenges, personas, service types, sub-points and municipalities, written without a history entry
    of their own: the candidacy's save that follows records them with the rest of the change. (Each list written on
    its own would add an entry per list, with a copy of every list in each: eleven entries for one submission.)"""
    candidacy.skip_history_when_saving = True
    try:
        for field in CHOICE_FIELDS:
            if field in data:
                getattr(candidacy, field).set(data[field])
    finally:
        del candidacy.skip_history_when_saving


def _write(candidacy, current, values, *, by, reason):
    """Writes `values` (and `updated_at`) from the fresh row `current`, and copies them onto the caller's copy."""
    for name, value in values.items():
        setattr(current, name, value)
    current._change_reason = reason
    current._history_user = by
    current.save(update_fields=[*values, "updated_at"])
    for name in [*values, "updated_at", "lock_version", "_change_reason", "_history_user"]:
        setattr(candidacy, name, getattr(current, name))


@transaction.atomic
def save_draft(candidacy, data, *, lock_version, by, at):
    """Keeps whatever is filled in. A submitted candidacy stays submitted: its last version still counts."""
    current = _locked(candidacy)
    _check_member(current, by)
    _check_open(current, at)
    _take_lock(current, lock_version)
    values = _content(data)
    if current.status == Candidacy.Status.SUBMITTED:
        values["changed_since_submission"] = True
    _set_choices(candidacy, data)
    _write(candidacy, current, values, by=by, reason="saved")
    return candidacy


@transaction.atomic
def change_in_admin(candidacy, changed_fields, *, by, at):
    """The call manager corrects a candidacy's content in admin (CandidacyAdmin.save_model): only the fields the
    form changed are written, from the locked row; the open forms of the applicants see an edit conflict."""
    current = _locked(candidacy)
    values = {name: getattr(candidacy, name) for name in changed_fields if name in CONTENT_FIELDS}
    if not values and not set(changed_fields) & set(CHOICE_FIELDS):
        return candidacy
    _take_lock(current, current.lock_version)
    if current.status == Candidacy.Status.SUBMITTED:
        values["changed_since_submission"] = True
    _write(candidacy, current, values, by=by, reason="changed in admin")
    return candidacy


def _next_reference(call):
    sequence, _created = ReferenceSequence.objects.select_for_update().get_or_create(call=call)
    ReferenceSequence.objects.filter(pk=sequence.pk).update(last_number=F("last_number") + 1)
    sequence.refresh_from_db()
    year = timezone.localtime(call.deadline).year
    return f"{call.reference_prefix}-{year}-{sequence.last_number:03d}"


def snapshot(candidacy):
    """Exactly what is submitted, as plain data: the receipt and the jury read this."""
    values = {field: getattr(candidacy, field) for field in CONTENT_FIELDS}
    values["budget"] = None if candidacy.budget is None else str(candidacy.budget)
    attachments = candidacy.attachments.current()
    return {
        "reference": candidacy.reference,
        "call": {"slug": candidacy.call.slug, "title": candidacy.call.title, "subtitle": candidacy.call.subtitle},
        "organisation": {
            "name": candidacy.organisation.name,
            "enterprise_number": candidacy.organisation.enterprise_number_display,
            "address": f"{candidacy.organisation.street}, {candidacy.organisation.postal_code} "
            f"{candidacy.organisation.city}",
        },
        **values,
        "challenges": [str(challenge) for challenge in candidacy.challenges.order_by("number")],
        "personas": [persona.name for persona in candidacy.personas.order_by("position")],
        "service_types": [service_type.name for service_type in candidacy.service_types.order_by("position")],
        "service_points": [
            point.text for point in candidacy.service_points.order_by("service_type__position", "position")
        ],
        "municipalities": [municipality.name for municipality in candidacy.municipalities.order_by("position")],
        "attachments": [
            {"id": item.pk, "name": item.name, "kind": item.kind, "size": item.size, "sha256": item.sha256}
            for item in attachments
        ],
    }


def submit(candidacy, data, *, lock_version, token, by, at):
    """Saves and submits: a reference on the first time, a new version every time.

    The same form posted twice (a double click, a second tab with the same form) gives one version.
    """
    token = uuid.UUID(str(token))
    try:
        with transaction.atomic():
            existing = CandidacyVersion.objects.filter(candidacy=candidacy, submission_token=token).first()
            if existing is not None:
                return existing

            def changes(current):
                _check_member(current, by)
                _check_open(current, at)
                _take_lock(current, lock_version)
                _set_choices(candidacy, data)
                return {
                    **_content(data),
                    "reference": current.reference or _next_reference(current.call),
                    "submitted_at": at,
                    "changed_since_submission": False,
                }

            transitions.move(candidacy, Action.SUBMIT, by=by, at=at, changes=changes, history_reason="submitted")
            number = candidacy.versions.count() + 1
            version = CandidacyVersion.objects.create(
                candidacy=candidacy,
                number=number,
                submitted_at=at,
                submitted_by=by,
                submission_token=token,
                content={**snapshot(candidacy), "version": number},
            )
    except (EditConflict, IntegrityError):
        existing = CandidacyVersion.objects.filter(candidacy=candidacy, submission_token=token).first()
        if existing is not None:
            return existing
        raise
    from .emails import after_submission

    transaction.on_commit(lambda: after_submission(version))
    return version


def withdraw(candidacy, *, by, at):
    def changes(current):
        _check_member(current, by)
        _check_open(current, at)
        return {"withdrawn_at": at, "lock_version": current.lock_version + 1}

    withdrawn = transitions.move(candidacy, Action.WITHDRAW, by=by, at=at, changes=changes, history_reason="withdrawn")
    from .emails import send_withdrawal_confirmed

    transaction.on_commit(lambda: send_withdrawal_confirmed(withdrawn))
    return withdrawn


def check_upload(candidacy, uploaded_file):
    """Raises CandidacyError with a Dutch message when the file may not be added; returns its kind."""
    refusal = files.size_refusal(uploaded_file)
    if refusal:
        raise CandidacyError(refusal, field="file")
    maximum = settings.ATTACHMENT_MAX_COUNT
    if candidacy.attachments.current().count() >= maximum:
        raise CandidacyError(
            ngettext(
                "A candidacy can have at most %(count)d attachment; remove one first.",
                "A candidacy can have at most %(count)d attachments; remove one first.",
                maximum,
            )
            % {"count": maximum},
            field="file",
        )
    try:
        return files.check_document(uploaded_file, name=uploaded_file.name)
    except files.DocumentRefused as refusal:
        raise CandidacyError(refusal.message, field="file") from None


@transaction.atomic
def add_attachment(candidacy, uploaded_file, *, by, at, requested_kind=None):
    """Stores the file; `requested_kind` is the document of the call's list that it is (a budget, a CV), if any."""
    Candidacy.objects.select_for_update().filter(pk=candidacy.pk).first()
    _check_member(candidacy, by)
    _check_open(candidacy, at)
    if requested_kind is not None and requested_kind.call_id != candidacy.call_id:
        raise CandidacyError(_("This call does not ask for that document."), field="requested_kind")
    kind = check_upload(candidacy, uploaded_file)
    attachment = Attachment(
        candidacy=candidacy,
        requested_kind=requested_kind,
        name=files.safe_file_name(uploaded_file.name, kind),
        kind=kind,
        size=uploaded_file.size,
        sha256=files.sha256_of(uploaded_file),
        uploaded_by=by,
    )
    attachment.file.save(attachment.name, uploaded_file, save=False)
    attachment._history_user = by
    attachment.save()
    _mark_changed(candidacy, by=by, reason="attachment added")
    return attachment


@transaction.atomic
def remove_attachment(attachment, *, by, at):
    """Hides the attachment; the file stays, since a submitted version may list it."""
    candidacy = attachment.candidacy
    _check_member(candidacy, by)
    _check_open(candidacy, at)
    attachment.removed_at = at
    attachment._history_user = by
    attachment.save(update_fields=["removed_at"])
    _mark_changed(candidacy, by=by, reason="attachment removed")
    return attachment


def _mark_changed(candidacy, *, by, reason):
    candidacy.refresh_from_db(fields=["status", "changed_since_submission", "lock_version"])
    if candidacy.status == Candidacy.Status.SUBMITTED and not candidacy.changed_since_submission:
        candidacy.changed_since_submission = True
        candidacy._change_reason = reason
        candidacy._history_user = by
        candidacy.save(update_fields=["changed_since_submission"])


@transaction.atomic
def grant_extension(candidacy, *, until, reason, by, at):
    """The call manager's exception for one candidacy: a later deadline, with who and why in the history."""
    if not is_call_manager(by) or not by.has_perm("candidacies.change_candidacy"):
        raise NotAllowed(_("Only the call manager can grant an extension."))
    if not reason.strip():
        raise CandidacyError(_("Say why the extension is granted."), field="reason")
    if until <= candidacy.call.deadline:
        raise CandidacyError(
            _("An extension must end after the call's deadline of %(deadline)s.")
            % {"deadline": deadline_text(candidacy.call.deadline)},
            field="until",
        )
    if until <= at:
        raise CandidacyError(
            _("An extension must end in the future, after %(now)s.") % {"now": deadline_text(at)}, field="until"
        )
    current = _locked(candidacy)
    if current.status not in {Candidacy.Status.DRAFT, Candidacy.Status.SUBMITTED}:
        raise CandidacyError(_("Only a draft or submitted candidacy can get an extension."))
    values = {"extended_until": until, "extension_reason": reason.strip(), "extension_granted_by": by}
    _write(candidacy, current, values, by=by, reason="extension granted")
    transitions.record(
        None,
        Action.GRANT_EXTENSION,
        candidacy=current,
        by=by,
        at=at,
        reason=_("until %(until)s: %(reason)s") % {"until": deadline_text(until), "reason": reason.strip()},
    )
    from .emails import send_extension_granted

    transaction.on_commit(lambda: send_extension_granted(candidacy))
    return candidacy


# Moves after the deadline, made by the call manager (from the admin or the ranking).


def _check_manager(by):
    if not is_call_manager(by) or not by.has_perm("candidacies.change_candidacy"):
        raise NotAllowed(_("Only the call manager can do this."))


def _after_deadline(at, message):
    def changes(current):
        if current.call.accepts_submissions(at):
            raise CandidacyError(message)
        return {}

    return changes


def inadmissible_refusal(call, *, at):
    """Why no candidacy of this call can be declared inadmissible at `at`, or None: not while the call still takes
    submissions (the guard of `mark_inadmissible` that depends neither on the candidacy nor on the reason)."""
    if call.accepts_submissions(at):
        return _(
            "The call takes submissions until %(deadline)s: a candidacy can be declared inadmissible only after the "
            "deadline."
        ) % {"deadline": deadline_text(call.deadline)}
    return None


def mark_inadmissible(candidacy, *, reason, by, at):
    _check_manager(by)
    refused = inadmissible_refusal(candidacy.call, at=at)
    if refused is not None:
        raise CandidacyError(refused)
    if not reason.strip():
        raise CandidacyError(_("Say why the candidacy is inadmissible."), field="reason")
    message = _("Only a submitted candidacy can be declared inadmissible, after the deadline.")
    check = _after_deadline(at, message)
    declared = transitions.move(
        candidacy,
        Action.MARK_INADMISSIBLE,
        by=by,
        at=at,
        reason=reason,
        changes=lambda current: {**check(current), "status_reason": reason.strip()},
        history_reason="inadmissible",
    )
    from .emails import send_inadmissible

    transaction.on_commit(lambda: send_inadmissible(declared))
    return declared


def shortlist(candidacy, *, by, at):
    _check_manager(by)
    message = _("Only a submitted candidacy can be shortlisted, after the deadline.")
    return transitions.move(
        candidacy, Action.SHORTLIST, by=by, at=at, changes=_after_deadline(at, message), history_reason="shortlisted"
    )


def mark_pitched(candidacy, *, by, at):
    """The call manager records that the pitch was held: not while the candidacy's pitch slot is still to come."""
    _check_manager(by)

    def changes(current):
        slot = getattr(current, "pitch_slot", None)  # jury.PitchSlot, through its one-to-one to the candidacy
        if slot is not None and slot.starts_at > at:
            raise CandidacyError(
                _("The pitch of this candidacy is still to come (%(moment)s): mark it as pitched once it was held.")
                % {"moment": deadline_text(slot.starts_at)}
            )
        return {}

    return transitions.move(candidacy, Action.MARK_PITCHED, by=by, at=at, changes=changes, history_reason="pitched")


# The jury's decision, once it is communicated (or revised after a weerwoord), becomes the candidacy's status.

OUTCOME_STATUSES = transitions.DECIDED
DECIDED_FROM = transitions.DECIDABLE | transitions.DECIDED


def mark_decided(candidacy, status, *, by, at, reason, revision=False):
    """Selected or not selected. jury.communication calls this once it has checked who sends or revises the
    decision (the call manager, or the chair after a founded weerwoord): sending moves an undecided candidacy,
    a revision (`revision=True`) a decided one; the log keeps who and why."""
    action = Action.REVISE_DECISION if revision else Action.SEND_DECISION
    return transitions.move(candidacy, action, to=status, by=by, at=at, history_reason=reason)
