from django import forms
from django.contrib.auth import get_user_model, password_validation
from django.contrib.auth.forms import AuthenticationForm, SetPasswordForm
from django.contrib.auth.hashers import make_password
from django.db import IntegrityError, transaction
from django.utils.functional import lazy
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from maasland.links import find_link

from .tokens import awaits_confirmation

User = get_user_model()

PASSWORD_MESSAGES = {
    "password_too_short": _("This password is too short: use at least %(min_length)d characters."),
    "password_too_common": _("Many people use this password: choose one that is harder to guess."),
    "password_entirely_numeric": _("This password has only digits: add letters or other characters."),
    "password_too_similar": _("This password looks too much like your %(verbose_name)s."),
}


def _password_help_text():
    min_length = max(
        (
            validator.min_length
            for validator in password_validation.get_default_password_validators()
            if isinstance(validator, password_validation.MinimumLengthValidator)
        ),
        default=1,
    )
    return ngettext(
        "At least %(min_length)d character; not only digits, not a common password, not like your name or address.",
        "At least %(min_length)d characters; not only digits, not a common password, not like your name or address.",
        min_length,
    ) % {"min_length": min_length}


password_help_text = lazy(_password_help_text, str)


def validate_password(password, user):
    """Django's password validators, with their messages in the portal's words (Django 5.2 lacks some in Dutch)."""
    try:
        password_validation.validate_password(password, user)
    except forms.ValidationError as error:
        raise forms.ValidationError(
            [
                forms.ValidationError(
                    PASSWORD_MESSAGES.get(item.code, item.message), code=item.code, params=item.params
                )
                for item in error.error_list
            ]
        ) from error


class LoginForm(AuthenticationForm):
    """Logs in with the e-mail address in any case; the lockout counts per address, not per spelling of it."""

    error_messages = {
        **AuthenticationForm.error_messages,
        "invalid_login": _(
            "This e-mail address and password do not match. Just signed up? First confirm your e-mail address "
            "with the link we sent you."
        ),
    }

    def clean_username(self):
        return self.cleaned_data["username"].strip().lower()


class SignupForm(forms.Form):
    email = forms.EmailField(
        label=_("E-mail address"),
        help_text=_("You log in with this address; we send a link to it to confirm it is yours."),
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )
    full_name = forms.CharField(
        label=_("Full name"), max_length=150, widget=forms.TextInput(attrs={"autocomplete": "name"})
    )
    password1 = forms.CharField(
        label=_("Password"),
        strip=False,
        help_text=password_help_text(),
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )
    password2 = forms.CharField(
        label=_("Password (again)"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )

    def clean_email(self):
        return User.objects.normalize_email(self.cleaned_data["email"]).lower()

    def clean_full_name(self):
        """The name goes into mails (an invitation names who sends it): no link may travel in it."""
        full_name = self.cleaned_data["full_name"]
        found = find_link(full_name)
        if found:
            raise forms.ValidationError(
                _("Your name may hold no links, web or e-mail addresses (found: “%(found)s”)."),
                code="link",
                params={"found": found},
            )
        return full_name

    def clean(self):
        cleaned_data = super().clean()
        password1, password2 = cleaned_data.get("password1"), cleaned_data.get("password2")
        if password1 and password2 and password1 != password2:
            self.add_error("password2", _("The two passwords are not the same."))
        if password1:
            candidate = User(email=cleaned_data.get("email", ""), full_name=cleaned_data.get("full_name", ""))
            try:
                validate_password(password1, candidate)
            except forms.ValidationError as error:
                self.add_error("password1", error)
        return cleaned_data

    def save(self):
        """Create an inactive account: (user, True); an address that has an account gives (it, False).

        An account still waiting for its confirmation takes this sign-up's name and password, so it never keeps a
        password someone else chose, and the links mailed for earlier sign-ups stop working (the confirmation token
        hashes the password). An account that is active, or was closed by staff, is left unchanged.
        """
        email, password = self.cleaned_data["email"], self.cleaned_data["password1"]
        existing = User.objects.filter(email__iexact=email).first()
        if existing is None:
            try:
                with transaction.atomic():
                    user = User.objects.create_user(
                        email=email, password=password, full_name=self.cleaned_data["full_name"], is_active=False
                    )
                return user, True
            except IntegrityError:
                existing = User.objects.get(email__iexact=email)
        hashed = make_password(password)  # in every case, so the timing does not tell whether the address exists
        with transaction.atomic():
            # Locked and read again: a confirmation at this very moment must not get this sign-up's password.
            existing = User.objects.select_for_update().get(pk=existing.pk)
            if awaits_confirmation(existing):
                existing.password = hashed
                existing.full_name = self.cleaned_data["full_name"]
                existing.save(update_fields=["password", "full_name"])
        return existing, False


class NewPasswordForm(SetPasswordForm):
    """Choosing a new password after a reset, with the same password rules and words as signing up."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["new_password1"].help_text = password_help_text()

    def validate_password_for_user(self, user, password_field_name="new_password2"):
        password = self.cleaned_data.get(password_field_name)
        if password:
            try:
                validate_password(password, user)
            except forms.ValidationError as error:
                self.add_error(password_field_name, error)
