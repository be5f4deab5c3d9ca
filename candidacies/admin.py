"""The call manager's Django admin for organisations, candidacies, attachments and submitted versions."""

import json
import re

from django.contrib import admin, messages
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.core.exceptions import PermissionDenied
from django.db.models import Count
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.text import capfirst
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from challenges.models import Call, Challenge, Municipality, Persona, ServiceType, ServiceTypePoint
from maasland import spreadsheets
from maasland.admin import DutchMessagesMixin, FollowsCallFilter
from maasland.history import ReadableHistoryMixin
from maasland.quick_changelist import QuickChangeListMixin

from . import exports, logbook, organisations, services, transitions
from .admin_forms import CONTENT_FIELDS, CandidacyAdminForm, ExtensionForm, InadmissibleForm, OrganisationAdminForm
from .admin_group_mail import GroupMailAction
from .exports import attachment_count_subquery
from .models import Attachment, Candidacy, CandidacyVersion, Invitation, Membership, Organisation

EXTENSION_FIELDS = ["extended_until", "extension_reason", "extension_granted_by"]


class HistoryWithoutRevertAdmin(DutchMessagesMixin, ReadableHistoryMixin, SimpleHistoryAdmin):
    """Shows every change with who and when, readable (Dutch, Brussels time); reverting is off, since it would
    bypass the deadline and the services."""

    def revert_disabled(self, request, obj=None):
        return True

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        if request.method == "POST":
            raise PermissionDenied
        return super().history_form_view(request, object_id, version_id, extra_context)


class ViewOnlyMixin:
    """Rows written by the portal's services only: the admin shows them."""

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class EnterpriseNumberSearchMixin:
    """A KBO typed as '0123.456.749' or 'BE 0123 456 749' finds the 10 digits stored."""

    enterprise_number_lookup = "enterprise_number"

    def get_search_results(self, request, queryset, search_term):
        results, may_have_duplicates = super().get_search_results(request, queryset, search_term)
        digits = re.sub(r"[\s.\-/]", "", search_term).upper().removeprefix("BE")
        if len(digits) >= 3 and digits.isdigit() and digits != search_term.strip():
            results |= queryset.filter(**{f"{self.enterprise_number_lookup}__contains": digits})
        return results, may_have_duplicates


# Organisations


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0
    fields = ["user", "joined_at"]
    readonly_fields = ["joined_at"]
    autocomplete_fields = ["user"]


class InvitationInline(admin.TabularInline):
    """Invitations are sent from the portal (which mails the link); here they can be seen and revoked."""

    model = Invitation
    extra = 0
    fields = ["email", "invited_by", "created_at", "accepted_at", "accepted_by"]
    readonly_fields = fields

    def has_add_permission(self, request, obj=None):
        return False

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("invited_by", "accepted_by")


@admin.register(Organisation)
class OrganisationAdmin(EnterpriseNumberSearchMixin, HistoryWithoutRevertAdmin):
    form = OrganisationAdminForm
    list_display = ["name", "enterprise_number_display", "city", "member_count"]
    search_fields = ["name", "enterprise_number", "city"]
    inlines = [MembershipInline, InvitationInline]
    fieldsets = [
        (None, {"fields": ["name", "enterprise_number", "correction_reason", "website"]}),
        (_("Address"), {"fields": ["street", "postal_code", "city"]}),
        (_("Contact"), {"fields": ["contact_name", "contact_email", "contact_phone"]}),
    ]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(member_count=Count("memberships", distinct=True))

    def save_model(self, request, obj, form, change):
        """A fixed KBO number changes only through the correction service, which records who and why."""
        reason = form.cleaned_data.get("correction_reason", "").strip()
        if change and "enterprise_number" in form.changed_data and reason:
            organisations.correct_enterprise_number(obj, obj.enterprise_number, reason=reason, by=request.user)
            return
        super().save_model(request, obj, form, change)

    @admin.display(description=_("enterprise number (KBO)"), ordering="enterprise_number")
    def enterprise_number_display(self, organisation):
        return organisation.enterprise_number_display

    @admin.display(description=_("members"), ordering="member_count")
    def member_count(self, organisation):
        return organisation.member_count


@admin.register(Invitation)
class InvitationAdmin(DutchMessagesMixin, admin.ModelAdmin):
    list_display = ["email", "organisation", "invited_by", "created_at", "accepted_at"]
    list_filter = ["accepted_at"]
    list_select_related = ["organisation", "invited_by"]
    search_fields = ["email", "organisation__name"]
    fields = ["organisation", "email", "invited_by", "created_at", "accepted_at", "accepted_by"]
    readonly_fields = fields

    def has_add_permission(self, request):
        return False


