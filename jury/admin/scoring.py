"""Criteria, score sheets, scores and closed rounds. Scores are written by the jurors in the portal and only shown
here; a criterion's weight and scale are fixed once its round has scores. The candidacy admin's shortlist action
is given the jury's rules here."""

from django.contrib import admin, messages
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from candidacies.admin import CandidacyAdmin, HistoryWithoutRevertAdmin, ViewOnlyMixin
from maasland.admin import DutchMessagesMixin, FollowsCallFilter

from .. import services
from ..models import Criterion, RoundClosure, Score, ScoreSheet

# Criteria


@admin.register(Criterion)
class CriterionAdmin(HistoryWithoutRevertAdmin):
    neuter = True
    """Once the round has scores, its weights and scales are shown read-only (and still refused at the weight field
    by Criterion.clean, for a page opened before the first score)."""

    list_display = ["call", "round", "position", "name", "weight", "scale"]
    list_display_links = ["name"]
    list_editable = ["position"]
    list_filter = ["call", "round"]
    list_select_related = ["call"]
    search_fields = ["name", "description"]
    fields = ["call", "round", "position", "name", "description", "weight", "scale_min", "scale_max"]
    history_list_display = ["weight", "scale_min", "scale_max"]

    fixed_once_scored = ["call", "round", "weight", "scale_min", "scale_max"]

    @admin.display(description=_("scale"))
    def scale(self, criterion):
        return f"{criterion.scale_min}–{criterion.scale_max}"

    def get_readonly_fields(self, request, obj=None):
        if obj is not None and round_has_scores(obj):
            return self.fixed_once_scored
        return []

    def has_delete_permission(self, request, obj=None):
        return super().has_delete_permission(request, obj) and (obj is None or not round_has_scores(obj))


def round_has_scores(criterion):
    return Score.objects.filter(
        criterion__call_id=criterion.call_id, criterion__round=criterion.round, value__isnull=False
    ).exists()


# Score sheets and closed rounds: written in the portal, shown here


class SubmittedFilter(admin.SimpleListFilter):
    title = _("submitted")
    parameter_name = "submitted"

    def lookups(self, request, model_admin):
        return [("yes", _("Submitted")), ("no", _("Draft"))]

    def queryset(self, request, queryset):
        if self.value() == "yes":
            return queryset.filter(submitted_at__isnull=False)
        if self.value() == "no":
            return queryset.filter(submitted_at__isnull=True)
        return queryset


class ScoreInline(admin.TabularInline):
    model = Score
    extra = 0
    fields = ["criterion", "value", "comment"]
    readonly_fields = fields
    can_delete = False

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("criterion").order_by("criterion__position")

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(ScoreSheet)
class ScoreSheetAdmin(ViewOnlyMixin, HistoryWithoutRevertAdmin):
    neuter = True
    list_display = ["candidacy", "jury_member", "round", "submitted_at", "updated_at"]
    list_filter = [("candidacy__call", admin.RelatedFieldListFilter), "round", SubmittedFilter, "candidacy__status"]
    list_select_related = ["candidacy", "jury_member__user"]
    search_fields = [
        "candidacy__reference",
        "candidacy__title",
        "jury_member__user__email",
        "jury_member__user__full_name",
    ]
    fields = [
        "jury_member",
        "candidacy",
        "round",
        "overall_comment",
        "submitted_at",
        "updated_at",
        "reopened_at",
        "reopened_by",
        "reopen_reason",
    ]
    readonly_fields = fields
    inlines = [ScoreInline]


@admin.register(Score)
class ScoreAdmin(ViewOnlyMixin, HistoryWithoutRevertAdmin):
    """Every score on its own, with its history: what the juror changed, and when."""

    list_display = ["candidacy", "jury_member", "round", "criterion", "value"]
    list_filter = [
        ("sheet__candidacy__call", admin.RelatedFieldListFilter),
        "sheet__round",
        ("sheet__jury_member", FollowsCallFilter),
    ]
    list_select_related = ["sheet__candidacy", "sheet__jury_member__user", "criterion"]
    search_fields = ["sheet__candidacy__reference", "sheet__candidacy__title", "sheet__jury_member__user__email"]
    ordering = ["sheet__candidacy__reference", "sheet__jury_member", "criterion__position"]
    fields = ["sheet", "criterion", "value", "comment"]
    readonly_fields = fields
    history_list_display = ["value", "comment"]

    @admin.display(description=_("candidacy"), ordering="sheet__candidacy__reference")
    def candidacy(self, score):
        return score.sheet.candidacy

    @admin.display(description=_("jury member"), ordering="sheet__jury_member__user__full_name")
    def jury_member(self, score):
        return score.sheet.jury_member.user

    @admin.display(description=_("round"), ordering="sheet__round")
    def round(self, score):
        return score.sheet.get_round_display()


@admin.register(RoundClosure)
class RoundClosureAdmin(ViewOnlyMixin, DutchMessagesMixin, admin.ModelAdmin):
    """The chair closes a round in the portal; from then on its scores are locked."""

    list_display = ["call", "round", "closed_at", "closed_by", "reason"]
    list_filter = ["call", "round"]
    list_select_related = ["call", "closed_by"]
    fields = list_display
    readonly_fields = fields


# The candidacy admin's "shortlist" action goes through jury.services.shortlist, which knows the rounds and the
# decisions that intake (candidacies) may not know of.


@admin.action(description=_("Shortlist for the pitches"), permissions=["change"])
def shortlist_action(model_admin, request, queryset):
    at = timezone.now()
    shortlisted = 0
    for candidacy in queryset.select_related("call", "organisation"):
        try:
            services.shortlist(candidacy, by=request.user, at=at)
        except services.JuryError as refusal:
            model_admin.message_user(request, f"{candidacy}: {refusal.message}", messages.ERROR)
        else:
            shortlisted += 1
    if shortlisted:
        model_admin.message_user(
            request,
            ngettext(
                "%(count)d candidacy was shortlisted for the pitches.",
                "%(count)d candidacies were shortlisted for the pitches.",
                shortlisted,
            )
            % {"count": shortlisted},
            messages.SUCCESS,
        )


CandidacyAdmin.shortlist = shortlist_action
