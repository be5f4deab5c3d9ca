"""The admin's forms of the jury: appointing a member, moving a pitch slot, making and planning slots, assessing a
weerwoord and revising its decision. The pages that show them are in the modules of their stage."""

import datetime

from django import forms
from django.contrib.auth import get_user_model
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from candidacies.models import Candidacy
from challenges.models import Call

from .. import roles, scheduling
from ..models import Decision, JuryMember, PitchSlot, Weerwoord

# Jury members


class JuryMemberAddForm(forms.ModelForm):
    """Appointing: the person by e-mail address; an account is made for whoever has none."""

    email = forms.EmailField(
        label=_("E-mail address"), help_text=_("The invitation is sent to this address; the juror logs in with it.")
    )
    full_name = forms.CharField(
        label=_("Full name"), max_length=150, help_text=_("Used for a new account; an existing account keeps its name.")
    )

    class Meta:
        model = JuryMember
        fields = ["call", "role"]

    def clean_email(self):
        return get_user_model().objects.normalize_email(self.cleaned_data["email"]).strip().lower()

    appointed_by = None  # the user saving the form, set by JuryMemberAdmin.get_form

    def clean(self):
        cleaned_data = super().clean()
        call, email = cleaned_data.get("call"), cleaned_data.get("email")
        if call and email and JuryMember.objects.filter(call=call, user__email__iexact=email).exists():
            self.add_error("email", gettext("%(email)s is on the jury of this call already.") % {"email": email})
        elif call and email and cleaned_data.get("role"):
            user, role = get_user_model().objects.filter(email__iexact=email).first(), cleaned_data["role"]
            # The person first, then the seat, so that each field tells what is wrong with it.
            for person in (user, None):
                refusal = roles.appointment_refusal(call, person, role, by=self.appointed_by)
                if refusal is not None and refusal.field not in self.errors:
                    self.add_error(refusal.field, refusal.message)
        return cleaned_data


class JuryMemberChangeForm(forms.ModelForm):
    """A juror's role and KBO numbers; the role under the rules of jury/roles.py."""

    appointed_by = None  # the user saving the form, set by JuryMemberAdmin.get_form

    class Meta:
        model = JuryMember
        fields = ["role", "enterprise_numbers"]

    def clean(self):
        cleaned_data = super().clean()
        role = cleaned_data.get("role")
        if role and role != self.instance.role:
            refusal = roles.appointment_refusal(
                self.instance.call, self.instance.user, role, by=self.appointed_by, member=self.instance
            )
            if refusal is not None:
                self.add_error("role", refusal.message)
        return cleaned_data


# Pitch slots


class HttpsURLField(forms.URLField):
    """Reads "meet.example/pitch" as https://meet.example/pitch."""

    def __init__(self, **kwargs):
        super().__init__(**{"assume_scheme": "https", **kwargs})


class CandidacyChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, candidacy):
        return f"{candidacy} ({candidacy.call.slug})"


SLOT_FIELDS = ["call", "starts_at", "ends_at", "place", "video_link", "candidacy"]


class PitchSlotAdminForm(forms.ModelForm):
    """Offers the shortlisted, undecided candidacies of the slot's call that have no slot yet, and the slot's own
    one."""

    class Meta:
        model = PitchSlot
        fields = ["call", "starts_at", "ends_at", "place", "video_link", "candidacy"]
        # Not a declared field: the admin drops declared fields of a slot shown read-only, and makes its own.
        field_classes = {"candidacy": CandidacyChoiceField, "video_link": HttpsURLField}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields.get("candidacy")
        if field is None:
            return
        placeable = Candidacy.objects.filter(
            status=Candidacy.Status.SHORTLISTED, pitch_slot__isnull=True, decision__isnull=True
        )
        call_id = self.instance.call_id or self.initial.get("call")
        if call_id:
            placeable = placeable.filter(call_id=call_id)
        choices = Q(pk__in=placeable.values("pk"))
        if self.instance.candidacy_id:
            choices |= Q(pk=self.instance.candidacy_id)
        field.queryset = Candidacy.objects.filter(choices).select_related("call").order_by("call", "reference", "title")

    def _post_clean(self):
        """What jury.scheduling would refuse is refused here, at its field, before anything is saved or mailed.
        After the model's own validation, so the instance holds the values posted (and read-only fields kept)."""
        super()._post_clean()
        if self.errors or not self.fields:
            return
        stored = PitchSlot.objects.select_related("candidacy").get(pk=self.instance.pk) if self.instance.pk else None
        try:
            scheduling.check_change(
                stored, **{name: getattr(self.instance, name) for name in SLOT_FIELDS}, at=timezone.now()
            )
        except scheduling.SchedulingError as refusal:
            self.add_error(refusal.field if refusal.field in self.fields else None, refusal.message)


class GenerateSlotsForm(forms.Form):
    call = forms.ModelChoiceField(label=_("Call"), queryset=Call.objects.all())
    day_start = forms.TimeField(label=_("First slot starts at"), initial=datetime.time(9, 0))
    day_end = forms.TimeField(
        label=_("Last slot ends by"),
        initial=datetime.time(17, 0),
        help_text=_("Brussels time, on each pitch day of the call."),
    )
    length = forms.IntegerField(label=_("Length of a slot (minutes)"), min_value=1, max_value=480, initial=30)
    pause = forms.IntegerField(label=_("Break between slots (minutes)"), min_value=0, max_value=240, initial=10)
    place = forms.CharField(label=_("Place"), max_length=200, required=False)
    video_link = forms.URLField(label=_("Video link"), required=False, assume_scheme="https")


class PlanForm(forms.Form):
    call = forms.ModelChoiceField(
        label=_("Call"),
        queryset=Call.objects.all(),
        help_text=_(
            "Every shortlisted candidacy without a slot gets the earliest free future slot the applicant can "
            "come to, and an invitation by e-mail. What cannot be placed is listed."
        ),
    )


# Weerwoorden


class AssessmentForm(forms.Form):
    """Not required here: the service refuses an empty choice or motivation with its own words at the field."""

    assessment = forms.ChoiceField(
        label=_("Assessment"), choices=Weerwoord.Assessment.choices, required=False, widget=forms.RadioSelect
    )
    assessment_motivation = forms.CharField(
        label=_("Motivation"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("Kept with the weerwoord and in its history."),
    )


class RevisionForm(forms.Form):
    outcome = forms.ChoiceField(
        label=_("New outcome"), choices=Decision.Outcome.choices, required=False, widget=forms.RadioSelect
    )
    motivation = forms.CharField(
        label=_("Motivation"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text=_("Printed in the new letter; you see that letter before it is sent."),
    )
