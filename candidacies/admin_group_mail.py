"""Mail to a group from the candidacy list: the action that writes, previews and sends (candidacies.group_mail),
and the read-only log of every sending with its recipients."""

import uuid

from django.contrib import admin, messages
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.db.models import Count
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.utils import timezone
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _

from maasland.admin import DutchMessagesMixin
from mailtemplates.catalogue import placeholder_rows

from . import group_mail
from .admin_forms import GroupMailForm
from .models import GroupMail, GroupMailRecipient


class GroupMailAction:
    """The action "Send a group mail" of the candidacy list, for a ModelAdmin of candidacies."""

    @admin.action(description=_("Send a group mail"), permissions=["change"])
    def send_group_mail(self, request, queryset):
        candidacies = list(queryset.select_related("call", "organisation").order_by("reference", "pk"))
        if len({candidacy.call_id for candidacy in candidacies}) > 1:
            self.message_user(
                request, gettext("Choose candidacies of one call: a group mail belongs to one call."), messages.ERROR
            )
            return None
        # Which button was pressed: each has its own name (the admin styles submit inputs, whose value is the label).
        step = next((step for step in ("preview", "send", "edit") if f"group_mail_{step}" in request.POST), None)
        if step in ("preview", "send"):
            form = GroupMailForm(request.POST)
        elif step == "edit":
            form = GroupMailForm(initial={name: request.POST.get(name, "") for name in ("token", "subject", "body")})
        else:
            subject, body = group_mail.starting_text(candidacies[0].call)
            form = GroupMailForm(initial={"token": uuid.uuid4().hex, "subject": subject, "body": body})
        preview = None
        if step in ("preview", "send") and form.is_valid():
            data = form.cleaned_data
            if step == "preview":
                preview = group_mail.preview(candidacies[0], subject=data["subject"], body=data["body"])
            else:
                try:
                    sending, created = group_mail.send_group_mail(
                        candidacies,
                        subject=data["subject"],
                        body=data["body"],
                        token=data["token"],
                        by=request.user,
                        at=timezone.now(),
                    )
                except group_mail.GroupMailRefused as refusal:
                    form.add_error(refusal.field if refusal.field in form.fields else None, refusal.message)
                else:
                    self._sent_message(request, sending, created)
                    return redirect("admin:candidacies_groupmail_change", sending.pk)
        return self._page(request, candidacies, form, preview)

    def _sent_message(self, request, sending, created):
        if not created:
            self.message_user(
                request,
                gettext("This group mail was sent already: it does not go out a second time."),
                messages.WARNING,
            )
            return
        count = sending.recipients.count()
        self.message_user(
            request,
            ngettext(
                "The group mail is sent to %(count)d address.", "The group mail is sent to %(count)d addresses.", count
            )
            % {"count": count},
            messages.SUCCESS,
        )

    def _page(self, request, candidacies, form, preview):
        rows = group_mail.recipients(candidacies)
        context = {
            **self.admin_site.each_context(request),
            "title": gettext("Check the group mail") if preview else gettext("Send a group mail"),
            "opts": self.model._meta,
            "rows": rows,
            "address_count": sum(len(addresses) for _candidacy, addresses in rows),
            "first": candidacies[0],
            "form": form,
            "preview": preview,
            "placeholders": placeholder_rows(group_mail.KIND),
            "action_checkbox_name": ACTION_CHECKBOX_NAME,
            "media": self.media + form.media,
        }
        return TemplateResponse(request, "admin/candidacies/candidacy/group_mail.html", context)


class GroupMailRecipientInline(admin.TabularInline):
    model = GroupMailRecipient
    fields = ["candidacy", "email", "delivered_at"]
    readonly_fields = fields
    extra = 0
    can_delete = False

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("candidacy")

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(GroupMail)
class GroupMailAdmin(DutchMessagesMixin, admin.ModelAdmin):
    """The log of the group mails: who sent what to whom, and when; kept as it was sent."""

    list_display = ["subject", "call", "sent_by", "sent_at", "recipient_count"]
    list_filter = [("call", admin.RelatedOnlyFieldListFilter)]
    list_select_related = ["call", "sent_by"]
    search_fields = ["subject", "body", "recipients__email"]
    date_hierarchy = None
    fields = ["call", "sent_by", "sent_at", "subject", "body"]
    readonly_fields = fields
    inlines = [GroupMailRecipientInline]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(recipient_count=Count("recipients"))

    @admin.display(description=_("recipients"), ordering="recipient_count")
    def recipient_count(self, sending):
        return sending.recipient_count

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
