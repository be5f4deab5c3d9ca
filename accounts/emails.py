"""The mails of the accounts app: confirm your address, you already have an account, choose a new password.

Their texts are portal-wide (an account belongs to no call): maasland.mailtemplates gives the stored text or the
default. They are written in the visitor's language, the one active for the request, as before.
"""

import logging
from urllib.parse import urlencode

from django.conf import settings
from django.contrib.auth.forms import PasswordResetForm
from django.core.mail import EmailMessage, send_mail
from django.urls import reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from maasland.mailtemplates import compose, valid_days

from .tokens import email_confirmation_token

logger = logging.getLogger(__name__)


def _compose(kind, user, values):
    return compose(
        kind, {"naam": user.get_short_name(), "portaal": settings.PORTAL_NAME, "geldig_dagen": valid_days(), **values}
    )


def _send(kind, user, values):
    subject, body = _compose(kind, user, values)
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
    _send("signup_confirmation", user, {"link": confirmation_link(user, request=request, next_url=next_url)})


def send_already_registered(user, *, request):
    """Sent instead of a confirmation when someone signs up with an address that has an account already."""
    _send(
        "signup_already_registered",
        user,
        {
            "inloglink": request.build_absolute_uri(reverse("accounts:login")),
            "wachtwoord_vergeten_link": request.build_absolute_uri(reverse("accounts:password_reset")),
        },
    )


class TemplatedPasswordResetForm(PasswordResetForm):
    """Django's password reset, with the mail's text from the portal-wide "password_reset" template."""

    def send_mail(self, subject_template_name, email_template_name, context, from_email, to_email, **kwargs):
        path = reverse("accounts:password_reset_confirm", kwargs={"uidb64": context["uid"], "token": context["token"]})
        link = f"{context['protocol']}://{context['domain']}{path}"
        subject, body = _compose("password_reset", context["user"], {"link": link})
        try:
            EmailMessage(subject, body, from_email, [to_email]).send()
        except Exception:
            logger.exception("Failed to send password reset email to %s", context["user"].pk)
