"""Pitch slots and the applicants' unavailabilities: every write goes through jury.scheduling, with the pages to
make the slots of a call and to plan the shortlisted candidacies into them."""

import datetime

from django.contrib import admin, messages
from django.contrib.admin.options import IncorrectLookupParameters
from django.core.exceptions import PermissionDenied
from django.http import QueryDict
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _

from candidacies.admin import HistoryWithoutRevertAdmin, ViewOnlyMixin
from challenges.models import Call
from maasland import clock
from maasland.admin import DutchMessagesMixin

from .. import pitch_days, scheduling
from ..models import PitchSlot, Unavailability
from .forms import SLOT_FIELDS, GenerateSlotsForm, PitchSlotAdminForm, PlanForm


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


@admin.register(PitchSlot)
class PitchSlotAdmin(HistoryWithoutRevertAdmin):
    neuter = True
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
        """A slot that held a candidacy when it began is what happened and stays; an empty one can go, past or not
        (jury.scheduling.delete_slot)."""
        allowed = super().has_delete_permission(request, obj)
        return allowed and (obj is None or obj.candidacy_id is None or obj.starts_at > timezone.now())

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
            try:
                scheduling.delete_slot(slot, by=request.user, at=at)
            except scheduling.SchedulingError as refusal:
                self.message_user(request, f"{slot}: {refusal.message}", messages.ERROR)

    def get_urls(self):
        return [
            path("generate/", self.admin_site.admin_view(self.generate_view), name="jury_pitchslot_generate"),
            path("plan/", self.admin_site.admin_view(self.plan_view), name="jury_pitchslot_plan"),
            path("days/", self.admin_site.admin_view(self.days_view), name="jury_pitchslot_days"),
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

    def days_view(self, request):
        """Pitchdagen: a call's timetable day by day (jury/pitch_days.py), free slots included; without a call, the
        calls that have pitch days to choose from."""
        if not self.has_view_permission(request):
            raise PermissionDenied
        call_id = request.GET.get("call", "")
        call = None
        if call_id.isascii() and call_id.isdigit() and len(call_id) < 19:
            call = Call.objects.filter(pk=call_id).first()
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "call": call,
            "title": gettext("Pitch days: %(call)s") % {"call": call} if call else gettext("Pitch days"),
        }
        if call is None:
            context["calls"] = Call.objects.filter(pitch_days__isnull=False).distinct().order_by("-deadline")
        else:
            context["days"] = pitch_days.timetable(call)
        return TemplateResponse(request, "admin/jury/pitchslot/pitch_days.html", context)


def slot_day_is_over(slot, at):
    return at > clock.day_end(clock.local_date(slot.starts_at))


@admin.register(Unavailability)
class UnavailabilityAdmin(ViewOnlyMixin, DutchMessagesMixin, admin.ModelAdmin):
    """Entered by the applicant on the candidacy page once shortlisted."""

    list_display = ["candidacy", "starts_at", "ends_at"]
    list_filter = [("candidacy__call", admin.RelatedFieldListFilter)]
    list_select_related = ["candidacy"]
    search_fields = ["candidacy__reference", "candidacy__title"]
    fields = list_display
    readonly_fields = fields
