from django import forms
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from maasland.links import find_link

from ..enterprise_number import format_enterprise_number, normalise_enterprise_number
from ..models import Organisation


class TelephoneInput(forms.TextInput):
    input_type = "tel"


class OrganisationForm(forms.ModelForm):
    enterprise_number = forms.CharField(
        label=capfirst(Organisation._meta.get_field("enterprise_number").verbose_name),
        help_text=Organisation._meta.get_field("enterprise_number").help_text,
        max_length=20,
        error_messages={
            "unique": _(
                "An organisation with this enterprise number already exists on the portal. "
                "Ask one of its members to invite you."
            ),
        },
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )
    website = forms.URLField(
        label=capfirst(Organisation._meta.get_field("website").verbose_name),
        required=False,
        assume_scheme="https",
        help_text=_("e.g. www.example.be"),
        # A text input: a type="url" input makes the browser refuse "www.example.be" before https:// is added.
        widget=forms.TextInput(attrs={"autocomplete": "url", "inputmode": "url"}),
    )

    class Meta:
        model = Organisation
        fields = [
            "name",
            "enterprise_number",
            "street",
            "postal_code",
            "city",
            "website",
            "contact_name",
            "contact_email",
            "contact_phone",
        ]
        widgets = {
            "name": forms.TextInput(attrs={"autocomplete": "organization"}),
            "street": forms.TextInput(attrs={"autocomplete": "street-address"}),
            "postal_code": forms.TextInput(
                attrs={"autocomplete": "postal-code", "inputmode": "numeric", "maxlength": 4}
            ),
            "city": forms.TextInput(attrs={"autocomplete": "address-level2"}),
            "contact_name": forms.TextInput(attrs={"autocomplete": "name"}),
            "contact_email": forms.EmailInput(attrs={"autocomplete": "email"}),
            "contact_phone": TelephoneInput(attrs={"autocomplete": "tel"}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.initial["enterprise_number"] = format_enterprise_number(self.instance.enterprise_number)
        if self.instance.enterprise_number_is_fixed():
            field = self.fields["enterprise_number"]
            field.disabled = True
            field.help_text = _(
                "Fixed since a candidacy of this organisation was submitted: the jury's conflicts of interest "
                "depend on it. Is it wrong? Ask the call manager to correct it."
            )

    def clean_name(self):
        """The name goes into the mails to the people a member invites: no link may travel in it."""
        name = self.cleaned_data["name"]
        found = find_link(name)
        if found:
            raise forms.ValidationError(
                _(
                    "An organisation's name may hold no links, web or e-mail addresses (found: “%(found)s”). "
                    "Fill in your website at Website."
                ),
                code="link",
                params={"found": found},
            )
        return name

    def clean_postal_code(self):
        return self.cleaned_data["postal_code"].strip()

    def clean_enterprise_number(self):
        if self.fields["enterprise_number"].disabled:
            return self.instance.enterprise_number
        return normalise_enterprise_number(self.cleaned_data["enterprise_number"])


class InvitationForm(forms.Form):
    email = forms.EmailField(
        label=_("E-mail address of the person you invite"),
        help_text=_("They accept by logging in with this address, or by signing up with it first."),
        widget=forms.EmailInput(attrs={"autocomplete": "off"}),
    )

    def __init__(self, *args, organisation, **kwargs):
        super().__init__(*args, **kwargs)
        self.organisation = organisation

    def clean_email(self):
        email = self.cleaned_data["email"].strip().lower()
        if self.organisation.memberships.filter(user__email__iexact=email).exists():
            raise forms.ValidationError(
                _("This person is already a member of %(organisation)s."),
                code="member",
                params={"organisation": self.organisation},
            )
        return email
