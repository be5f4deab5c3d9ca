"""The call manager's Django admin for the jury: members and conflicts, criteria, score sheets, slots, decisions,
letters and weerwoorden.

Scores and decisions are written in the portal by jurors and the chair; here the manager sees them, sends the
decisions, and assesses the weerwoorden, always through the services that hold the rules.
"""

import datetime

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.contrib.admin.options import IncorrectLookupParameters
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.db.models import Case, CharField, Count, F, IntegerField, OuterRef, Q, Subquery, Value, When
from django.db.models.functions import Coalesce
from django.http import Http404, HttpResponse, QueryDict
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _

from candidacies.admin import CandidacyAdmin, HistoryWithoutRevertAdmin, ViewOnlyMixin
from candidacies.models import Candidacy
from challenges.models import Call
from maasland import clock

from . import communication, invitations, letters, queries, scheduling, services
from .models import (
    Conflict,
    Criterion,
    Decision,
    DecisionLetter,
    JuryMember,
    PitchSlot,
    RoundClosure,
    Score,
    ScoreSheet,
    Unavailability,
    Weerwoord,
)
from .roles import is_call_manager

# Jury members and their conflicts


def conflict_count_subquery():
    """How many candidacies of the member's call the member may not judge: the rule of queries.conflict_exists."""
    conflicted = (
        Candidacy.objects.filter(call=OuterRef("call"))
        .filter(queries.conflict_exists(OuterRef(OuterRef("pk")), OuterRef("pk")))
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
        candidacies = queries.conflicted_candidacies(member).order_by("reference")  # the stored numbers, not typed ones
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
    list_display = ["candidacy", "jury_member", "round", "submitted_at", "updated_at"]
    list_filter = [("candidacy__call", admin.RelatedFieldListFilter), "round", SubmittedFilter, "candidacy__status"]
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


@admin.register(Score)
class ScoreAdmin(ViewOnlyMixin, HistoryWithoutRevertAdmin):
    """Every score on its own, with its history: what the juror changed, and when."""

    list_display = ["candidacy", "jury_member", "round", "criterion", "value"]
    list_filter = [
        ("sheet__candidacy__call", admin.RelatedFieldListFilter),
        "sheet__round",
        ("sheet__jury_member", admin.RelatedOnlyFieldListFilter),
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
        if call_id.isascii() and call_id.isdigit() and len(call_id) < 19:  # a 64-bit id, no more
            slots = slots.filter(call_id=call_id)
        days = slots.datetimes("starts_at", "day", tzinfo=clock.BRUSSELS)
        return [(day.date().isoformat(), date_format(day.date(), "DATE_FORMAT")) for day in days]

    def queryset(self, request, queryset):
        if not self.value():
            return queryset
        try:
            day = datetime.date.fromisoformat(self.value())
        except ValueError as error:
            raise IncorrectLookupParameters(error) from error
        return queryset.filter(
            starts_at__gte=clock.day_start(day), starts_at__lt=clock.day_start(day + datetime.timedelta(days=1))
        )


class HttpsURLField(forms.URLField):
    """Reads "meet.example/pitch" as https://meet.example/pitch."""

    def __init__(self, **kwargs):
        super().__init__(**{"assume_scheme": "https", **kwargs})


class CandidacyChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, candidacy):
        return f"{candidacy} ({candidacy.call.slug})"


SLOT_FIELDS = ["call", "starts_at", "ends_at", "place", "video_link", "candidacy"]


class PitchSlotAdminForm(forms.ModelForm):
    """Offers the shortlisted candidacies of the slot's call that have no slot yet, and the slot's own one."""

    class Meta:
        model = PitchSlot
        fields = ["call", "starts_at", "ends_at", "place", "video_link", "candidacy"]
        # Not a declared field: the admin drops declared fields of a slot shown read-only, and makes its own.
        field_classes = {"candidacy": CandidacyChoiceField, "video_link": HttpsURLField}

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

    def _post_clean(self):
        """What jury.scheduling would refuse is refused here, at its field, before anything is saved or mailed.
        After the model's own validation, so the instance holds the values posted (and read-only fields kept)."""
        super()._post_clean()
        if self.errors or not self.fields:
            return
        stored = PitchSlot.objects.select_related("candidacy").get(pk=self.instance.pk) if self.instance.pk else None
        try:
            scheduling.check_change(
                stored, **{name: getattr(self.instance, name) for name in SLOT_FIELDS}, at=timezone.now()
            )
        except scheduling.SchedulingError as refusal:
            self.add_error(refusal.field if refusal.field in self.fields else None, refusal.message)


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

    def get_readonly_fields(self, request, obj=None):
        """Once the slot's day is over (in Brussels) it is what happened: shown, not changed. A slot stays in its
        call."""
        if obj is not None and slot_day_is_over(obj, timezone.now()):
            return SLOT_FIELDS
        return [] if obj is None else ["call"]

    def has_delete_permission(self, request, obj=None):
        allowed = super().has_delete_permission(request, obj)
        return allowed and (obj is None or not slot_day_is_over(obj, timezone.now()))

    # Every write goes through jury.scheduling, which checks, keeps history and mails the applicant after the
    # commit; the form's clean has already shown what it would refuse.

    def save_model(self, request, obj, form, change):
        slot = scheduling.change_slot(
            PitchSlot.objects.get(pk=obj.pk) if change else None,
            **{name: getattr(obj, name) for name in SLOT_FIELDS},
            by=request.user,
            at=timezone.now(),
        )
        # The form's instance becomes the stored slot, so the admin logs the change against that row.
        obj.pk = slot.pk
        obj.refresh_from_db()
        obj._state.adding = False

    def delete_model(self, request, obj):
        scheduling.delete_slot(obj, by=request.user, at=timezone.now())

    def delete_queryset(self, request, queryset):
        at = timezone.now()
        for slot in queryset:
            scheduling.delete_slot(slot, by=request.user, at=at)

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


def slot_day_is_over(slot, at):
    return at > clock.day_end(clock.local_date(slot.starts_at))


@admin.register(Unavailability)
class UnavailabilityAdmin(ViewOnlyMixin, admin.ModelAdmin):
    """Entered by the applicant on the candidacy page once shortlisted."""

    list_display = ["candidacy", "starts_at", "ends_at"]
    list_filter = [("candidacy__call", admin.RelatedFieldListFilter)]
    list_select_related = ["candidacy"]
    search_fields = ["candidacy__reference", "candidacy__title"]
    fields = list_display
    readonly_fields = fields


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
    history_list_display = ["outcome", "communicated_at", "revised_at"]
    fieldsets = [
        (None, {"fields": ["candidacy", "organisation", "outcome", "motivation", "recorded_by", "recorded_at"]}),
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
        pdf = letters.render_letter_pdf(decision, sent_at=timezone.now())
        response = HttpResponse(pdf, content_type="application/pdf")
        response["Content-Disposition"] = f'attachment; filename="voorbeeld-{letters.letter_file_name(decision)}"'
        return response

    # Actions

    @admin.action(description=_("Send the decisions"), permissions=["send"])
    def send_decisions(self, request, queryset):
        """Asks for confirmation, then sends each ticked decision through the service: a refused one is reported
        with the service's words, one that went out before is not sent again."""
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
        at = timezone.now()
        sent = 0
        for decision in decisions:
            try:
                letter = communication.send_decision(decision, by=request.user, at=at)
            except communication.CommunicationError as refusal:
                self.message_user(request, f"{decision.candidacy}: {refusal.message}", messages.ERROR)
                continue
            if letter is None:
                already_sent = gettext("already sent")
                self.message_user(request, f"{decision.candidacy}: {already_sent}", messages.WARNING)
            else:
                sent += 1
        self.message_user(
            request,
            ngettext("%(count)d decision was sent.", "%(count)d decisions were sent.", sent) % {"count": sent},
            messages.SUCCESS if sent else messages.INFO,
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
class DecisionLetterAdmin(ViewOnlyMixin, admin.ModelAdmin):
    """Letters are made when a decision is sent or revised and never replaced."""

    list_display = ["reference", "organisation", "number", "outcome", "created_at", "created_by", "sent_at", "download"]
    list_display_links = ["reference"]
    list_filter = [("decision__candidacy__call", admin.RelatedFieldListFilter), "outcome"]
    list_select_related = ["decision__candidacy__organisation", "created_by"]
    search_fields = ["decision__candidacy__reference", "decision__candidacy__organisation__name", "sha256"]
    ordering = ["decision__candidacy__reference", "number"]
    fields = ["decision", "number", "outcome", "created_at", "created_by", "sent_at", "sha256", "download"]
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


# Weerwoorden: assessed here by the call manager, through jury.communication


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


class AssessmentForm(forms.Form):
    """Not required here: the service refuses an empty choice or motivation with its own words at the field."""

    assessment = forms.ChoiceField(
        label=_("Assessment"), choices=Weerwoord.Assessment.choices, required=False, widget=forms.RadioSelect
    )
    assessment_motivation = forms.CharField(
        label=_("Motivation"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("Kept with the weerwoord and in its history."),
    )


class RevisionForm(forms.Form):
    outcome = forms.ChoiceField(
        label=_("New outcome"), choices=Decision.Outcome.choices, required=False, widget=forms.RadioSelect
    )
    motivation = forms.CharField(
        label=_("Motivation"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text=_("Printed in the new letter, which is sent to the organisation at once."),
    )


@admin.register(Weerwoord)
class WeerwoordAdmin(ViewOnlyMixin, HistoryWithoutRevertAdmin):
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
        links = [
            (
                reverse("admin:jury_weerwoord_assess", args=[weerwoord.pk]),
                gettext("Change the assessment") if weerwoord.assessment else gettext("Assess this weerwoord"),
            )
        ]
        if weerwoord.assessment == Weerwoord.Assessment.FOUNDED:
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
        weerwoord = self._weerwoord_or_404(request, object_id)
        form = AssessmentForm(
            request.POST if request.method == "POST" else None,
            initial={"assessment": weerwoord.assessment, "assessment_motivation": weerwoord.assessment_motivation},
        )
        if form.is_valid():
            try:
                communication.assess_weerwoord(
                    weerwoord,
                    assessment=form.cleaned_data["assessment"],
                    motivation=form.cleaned_data["assessment_motivation"],
                    by=request.user,
                    at=timezone.now(),
                )
            except communication.CommunicationError as refusal:
                self._refused(form, refusal)
            else:
                self.message_user(request, gettext("The assessment has been recorded."), messages.SUCCESS)
                return redirect("admin:jury_weerwoord_change", weerwoord.pk)
        return self._form_page(
            request,
            weerwoord,
            form,
            title=gettext("Assess the weerwoord"),
            intro=gettext("Founded: the decision may be revised next, which sends a new letter. Unfounded: it stays."),
            submit=gettext("Record the assessment"),
        )

    def revise_view(self, request, object_id):
        weerwoord = self._weerwoord_or_404(request, object_id)
        decision = weerwoord.decision
        form = RevisionForm(
            request.POST if request.method == "POST" else None,
            initial={"outcome": decision.outcome, "motivation": decision.motivation},
        )
        if form.is_valid():
            try:
                communication.revise_decision(
                    decision,
                    outcome=form.cleaned_data["outcome"],
                    motivation=form.cleaned_data["motivation"],
                    by=request.user,
                    at=timezone.now(),
                )
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
                "The revised decision gets a new letter, mailed to the organisation at once; the first letter, the "
                "weerwoord and this revision stay in the history."
            ),
            submit=gettext("Revise and send the new letter"),
        )
