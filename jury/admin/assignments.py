"""Who scores which written proposal in a call that assigns its jurors: the manager adds and removes assignments
here, through jury.assigning; the distribution itself is an action on the jury members."""

from django import forms
from django.contrib import admin, messages
from django.shortcuts import redirect
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from maasland.admin import DutchMessagesMixin

from .. import assigning
from ..models import Assignment
from ..services import JuryError


class AssignmentForm(forms.ModelForm):
    by = None  # the user adding, set by AssignmentAdmin.get_form

    class Meta:
        model = Assignment
        fields = ["jury_member", "candidacy"]

    def clean(self):
        cleaned = super().clean()
        member, candidacy = cleaned.get("jury_member"), cleaned.get("candidacy")
        if member is not None and candidacy is not None:
            refusal = assigning.add_refusal(member, candidacy, by=self.by)
            if refusal is not None:
                self.add_error(refusal.field, refusal.message)
        return cleaned


@admin.register(Assignment)
class AssignmentAdmin(DutchMessagesMixin, admin.ModelAdmin):
    form = AssignmentForm
    list_display = ["candidacy", "jury_member", "call", "created_by", "created_at"]
    list_filter = ["jury_member__call"]
    list_select_related = ["candidacy", "jury_member__user", "jury_member__call", "created_by"]
    search_fields = ["candidacy__reference", "candidacy__title", "jury_member__user__full_name"]
    readonly_fields = ["created_by", "created_at"]

    @admin.display(description=_("call"), ordering="jury_member__call")
    def call(self, assignment):
        return assignment.jury_member.call

    def get_fields(self, request, obj=None):
        return ["jury_member", "candidacy"] if obj is None else ["jury_member", "candidacy", *self.readonly_fields]

    def get_readonly_fields(self, request, obj=None):
        return [] if obj is None else ["jury_member", "candidacy", *self.readonly_fields]

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change=change, **kwargs)
        return type(form.__name__, (form,), {"by": request.user})

    def has_change_permission(self, request, obj=None):
        return False

    def save_model(self, request, obj, form, change):
        created = assigning.add(obj.jury_member, obj.candidacy, by=request.user, at=timezone.now())
        obj.pk = created.pk
        obj.refresh_from_db()
        obj._state.adding = False

    def delete_model(self, request, obj):
        assigning.remove(obj, by=request.user, at=timezone.now())

    def delete_queryset(self, request, queryset):
        at = timezone.now()
        for assignment in queryset.select_related("jury_member"):
            try:
                assigning.remove(assignment, by=request.user, at=at)
            except JuryError as refusal:
                self.message_user(request, f"{assignment}: {refusal.message}", messages.ERROR)

    def delete_view(self, request, object_id, extra_context=None):
        """A refused removal (a started sheet, a closed round) comes back to the list with the reason."""
        try:
            return super().delete_view(request, object_id, extra_context)
        except JuryError as refusal:
            self.message_user(request, refusal.message, messages.ERROR)
            return redirect("admin:jury_assignment_changelist")
