"""E-mail confirmation: a signed, expiring link that can activate an account once."""

from django.contrib.auth.tokens import PasswordResetTokenGenerator
from django.db import transaction


class EmailConfirmationTokenGenerator(PasswordResetTokenGenerator):
    """Like the password reset token, but invalid as soon as the account is active or its address confirmed."""

    key_salt = "accounts.tokens.EmailConfirmationTokenGenerator"

    def _make_hash_value(self, user, timestamp):
        confirmed_at = "" if user.email_confirmed_at is None else user.email_confirmed_at.replace(microsecond=0)
        return f"{user.pk}{user.email}{user.is_active}{confirmed_at}{timestamp}"


email_confirmation_token = EmailConfirmationTokenGenerator()


def awaits_confirmation(user):
    """Only an account that never confirmed its address is activated by a link; one switched off by staff is not."""
    return not user.is_active and user.email_confirmed_at is None


def confirm_email(user, token, *, at):
    """Activate the account if the token is valid for it; returns the activated user, or None when refused."""
    with transaction.atomic():
        user = type(user).objects.select_for_update().get(pk=user.pk)
        if not awaits_confirmation(user) or not email_confirmation_token.check_token(user, token):
            return None
        user.is_active = True
        user.email_confirmed_at = at
        user.save(update_fields=["is_active", "email_confirmed_at"])
    return user
