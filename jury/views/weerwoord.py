"""The applicant's side of a decision: the letters once communicated, and the one weerwoord."""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from candidacies import queries as candidacy_queries
from maasland import kept_input
from maasland.forms import LongTextField
from maasland.kept_input import login_required_keeping_input
from maasland.sessions import seconds_left

from .. import communication
from ..models import Decision, DecisionLetter, Weerwoord
from ..roles import is_call_manager


class WeerwoordForm(forms.Form):
    text = LongTextField(
        label=_("Your weerwoord"),
        max_length=Weerwoord.TEXT_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 10}),
        help_text=_("Explain why you think the decision should be reconsidered."),
    )
    attachment = forms.FileField(
        label=_("Attachment (optional)"),
        required=False,
        help_text=_("PDF, DOCX or ODT."),
        widget=forms.ClearableFileInput(attrs={"accept": ".pdf,.docx,.odt"}),
        allow_empty_file=True,  # communication.check_weerwoord_attachment refuses it, once, with the file's name
    )


def _communicated_decision(user, pk):
    """The communicated decision on a candidacy of the user's organisation; 404 otherwise."""
    candidacy = get_object_or_404(candidacy_queries.of_member(user).select_related("call", "organisation"), pk=pk)
    decision = Decision.objects.filter(candidacy=candidacy, communicated_at__isnull=False).first()
    if decision is None:
        raise Http404
    decision.candidacy = candidacy
    return decision


@login_required_keeping_input
def weerwoord(request, pk):
    now = timezone.now()
    decision = _communicated_decision(request.user, pk)
    existing = Weerwoord.objects.filter(decision=decision).first()
    form = None
    status = 200
    if existing is None:
        if request.method == "POST":
            form = WeerwoordForm(request.POST, request.FILES)
        else:
            form = WeerwoordForm(kept_input.take(request))
        if request.method == "POST" and form.is_valid():
            try:
                communication.file_weerwoord(
                    decision,
                    text=form.cleaned_data["text"],
                    upload=form.cleaned_data["attachment"],
                    by=request.user,
                    at=now,
                )
            except communication.CommunicationError as refusal:
                form.add_error(refusal.field if refusal.field in form.fields else None, refusal.message)
            else:
                messages.success(request, _("Your weerwoord has been received. You will hear the assessment."))
                return redirect("jury:weerwoord", pk=pk)
        if request.method == "POST":
            status = 400
    return render(
        request,
        "jury/weerwoord.html",
        {
            "decision": decision,
            "candidacy": decision.candidacy,
            "weerwoord": existing,
            "form": form,
            "window_open": decision.accepts_weerwoord(now),
            "deadline": decision.weerwoord_deadline(),
            "now": now,
            "session_seconds": seconds_left(request, now),
        },
        status=status,
    )


@login_required
def letter_download(request, pk, number):
    letter = get_object_or_404(
        DecisionLetter.objects.filter(
            decision__candidacy__in=candidacy_queries.visible_to(request.user)
        ).select_related("decision__candidacy"),
        decision__candidacy_id=pk,
        number=number,
    )
    if letter.sent_at is None and not is_call_manager(request.user):
        raise Http404
    filename = f"beslissing-{letter.decision.candidacy.reference}-{letter.number}.pdf"
    return FileResponse(letter.file.open("rb"), as_attachment=True, filename=filename, content_type="application/pdf")


@login_required
def weerwoord_attachment(request, pk):
    weerwoord = get_object_or_404(
        Weerwoord.objects.filter(decision__candidacy__in=candidacy_queries.visible_to(request.user)),
        decision__candidacy_id=pk,
    )
    if not weerwoord.attachment:
        raise Http404
    content_type = {"pdf": "application/pdf"}.get(weerwoord.attachment_kind, "application/octet-stream")
    return FileResponse(
        weerwoord.attachment.open("rb"),
        as_attachment=True,
        filename=weerwoord.attachment_name,
        content_type=content_type,
    )
