from django import forms
from django.utils.translation import gettext_lazy as _

from . import two_factor

WRONG_CODE = _("This code is not right. Type the code your app shows now, or an unused recovery code.")
WRONG_FIRST_CODE = _(
    "This code is not right. Check that the time on your device is correct and type the code the app shows now."
)
TOO_MANY = _("Too many wrong codes in a row: wait %(seconds)d seconds and try again.")


class CodeForm(forms.Form):
    """A code from the authenticator app, or one recovery code (when the device is lost)."""

    code = forms.CharField(
        label=_("Code"),
        max_length=40,
        help_text=_(
            "The six digits your authenticator app shows now. Lost your device? Type one of your recovery codes."
        ),
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "autocapitalize": "none", "spellcheck": "false"}
        ),
    )

    def clean_code(self):
        code = two_factor.normalise(self.cleaned_data["code"])
        if not code.isalnum():
            raise forms.ValidationError(WRONG_CODE, code="wrong")
        return code

    def refuse(self, refusal):
        if refusal.wait_seconds:
            self.add_error("code", forms.ValidationError(TOO_MANY, params={"seconds": refusal.wait_seconds}))
        else:
            self.add_error("code", WRONG_CODE)


class FirstCodeForm(forms.Form):
    """The first code from the app: it proves the app holds the key before the authenticator counts."""

    code = forms.CharField(
        label=_("Code from the app"),
        max_length=40,
        help_text=_(
            "After scanning, the app shows six digits that change every 30 seconds: type the ones it shows now."
        ),
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric"}),
    )

    def clean_code(self):
        code = two_factor.normalise(self.cleaned_data["code"])
        if not two_factor.TOTP_PATTERN.match(code):
            raise forms.ValidationError(_("Type the six digits the app shows, without letters."), code="format")
        return code
