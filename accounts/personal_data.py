"""Everything the portal holds about one person, for the download (the GDPR right of access).

Accounts comes first in the import order and cannot know the later apps' models, so each app contributes its
own part: an app's `personal_data.py` registers a function `section(user) -> dict | list` with `@register`,
and `collect(user)` calls them all. `AccountsConfig.ready()` imports every app's `personal_data` module.
Each section costs a fixed number of queries and holds only what that user may see in the portal.
"""

from django.contrib.auth.models import Group

_sections = {}


def register(name):
    """Adds a section to the download under `name`; the function takes the user and returns plain data."""

    def decorator(function):
        _sections[name] = function
        return function

    return decorator


def section_names():
    return list(_sections)


def collect(user, *, at):
    data = {"generated_at": at}
    for name, function in _sections.items():
        data[name] = function(user)
    return data


@register("account")
def account(user):
    return {
        "email": user.email,
        "full_name": user.full_name,
        "phone": user.phone,
        "date_joined": user.date_joined,
        "email_confirmed_at": user.email_confirmed_at,
        "last_login": user.last_login,
        "is_active": user.is_active,
        "is_staff": user.is_staff,
        "groups": list(Group.objects.filter(user=user).order_by("name").values_list("name", flat=True)),
    }


@register("two_factor")
def two_factor(user):
    """The second factor (accounts/two_factor.py): when the authenticator was set up and last used, and how many
    recovery codes are left; never the key or the codes themselves."""
    from django_otp.plugins.otp_static.models import StaticToken
    from django_otp.plugins.otp_totp.models import TOTPDevice

    return {
        "authenticators": list(
            TOTPDevice.objects.filter(user=user, confirmed=True).order_by("pk").values("created_at", "last_used_at")
        ),
        "recovery_codes_left": StaticToken.objects.filter(device__user=user, device__confirmed=True).count(),
    }


@register("login_attempts")
def login_attempts(user):
    """What the login throttling (django-axes) keeps under this e-mail address."""
    from axes.models import AccessAttempt, AccessLog

    fields = ["attempt_time", "ip_address", "user_agent", "path_info"]
    return {
        "failed": list(
            AccessAttempt.objects.filter(username__iexact=user.email)
            .order_by("attempt_time")
            .values(*fields, "failures_since_start")
        ),
        "logins": list(
            AccessLog.objects.filter(username__iexact=user.email)
            .order_by("attempt_time")
            .values(*fields, "logout_time")
        ),
    }