# Candidacies


def attachment_download_link(attachment):
    url = reverse("candidacies:attachment_download", args=[attachment.candidacy_id, attachment.pk])
    return format_html('<a href="{}">{}</a>', url, gettext("Download"))


class AttachmentInline(admin.TabularInline):
    model = Attachment
    extra = 0
    fields = ["name", "kind", "size", "sha256", "uploaded_at", "removed_at", "download"]
    readonly_fields = fields
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    @admin.display(description=_("Download"))
    def download(self, attachment):
        return attachment_download_link(attachment)


class CandidacyVersionInline(admin.TabularInline):
    model = CandidacyVersion
    extra = 0
    fields = ["number", "submitted_at", "submitted_by"]
    readonly_fields = fields
    can_delete = False
    show_change_link = True

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("submitted_by")


def field_label(model, name):
    return capfirst(model._meta.get_field(name).verbose_name)


@admin.register(Candidacy)
class CandidacyAdmin(QuickChangeListMixin, GroupMailAction, EnterpriseNumberSearchMixin, HistoryWithoutRevertAdmin):
    form = CandidacyAdminForm
    list_display = [
        "reference",
        "title",
        "organisation",
        "call",
        "status",
        "submitted_at",
        "extended_until",
        "attachment_count",
    ]
    list_display_links = ["reference", "title"]
    list_filter = [
        "call",
        "status",
        ("challenges", FollowsCallFilter),
        ("personas", FollowsCallFilter),
        ("municipalities", FollowsCallFilter),
        ("service_types", FollowsCallFilter),
    ]
    list_select_related = ["call", "organisation"]
    list_only_fields = [
        *["reference", "title", "status", "submitted_at", "extended_until"],
        *["call", "call__title", "call__subtitle", "organisation", "organisation__name"],
    ]
    search_fields = ["reference", "title", "organisation__name", "organisation__enterprise_number"]
    enterprise_number_lookup = "organisation__enterprise_number"
    filter_horizontal = ["challenges", "personas", "service_types", "service_points", "municipalities"]
    inlines = [AttachmentInline, CandidacyVersionInline]
    actions = [
        "grant_extension",
        "mark_inadmissible",
        "shortlist",
        "mark_pitched",
        "send_group_mail",
        "export_csv",
        "export_xlsx",
    ]
    history_list_display = ["status", "extended_until"]
    fieldsets = [
        (None, {"fields": ["call", "organisation", "reference", "status", "form_version"]}),
        (
            _("Proposal"),
            {
                "fields": [
                    "title",
                    "summary",
                    "challenges",
                    "personas",
                    "service_types",
                    "service_points",
                    "municipalities",
                    "approach",
                    "collaboration",
                    "expected_participants",
                    "duration_months",
                    "budget",
                    "budget_breakdown",
                    "team",
                ]
            },
        ),
        (_("Contact"), {"fields": ["contact_name", "contact_email", "contact_phone"]}),
        (_("Extension"), {"fields": EXTENSION_FIELDS}),
        (
            _("Dates"),
            {
                "fields": [
                    "created_by",
                    "created_at",
                    "updated_at",
                    "submitted_at",
                    "withdrawn_at",
                    "changed_since_submission",
                ]
            },
        ),
    ]
    always_readonly_fields = [
        "call",
        "organisation",
        "reference",
        "status",
        *EXTENSION_FIELDS,
        "created_by",
        "created_at",
        "updated_at",
        "submitted_at",
        "withdrawn_at",
        "changed_since_submission",
    ]

    def get_urls(self):
        return [
            path(
                "<path:object_id>/logboek/",
                self.admin_site.admin_view(self.logbook_view),
                name="candidacies_candidacy_logbook",
            ),
            *super().get_urls(),
        ]

    def logbook_view(self, request, object_id):
        """The candidacy's Logboek: every step of its procedure (candidacies/logbook.py)."""
        candidacy = self.get_object(request, object_id)
        if candidacy is None or not self.has_view_permission(request, candidacy):
            raise PermissionDenied
        return logbook.page(
            request,
            title=gettext("Log: %(candidacy)s") % {"candidacy": candidacy},
            subject=candidacy,
            back_url=reverse("admin:candidacies_candidacy_change", args=[candidacy.pk]),
            rows=[logbook.row(step) for step in logbook.steps(candidacy=candidacy)],
            per_candidacy=True,
            field_history_url=reverse("admin:candidacies_candidacy_history", args=[candidacy.pk]),
        )

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .select_related("call", "organisation")
            .annotate(attachment_count=attachment_count_subquery())
        )

    @admin.display(description=_("number of attachments"), ordering="attachment_count")
    def attachment_count(self, candidacy):
        return candidacy.attachment_count

    def has_add_permission(self, request):
        """Candidacies start in the portal, by a member of the organisation."""
        return False

    def has_delete_permission(self, request, obj=None):
        """Only a draft can be deleted: what was submitted stays."""
        allowed = super().has_delete_permission(request, obj)
        return allowed and (obj is None or obj.status == Candidacy.Status.DRAFT)

    def get_readonly_fields(self, request, obj=None):
        if obj is not None and not obj.within_deadline(timezone.now()):
            # After the call's deadline and outside any extension, a candidacy's content is final.
            return [*self.always_readonly_fields, *CONTENT_FIELDS]
        return self.always_readonly_fields

    def get_form(self, request, obj=None, change=False, **kwargs):
        """The choices of the candidacy's own call only."""
        form = super().get_form(request, obj, change=change, **kwargs)
        if obj is not None:
            choices = {
                "challenges": Challenge.objects.filter(call=obj.call_id),
                "personas": Persona.objects.filter(call=obj.call_id),
                "service_types": ServiceType.objects.filter(call=obj.call_id),
                "service_points": ServiceTypePoint.objects.filter(service_type__call=obj.call_id),
                "municipalities": Municipality.objects.filter(calls=obj.call_id),
            }
            for name, queryset in choices.items():
                if name in form.base_fields:
                    form.base_fields[name].queryset = queryset
        return form

    def save_model(self, request, obj, form, change):
        if change and not form.has_changed():
            return
        # Only the fields the form changed, written by the service from the locked row (never the whole row).
        services.change_in_admin(obj, form.changed_data, by=request.user, at=timezone.now())

    # Actions

    @admin.action(description=_("Grant an extension"), permissions=["change"])
    def grant_extension(self, request, queryset):
        """Asks until when and why, then grants each selected candidacy the extension through the service."""
        candidacies = list(queryset)
        form = ExtensionForm(request.POST if "apply_extension" in request.POST else None)
        if form.is_valid():
            at = timezone.now()
            granted = 0
            for candidacy in candidacies:
                try:
                    services.grant_extension(
                        candidacy,
                        until=form.cleaned_data["until"],
                        reason=form.cleaned_data["reason"],
                        by=request.user,
                        at=at,
                    )
                except services.CandidacyError as error:
                    self.message_user(request, f"{candidacy}: {error.message}", messages.ERROR)
                else:
                    granted += 1
            if granted:
                self.message_user(
                    request,
                    ngettext(
                        "%(count)d candidacy got an extension until %(until)s.",
                        "%(count)d candidacies got an extension until %(until)s.",
                        granted,
                    )
                    % {"count": granted, "until": services.deadline_text(form.cleaned_data["until"])},
                    messages.SUCCESS,
                )
            return None
        context = {
            **self.admin_site.each_context(request),
            "title": gettext("Grant an extension"),
            "opts": self.model._meta,
            "candidacies": candidacies,
            "columns": [field_label(Candidacy, name) for name in ("reference", "organisation", "status")],
            "form": form,
            "action_checkbox_name": ACTION_CHECKBOX_NAME,
            "media": self.media + form.media,
        }
        return TemplateResponse(request, "admin/candidacies/candidacy/grant_extension.html", context)

    def _move_each(self, request, candidacies, move, success_message, **kwargs):
        """Applies a service move to each candidacy; each refusal is shown with the service's own words."""
        at = timezone.now()
        moved = 0
        for candidacy in candidacies:
            try:
                move(candidacy, by=request.user, at=at, **kwargs)
            except services.CandidacyError as error:
                self.message_user(request, f"{candidacy}: {error.message}", messages.ERROR)
            else:
                moved += 1
        if moved:
            self.message_user(request, success_message(moved) % {"count": moved}, messages.SUCCESS)
        return moved

    @admin.action(description=_("Declare inadmissible"), permissions=["change"])
    def mark_inadmissible(self, request, queryset):
        """Asks why, then declares each selected candidacy inadmissible through the service. What the service would
        refuse whatever the reason (during intake; a status the state machine does not move from) is refused at once,
        before the reason is asked."""
        at = timezone.now()
        candidacies = list(queryset.select_related("call", "organisation"))
        for call in {candidacy.call for candidacy in candidacies}:
            refused = services.inadmissible_refusal(call, at=at)
            if refused is not None:
                self.message_user(request, refused, messages.ERROR)
                return None
        movable = []
        for candidacy in candidacies:
            refused = transitions.refusal(transitions.Action.MARK_INADMISSIBLE, candidacy.status)
            if refused is None:
                movable.append(candidacy)
            else:
                self.message_user(request, f"{candidacy}: {refused}", messages.ERROR)
        if not movable:
            return None
        candidacies = movable
        form = InadmissibleForm(request.POST if "apply_inadmissible" in request.POST else None)
        if form.is_valid():
            self._move_each(
                request,
                candidacies,
                services.mark_inadmissible,
                lambda count: ngettext(
                    "%(count)d candidacy was declared inadmissible.",
                    "%(count)d candidacies were declared inadmissible.",
                    count,
                ),
                reason=form.cleaned_data["reason"],
            )
            return None
        context = {
            **self.admin_site.each_context(request),
            "title": gettext("Declare inadmissible"),
            "opts": self.model._meta,
            "candidacies": candidacies,
            "columns": [field_label(Candidacy, name) for name in ("reference", "organisation", "status")],
            "form": form,
            "action_checkbox_name": ACTION_CHECKBOX_NAME,
            "media": self.media + form.media,
        }
        return TemplateResponse(request, "admin/candidacies/candidacy/mark_inadmissible.html", context)

    @admin.action(description=_("Shortlist for the pitches"), permissions=["change"])
    def shortlist(self, request, queryset):
        self._move_each(
            request,
            list(queryset.select_related("call", "organisation")),
            services.shortlist,
            lambda count: ngettext(
                "%(count)d candidacy was shortlisted for the pitches.",
                "%(count)d candidacies were shortlisted for the pitches.",
                count,
            ),
        )

    @admin.action(description=_("Mark as pitched"), permissions=["change"])
    def mark_pitched(self, request, queryset):
        self._move_each(
            request,
            list(queryset.select_related("call", "organisation")),
            services.mark_pitched,
            lambda count: ngettext(
                "%(count)d candidacy was marked as pitched.", "%(count)d candidacies were marked as pitched.", count
            ),
        )

    @admin.action(description=_("Export as CSV"), permissions=["view"])
    def export_csv(self, request, queryset):
        """One row per candidacy, every field, for Belgian Excel: semicolons, decimal commas, Brussels time."""
        return self._export(queryset, "csv")

    @admin.action(description=_("Export as XLSX"), permissions=["view"])
    def export_xlsx(self, request, queryset):
        """The same rows as a workbook, with real dates and numbers."""
        return self._export(queryset, "xlsx")

    def _export(self, queryset, file_format):
        calls = list(Call.objects.filter(pk__in=queryset.values("call")).order_by()[:2])
        stem = spreadsheets.export_stem(calls[0] if len(calls) == 1 else None, "kandidaturen", timezone.now())
        return spreadsheets.table_response(exports.candidacy_table(queryset), stem, file_format)


