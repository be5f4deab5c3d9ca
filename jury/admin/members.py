"""Jury members and their conflicts of interest: appointed and invited here, conflicts set through the service."""

from django.contrib import admin, messages
from django.db.models import Count, F, IntegerField, OuterRef, Subquery, Value
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.html import format_html_join
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _

from candidacies.admin import HistoryWithoutRevertAdmin
from candidacies.models import Candidacy
from challenges.models import Call

from .. import assigning, invitations, queries, services
from ..models import Conflict, JuryMember
from ..roles import is_call_manager
from .forms import JuryMemberAddForm, JuryMemberChangeForm


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
    neuter = True
    add_form = JuryMemberAddForm
    form = JuryMemberChangeForm
    list_display = ["user", "email", "call", "role", "conflict_count", "invited_at"]
    list_filter = ["call", "role"]
    list_select_related = ["user", "call"]
    search_fields = ["user__email", "user__full_name"]
    actions = ["send_invitation_again", "assign_candidacies"]
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
        form = super().get_form(request, obj, change=change, **kwargs)
        return type(form.__name__, (form,), {"appointed_by": request.user})

    def has_add_permission(self, request):
        return super().has_add_permission(request) and invitations.can_appoint(request.user)

    def save_model(self, request, obj, form, change):
        if change:
            at = timezone.now()
            if "role" in form.changed_data:
                role = obj.role
                obj.role = form.initial["role"]
                invitations.change_role(obj, role, by=request.user, at=at)
            obj.save(update_fields=["enterprise_numbers"])
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

    @admin.action(description=_("Assign the candidacies of their call to the jury"), permissions=["add"])
    def assign_candidacies(self, request, queryset):
        """jury.assigning.distribute for the call of the chosen members: each candidacy its number of jurors."""
        at = timezone.now()
        for call in Call.objects.filter(jury_members__in=queryset).distinct().order_by("pk"):
            try:
                distribution = assigning.distribute(call, by=request.user, at=at)
            except services.JuryError as refusal:
                self.message_user(request, f"{call}: {refusal.message}", messages.ERROR)
                continue
            self.message_user(
                request,
                ngettext(
                    "%(call)s: %(count)d assignment added.",
                    "%(call)s: %(count)d assignments added.",
                    distribution.created,
                )
                % {"call": call, "count": distribution.created},
                messages.SUCCESS,
            )
            for shortfall in distribution.shortfalls:
                self.message_user(request, assigning.shortfall_message(shortfall), messages.WARNING)


@admin.register(Conflict)
class ConflictAdmin(HistoryWithoutRevertAdmin):
    neuter = True
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
