"""Applicant pages for candidacies: thin views around the forms and the services."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import content_disposition_header, urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from challenges.models import Call
from maasland import clock, kept_input
from maasland.kept_input import login_required_keeping_input
from maasland.sessions import seconds_left

from .. import completeness, queries, services
from ..forms.candidacies import CandidacyForm, StartCandidacyForm
from ..models import Attachment, Candidacy, CandidacyVersion
from ..next_step import next_step
from ..receipts import receipt_file_name, render_receipt_pdf


def _member_candidacy(user, pk):
    """The candidacy if the user is a member of its organisation; 404 otherwise, so references are not probed."""
    return get_object_or_404(queries.of_member(user).select_related("call", "organisation"), pk=pk)


@login_required
def candidacy_list(request):
    now = timezone.now()
    candidacies = list(queries.candidacies_of_member(request.user))
    organisations = list(queries.organisations_of(request.user))
    open_calls = [call for call in Call.objects.published().order_by("deadline") if call.accepts_submissions(now)]
    return render(
        request,
        "candidacies/candidacy_list.html",
        {
            "rows": [(candidacy, next_step(candidacy, now)) for candidacy in candidacies],
            "open_calls": [_way_in(call, organisations, candidacies) for call in open_calls],
            "organisations": organisations,
            "now": now,
        },
    )


def _way_in(call, organisations, candidacies):
    """For an open call: the candidacies to continue, and whether an organisation of the user may still start one
    (the call's rule of one per organisation; a withdrawn candidacy does not count)."""
    if not call.one_candidacy_per_organisation:
        return {"call": call, "ongoing": [], "may_start": True}
    ongoing = [
        candidacy
        for candidacy in candidacies
        if candidacy.call_id == call.pk and candidacy.status != Candidacy.Status.WITHDRAWN
    ]
    applied = {candidacy.organisation_id for candidacy in ongoing}
    return {"call": call, "ongoing": ongoing, "may_start": any(org.pk not in applied for org in organisations)}


@login_required
def candidacy_create(request, call_slug):
    now = timezone.now()
    call = get_object_or_404(Call.objects.published(), slug=call_slug)
    organisations = queries.organisations_of(request.user)
    if not organisations.exists():
        messages.info(request, _("First tell us which organisation you apply for."))
        return redirect(f"{reverse('candidacies:organisation_create')}?{urlencode({'next': request.path})}")
    existing_by_organisation = queries.applying(call, organisations)
    free = organisations.exclude(pk__in=list(existing_by_organisation))
    if existing_by_organisation and not free.exists():
        existing = next(iter(existing_by_organisation.values()))
        messages.info(
            request,
            _("%(organisation)s already has a candidacy for this call: continue with it here.")
            % {"organisation": existing.organisation.name},
        )
        return redirect(existing)
    if existing_by_organisation:
        organisations = free
    if not call.accepts_submissions(now):
        messages.error(
            request,
            _("Candidacies for this call could be submitted until %(deadline)s.")
            % {"deadline": services.deadline_text(call.deadline)},
        )
        return redirect(call)
    form = StartCandidacyForm(request.POST if request.method == "POST" else None, organisations=organisations)
    existing = None
    if request.method == "POST" and form.is_valid():
        try:
            candidacy = services.start_candidacy(
                call, form.cleaned_data["organisation"], title=form.cleaned_data["title"], by=request.user, at=now
            )
        except services.DuplicateCandidacy as refusal:
            existing = refusal.existing
            form.add_error("organisation", refusal.message)
        except services.CandidacyError as refusal:
            form.add_error(refusal.field, refusal.message)
        else:
            messages.success(request, _("Your draft has been created. Fill it in at your own pace."))
            return redirect("candidacies:candidacy_update", pk=candidacy.pk)
    return render(
        request,
        "candidacies/candidacy_create.html",
        {"call": call, "form": form, "existing": existing, "time_left": call.time_left(now), "now": now},
    )


@login_required
def candidacy_detail(request, pk):
    now = timezone.now()
    # The jury's pitch slot and decision come with the candidacy (read through their reverse relations by name).
    candidacy = get_object_or_404(
        queries.of_member(request.user).select_related("call", "organisation", "pitch_slot", "decision"), pk=pk
    )
    attachments = list(candidacy.attachments.current())
    can_change = candidacy.accepts_changes(now)
    return render(
        request,
        "candidacies/candidacy_detail.html",
        {
            "candidacy": candidacy,
            "attachments": attachments,
            "states": completeness.part_states(candidacy, attachments) if can_change else [],
            "versions": candidacy.versions.select_related("submitted_by"),
            "can_change": can_change,
            "time_left": candidacy.time_left(now),
            "now": now,
        },
    )


def _edit_context(request, candidacy, form, now, **extra):
    return {
        "session_seconds": seconds_left(request, now),
        "candidacy": candidacy,
        "form": form,
        "attachments": candidacy.attachments.current().select_related("requested_kind"),
        "attachment_kinds": list(candidacy.call.attachment_kinds.all()),
        "time_left": candidacy.time_left(now),
        "now": now,
        **extra,
    }


def _wants_json(request):
    """The autosave script (static/js/autosave.js) asks for JSON; a browser's own form post never does first."""
    return request.headers.get("Accept", "").split(",")[0].strip() == "application/json"


@login_required_keeping_input
def candidacy_update(request, pk):
    """One form for everything: save, submit, add or remove an attachment. Nothing typed is lost on the way."""
    now = timezone.now()
    candidacy = _member_candidacy(request.user, pk)
    if not candidacy.accepts_changes(now):
        if _wants_json(request):
            return JsonResponse({"saved": False, "message": services.deadline_refusal(candidacy).message}, status=409)
        if candidacy.status in {Candidacy.Status.DRAFT, Candidacy.Status.SUBMITTED}:
            messages.error(request, services.deadline_refusal(candidacy).message)
        return redirect(candidacy)
    if request.method != "POST":
        # What was typed before an expired session or a CSRF failure comes back once, bound and not yet saved.
        form = CandidacyForm(kept_input.take(request), instance=candidacy, call=candidacy.call)
        return render(request, "candidacies/candidacy_form.html", _edit_context(request, candidacy, form, now))
    if _wants_json(request):
        return _autosave(request, candidacy, now)

    intent = "submit" if "submit" in request.POST else "draft"
    stored = Candidacy.objects.get(pk=candidacy.pk)
    form = CandidacyForm(request.POST, request.FILES, instance=candidacy, call=candidacy.call, intent=intent)
    conflict = None
    try:
        file_error = _change_attachments(request, stored, now)
        submit_refusal = None
        if intent == "submit" and file_error is None and (missing := completeness.missing_documents(stored)):
            submit_refusal = _("Add these documents before you submit: %(documents)s.") % {
                "documents": ", ".join(missing)
            }
        if form.is_valid() and file_error is None and submit_refusal is None and intent == "submit":
            version = services.submit(
                stored,
                form.content(),
                lock_version=form.cleaned_data["lock_version"],
                token=form.cleaned_data["submission_token"],
                by=request.user,
                at=now,
            )
            messages.success(
                request,
                _("Your candidacy %(reference)s has been submitted (version %(number)s). A receipt is on its way.")
                % {"reference": version.candidacy.reference, "number": version.number},
            )
            return redirect("candidacies:candidacy_detail", pk=candidacy.pk)
        if form.is_valid():
            services.save_draft(
                stored, form.content(), lock_version=form.cleaned_data["lock_version"], by=request.user, at=now
            )
            if file_error is None and submit_refusal is None:
                messages.success(request, _("Your changes have been saved."))
                return redirect("candidacies:candidacy_update", pk=candidacy.pk)
            # The file was refused, or a required document is missing: the text is saved, and the page shows the
            # form again with the new lock version.
            if file_error is not None:
                messages.success(request, _("What you typed has been saved as a draft; the file has not been added."))
            else:
                messages.success(request, _("Your changes have been saved."))
            form.data = form.data.copy()
            form.data["lock_version"] = stored.lock_version
        if file_error is not None or submit_refusal is not None:
            form.add_error("attachment", file_error or submit_refusal)
    except services.EditConflict as refusal:
        conflict = refusal.current
        form.add_error(None, refusal.message)
    except services.DeadlinePassed as refusal:
        messages.error(request, refusal.message)
        return redirect(candidacy)
    except services.CandidacyError as refusal:
        form.add_error(refusal.field if refusal.field in form.fields else None, refusal.message)
    context = _edit_context(request, stored, form, now, conflict=conflict)
    if conflict is not None:
        context["conflict_fields"] = _differences(form, conflict)
    return render(request, "candidacies/candidacy_form.html", context, status=409 if conflict else 400)


def _autosave(request, candidacy, now):
    """A draft saved by the page itself: JSON with the new lock version, or why it was not saved. No files, no
    submitting, no message for the next page; a save from another tab since is refused as on the form."""
    form = CandidacyForm(request.POST, instance=candidacy, call=candidacy.call, intent="draft")
    if not form.is_valid():
        errors = {name: [str(message) for message in messages_] for name, messages_ in form.errors.items()}
        return JsonResponse({"saved": False, "errors": errors}, status=400)
    stored = Candidacy.objects.get(pk=candidacy.pk)
    try:
        services.save_draft(
            stored, form.content(), lock_version=form.cleaned_data["lock_version"], by=request.user, at=now
        )
    except services.EditConflict as refusal:
        return JsonResponse({"saved": False, "conflict": True, "message": refusal.message}, status=409)
    except services.CandidacyError as refusal:
        return JsonResponse({"saved": False, "message": refusal.message}, status=400)
    return JsonResponse(
        {
            "saved": True,
            "lock_version": stored.lock_version,
            "message": _("Saved at %(time)s") % {"time": now.astimezone(clock.BRUSSELS).strftime("%H:%M")},
            "session_seconds": seconds_left(request, now),
        }
    )


def _change_attachments(request, candidacy, now):
    """Stores an uploaded file at once (kept even if the rest of the form is wrong); returns a refusal message."""
    remove = request.POST.get("remove_attachment")
    if remove:
        attachment = get_object_or_404(
            candidacy.attachments.current(), pk=remove if remove.isascii() and remove.isdigit() else 0
        )
        services.remove_attachment(attachment, by=request.user, at=now)
        messages.success(request, _("%(name)s has been removed.") % {"name": attachment.name})
    upload = request.FILES.get("attachment")
    if upload is None:
        return None
    try:
        attachment = services.add_attachment(
            candidacy, upload, by=request.user, at=now, requested_kind=_requested_kind(request, candidacy)
        )
    except services.DeadlinePassed:
        raise
    except services.CandidacyError as refusal:
        return refusal.message
    messages.success(request, _("%(name)s has been added.") % {"name": attachment.name})
    return None


def _requested_kind(request, candidacy):
    """The document of the call's list that the upload is, as chosen beside the file field (none if unknown)."""
    chosen = request.POST.get("requested_kind", "")
    if not (chosen.isascii() and chosen.isdigit()):
        return None
    return candidacy.call.attachment_kinds.filter(pk=chosen).first()


def _differences(form, current):
    """The fields where the stored candidacy differs from what this form holds: what the other tab changed."""
    rows = []
    for name in services.CONTENT_FIELDS + services.CHOICE_FIELDS:
        stored_value = getattr(current, name)
        if name in services.CHOICE_FIELDS:
            stored_items = list(stored_value.all())
            posted = form.cleaned_data.get(name)
            posted_items = list(posted) if posted is not None else []
            if {item.pk for item in stored_items} != {item.pk for item in posted_items}:
                rows.append((form.fields[name].label, ", ".join(str(item) for item in stored_items) or "–"))
        elif stored_value != form.cleaned_data.get(name):
            rows.append((form.fields[name].label, "–" if stored_value in (None, "") else stored_value))
    form.data = form.data.copy()
    form.data["lock_version"] = current.lock_version
    return rows


@login_required
@require_POST
def candidacy_withdraw(request, pk):
    candidacy = _member_candidacy(request.user, pk)
    if request.POST.get("confirm") != "yes":
        messages.error(request, _("Tick the box to confirm that you withdraw this candidacy."))
        return redirect(candidacy)
    try:
        services.withdraw(candidacy, by=request.user, at=timezone.now())
    except services.CandidacyError as refusal:
        messages.error(request, refusal.message)
    else:
        messages.success(request, _("Your candidacy has been withdrawn."))
    return redirect(candidacy)


@login_required
def attachment_download(request, pk, attachment_pk):
    """Files are private: only members and call managers get them, always as a download."""
    attachment = get_object_or_404(
        Attachment.objects.filter(candidacy__in=queries.visible_to(request.user)), pk=attachment_pk, candidacy_id=pk
    )
    response = FileResponse(
        attachment.file.open("rb"), as_attachment=True, filename=attachment.name, content_type=attachment.content_type
    )
    response["X-Content-Type-Options"] = "nosniff"
    return response


@login_required
def receipt_download(request, pk, number):
    version = get_object_or_404(
        CandidacyVersion.objects.filter(candidacy__in=queries.visible_to(request.user)).select_related(
            "candidacy__organisation", "submitted_by"
        ),
        candidacy_id=pk,
        number=number,
    )
    response = HttpResponse(render_receipt_pdf(version), content_type="application/pdf")
    response["Content-Disposition"] = content_disposition_header(True, receipt_file_name(version))
    return response
