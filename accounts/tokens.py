"""E-mail confirmation: a signed, expiring link that can activate an account once."""

from django.conf import settings
from django.contrib.auth.tokens import PasswordResetTokenGenerator
from django.db import transaction
from django.utils.crypto import constant_time_compare, salted_hmac
from django.utils.http import base36_to_int


class EmailConfirmationTokenGenerator(PasswordResetTokenGenerator):
    """Like the password reset token, but invalid as soon as the account is active or its address confirmed.

    The password hash is in it too: signing up again for an unconfirmed address sets a new password (a new salt,
    even for the same password), so every link mailed for an earlier sign-up stops working.
    """

    key_salt = "accounts.tokens.EmailConfirmationTokenGenerator"

    def _make_hash_value(self, user, timestamp):
        confirmed_at = "" if user.email_confirmed_at is None else user.email_confirmed_at.replace(microsecond=0)
        return f"{user.pk}{user.email}{user.password}{user.is_active}{confirmed_at}{timestamp}"


email_confirmation_token = EmailConfirmationTokenGenerator()


class InvitationTokenGenerator(PasswordResetTokenGenerator):
    """The link to choose a password in an invitation to an account someone else made (a jury appointment): like the
    password reset link, void once a password is chosen, but working INVITATION_VALID_DAYS. Each invitation sent
    gives a new link that works that long from then; an earlier one works until its own days are over."""

    key_salt = "accounts.tokens.InvitationTokenGenerator"

    def check_token(self, user, token):
        if not (user and token):
            return False
        try:
            timestamp_b36, _hash = token.split("-")
            timestamp = base36_to_int(timestamp_b36)
        except ValueError:
            return False
        if self._num_seconds(self._now()) - timestamp > settings.INVITATION_VALID_DAYS * 24 * 60 * 60:
            return False
        return any(
            constant_time_compare(self._make_token_with_timestamp(user, timestamp, secret), token)
            for secret in [self.secret, *self.secret_fallbacks]
        )


invitation_token = InvitationTokenGenerator()


def awaits_confirmation(user):
    """Only an account that never confirmed its address is activated by a link; one switched off by staff is not."""
    return not user.is_active and user.email_confirmed_at is None


def valid_confirmation(user, token):
    """True if the token would activate this account now (nothing changes)."""
    return awaits_confirmation(user) and email_confirmation_token.check_token(user, token)


def confirm_email(user, token, *, at, password=None):
    """Activate the account if the token is valid for it; returns the activated user, or None when refused.

    With `password` (a hash, from make_password) the account gets that password in the same step: whoever chose the
    pending one, it no longer works, and neither does any link mailed before (the token hashes the password).
    """
    with transaction.atomic():
        user = type(user).objects.select_for_update().get(pk=user.pk)
        if not valid_confirmation(user, token):
            return None
        user.is_active = True
        user.email_confirmed_at = at
        fields = ["is_active", "email_confirmed_at"]
        if password is not None:
            user.password = password
            fields.append("password")
        user.save(update_fields=fields)
    return user


# The browser that signed up keeps this in its session: the confirmation link activates the account with the password
# chosen at sign-up, and logs in, only in that browser. Elsewhere the link asks for a new password first.
SIGNUP_SESSION_KEY = "accounts_signup"
_SIGNUP_SESSION_SALT = "accounts.tokens.signup_session"


def signup_session_mark(user):
    """An opaque mark of this account with its current password: another sign-up since then changes it."""
    return salted_hmac(_SIGNUP_SESSION_SALT, f"{user.pk}{user.password}", algorithm="sha256").hexdigest()


def remember_signup(session, user):
    session[SIGNUP_SESSION_KEY] = signup_session_mark(user)


def signed_up_in(session, user):
    """True (once) if this session chose the account's current password; the mark is then removed."""
    if constant_time_compare(session.get(SIGNUP_SESSION_KEY, ""), signup_session_mark(user)):
        del session[SIGNUP_SESSION_KEY]
        return True
    return False
