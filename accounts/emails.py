"""The mails of the accounts app: confirm your address, or you already have an account."""

from urllib.parse import urlencode

from django.conf import settings
from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from .tokens import email_confirmation_token


def _send(template, user, context):
    context = {
        "user": user,
        "portal_name": settings.PORTAL_NAME,
        "valid_days": settings.PASSWORD_RESET_TIMEOUT // (24 * 60 * 60),
        **context,
    }
    subject = " ".join(render_to_string(f"accounts/emails/{template}_subject.txt", context).split())
    body = render_to_string(f"accounts/emails/{template}.txt", context)
    send_mail(subject, body, None, [user.email])


def confirmation_link(user, *, request, next_url=""):
    path = reverse(
        "accounts:confirm",
        kwargs={
            "uidb64": urlsafe_base64_encode(force_bytes(user.pk)),
            "token": email_confirmation_token.make_token(user),
        },
    )
    if next_url:
        path += "?" + urlencode({"next": next_url})
    return request.build_absolute_uri(path)


def send_confirmation(user, *, request, next_url=""):
    _send("confirm", user, {"link": confirmation_link(user, request=request, next_url=next_url)})


def send_already_registered(user, *, request):
    """Sent instead of a confirmation when someone signs up with an address that has an account already."""
    _send(
        "already_registered",
        user,
        {
            "login_link": request.build_absolute_uri(reverse("accounts:login")),
            "password_reset_link": request.build_absolute_uri(reverse("accounts:password_reset")),
        },
    )
