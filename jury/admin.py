"""The call manager's Django admin for the jury: members and conflicts, criteria, score sheets, slots, decisions.

Scores and decisions are written in the portal by jurors and the chair; here the manager sees them.
"""

import datetime

from django import forms
from django.contrib import admin, messages
from django.contrib.admin import widgets
from django.contrib.admin.options import IncorrectLookupParameters
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Exists, F, IntegerField, OuterRef, Q, Subquery, Value
from django.db.models.functions import Coalesce, StrIndex
from django.http import QueryDict
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.html import format_html_join
from django.utils.text import capfirst
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _

from candidacies.admin import HistoryWithoutRevertAdmin, ViewOnlyMixin
from candidacies.models import Candidacy, Membership
from candidacies.permissions import is_call_manager
from challenges.models import Call

from . import invitations, queries, scheduling, services
from .models import (
    Conflict,
    Criterion,
    Decision,
    JuryMember,
    PitchSlot,
    RoundClosure,
    Score,
    ScoreSheet,
    Unavailability,
)

# Jury members and their conflicts


def conflict_count_subquery():
    """The candidacies of the member's call the member may not judge: declared or set, a member of the applying
    organisation, or its KBO number in the member's profile (the rule of permissions.has_conflict)."""
    conflicted = (
        Candidacy.objects.filter(call=OuterRef("call"))
        .annotate(number_found=StrIndex(OuterRef("enterprise_numbers"), F("organisation__enterprise_number")))
        .filter(
            Exists(Conflict.objects.filter(jury_member=OuterRef(OuterRef("pk")), candidacy=OuterRef("pk")))
            | Exists(Membership.objects.filter(user=OuterRef(OuterRef("user")), organisation=OuterRef("organisation")))
            | Q(number_found__gt=0)
        )
        .order_by()
        .values("call")
        .annotate(count=Count("pk"))
        .values("count")
    )
    return Coalesce(Subquery(conflicted, output_field=IntegerField()), Value(0))


class JuryMemberAddForm(forms.ModelForm):
    """Appointing: the person by e-mail address; an account is made for whoever has none."""

    email = forms.EmailField(
        label=_("E-mail address"), help_text=_("The invitation is sent to this address; the juror logs in with it.")
    )
    full_name = forms.CharField(
        label=_("Full name"), max_length=150, help_text=_("Used for a new account; an existing account keeps its name.")
    )

    class Meta:
        model = JuryMember
        fields = ["call", "role"]

    def clean_email(self):
        return get_user_model().objects.normalize_email(self.cleaned_data["email"]).strip().lower()

    def clean(self):
        cleaned_data = super().clean()
        call, email = cleaned_data.get("call"), cleaned_data.get("email")
        if call and email and JuryMember.objects.filter(call=call, user__email__iexact=email).exists():
            self.add_error("email", gettext("%(email)s is on the jury of this call already.") % {"email": email})
        return cleaned_data


class ConflictInline(admin.TabularInline):
    """The manager sets a conflict here; existing ones (declared by the juror or set before) are shown, not changed."""

    model = Conflict
    fk_name = "jury_member"
    extra = 0
    fields = ["candidacy", "reason", "source", "created_by", "created_at"]
    readonly_fields = ["source", "created_by", "created_at"]
    can_delete = False

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("candidacy", "created_by")

    def has_add_permission(self, request, obj=None):
        return super().has_add_permission(request, obj) and is_call_manager(request.user)

    def has_change_permission(self, request, obj=None):
        return False

    def get_formset(self, request, obj=None, **kwargs):
        formset = super().get_formset(request, obj, **kwargs)
        field = formset.form.base_fields.get("candidacy")
        if field is not None and obj is not None:
            field.queryset = (
                Candidacy.objects.filter(call_id=obj.call_id)
                .exclude(status=Candidacy.Status.DRAFT)
                .order_by(F("reference").asc(nulls_last=True), "title")
            )
        return formset


