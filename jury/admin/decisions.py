"""Decisions and their letters. The chair records a decision in the portal; here the manager previews its letter,
sends it through jury.communication and sees what followed. The candidacy's own admin page gets its pitch slot and
its decision from here, as candidacies cannot know of the jury."""

from django.contrib import admin, messages
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.core.exceptions import PermissionDenied
from django.db.models import Case, CharField, Count, F, IntegerField, OuterRef, Subquery, Value, When
from django.db.models.functions import Coalesce
from django.http import Http404, HttpResponse
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _

from candidacies.admin import CandidacyAdmin, HistoryWithoutRevertAdmin, ViewOnlyMixin
from maasland import clock
from maasland.admin import DutchMessagesMixin

from .. import communication, letters, roles, tasks
from ..models import Decision, DecisionLetter, PitchSlot, Weerwoord

# Decisions: recorded by the chair in the portal; sent, printed and revised here through jury.communication

NO_WEERWOORD = "none"
WEERWOORD_TO_ASSESS = "to_assess"
WEERWOORD_STATES = {
    NO_WEERWOORD: _("No weerwoord"),
    WEERWOORD_TO_ASSESS: _("To assess"),
    Weerwoord.Assessment.FOUNDED.value: Weerwoord.Assessment.FOUNDED.label,
    Weerwoord.Assessment.UNFOUNDED.value: Weerwoord.Assessment.UNFOUNDED.label,
}


def weerwoord_state():
    """The decision's weerwoord as one sortable value: none, to_assess, founded or unfounded."""
    return Case(
        When(weerwoord__isnull=True, then=Value(NO_WEERWOORD)),
        When(weerwoord__assessment="", then=Value(WEERWOORD_TO_ASSESS)),
        default=F("weerwoord__assessment"),
        output_field=CharField(),
    )


def letter_count_subquery():
    made = (
        DecisionLetter.objects.filter(decision=OuterRef("pk"))
        .order_by()
        .values("decision")
        .annotate(count=Count("pk"))
        .values("count")
    )
    return Coalesce(Subquery(made, output_field=IntegerField()), Value(0))


def moment_text(value):
    return date_format(timezone.localtime(value), "DATETIME_FORMAT") if value else "–"


def letter_download_url(decision, letter):
    return reverse("jury:letter_download", args=[decision.candidacy_id, letter.number])


class CommunicatedFilter(admin.SimpleListFilter):
    title = _("sending status")
    parameter_name = "communicated"

    def lookups(self, request, model_admin):
        return [("yes", _("Sent")), ("no", _("Not sent yet"))]

    def queryset(self, request, queryset):
        if self.value() in ("yes", "no"):
            return queryset.filter(communicated_at__isnull=self.value() == "no")
        return queryset


class WeerwoordStateFilter(admin.SimpleListFilter):
    title = _("weerwoord")
    parameter_name = "weerwoord"

    def lookups(self, request, model_admin):
        return list(WEERWOORD_STATES.items())

    def queryset(self, request, queryset):
        if self.value() in WEERWOORD_STATES:
            return queryset.filter(weerwoord_state=self.value())
        return queryset


