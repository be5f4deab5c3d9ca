"""The second factor's pages (accounts/two_factor.py): passing it after the password, setting up an authenticator
app, the recovery codes (shown once) and turning it off where it is not required."""

from base64 import b32encode

import qrcode
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.html import escape
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_POST
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.plugins.otp_static.models import StaticDevice
from qrcode.image.svg import SvgPathFillImage

from . import two_factor
from .two_factor_forms import WRONG_FIRST_CODE, CodeForm, FirstCodeForm

# The recovery codes just made, kept in the session until the page that shows them once.
NEW_CODES = "two_factor_new_codes"


def _next_url(request):
    next_url = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(next_url, allowed_hosts={request.get_host()}, require_https=request.is_secure()):
        return next_url
    return reverse("admin:index") if two_factor.is_required(request.user) else reverse(settings.LOGIN_REDIRECT_URL)


def _to(name, next_url):
    return redirect(f"{reverse(name)}?{urlencode({'next': next_url})}")


def qr_code_svg(device):
    """The otpauth:// address of the authenticator as an inline SVG image (nothing is fetched from elsewhere)."""
    image = qrcode.make(device.config_url, image_factory=SvgPathFillImage, box_size=12, border=4)
    svg = image.to_string(encoding="unicode")
    label = escape(_("QR code to scan with your authenticator app"))
    return mark_safe(svg.replace("<svg ", f'<svg role="img" aria-label="{label}" class="qr-code" ', 1))


def secret_in_groups(device):
    secret = b32encode(device.bin_key).decode()
    return " ".join(secret[start : start + 4] for start in range(0, len(secret), 4))


@sensitive_post_parameters("code")
@never_cache
@login_required
def verify(request):
    """The second step after the password: a code from the app, or a recovery code, which is then used up."""
    next_url = _next_url(request)
    if two_factor.is_verified(request):
        return redirect(next_url)
    if not two_factor.has_second_factor(request.user):
        return _to("accounts:two_factor_setup", next_url)
    form = CodeForm(request.POST if request.method == "POST" else None)
    if form.is_bound and form.is_valid():
        try:
            device = two_factor.verify(request, form.cleaned_data["code"])
        except two_factor.Refused as refusal:
            form.refuse(refusal)
        else:
            if isinstance(device, StaticDevice):
                left = two_factor.recovery_codes_left(request.user)
                messages.warning(
                    request,
                    ngettext(
                        "You used a recovery code; %(count)d is left. Lost your device? Set up a new one now.",
                        "You used a recovery code; %(count)d are left. Lost your device? Set up a new one now.",
                        left,
                    )
                    % {"count": left},
                )
                return _to("accounts:two_factor_setup", next_url)
            return redirect(next_url)
    return render(
        request,
        "accounts/two_factor_verify.html",
        {"form": form, "next": next_url},
        status=400 if form.errors else 200,
    )


@sensitive_post_parameters("code")
@never_cache
@login_required
def setup(request):
    """Scan the QR code (or type the key), confirm with a first code; then the recovery codes are shown once. A user
    who has a second factor sets up a new device only in a session that passed it."""
    next_url = _next_url(request)
    if two_factor.has_second_factor(request.user) and not two_factor.is_verified(request):
        return _to("accounts:two_factor_verify", next_url)
    device = two_factor.pending_authenticator(request.user)
    form = FirstCodeForm(request.POST if request.method == "POST" else None)
    if form.is_bound and form.is_valid():
        codes = two_factor.confirm_authenticator(request, device, form.cleaned_data["code"])
        if codes is None:
            form.add_error("code", WRONG_FIRST_CODE)
        else:
            request.session[NEW_CODES] = codes
            messages.success(request, _("Two-step verification is on: your app gives the code at every login."))
            return _to("accounts:two_factor_codes", next_url)
    return render(
        request,
        "accounts/two_factor_setup.html",
        {
            "form": form,
            "next": next_url,
            "qr_code": qr_code_svg(device),
            "secret": secret_in_groups(device),
            "replacing": two_factor.authenticator(request.user) is not None,
            "required": two_factor.is_required(request.user),
        },
        status=400 if form.errors else 200,
    )


@never_cache
@login_required
def recovery_codes(request):
    """The recovery codes, shown once right after they were made; new ones on request (the old ones stop working)."""
    next_url = _next_url(request)
    if request.method == "POST":
        if not two_factor.is_verified(request):
            return _to("accounts:two_factor_verify", next_url)
        request.session[NEW_CODES] = two_factor.new_recovery_codes(request.user)
        return _to("accounts:two_factor_codes", next_url)
    return render(
        request,
        "accounts/two_factor_codes.html",
        {
            "codes": request.session.pop(NEW_CODES, None),
            "left": two_factor.recovery_codes_left(request.user),
            "verified": two_factor.is_verified(request),
            "next": next_url,
        },
    )


@login_required
@require_POST
def turn_off(request):
    """Someone who set up the second factor without having to may turn it off again, in a session that passed it."""
    if two_factor.is_required(request.user):
        messages.error(request, _("Staff accounts keep two-step verification on."))
    elif not two_factor.is_verified(request):
        return _to("accounts:two_factor_verify", reverse("accounts:my_data"))
    else:
        two_factor.turn_off(request.user)
        request.session.pop(DEVICE_ID_SESSION_KEY, None)
        messages.success(request, _("Two-step verification is off."))
    return redirect("accounts:my_data")
