"""The forms of the candidacies' admin pages: the organisation (with the correction of a fixed KBO number),
the extension, inadmissibility and group mail actions, and the candidacy's content with the version it was opened at."""

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from maasland import clock

from . import services
from .enterprise_number import normalise_enterprise_number
from .group_mail import text_problems
from .models import Candidacy, Organisation

CONTENT_FIELDS = [*services.CONTENT_FIELDS, *services.CHOICE_FIELDS]


class OrganisationAdminForm(forms.ModelForm):
    enterprise_number = forms.CharField(
        label=_("enterprise number (KBO)"),
        max_length=20,
        help_text=_("10 digits, e.g. 0123.456.749; with or without dots and spaces."),
    )

    class Meta:
        model = Organisation
        fields = [
            "name",
            "enterprise_number",
            "website",
            "street",
            "postal_code",
            "city",
            "contact_name",
            "contact_email",
            "contact_phone",
        ]

    correction_reason = forms.CharField(
        label=_("Reason for correcting the enterprise number"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_(
            "Needed only to change the number of an organisation with a submitted candidacy: the jury's conflicts of "
            "interest depend on it. Kept in the organisation's history."
        ),
    )

    def clean_enterprise_number(self):
        return normalise_enterprise_number(self.cleaned_data["enterprise_number"])

    def clean(self):
        cleaned_data = super().clean()
        number = cleaned_data.get("enterprise_number")
        stored = self.instance.enterprise_number if self.instance.pk else None
        if (
            number
            and stored
            and number != stored
            and self.instance.enterprise_number_is_fixed()
            and not cleaned_data.get("correction_reason", "").strip()
        ):
            self.add_error(
                "correction_reason",
                _("This organisation has a submitted candidacy: say why its enterprise number is corrected."),
            )
        return cleaned_data


class ExtensionForm(forms.Form):
    """Until when: a day, and a time only when the extension ends before that day's last second. Whatever is
    chosen counts up to and including its last second (a time of 14:00 lasts until 14:00:59)."""

    until_date = forms.DateField(
        label=_("Extension until (day)"),
        help_text=_("In Brussels time; without a time the candidacy can be changed up to and including 23:59:59."),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    until_time = forms.TimeField(
        label=_("Until (time, optional)"),
        required=False,
        help_text=_("Up to and including this minute, e.g. 12:00 lasts until 12:00:59."),
        widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
    )
    reason = forms.CharField(
        label=_("Reason"),
        help_text=_("Kept with the candidacy and in its history; the applicants read it in the mail they get."),
        widget=forms.Textarea(attrs={"rows": 4}),
    )

    def clean(self):
        cleaned_data = super().clean()
        day, time = cleaned_data.get("until_date"), cleaned_data.get("until_time")
        if day is not None:
            until = clock.day_end(day) if time is None else clock.at_brussels(day, time.replace(second=59))
            if until <= timezone.now():
                self.add_error(
                    "until_time" if time is not None and clock.day_end(day) > timezone.now() else "until_date",
                    _("An extension must end in the future."),
                )
            cleaned_data["until"] = until
        return cleaned_data


class InadmissibleForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason"),
        help_text=_("Kept with the candidacy and in its history; the applicant will read it."),
        widget=forms.Textarea(attrs={"rows": 4}),
    )


class CandidacyAdminForm(forms.ModelForm):
    """Carries the version of the row the call manager opened, so a save never overwrites an applicant's silently."""

    form_version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    class Meta:
        model = Candidacy
        fields = CONTENT_FIELDS

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["form_version"].initial = self.instance.lock_version

    def clean(self):
        """A form-wide error, shown at the top: the version field itself is hidden."""
        cleaned_data = super().clean()
        version = cleaned_data.get("form_version")
        if version is not None and version != self.instance.lock_version:
            raise ValidationError(
                _(
                    "Someone else saved this candidacy after you opened it. Your changes have not been saved: "
                    "reload the page and make them again."
                )
            )
        return cleaned_data


class GroupMailForm(forms.Form):
    """The text of a group mail, checked as the mail texts are (candidacies.group_mail.text_problems); `token` is
    made when the form is first shown and names the sending, so posting it twice sends once."""

    token = forms.RegexField(regex=r"^[0-9a-f]{32}\Z", widget=forms.HiddenInput)
    subject = forms.CharField(
        label=_("Subject"),
        max_length=200,
        help_text=_("Placeholders such as {{ titel }} are filled in for each candidacy; see the list below."),
        widget=forms.TextInput(attrs={"class": "vTextField"}),
    )
    body = forms.CharField(
        label=_("Text"),
        strip=False,
        max_length=10000,
        help_text=_("Only the placeholders listed below, written as {{ titel }}; no other template code."),
        widget=forms.Textarea(attrs={"rows": 18, "cols": 80, "class": "vLargeTextField"}),
    )

    def clean(self):
        cleaned_data = super().clean()
        if "subject" in cleaned_data and "body" in cleaned_data:
            cleaned_data["body"] = cleaned_data["body"].replace("\r\n", "\n").replace("\r", "\n")
            for field, messages in text_problems(cleaned_data["subject"], cleaned_data["body"]).items():
                for message in messages:
                    self.add_error(field, message)
        return cleaned_data
