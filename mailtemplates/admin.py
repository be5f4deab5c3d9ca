"""The call manager edits the texts of the portal's e-mails: per call or portal-wide, with the placeholders of
the kind beside the fields, a preview with sample values, and an action that puts the default text back."""

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from simple_history.admin import SimpleHistoryAdmin

from maasland.admin import DutchMessagesMixin
from maasland.history import ReadableHistoryMixin

from . import catalogue, services
from .models import MailTemplate
from .rendering import default_text, fill_text, portal_language, preview_values


class MailTemplateForm(forms.ModelForm):
    class Meta:
        model = MailTemplate
        fields = ["kind", "call", "subject", "body"]
        help_texts = {
            "subject": _("Placeholders such as {{ naam }} are filled in when the mail is sent; see the list below."),
            "body": _("Only the placeholders of this kind of e-mail, written as {{ naam }}; no other template code."),
        }

    user = None  # set by MailTemplateAdmin.get_form

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.user is not None and "kind" in self.fields:
            # The mails with a login link or a token are not offered to whoever may not change them.
            kind = self.fields["kind"]
            kind.choices = [choice for choice in kind.choices if services.may_change(self.user, choice[0])]
            kind.error_messages["invalid_choice"] = _(
                "Choose a kind of e-mail from the list. The texts of the mails with a login link or a token "
                "(sign-up, password, invitations) are changed by a superuser only."
            )
        # A text keeps its blank lines and its last line end, as typed.
        self.fields["body"].strip = False
        self.fields["body"].widget.attrs.update(rows=24)


@admin.register(MailTemplate)
class MailTemplateAdmin(DutchMessagesMixin, ReadableHistoryMixin, SimpleHistoryAdmin):
    form = MailTemplateForm
    list_display = ["kind", "call", "subject", "updated_at"]
    list_filter = ["kind", "call"]
    list_select_related = ["call"]
    search_fields = ["subject", "body"]
    empty_value_display = _("whole portal")
    actions = ["restore_default"]
    change_form_template = "admin/mailtemplates/mailtemplate/change_form.html"

    def get_queryset(self, request):
        """A call manager does not see the texts of the mails with a login link or a token."""
        queryset = super().get_queryset(request)
        if request.user.is_superuser:
            return queryset
        hidden = [key for key in catalogue.KINDS if not services.may_change(request.user, key)]
        return queryset.exclude(kind__in=hidden)

    def get_form(self, request, obj=None, **kwargs):
        form = super().get_form(request, obj, **kwargs)
        form.user = request.user  # a new class for each request (modelform_factory)
        return form

    def has_change_permission(self, request, obj=None):
        allowed = super().has_change_permission(request, obj)
        return allowed and (obj is None or services.may_change(request.user, obj.kind))

    def has_delete_permission(self, request, obj=None):
        allowed = super().has_delete_permission(request, obj)
        return allowed and (obj is None or services.may_change(request.user, obj.kind))

    def save_model(self, request, obj, form, change):
        services.save_text(obj, by=request.user)

    def delete_model(self, request, obj):
        services.delete_text(obj, by=request.user)

    def delete_queryset(self, request, queryset):
        for template in queryset:
            services.delete_text(template, by=request.user)

    def get_urls(self):
        preview = self.admin_site.admin_view(self.preview_view)
        return [
            path("<path:object_id>/voorbeeld/", preview, name="mailtemplates_mailtemplate_preview"),
            *super().get_urls(),
        ]

    def get_changeform_initial_data(self, request):
        """Adding with ?kind=… starts from that kind's default text, in the portal's language."""
        initial = super().get_changeform_initial_data(request)
        kind = initial.get("kind")
        if kind in catalogue.KINDS:
            initial["subject"], initial["body"] = default_text(kind, language=portal_language())
        return initial

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        obj = self.get_object(request, object_id) if object_id else None
        kind = obj.kind if obj is not None else (request.POST.get("kind") or request.GET.get("kind"))
        spec = catalogue.KINDS.get(kind)
        extra_context = {
            **(extra_context or {}),
            "mail_kind": spec,
            "placeholders": catalogue.placeholder_rows(kind) if spec else [],
            "kinds": []
            if spec
            else [kind for kind in catalogue.KINDS.values() if services.may_change(request.user, kind.key)],
            "preview_url": reverse("admin:mailtemplates_mailtemplate_preview", args=[obj.pk]) if obj else None,
        }
        return super().changeform_view(request, object_id, form_url, extra_context)

    def preview_view(self, request, object_id):
        template = self.get_object(request, object_id)
        if template is None:
            raise Http404
        if not self.has_view_permission(request, template):
            raise PermissionDenied
        subject, body = fill_text(template.subject, template.body, preview_values(template.call))
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "original": template,
            "title": _("Preview: %(template)s") % {"template": template},
            "subject": subject,
            "body": body,
        }
        return TemplateResponse(request, "admin/mailtemplates/mailtemplate/preview.html", context)

    @admin.action(description=_("Restore the default text"), permissions=["change"])
    def restore_default(self, request, queryset):
        count = 0
        for template in queryset:
            services.restore_default(template, by=request.user)
            count += 1
        self.message_user(
            request,
            ngettext(
                "%(count)d e-mail text has its default text again.",
                "%(count)d e-mail texts have their default text again.",
                count,
            )
            % {"count": count},
            messages.SUCCESS,
        )
