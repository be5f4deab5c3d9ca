"""Weerwoorden: filed by the applicant, assessed here by the call manager through jury.communication (prepared here
and confirmed by the chair in the portal, where the call wants two steps), with the revision of a decision whose
weerwoord was founded; and the log of the reminders mailed."""

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from candidacies.admin import HistoryWithoutRevertAdmin, ViewOnlyMixin

from .. import communication, letters
from ..models import Weerwoord
from .forms import AssessmentForm, RevisionForm


class AssessedFilter(admin.SimpleListFilter):
    title = _("assessment status")
    parameter_name = "assessed"

    def lookups(self, request, model_admin):
        return [("yes", _("Assessed")), ("no", _("To assess"))]

    def queryset(self, request, queryset):
        if self.value() == "yes":
            return queryset.exclude(assessment="")
        if self.value() == "no":
            return queryset.filter(assessment="")
        return queryset


@admin.register(Weerwoord)
class WeerwoordAdmin(ViewOnlyMixin, HistoryWithoutRevertAdmin):
    neuter = True
    """The weerwoord is the applicant's and stays as filed; the assessment and a revision of the decision go through
    their own pages, so the service checks who and when."""

    list_display = ["candidacy", "organisation", "filed_at", "is_assessed", "assessment", "assessed_at"]
    list_display_links = ["candidacy"]
    list_filter = [("decision__candidacy__call", admin.RelatedFieldListFilter), AssessedFilter, "assessment"]
    search_fields = [
        "decision__candidacy__reference",
        "decision__candidacy__title",
        "decision__candidacy__organisation__name",
    ]
    ordering = ["-filed_at"]
    history_list_display = ["assessment", "assessed_by", "assessed_at"]
    fieldsets = [
        (None, {"fields": ["decision", "organisation", "filed_at", "filed_by", "window", "text", "attachment_link"]}),
        (
            _("Prepared assessment"),
            {"fields": ["proposed_assessment", "proposed_motivation", "proposed_by", "proposed_at"]},
        ),
        (
            _("Assessment"),
            {"fields": ["assessment", "assessment_motivation", "assessed_by", "assessed_at", "next_steps"]},
        ),
    ]
    readonly_fields = [
        "decision",
        "organisation",
        "filed_at",
        "filed_by",
        "window",
        "text",
        "attachment_link",
        "proposed_assessment",
        "proposed_motivation",
        "proposed_by",
        "proposed_at",
        "assessment",
        "assessment_motivation",
        "assessed_by",
        "assessed_at",
        "next_steps",
    ]

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("decision__candidacy__organisation", "filed_by")

    def get_urls(self):
        return [
            path(
                "<path:object_id>/assess/",
                self.admin_site.admin_view(self.assess_view),
                name="jury_weerwoord_assess",
            ),
            path(
                "<path:object_id>/revise/",
                self.admin_site.admin_view(self.revise_view),
                name="jury_weerwoord_revise",
            ),
            *super().get_urls(),
        ]

    @admin.display(description=_("candidacy"), ordering="decision__candidacy__reference")
    def candidacy(self, weerwoord):
        return str(weerwoord.decision.candidacy)

    @admin.display(description=_("organisation"), ordering="decision__candidacy__organisation__name")
    def organisation(self, weerwoord):
        return weerwoord.decision.candidacy.organisation.name

    @admin.display(description=_("assessed"), boolean=True, ordering="assessment")
    def is_assessed(self, weerwoord):
        return bool(weerwoord.assessment)

    @admin.display(description=_("weerwoord window"))
    def window(self, weerwoord):
        return communication.weerwoord_window_text(weerwoord.decision)

    @admin.display(description=_("attachment"))
    def attachment_link(self, weerwoord):
        if not weerwoord.attachment:
            return "–"
        url = reverse("jury:weerwoord_attachment", args=[weerwoord.decision.candidacy_id])
        return format_html('<a href="{}">{}</a>', url, weerwoord.attachment_name)

    @admin.display(description=_("next step"))
    def next_steps(self, weerwoord):
        if communication.in_two_steps(weerwoord):
            label = (
                gettext("Prepare the assessment again") if weerwoord.proposed_at else gettext("Prepare the assessment")
            )
        else:
            label = gettext("Change the assessment") if weerwoord.assessment else gettext("Assess this weerwoord")
        links = [(reverse("admin:jury_weerwoord_assess", args=[weerwoord.pk]), label)]
        if _revisable(weerwoord.decision):
            links.append((reverse("admin:jury_weerwoord_revise", args=[weerwoord.pk]), gettext("Revise the decision")))
        return format_html_join("", '<div><a href="{}">{}</a></div>', links)

    # The assessment and the revision, each a small form on its own page

    def _weerwoord_or_404(self, request, object_id):
        weerwoord = self.get_object(request, object_id)
        if weerwoord is None:
            raise Http404
        if not self.has_view_permission(request, weerwoord):
            raise PermissionDenied
        return weerwoord

    def _form_page(self, request, weerwoord, form, *, title, intro, submit):
        context = {
            **self.admin_site.each_context(request),
            "title": title,
            "intro": intro,
            "submit_label": submit,
            "opts": self.opts,
            "original": weerwoord,
            "decision": weerwoord.decision,
            "form": form,
            "media": self.media + form.media,
        }
        return TemplateResponse(request, "admin/jury/weerwoord/step_form.html", context)

    def _refused(self, form, refusal):
        form.add_error(refusal.field if refusal.field in form.fields else None, refusal.message)

    def assess_view(self, request, object_id):
        """In a call of two steps the call manager prepares the assessment here (communication.prepare_assessment)
        and the chair confirms it in the portal; in a call of one step this records it (assess_weerwoord)."""
        weerwoord = self._weerwoord_or_404(request, object_id)
        two_steps = communication.in_two_steps(weerwoord)
        if two_steps and weerwoord.proposed_at:
            initial = {
                "assessment": weerwoord.proposed_assessment,
                "assessment_motivation": weerwoord.proposed_motivation,
            }
        else:
            initial = {"assessment": weerwoord.assessment, "assessment_motivation": weerwoord.assessment_motivation}
        form = AssessmentForm(request.POST if request.method == "POST" else None, initial=initial)
        if form.is_valid():
            service = communication.prepare_assessment if two_steps else communication.assess_weerwoord
            try:
                service(
                    weerwoord,
                    assessment=form.cleaned_data["assessment"],
                    motivation=form.cleaned_data["assessment_motivation"],
                    by=request.user,
                    at=timezone.now(),
                )
            except communication.CommunicationError as refusal:
                self._refused(form, refusal)
            else:
                done = (
                    gettext("The assessment has been prepared: it counts once the chair has confirmed it.")
                    if two_steps
                    else gettext("The assessment has been recorded.")
                )
                self.message_user(request, done, messages.SUCCESS)
                return redirect("admin:jury_weerwoord_change", weerwoord.pk)
        if two_steps:
            return self._form_page(
                request,
                weerwoord,
                form,
                title=gettext("Prepare the assessment of the weerwoord"),
                intro=gettext(
                    "The chair of the jury confirms the assessment you prepare; only then is the applicant told, and "
                    "only a confirmed founded weerwoord lets the decision be revised."
                ),
                submit=gettext("Prepare the assessment"),
            )
        return self._form_page(
            request,
            weerwoord,
            form,
            title=gettext("Assess the weerwoord"),
            intro=gettext("Founded: the decision may be revised next, which sends a new letter. Unfounded: it stays."),
            submit=gettext("Record the assessment"),
        )

    def revise_view(self, request, object_id):
        """Three steps: the new outcome and motivation (empty, the decision shown above), then the letter that
        would go out, then the revision itself once confirmed (jury.communication.revise_decision)."""
        weerwoord = self._weerwoord_or_404(request, object_id)
        decision = weerwoord.decision
        try:
            communication.check_revisable(decision)
        except communication.CommunicationError as refusal:
            self.message_user(request, refusal.message, messages.ERROR)
            return redirect("admin:jury_weerwoord_change", weerwoord.pk)
        form = RevisionForm(request.POST if request.method == "POST" else None)
        if form.is_valid():
            at = timezone.now()
            outcome, motivation = form.cleaned_data["outcome"], form.cleaned_data["motivation"]
            try:
                if "confirm" not in request.POST:
                    communication.check_revision(decision, outcome=outcome, motivation=motivation)
                    return self._preview_page(request, weerwoord, form, outcome, motivation, at)
                communication.revise_decision(decision, outcome=outcome, motivation=motivation, by=request.user, at=at)
            except communication.CommunicationError as refusal:
                self._refused(form, refusal)
            else:
                self.message_user(
                    request,
                    gettext("The decision has been revised and its new letter has been sent."),
                    messages.SUCCESS,
                )
                return redirect("admin:jury_decision_change", decision.pk)
        return self._form_page(
            request,
            weerwoord,
            form,
            title=gettext("Revise the decision"),
            intro=gettext(
                "Once per assessment, and only if the outcome or the motivation changes. You see the new letter "
                "before it is mailed; the earlier letters, the weerwoord and this revision stay in the history."
            ),
            submit=gettext("Show the new letter"),
        )

    def _preview_page(self, request, weerwoord, form, outcome, motivation, at):
        context = {
            **self.admin_site.each_context(request),
            "title": gettext("Check the new letter"),
            "opts": self.opts,
            "original": weerwoord,
            "decision": weerwoord.decision,
            "form": form,
            "letter_preview": letters.revision_preview_html(
                weerwoord.decision, outcome=outcome, motivation=motivation, at=at
            ),
            "media": self.media + form.media,
        }
        return TemplateResponse(request, "admin/jury/weerwoord/revision_preview.html", context)


def _revisable(decision):
    try:
        communication.check_revisable(decision)
    except communication.CommunicationError:
        return False
    return True