@admin.register(JuryMember)
class JuryMemberAdmin(HistoryWithoutRevertAdmin):
    add_form = JuryMemberAddForm
    list_display = ["user", "email", "call", "role", "conflict_count", "invited_at"]
    list_filter = ["call", "role"]
    list_select_related = ["user", "call"]
    search_fields = ["user__email", "user__full_name"]
    actions = ["send_invitation_again"]
    add_fieldsets = [(None, {"fields": ["call", "email", "full_name", "role"]})]
    fieldsets = [
        (None, {"fields": ["call", "user", "role", "invited_at"]}),
        (_("Conflicts of interest"), {"fields": ["enterprise_numbers", "all_conflicts"]}),
    ]
    readonly_fields = ["call", "user", "invited_at", "all_conflicts"]
    history_list_display = ["role", "invited_at"]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(conflict_count=conflict_count_subquery())

    @admin.display(description=_("e-mail address"), ordering="user__email")
    def email(self, member):
        return member.user.email

    @admin.display(description=_("conflicts of interest"), ordering="conflict_count")
    def conflict_count(self, member):
        return member.conflict_count

    @admin.display(description=_("all conflicts, automatic ones included"))
    def all_conflicts(self, member):
        stored = JuryMember.objects.get(pk=member.pk)  # not the numbers just typed, which may be wrong
        candidacies = queries.conflicted_candidacies(stored).order_by("reference")
        return format_html_join("", "<div>{}</div>", ((str(candidacy),) for candidacy in candidacies)) or "–"

    def get_fieldsets(self, request, obj=None):
        return self.add_fieldsets if obj is None else super().get_fieldsets(request, obj)

    def get_readonly_fields(self, request, obj=None):
        return [] if obj is None else super().get_readonly_fields(request, obj)

    def get_inlines(self, request, obj):
        return [] if obj is None else [ConflictInline]

    def get_form(self, request, obj=None, change=False, **kwargs):
        if obj is None:
            kwargs["form"] = self.add_form
        return super().get_form(request, obj, change=change, **kwargs)

    def has_add_permission(self, request):
        return super().has_add_permission(request) and invitations.can_appoint(request.user)

    def save_model(self, request, obj, form, change):
        if change:
            super().save_model(request, obj, form, change)
            return
        member = invitations.appoint(
            form.cleaned_data["call"],
            email=form.cleaned_data["email"],
            full_name=form.cleaned_data["full_name"],
            role=form.cleaned_data["role"],
            by=request.user,
            at=timezone.now(),
        )
        # The form's instance becomes the appointed member, so the admin logs the addition against that row.
        obj.pk = member.pk
        obj.refresh_from_db()
        obj._state.adding = False
        self.message_user(
            request, gettext("The invitation is mailed to %(email)s.") % {"email": member.user.email}, messages.INFO
        )

    def save_formset(self, request, form, formset, change):
        """A conflict set here goes through the service that the juror's own declaration uses."""
        if formset.model is not Conflict:
            super().save_formset(request, form, formset, change)
            return
        formset.save(commit=False)
        at = timezone.now()
        formset.new_objects = [
            services.declare_conflict(
                conflict.jury_member, conflict.candidacy, reason=conflict.reason, by=request.user, at=at
            )
            for conflict in formset.new_objects
        ]

    @admin.action(description=_("Send the invitation again"), permissions=["add"])
    def send_invitation_again(self, request, queryset):
        at = timezone.now()
        members = list(queryset.select_related("user", "call"))
        for member in members:
            invitations.invite_again(member, by=request.user, at=at)
        self.message_user(
            request,
            ngettext(
                "The invitation is mailed again to %(count)d jury member.",
                "The invitation is mailed again to %(count)d jury members.",
                len(members),
            )
            % {"count": len(members)},
            messages.SUCCESS,
        )


@admin.register(Conflict)
class ConflictAdmin(HistoryWithoutRevertAdmin):
    """Set from the jury member's page or declared by the juror; a conflict the manager set can be removed here."""

    list_display = ["jury_member", "candidacy", "source", "created_by", "created_at"]
    list_filter = ["source", "jury_member__call"]
    list_select_related = ["jury_member__user", "candidacy", "created_by"]
    search_fields = ["jury_member__user__email", "jury_member__user__full_name", "candidacy__reference"]
    fields = ["jury_member", "candidacy", "source", "reason", "created_by", "created_at"]
    readonly_fields = fields

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        allowed = super().has_delete_permission(request, obj)
        return allowed and (obj is None or obj.source == Conflict.Source.MANAGER)


# Criteria


@admin.register(Criterion)
class CriterionAdmin(HistoryWithoutRevertAdmin):
    """Weights and scales are refused at the weight field once the round has scores (Criterion.clean)."""

    list_display = ["call", "round", "position", "name", "weight", "scale"]
    list_display_links = ["name"]
    list_editable = ["position"]
    list_filter = ["call", "round"]
    list_select_related = ["call"]
    search_fields = ["name", "description"]
    fields = ["call", "round", "position", "name", "description", "weight", "scale_min", "scale_max"]
    history_list_display = ["weight", "scale_min", "scale_max"]

    @admin.display(description=_("scale"))
    def scale(self, criterion):
        return f"{criterion.scale_min}–{criterion.scale_max}"


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
    list_display = ["candidacy", "jury_member", "round", "submitted_at", "updated_at"]
    list_filter = [("candidacy__call", admin.RelatedFieldListFilter), "round", SubmittedFilter]
    list_select_related = ["candidacy", "jury_member__user"]
    search_fields = [
        "candidacy__reference",
        "candidacy__title",
        "jury_member__user__email",
        "jury_member__user__full_name",
    ]
    fields = ["jury_member", "candidacy", "round", "overall_comment", "submitted_at", "updated_at"]
    readonly_fields = fields
    inlines = [ScoreInline]


