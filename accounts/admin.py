from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.db.models import Exists, OuterRef
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from maasland.admin import DutchMessagesMixin

from . import two_factor
from .models import User

# Devices are managed from their user (the reset action below), never edited: their keys are secrets.
for model in (TOTPDevice, StaticDevice):
    if admin.site.is_registered(model):
        admin.site.unregister(model)


@admin.register(User)
class UserAdmin(DutchMessagesMixin, BaseUserAdmin):
    ordering = ["email"]
    list_display = ["email", "full_name", "is_staff", "has_second_factor", "is_active", "date_joined"]
    list_filter = ["is_staff", "is_superuser", "is_active", "groups"]
    search_fields = ["email", "full_name"]
    fieldsets = [
        (None, {"fields": ["email", "password"]}),
        (_("Personal data"), {"fields": ["full_name", "phone"]}),
        (_("Permissions"), {"fields": ["is_active", "is_staff", "is_superuser", "groups", "user_permissions"]}),
        (_("Important dates"), {"fields": ["last_login", "date_joined"]}),
        (_("Two-step verification"), {"fields": ["has_second_factor"]}),
    ]
    add_fieldsets = [(None, {"classes": ["wide"], "fields": ["email", "full_name", "password1", "password2"]})]
    readonly_fields = ["last_login", "date_joined", "has_second_factor"]
    actions = ["reset_two_factor"]

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .annotate(
                second_factor=Exists(TOTPDevice.objects.filter(user=OuterRef("pk"), confirmed=True)),
            )
        )

    @admin.display(description=_("two-step verification"), boolean=True, ordering="second_factor")
    def has_second_factor(self, user):
        return getattr(user, "second_factor", False)

    def has_reset_two_factor_permission(self, request):
        return request.user.is_superuser

    @admin.action(description=_("Reset two-step verification (lost device)"), permissions=["reset_two_factor"])
    def reset_two_factor(self, request, queryset):
        """Removes the authenticator and recovery codes of each chosen user and ends their sessions; the user sets up
        a new device at the next login. Each reset is recorded in the user's history."""
        users = list(queryset)
        for user in users:
            two_factor.reset(user)
            self.log_change(
                request, user, gettext("Two-step verification reset: the devices and recovery codes are removed.")
            )
        self.message_user(
            request,
            ngettext(
                "Two-step verification reset for %(count)d user: %(names)s. A new device is set up at the next login.",
                "Two-step verification reset for %(count)d users: %(names)s. A new device is set up at the next login.",
                len(users),
            )
            % {"count": len(users), "names": ", ".join(user.email for user in users)},
        )