@admin.register(Decision)
class DecisionAdmin(ViewOnlyMixin, HistoryWithoutRevertAdmin):
    """The decision itself is the chair's; here the manager previews and sends its letter, and sees what followed:
    every letter made, the weerwoord, a revision, all in the history."""

    list_display = [
        "reference",
        "organisation",
        "outcome",
        "recorded_by",
        "communicated_at",
        "letter_count",
        "weerwoord_state",
    ]
    list_display_links = ["reference"]
    list_filter = [
        ("candidacy__call", admin.RelatedFieldListFilter),
        "outcome",
        CommunicatedFilter,
        WeerwoordStateFilter,
    ]
    search_fields = ["candidacy__reference", "candidacy__title", "candidacy__organisation__name"]
    ordering = ["candidacy__reference"]
    actions = ["send_decisions", "download_letters_zip"]
    history_list_display = ["outcome", "without_pitch_reason", "communicated_at", "revised_at"]
    fieldsets = [
        (
            None,
            {
                "fields": [
                    "candidacy",
                    "organisation",
                    "outcome",
                    "motivation",
                    "without_pitch_reason",
                    "recorded_by",
                    "recorded_at",
                ]
            },
        ),
        (
            _("Communication"),
            {"fields": ["communicated_at", "weerwoord_window", "revised_at", "letter_links", "preview_link"]},
        ),
        (_("Weerwoord"), {"fields": ["weerwoord_link"]}),
    ]
    readonly_fields = [
        "candidacy",
        "organisation",
        "outcome",
        "motivation",
        "without_pitch_reason",
        "recorded_by",
        "recorded_at",
        "communicated_at",
        "weerwoord_window",
        "revised_at",
        "letter_links",
        "preview_link",
        "weerwoord_link",
    ]

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .select_related("candidacy__organisation", "candidacy__call", "recorded_by")
            .annotate(letter_count=letter_count_subquery(), weerwoord_state=weerwoord_state())
        )

    def get_urls(self):
        return [
            path(
                "<path:object_id>/preview/",
                self.admin_site.admin_view(self.preview_view),
                name="jury_decision_preview",
            ),
            *super().get_urls(),
        ]

    def has_send_permission(self, request):
        return request.user.has_perm(f"{self.opts.app_label}.change_decision")

    # Columns and fields

    @admin.display(description=_("reference"), ordering="candidacy__reference")
    def reference(self, decision):
        return decision.candidacy.reference or decision.candidacy.title

    @admin.display(description=_("organisation"), ordering="candidacy__organisation__name")
    def organisation(self, decision):
        return decision.candidacy.organisation.name

    @admin.display(description=_("letters"), ordering="letter_count")
    def letter_count(self, decision):
        return decision.letter_count

    @admin.display(description=_("weerwoord"), ordering="weerwoord_state")
    def weerwoord_state(self, decision):
        return WEERWOORD_STATES.get(decision.weerwoord_state, "–")

    @admin.display(description=_("weerwoord window"))
    def weerwoord_window(self, decision):
        return communication.weerwoord_window_text(decision) if decision.communicated_at else "–"

    @admin.display(description=_("letters"))
    def letter_links(self, decision):
        rows = []
        for letter in decision.letters.order_by("number"):
            label = gettext("Letter %(number)s: %(outcome)s, made on %(made)s, sent on %(sent)s") % {
                "number": letter.number,
                "outcome": letter.get_outcome_display().lower(),
                "made": moment_text(letter.created_at),
                "sent": moment_text(letter.sent_at),
            }
            rows.append((letter_download_url(decision, letter), label))
        return format_html_join("", '<div><a href="{}">{}</a></div>', rows) or gettext("No letter made yet.")

    @admin.display(description=_("preview"))
    def preview_link(self, decision):
        return format_html(
            '<a href="{}">{}</a>',
            reverse("admin:jury_decision_preview", args=[decision.pk]),
            gettext("Print the letter as it would go out now (PDF)"),
        )

    @admin.display(description=_("weerwoord"))
    def weerwoord_link(self, decision):
        weerwoord = Weerwoord.objects.filter(decision=decision).first()
        if weerwoord is None:
            return WEERWOORD_STATES[NO_WEERWOORD]
        state = WEERWOORD_STATES[weerwoord.assessment or WEERWOORD_TO_ASSESS]
        label = gettext("Filed on %(filed)s: %(state)s") % {
            "filed": moment_text(weerwoord.filed_at),
            "state": str(state).lower(),
        }
        return format_html('<a href="{}">{}</a>', reverse("admin:jury_weerwoord_change", args=[weerwoord.pk]), label)

    # The letter printed on the fly

    def preview_view(self, request, object_id):
        decision = self.get_object(request, object_id)
        if decision is None:
            raise Http404
        if not self.has_view_permission(request, decision):
            raise PermissionDenied
        if decision.candidacy_id in roles.hidden_candidacies(request.user, decision.candidacy.call_id):
            raise PermissionDenied  # the letter tells the ranking's figures: not to a conflicted chair or deputy
        pdf = letters.render_letter_pdf(decision, sent_at=timezone.now())
        response = HttpResponse(pdf, content_type="application/pdf")
        response["Content-Disposition"] = f'attachment; filename="voorbeeld-{letters.letter_file_name(decision)}"'
        return response

    # Actions

    @admin.action(description=_("Send the decisions"), permissions=["send"])
    def send_decisions(self, request, queryset):
        """Asks for confirmation, then queues each ticked decision (jury.tasks.send_decision, one task each, which
        prints its letter through the service and mails it): a refused one is reported with the service's words, one
        that went out before is not sent again."""
        decisions = list(queryset.select_related("candidacy__organisation", "candidacy__call"))
        if "apply_send" not in request.POST:
            context = {
                **self.admin_site.each_context(request),
                "title": gettext("Send the decisions"),
                "opts": self.opts,
                "decisions": decisions,
                "action_checkbox_name": ACTION_CHECKBOX_NAME,
            }
            return TemplateResponse(request, "admin/jury/decision/send_decisions.html", context)
        queued = []
        for decision in decisions:
            if decision.communicated_at is not None:
                already_sent = gettext("already sent")
                self.message_user(request, f"{decision.candidacy}: {already_sent}", messages.WARNING)
                continue
            try:
                communication.check_sending(decision, by=request.user)
            except communication.CommunicationError as refusal:
                self.message_user(request, f"{decision.candidacy}: {refusal.message}", messages.ERROR)
                continue
            queued.append(decision)
        count = tasks.queue_decisions(queued, by=request.user, at=timezone.now())
        self.message_user(
            request,
            ngettext("%(count)d decision is being sent.", "%(count)d decisions are being sent.", count)
            % {"count": count},
            messages.SUCCESS if count else messages.INFO,
        )
        return None

    @admin.action(description=_("Letters as ZIP"), permissions=["view"])
    def download_letters_zip(self, request, queryset):
        """A freshly printed letter per ticked decision, named by reference, in one ZIP."""
        decisions = list(
            queryset.select_related("candidacy__organisation", "candidacy__call").order_by("candidacy__reference")
        )
        at = timezone.now()
        slugs = {decision.candidacy.call.slug for decision in decisions}
        call_part = slugs.pop() if len(slugs) == 1 else "alle"
        filename = f"brieven-{call_part}-{clock.local_date(at):%Y-%m-%d}.zip"
        response = HttpResponse(letters.letters_zip(decisions, at=at), content_type="application/zip")
        response["Content-Disposition"] = f'attachment; filename="{filename}"'
        return response


