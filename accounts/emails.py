"""The mails of the accounts app: confirm your address, you already have an account, choose a new password.

Their kinds are declared in accounts/mails.py and their texts are portal-wide (an account belongs to no call); the
mailtemplates app gives the stored text or the default and sends it. They are written in the visitor's language, the
one active for the request, as before. Anyone can ask for them, so each counts against the mail limits
(maasland/mail_limits.py) of its address and of the client that asked; over a limit it is not sent, and the visitor
sees the same page.
"""

from urllib.parse import urlencode

from django.conf import settings
from django.contrib.auth.forms import PasswordResetForm
from django.urls import reverse
from django.utils import translation
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from maasland.client_address import client_address
from maasland.mail_limits import may_send
from mailtemplates.rendering import valid_days
from mailtemplates.sending import queue_kind

from .tokens import email_confirmation_token


def _send(kind, user, values, *, purpose, client, to=None, from_email=None):
    """Queues the mail in the active language, within the mail limits of `purpose` for the address and the client
    (mailtemplates.sending.queue_kind: a task sends it, retrying while the mail server fails). It belongs to no change
    of the database, so it is queued at once. Returns 0 when over a limit, else 1."""
    if not may_send(purpose, address=to or user.email, client=client):
        return 0
    values = {"naam": user.get_short_name(), "portaal": settings.PORTAL_NAME, "geldig_dagen": valid_days(), **values}
    queue_kind(
        kind,
        values,
        language=translation.get_language(),
        on_commit=False,
        to=[to or user.email],
        from_email=from_email,
    )
    return 1


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
    link = confirmation_link(user, request=request, next_url=next_url)
    _send("signup_confirmation", user, {"link": link}, purpose="signup", client=client_address(request))


def send_already_registered(user, *, request):
    """Sent instead of a confirmation when someone signs up with an address that has an account already."""
    _send(
        "signup_already_registered",
        user,
        {
            "inloglink": request.build_absolute_uri(reverse("accounts:login")),
            "wachtwoord_vergeten_link": request.build_absolute_uri(reverse("accounts:password_reset")),
        },
        purpose="signup",
        client=client_address(request),
    )


class TemplatedPasswordResetForm(PasswordResetForm):
    """Django's password reset, with the mail's text from the portal-wide "password_reset" template, within the mail
    limits of the address and the client that asked."""

    client = None

    def save(self, *args, request=None, **kwargs):
        self.client = client_address(request) if request is not None else None
        return super().save(*args, request=request, **kwargs)

    def send_mail(self, subject_template_name, email_template_name, context, from_email, to_email, **kwargs):
        path = reverse("accounts:password_reset_confirm", kwargs={"uidb64": context["uid"], "token": context["token"]})
        link = f"{context['protocol']}://{context['domain']}{path}"
        _send(
            "password_reset",
            context["user"],
            {"link": link},
            purpose="password_reset",
            client=self.client,
            to=to_email,
            from_email=from_email,
        )
