from django import forms
from django.contrib import admin
from django.contrib.admin import widgets
from django.db import models
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from maasland.admin import DutchMessagesMixin

from .models import (
    AttachmentKind,
    Call,
    CallNote,
    Challenge,
    Municipality,
    Persona,
    PitchDay,
    Region,
    ServiceType,
    ServiceTypePoint,
)


class LabelledSplitDateTime(widgets.AdminSplitDateTime):
    """Django's split date and time boxes, each with an accessible name (the stock ones have none)."""

    def __init__(self, attrs=None):
        super().__init__(attrs)
        self.widgets[0].attrs["aria-label"] = _("Date")
        self.widgets[1].attrs["aria-label"] = _("Time")


class LabelledFilteredSelectMultiple(widgets.FilteredSelectMultiple):
    """filter_horizontal's widget, its help icons given a role that allows their aria-label."""

    @property
    def media(self):
        return super().media + forms.Media(js=["admin/js/SelectFilter2.js", "js/filter_icons.js"])


class LabelledInlineFormSet(forms.BaseInlineFormSet):
    """An inline's rows whose delete boxes are named (the stock ones sit unlabelled under their column heading)."""

    def add_fields(self, form, index):
        super().add_fields(form, index)
        if "DELETE" in form.fields:
            form.fields["DELETE"].widget.attrs["aria-label"] = _("Delete")


class LabelledTabularInline(admin.TabularInline):
    """A tabular inline whose boxes are named by their column: a row's cells have no label of their own."""

    formset = LabelledInlineFormSet

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        formfield = super().formfield_for_dbfield(db_field, request, **kwargs)
        if formfield is not None and not formfield.widget.is_hidden:
            formfield.widget.attrs.setdefault("aria-label", capfirst(db_field.verbose_name))
        return formfield


class MunicipalityInline(admin.TabularInline):
    model = Municipality
    extra = 0
    prepopulated_fields = {"slug": ["name"]}


@admin.register(Region)
class RegionAdmin(DutchMessagesMixin, admin.ModelAdmin):
    list_display = ["name", "province"]
    search_fields = ["name", "province"]
    prepopulated_fields = {"slug": ["name"]}
    inlines = [MunicipalityInline]


@admin.register(Municipality)
class MunicipalityAdmin(DutchMessagesMixin, admin.ModelAdmin):
    neuter = True
    list_display = ["name", "region", "position"]
    list_filter = ["region"]
    list_select_related = ["region"]
    search_fields = ["name"]
    prepopulated_fields = {"slug": ["name"]}


class PitchDayInline(LabelledTabularInline):
    model = PitchDay
    extra = 0


class CallNoteInline(LabelledTabularInline):
    model = CallNote
    extra = 0


class AttachmentKindInline(LabelledTabularInline):
    model = AttachmentKind
    extra = 0


@admin.register(Call)
class CallAdmin(DutchMessagesMixin, admin.ModelAdmin):
    list_display = ["title", "subtitle", "region", "deadline", "is_published", "is_demo"]
    list_filter = ["is_published", "is_demo", "region"]
    list_select_related = ["region"]
    search_fields = ["title", "subtitle", "slug"]
    prepopulated_fields = {"slug": ["title"]}
    filter_horizontal = ["municipalities"]
    formfield_overrides = {models.DateTimeField: {"widget": LabelledSplitDateTime}}
    inlines = [PitchDayInline, CallNoteInline, AttachmentKindInline]
    fieldsets = [
        (None, {"fields": ["region", "municipalities", "title", "subtitle", "slug", "is_published", "is_demo"]}),
        (
            _("Timeline"),
            {
                "fields": [
                    "launch_date",
                    "deadline",
                    "assessment_starts_on",
                    "assessment_ends_on",
                    "decisions_before",
                    "weerwoord_days",
                    "weerwoord_assessment",
                ]
            },
        ),
        (_("Contact"), {"fields": ["contact_name", "contact_organisation", "contact_email", "contact_phone"]}),
        (_("Jury"), {"fields": ["jury_requires_two_factor", "jury_assignment", "jurors_per_candidacy"]}),
        (
            _("Texts"),
            {
                "classes": ["collapse"],
                "fields": [
                    "intro",
                    "enrichment_intro",
                    "enrichment_question",
                    "arena_intro",
                    "personas_intro",
                    "focus_intro",
                    "exclusion_intro",
                ],
            },
        ),
    ]

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        if db_field.name in self.filter_horizontal:
            kwargs["widget"] = LabelledFilteredSelectMultiple(db_field.verbose_name, False)
        return super().formfield_for_manytomany(db_field, request, **kwargs)


@admin.register(Persona)
class PersonaAdmin(DutchMessagesMixin, admin.ModelAdmin):
    list_display = ["name", "call", "position", "description_is_derived"]
    list_filter = ["call", "description_is_derived"]
    list_select_related = ["call"]
    search_fields = ["name", "description"]
    prepopulated_fields = {"slug": ["name"]}


@admin.register(Challenge)
class ChallengeAdmin(DutchMessagesMixin, admin.ModelAdmin):
    list_display = ["title", "name", "call", "number", "share_total"]
    list_filter = ["call"]
    list_select_related = ["call"]
    search_fields = ["title", "name", "questions"]
    filter_horizontal = ["personas"]

    @admin.display(description=_("total of the shares (%)"))
    def share_total(self, obj):
        return obj.share_total()


class ServiceTypePointInline(admin.TabularInline):
    model = ServiceTypePoint
    extra = 0


@admin.register(ServiceType)
class ServiceTypeAdmin(DutchMessagesMixin, admin.ModelAdmin):
    neuter = True
    list_display = ["name", "call", "position"]
    list_filter = ["call"]
    list_select_related = ["call"]
    search_fields = ["name", "description"]
    inlines = [ServiceTypePointInline]


@admin.register(PitchDay)
class PitchDayAdmin(DutchMessagesMixin, admin.ModelAdmin):
    list_display = ["date", "call"]
    list_filter = ["call"]
    list_select_related = ["call"]


@admin.register(CallNote)
class CallNoteAdmin(DutchMessagesMixin, admin.ModelAdmin):
    list_display = ["__str__", "kind", "call", "position"]
    list_filter = ["call", "kind"]
    list_select_related = ["call"]
    search_fields = ["text"]


@admin.register(ServiceTypePoint)
class ServiceTypePointAdmin(DutchMessagesMixin, admin.ModelAdmin):
    neuter = True
    list_display = ["text", "service_type", "position"]
    list_filter = ["service_type__call"]
    list_select_related = ["service_type"]
    search_fields = ["text"]