# Attachments and submitted versions


@admin.register(Attachment)
class AttachmentAdmin(ViewOnlyMixin, HistoryWithoutRevertAdmin):
    list_display = ["name", "candidacy", "kind", "size", "uploaded_at", "removed_at", "download"]
    list_filter = ["kind", "candidacy__call"]
    list_select_related = ["candidacy"]
    search_fields = ["name", "sha256", "candidacy__reference", "candidacy__title"]
    fields = ["candidacy", "name", "kind", "size", "sha256", "uploaded_by", "uploaded_at", "removed_at", "download"]
    readonly_fields = fields

    @admin.display(description=_("Download"))
    def download(self, attachment):
        return attachment_download_link(attachment)


@admin.register(CandidacyVersion)
class CandidacyVersionAdmin(ViewOnlyMixin, DutchMessagesMixin, admin.ModelAdmin):
    list_display = ["candidacy", "number", "submitted_at", "submitted_by"]
    list_filter = ["candidacy__call"]
    list_select_related = ["candidacy", "submitted_by"]
    search_fields = ["candidacy__reference", "candidacy__title", "candidacy__organisation__name"]
    fields = ["candidacy", "number", "submitted_at", "submitted_by", "submission_token", "content_display"]
    readonly_fields = fields

    @admin.display(description=_("submitted content"))
    def content_display(self, version):
        return format_html("<pre>{}</pre>", json.dumps(version.content, indent=2, ensure_ascii=False))
