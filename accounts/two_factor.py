"""The second factor: a code from an authenticator app (TOTP) after the password, with recovery codes for a lost
device (django-otp's TOTP and static devices).

Who passes it: staff (superusers and the call managers' group, who are staff) before any page; everyone else who set
it up, at every login; and the jurors of a call that asks for it (`Call.jury_requires_two_factor`), before that call's
jury pages. A session that passed it carries django-otp's device id; the check reads the session only, so a page
costs no extra query. The session ends at logout and is emptied when another user logs in; a superuser's reset
removes the devices and ends the user's sessions.
"""

import math
import re

import django_otp
from django.conf import settings
from django.contrib.auth import SESSION_KEY, user_logged_in
from django.contrib.sessions.models import Session
from django.db import transaction
from django.dispatch import receiver
from django.utils import timezone
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

RECOVERY_CODE_COUNT = 10
TOTP_NAME = "authenticator"
RECOVERY_NAME = "recovery codes"
# Set at login for a user who set up a second factor without having to: the session must pass it too.
ASKED = "two_factor_asked"
TOTP_PATTERN = re.compile(r"^[0-9]{6}$")


class SecondFactorNeeded(Exception):
    """Raised by a page that needs a session that passed the second factor; accounts.middleware answers it with the
    page that asks for the code, or sets it up."""


def is_required(user):
    """Staff must always pass it: superusers and the call managers' group (who are staff) see every proposal."""
    return user.is_staff or user.is_superuser


def is_verified(request):
    return bool(request.session.get(DEVICE_ID_SESSION_KEY))


def must_verify(request):
    """A logged-in session that has to pass the second factor before any page, and has not yet."""
    user = request.user
    if not user.is_authenticated or is_verified(request):
        return False
    return is_required(user) or bool(request.session.get(ASKED))


def require(request, needed):
    """For a page that needs the second factor in some cases only (the jury of a call that asks for it)."""
    if needed and not is_verified(request):
        raise SecondFactorNeeded


def authenticator(user):
    return TOTPDevice.objects.filter(user=user, confirmed=True).first()


def recovery_codes_left(user):
    return StaticToken.objects.filter(device__user=user, device__confirmed=True).count()


def has_second_factor(user):
    """An authenticator set up, or recovery codes left to log in with after losing it."""
    return (
        TOTPDevice.objects.filter(user=user, confirmed=True).exists()
        or StaticToken.objects.filter(device__user=user, device__confirmed=True).exists()
    )


@receiver(user_logged_in, dispatch_uid="accounts_ask_second_factor")
def ask_at_login(sender, request, user, **kwargs):
    """A user who set up a second factor without having to passes it at every login."""
    if hasattr(request, "session") and not is_required(user) and has_second_factor(user):
        request.session[ASKED] = True


def pending_authenticator(user):
    """The authenticator being set up: its key is kept until it is confirmed with a first code, so the QR code stays
    the same when the page is opened again."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).order_by("pk").first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name=TOTP_NAME, confirmed=False)
    return device


def normalise(code):
    return re.sub(r"[\s-]", "", code or "").lower()


def confirm_authenticator(request, device, code):
    """The first code from the app confirms the authenticator being set up: it replaces any earlier one, the session
    passes the second factor, and new recovery codes are made. Returns them, or None when the code is wrong."""
    user = request.user
    with transaction.atomic():
        device = TOTPDevice.objects.select_for_update().filter(pk=device.pk, user=user, confirmed=False).first()
        if device is None or not device.verify_token(normalise(code)):
            return None
        TOTPDevice.objects.filter(user=user).exclude(pk=device.pk).delete()
        device.confirmed = True
        device.save(update_fields=["confirmed"])
        codes = new_recovery_codes(user)
    django_otp.login(request, device)
    request.session.pop(ASKED, None)
    return codes


def new_recovery_codes(user):
    """RECOVERY_CODE_COUNT new recovery codes, each good for one login; earlier ones stop working."""
    with transaction.atomic():
        StaticDevice.objects.filter(user=user).delete()
        device = StaticDevice.objects.create(user=user, name=RECOVERY_NAME, confirmed=True)
        codes = [StaticToken.random_token() for _number in range(RECOVERY_CODE_COUNT)]
        StaticToken.objects.bulk_create(StaticToken(device=device, token=code) for code in codes)
    return codes


class Refused(Exception):
    def __init__(self, wait_seconds=0):
        super().__init__(wait_seconds)
        self.wait_seconds = wait_seconds


def verify(request, code):
    """Passes the second factor with the app's six digits or with one recovery code, which is used up. Returns the
    device that took the code; raises Refused for a wrong code, with the seconds to wait after several wrong ones
    (django-otp doubles the wait after each failure of a device)."""
    code = normalise(code)
    model = TOTPDevice if TOTP_PATTERN.match(code) else StaticDevice
    accepted, wait = None, 0
    with transaction.atomic():  # the failure count of each device is kept: the refusal is not an exception here
        for device in model.objects.select_for_update().filter(user=request.user, confirmed=True).order_by("pk"):
            allowed, details = device.verify_is_allowed()
            if not allowed:
                locked_until = (details or {}).get("locked_until")
                wait = max(wait, math.ceil((locked_until - timezone.now()).total_seconds()) if locked_until else 1)
            elif device.verify_token(code):
                accepted = device
                break
    if accepted is None:
        raise Refused(wait)
    django_otp.login(request, accepted)
    request.session.pop(ASKED, None)
    return accepted


def turn_off(user):
    """Removes every device of the user: the authenticator and the recovery codes."""
    with transaction.atomic():
        TOTPDevice.objects.filter(user=user).delete()
        StaticDevice.objects.filter(user=user).delete()


def reset(user):
    """A superuser's reset for a lost device: the devices go and so do the user's sessions, also one that passed the
    second factor with the lost device. The user logs in again and sets up a new authenticator."""
    turn_off(user)
    end_sessions(user)


def end_sessions(user):
    if settings.SESSION_ENGINE != "django.contrib.sessions.backends.db":
        return
    for session in Session.objects.filter(expire_date__gt=timezone.now()).iterator():
        if session.get_decoded().get(SESSION_KEY) == str(user.pk):
            session.delete()