@admin.register(RoundClosure)
class RoundClosureAdmin(ViewOnlyMixin, admin.ModelAdmin):
    """The chair closes a round in the portal; from then on its scores are locked."""

    list_display = ["call", "round", "closed_at", "closed_by"]
    list_filter = ["call", "round"]
    list_select_related = ["call", "closed_by"]
    fields = list_display
    readonly_fields = fields


# Pitch slots and unavailabilities


class PitchDayFilter(admin.SimpleListFilter):
    """The days that have slots, in Brussels time; of the call filtered on, if any."""

    title = _("day")
    parameter_name = "day"

    def lookups(self, request, model_admin):
        slots = PitchSlot.objects.all()
        call_id = request.GET.get("call__id__exact", "")
        if call_id.isdigit():
            slots = slots.filter(call_id=call_id)
        days = slots.datetimes("starts_at", "day")
        return [(day.date().isoformat(), date_format(day.date(), "DATE_FORMAT")) for day in days]

    def queryset(self, request, queryset):
        if not self.value():
            return queryset
        try:
            day = datetime.date.fromisoformat(self.value())
        except ValueError as error:
            raise IncorrectLookupParameters(error) from error
        return queryset.filter(
            starts_at__gte=Call._day_start(day), starts_at__lt=Call._day_start(day + datetime.timedelta(days=1))
        )


class CandidacyChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, candidacy):
        return f"{candidacy} ({candidacy.call.slug})"


class PitchSlotAdminForm(forms.ModelForm):
    """Offers the shortlisted candidacies of the slot's call that have no slot yet, and the slot's own one."""

    video_link = forms.URLField(
        label=capfirst(PitchSlot._meta.get_field("video_link").verbose_name),
        required=False,
        assume_scheme="https",
        widget=widgets.AdminURLFieldWidget,
    )

    class Meta:
        model = PitchSlot
        fields = ["call", "starts_at", "ends_at", "place", "video_link", "candidacy"]
        field_classes = {"candidacy": CandidacyChoiceField}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields.get("candidacy")
        if field is None:
            return
        placeable = Candidacy.objects.filter(status=Candidacy.Status.SHORTLISTED, pitch_slot__isnull=True)
        call_id = self.instance.call_id or self.initial.get("call")
        if call_id:
            placeable = placeable.filter(call_id=call_id)
        choices = Q(pk__in=placeable.values("pk"))
        if self.instance.candidacy_id:
            choices |= Q(pk=self.instance.candidacy_id)
        field.queryset = Candidacy.objects.filter(choices).select_related("call").order_by("call", "reference", "title")

    def clean(self):
        cleaned_data = super().clean()
        call, candidacy = cleaned_data.get("call"), cleaned_data.get("candidacy")
        if call and candidacy and candidacy.call_id != call.pk:
            self.add_error("candidacy", gettext("This candidacy belongs to another call."))
        return cleaned_data


class GenerateSlotsForm(forms.Form):
    call = forms.ModelChoiceField(label=_("Call"), queryset=Call.objects.all())
    day_start = forms.TimeField(label=_("First slot starts at"), initial=datetime.time(9, 0))
    day_end = forms.TimeField(
        label=_("Last slot ends by"),
        initial=datetime.time(17, 0),
        help_text=_("Brussels time, on each pitch day of the call."),
    )
    length = forms.IntegerField(label=_("Length of a slot (minutes)"), min_value=1, max_value=480, initial=30)
    pause = forms.IntegerField(label=_("Break between slots (minutes)"), min_value=0, max_value=240, initial=10)
    place = forms.CharField(label=_("Place"), max_length=200, required=False)
    video_link = forms.URLField(label=_("Video link"), required=False, assume_scheme="https")


class PlanForm(forms.Form):
    call = forms.ModelChoiceField(
        label=_("Call"),
        queryset=Call.objects.all(),
        help_text=_(
            "Every shortlisted candidacy without a slot gets the earliest free future slot the applicant can "
            "come to, and an invitation by e-mail. What cannot be placed is listed."
        ),
    )


