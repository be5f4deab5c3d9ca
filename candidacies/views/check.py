"""The task list's last step and what follows: the check page where a candidacy is submitted, and each submitted
version as a page (what the jury reads), printable."""

import uuid

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from .. import completeness, queries, services
from ..models import Candidacy


def _member_candidacy(user, pk):
    return get_object_or_404(queries.of_member(user).select_related("call", "organisation"), pk=pk)


def _check_context(candidacy, now, **extra):
    attachments = list(candidacy.attachments.current().select_related("requested_kind"))
    states = completeness.part_states(candidacy, attachments)
    content = services.snapshot(candidacy)
    return {
        "candidacy": candidacy,
        "states": states,
        "complete": completeness.is_complete(states),
        "sections": completeness.submitted_sections(content),
        "attachments": attachments,
        "lock_version": candidacy.lock_version,
        "submission_token": uuid.uuid4(),
        "time_left": candidacy.time_left(now),
        "now": now,
        **extra,
    }


@login_required
def candidacy_check(request, pk):
    """'Check and submit': exactly what will be submitted, with a link to change each part; submitting happens
    here, with the form version and token of the edit form (two tabs and double clicks give one version)."""
    now = timezone.now()
    candidacy = _member_candidacy(request.user, pk)
    if not candidacy.accepts_changes(now):
        if candidacy.status in {Candidacy.Status.DRAFT, Candidacy.Status.SUBMITTED}:
            messages.error(request, services.deadline_refusal(candidacy).message)
        return redirect(candidacy)
    if request.method != "POST":
        return render(request, "candidacies/candidacy_check.html", _check_context(candidacy, now))
    context = _check_context(candidacy, now)
    try:
        lock_version = int(request.POST.get("lock_version", ""))
        token = uuid.UUID(request.POST.get("submission_token", ""))
    except ValueError:
        return render(request, "candidacies/candidacy_check.html", context, status=400)
    if not context["complete"]:
        context["refusal"] = _("Your candidacy is not complete yet: finish the parts below that are not done.")
        return render(request, "candidacies/candidacy_check.html", context, status=400)
    try:
        version = services.submit(candidacy, {}, lock_version=lock_version, token=token, by=request.user, at=now)
    except services.EditConflict as refusal:
        context = _check_context(refusal.current, now)
        context["refusal"] = _(
            "Someone saved this candidacy after you opened this page. Check what is shown now, then submit."
        )
        return render(request, "candidacies/candidacy_check.html", context, status=409)
    except services.DeadlinePassed as refusal:
        messages.error(request, refusal.message)
        return redirect(candidacy)
    except services.CandidacyError as refusal:
        context["refusal"] = refusal.message
        return render(request, "candidacies/candidacy_check.html", context, status=400)
    messages.success(
        request,
        _("Your candidacy %(reference)s has been submitted (version %(number)s). A receipt is on its way.")
        % {"reference": version.candidacy.reference, "number": version.number},
    )
    return redirect(candidacy)


@login_required
def version_detail(request, pk, number):
    """A submitted version as the jury reads it, from what was stored at submission; the print stylesheet makes it a
    clean paper copy."""
    candidacy = _member_candidacy(request.user, pk)
    version = get_object_or_404(candidacy.versions.select_related("submitted_by"), number=number)
    return render(
        request,
        "candidacies/version_detail.html",
        {
            "candidacy": candidacy,
            "version": version,
            "content": version.content,
            "sections": completeness.submitted_sections(version.content),
        },
    )
