"""The admin site's name, the Dutch article of its messages, and locked accounts in Django admin: django-axes'
failed logins, in Dutch, with an action that unlocks.

django-axes ships no Dutch, so its own words are listed here for the catalogue (AXES_ENABLE_ADMIN is off: these
classes replace its registrations). Call managers may view (axes.view_accessattempt, axes.view_accesslog,
axes.view_accessfailurelog); unlocking deletes the attempts and needs axes.delete_accessattempt.
"""

import re

from axes.admin import AccessAttemptAdmin, AccessFailureLogAdmin, AccessLogAdmin
from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.conf import settings
from django.contrib import admin
from django.db.models import F
from django.utils.translation import gettext_lazy as _
from django.utils.translation import gettext_noop, ngettext

AXES_WORDS = [
    gettext_noop("User Agent"),
    gettext_noop("IP Address"),
    gettext_noop("Username"),
    gettext_noop("HTTP Accept"),
    gettext_noop("Path"),
    gettext_noop("Attempt Time"),
    gettext_noop("GET Data"),
    gettext_noop("POST Data"),
    gettext_noop("Failed Logins"),
    gettext_noop("Access lock out"),
    gettext_noop("Logout Time"),
    gettext_noop("Session key hash (sha256)"),
    gettext_noop("access attempt"),
    gettext_noop("access attempts"),
    gettext_noop("access log"),
    gettext_noop("access logs"),
    gettext_noop("access failure"),
    gettext_noop("access failures"),
    gettext_noop("Locked Out"),
    gettext_noop("Form Data"),
    gettext_noop("Meta Data"),
]


class LockedFilter(admin.SimpleListFilter):
    title = _("locked")
    parameter_name = "locked"

    def lookups(self, request, model_admin):
        return [("yes", _("Locked")), ("no", _("Not locked"))]

    def queryset(self, request, queryset):
        if self.value() == "yes":
            return queryset.filter(failures_since_start__gte=settings.AXES_FAILURE_LIMIT)
        if self.value() == "no":
            return queryset.filter(failures_since_start__lt=settings.AXES_FAILURE_LIMIT)
        return queryset


class DutchMessagesMixin:
    """A ModelAdmin whose confirmations carry the right Dutch article: "Het pitchmoment … is gewijzigd", "De
    kandidatuur … is gewijzigd". Django's messages say "De {name}" for every model (its catalogue knows no gender);
    an admin of a neuter ("het") noun sets `neuter = True`, and the message's leading "De <name>" becomes "Het <name>".
    """

    neuter = False

    def message_user(self, request, message, *args, **kwargs):
        if self.neuter:
            name = str(self.model._meta.verbose_name)
            message = re.sub(rf"^De {re.escape(name)}\b", f"Het {name}", str(message))
        return super().message_user(request, message, *args, **kwargs)


class FollowsCallFilter(admin.RelatedFieldListFilter):
    """A filter on a related model that belongs to a call (by a `call` or `calls` field): once the list is filtered
    on a call (any `…call__id__exact` parameter), it offers that call's rows only, not those of every call. With no
    call chosen it offers all, each named with its call's slug when they are of several calls."""

    @staticmethod
    def chosen_call(request):
        for key, value in request.GET.items():
            is_call = key == "call__id__exact" or key.endswith("__call__id__exact")
            if is_call and value.isascii() and value.isdigit() and len(value) < 19:  # a 64-bit id, no more
                return value
        return None

    def field_choices(self, field, request, model_admin):
        model = field.related_model
        names = {found.name for found in model._meta.get_fields()}
        lookup = "call" if "call" in names else "calls"
        # What a row's name may need (a juror's user), but not its call: of that only the slug is read.
        related = [
            found.name
            for found in model._meta.concrete_fields
            if found.many_to_one and not found.null and found.name != "call"
        ]
        choices = model._default_manager.all()
        if related:  # select_related() with no names would follow every relation
            choices = choices.select_related(*related)
        ordering = self.field_admin_ordering(field, request, model_admin)
        if ordering:
            choices = choices.order_by(*ordering)
        call_id = self.chosen_call(request)
        if call_id is not None:
            return [(item.pk, str(item)) for item in choices.filter(**{lookup: call_id})]
        if lookup == "calls":
            return [(item.pk, str(item)) for item in choices]
        choices = list(choices.annotate(follows_call_slug=F("call__slug")))
        if len({item.call_id for item in choices}) <= 1:
            return [(item.pk, str(item)) for item in choices]
        return [(item.pk, f"{item} ({item.follows_call_slug})") for item in choices]


# The portal's own name above every admin page and in its title, instead of Django's ("Django-beheer").
admin.site.site_header = settings.PORTAL_NAME
admin.site.site_title = settings.PORTAL_NAME
admin.site.index_title = _("Call management")


@admin.register(AccessAttempt)
class LockedAccountAdmin(AccessAttemptAdmin):
    """Failed logins per e-mail address and IP address; from AXES_FAILURE_LIMIT failures on, the account is locked."""

    list_display = ["username", "ip_address", "failures_since_start", "is_locked", "attempt_time", "path_info"]
    list_filter = [LockedFilter, "attempt_time"]
    actions = ["unlock"]
    ordering = ["-attempt_time"]

    def has_change_permission(self, request, obj=None):
        return False

    @admin.display(description=_("locked"), boolean=True)
    def is_locked(self, attempt):
        return attempt.failures_since_start >= settings.AXES_FAILURE_LIMIT

    @admin.action(description=_("Unlock the selected accounts"), permissions=["delete"])
    def unlock(self, request, queryset):
        """Deletes every failed attempt of the chosen e-mail addresses, so they can log in again at once."""
        usernames = set(queryset.values_list("username", flat=True))
        AccessAttempt.objects.filter(username__in=usernames).delete()
        self.message_user(
            request,
            ngettext(
                "%(count)d account unlocked: %(names)s.", "%(count)d accounts unlocked: %(names)s.", len(usernames)
            )
            % {"count": len(usernames), "names": ", ".join(sorted(name or "–" for name in usernames))},
        )


@admin.register(AccessLog)
class LoginLogAdmin(AccessLogAdmin):
    def has_change_permission(self, request, obj=None):
        return False


@admin.register(AccessFailureLog)
class LoginFailureLogAdmin(AccessFailureLogAdmin):
    def has_change_permission(self, request, obj=None):
        return False