@admin.register(PitchSlot)
class PitchSlotAdmin(HistoryWithoutRevertAdmin):
    """Manual moves: a candidacy has at most one slot (the database refuses a second), and slots at the same place
    may not overlap (PitchSlot.clean)."""

    form = PitchSlotAdminForm
    list_display = ["starts_at", "ends_at", "place", "candidacy", "call"]
    list_filter = ["call", PitchDayFilter]
    list_select_related = ["candidacy", "call"]
    search_fields = ["place", "candidacy__reference", "candidacy__title", "candidacy__organisation__name"]
    history_list_display = ["starts_at", "place", "candidacy"]
    change_list_template = "admin/jury/pitchslot/change_list.html"

    def get_urls(self):
        return [
            path("generate/", self.admin_site.admin_view(self.generate_view), name="jury_pitchslot_generate"),
            path("plan/", self.admin_site.admin_view(self.plan_view), name="jury_pitchslot_plan"),
            *super().get_urls(),
        ]

    def _form_page(self, request, form, *, title, intro, submit):
        context = {
            **self.admin_site.each_context(request),
            "title": title,
            "intro": intro,
            "submit_label": submit,
            "opts": self.opts,
            "form": form,
            "media": self.media + form.media,
        }
        return TemplateResponse(request, "admin/jury/pitchslot/scheduling_form.html", context)

    def _initial_call(self, request):
        filters = QueryDict(request.GET.get("_changelist_filters", ""))
        call_id = request.GET.get("call") or filters.get("call__id__exact", "")
        return {"call": call_id} if call_id.isdigit() else {}

    def _changelist_of(self, call):
        return redirect(f"{reverse('admin:jury_pitchslot_changelist')}?call__id__exact={call.pk}")

    def generate_view(self, request):
        """Pitchmomenten aanmaken: slots of one length, with a break, on every pitch day of a call."""
        if not self.has_add_permission(request):
            raise PermissionDenied
        form = GenerateSlotsForm(request.POST or None, initial=self._initial_call(request))
        if form.is_valid():
            data = form.cleaned_data
            try:
                created = scheduling.generate_slots(
                    data["call"],
                    day_start=data["day_start"],
                    day_end=data["day_end"],
                    length=datetime.timedelta(minutes=data["length"]),
                    pause=datetime.timedelta(minutes=data["pause"]),
                    place=data["place"],
                    video_link=data["video_link"],
                    by=request.user,
                    at=timezone.now(),
                )
            except scheduling.SchedulingError as error:
                form.add_error(error.field if error.field in form.fields else None, error.message)
            else:
                self.message_user(
                    request,
                    ngettext("%(count)d pitch slot was created.", "%(count)d pitch slots were created.", len(created))
                    % {"count": len(created)},
                    messages.SUCCESS,
                )
                return self._changelist_of(data["call"])
        return self._form_page(
            request,
            form,
            title=gettext("Create pitch slots"),
            intro=gettext(
                "Fills every pitch day of the call with slots; a slot that would overlap one at the same place is "
                "skipped, so doing this twice adds nothing."
            ),
            submit=gettext("Create the slots"),
        )

    def plan_view(self, request):
        """Automatisch plannen: the planner places the shortlisted candidacies and reports what it could not."""
        if not self.has_change_permission(request):
            raise PermissionDenied
        form = PlanForm(request.POST or None, initial=self._initial_call(request))
        if form.is_valid():
            call = form.cleaned_data["call"]
            try:
                result = scheduling.plan(call, by=request.user, at=timezone.now())
            except scheduling.SchedulingError as error:
                form.add_error(None, error.message)
            else:
                placed = len(result.placed)
                self.message_user(
                    request,
                    ngettext(
                        "%(count)d candidacy was placed in a pitch slot.",
                        "%(count)d candidacies were placed in a pitch slot.",
                        placed,
                    )
                    % {"count": placed},
                    messages.SUCCESS if placed else messages.INFO,
                )
                for candidacy, reason in result.unplaced:
                    self.message_user(request, f"{candidacy}: {reason}", messages.WARNING)
                return self._changelist_of(call)
        return self._form_page(
            request,
            form,
            title=gettext("Plan the pitches automatically"),
            intro="",
            submit=gettext("Plan"),
        )


@admin.register(Unavailability)
class UnavailabilityAdmin(ViewOnlyMixin, admin.ModelAdmin):
    """Entered by the applicant on the candidacy page once shortlisted."""

    list_display = ["candidacy", "starts_at", "ends_at"]
    list_filter = [("candidacy__call", admin.RelatedFieldListFilter)]
    list_select_related = ["candidacy"]
    search_fields = ["candidacy__reference", "candidacy__title"]
    fields = list_display
    readonly_fields = fields


# Decisions: recorded by the chair in the portal


@admin.register(Decision)
class DecisionAdmin(ViewOnlyMixin, HistoryWithoutRevertAdmin):
    list_display = ["candidacy", "outcome", "recorded_by", "recorded_at", "communicated_at"]
    list_filter = [("candidacy__call", admin.RelatedFieldListFilter), "outcome"]
    list_select_related = ["candidacy", "recorded_by"]
    search_fields = ["candidacy__reference", "candidacy__title", "candidacy__organisation__name"]
    fields = ["candidacy", "outcome", "motivation", "recorded_by", "recorded_at", "communicated_at"]
    readonly_fields = fields