# The candidacy's own page shows its pitch slot and its decision: added from here, as candidacies cannot know of the
# jury.


class ReadOnlyInline(admin.TabularInline):
    extra = 0
    can_delete = False
    show_change_link = True

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


class CandidacyPitchSlotInline(ReadOnlyInline):
    model = PitchSlot
    fields = ["starts_at", "ends_at", "place", "video_link"]
    readonly_fields = fields


class CandidacyDecisionInline(ReadOnlyInline):
    model = Decision
    fields = ["outcome", "recorded_by", "recorded_at", "communicated_at", "revised_at"]
    readonly_fields = fields

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("recorded_by")


CandidacyAdmin.inlines = [*CandidacyAdmin.inlines, CandidacyPitchSlotInline, CandidacyDecisionInline]


@admin.register(DecisionLetter)
class DecisionLetterAdmin(ViewOnlyMixin, DutchMessagesMixin, admin.ModelAdmin):
    """Letters are made when a decision is sent or revised and never replaced."""

    list_display = [
        "reference",
        "organisation",
        "number",
        "outcome",
        "created_at",
        "created_by",
        "sent_at",
        "mailed_at",
        "download",
    ]
    list_display_links = ["reference"]
    list_filter = [("decision__candidacy__call", admin.RelatedFieldListFilter), "outcome"]
    list_select_related = ["decision__candidacy__organisation", "created_by"]
    search_fields = ["decision__candidacy__reference", "decision__candidacy__organisation__name", "sha256"]
    ordering = ["decision__candidacy__reference", "number"]
    fields = ["decision", "number", "outcome", "created_at", "created_by", "sent_at", "mailed_at", "sha256", "download"]
    readonly_fields = fields

    @admin.display(description=_("reference"), ordering="decision__candidacy__reference")
    def reference(self, letter):
        return letter.decision.candidacy.reference

    @admin.display(description=_("organisation"), ordering="decision__candidacy__organisation__name")
    def organisation(self, letter):
        return letter.decision.candidacy.organisation.name

    @admin.display(description=_("Download"))
    def download(self, letter):
        return format_html('<a href="{}">{}</a>', letter_download_url(letter.decision, letter), gettext("Download"))
