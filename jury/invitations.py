"""Appointing a juror: the account if there is none yet, the membership of the jury, and the invitation mail."""

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import translation
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django.utils.translation import gettext as _

from accounts.tokens import invitation_token
from maasland.mail_limits import may_send
from mailtemplates.rendering import call_values, invitation_valid_days, portal_url
from mailtemplates.sending import queue_kind

from .models import JuryMember
from .roles import appointment_refusal, is_call_manager
from .services import JuryError


def can_appoint(user):
    """The call manager composes the jury."""
    return is_call_manager(user) and user.has_perm("jury.add_jurymember")


def needs_password(user):
    """An account made by an appointment stays closed until its owner chooses a password through the mailed link."""
    return not user.is_active or not user.has_usable_password()


def _existing_user(email):
    User = get_user_model()
    return User.objects.filter(email__iexact=User.objects.normalize_email(email).strip().lower()).first()


def _user_for(email, full_name):
    User = get_user_model()
    email = User.objects.normalize_email(email).strip().lower()
    user = User.objects.filter(email__iexact=email).first()
    if user is not None:
        return user
    try:
        with transaction.atomic():
            return User.objects.create_user(email, None, full_name=full_name.strip(), is_active=False)
    except IntegrityError:
        return User.objects.get(email__iexact=email)


@transaction.atomic
def appoint(call, *, email, full_name, role, by, at):
    """Puts the person on the call's jury and mails the invitation once committed. Appointing someone who is on
    the jury already changes nothing and sends nothing: the member is returned as it is."""
    if not can_appoint(by):
        raise JuryError(_("Only the call manager can appoint jury members."))
    if role not in JuryMember.Role.values:
        raise JuryError(_("Choose chair or member."), field="role")
    existing = _existing_user(email)
    member = JuryMember.objects.filter(call=call, user=existing).first() if existing else None
    if member is not None:
        return member
    refusal = appointment_refusal(call, existing, role, by=by)
    if refusal is not None:
        raise refusal
    user = existing or _user_for(email, full_name)
    member = JuryMember(call=call, user=user, role=role, invited_at=at)
    member._history_user = by
    member._change_reason = "appointed"
    member.save()
    transaction.on_commit(lambda: send_invitation(member))
    return member


@transaction.atomic
def change_role(member, role, *, by, at):
    """The call manager makes a juror chair, deputy chair or member, under the role rules (jury/roles.py)."""
    if not can_appoint(by):
        raise JuryError(_("Only the call manager can appoint jury members."))
    if role not in JuryMember.Role.values:
        raise JuryError(_("Choose chair or member."), field="role")
    refusal = appointment_refusal(member.call, member.user, role, by=by, member=member)
    if refusal is not None:
        raise refusal
    member.role = role
    member._history_user = by
    member._change_reason = "role changed"
    member.save(update_fields=["role"])
    return member


@transaction.atomic
def invite_again(member, *, by, at):
    """A new invitation mail (with a fresh link for whoever has not chosen a password yet)."""
    if not can_appoint(by):
        raise JuryError(_("Only the call manager can invite jury members."))
    member.invited_at = at
    member._history_user = by
    member._change_reason = "invited again"
    member.save(update_fields=["invited_at"])
    transaction.on_commit(lambda: send_invitation(member))
    return member


def password_link(user):
    """The invitation's link to choose a password: it works until the password is set, for INVITATION_VALID_DAYS."""
    path = reverse(
        "accounts:invitation_password",
        kwargs={
            "uidb64": urlsafe_base64_encode(force_bytes(user.pk)),
            "token": invitation_token.make_token(user),
        },
    )
    return portal_url(path)


def invitation_values(member):
    """The invitation's kind and placeholders (see jury/mails.py), in the active language."""
    user, call = member.user, member.call
    values = {
        "naam": user.get_short_name(),
        "rol": member.get_role_display().lower(),
        "voorzitterstaken": (
            " " + _("As chair you also close the scoring rounds and record the jury's decisions.")
            if member.is_chair
            else ""
        ),
        "oproep_link": portal_url(call.get_absolute_url()),
        **call_values(call),
        "geldig_dagen": invitation_valid_days(),
    }
    if needs_password(user):
        return "jury_invitation_new_account", {**values, "wachtwoordlink": password_link(user)}
    return "jury_invitation_existing_account", {
        **values,
        "inloglink": portal_url(reverse("accounts:login")),
        "wachtwoord_vergeten_link": portal_url(reverse("accounts:password_reset")),
    }


def send_invitation(member):
    """Queues the invitation's mail; returns 0 when over the mail limit, else 1.

    Runs after the appointment is committed, and a task sends the mail (retrying while the mail server fails), so a
    mail server that fails does not undo it: the manager can send the invitation again from the admin. It counts
    against the mail limit of the address (maasland/mail_limits.py), not of the manager's client: a manager appoints
    a whole jury at once.
    """
    if not may_send("jury_invitation", address=member.user.email):
        return 0
    with translation.override(settings.LANGUAGE_CODE):
        kind, values = invitation_values(member)
    queue_kind(
        kind,
        values,
        call=member.call,
        to=[member.user.email],
        reply_to=[member.call.contact_email] if member.call.contact_email else None,
    )
    return 1
