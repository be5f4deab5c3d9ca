"""The proposal form: anything goes for a draft, everything must be there to submit."""

import re
import uuid

from django import forms
from django.conf import settings
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext_lazy as _

from maasland.forms import LongTextField

from ..models import Candidacy
from ..services import CHOICE_FIELDS, CONTENT_FIELDS

DURATION_MONTHS = (1, 120)  # the model's validators on Candidacy.duration_months, said in one message

REQUIRED_TO_SUBMIT = [
    "title",
    "summary",
    "challenges",
    "personas",
    "service_types",
    "municipalities",
    "approach",
    "collaboration",
    "expected_participants",
    "duration_months",
    "budget",
    "budget_breakdown",
    "team",
    "contact_name",
    "contact_email",
]

LONG_TEXT_FIELDS = ("summary", "approach", "collaboration", "budget_breakdown", "team")


class EuroField(forms.DecimalField):
    """Reads amounts as people in Flanders type them: 45000, 45.000, 45.000,50, € 45 000,50 or 45000.50."""

    def to_python(self, value):
        if isinstance(value, str):
            text = value.replace("€", "").replace("\xa0", "").replace(" ", "").strip()
            if "," in text:
                text = text.replace(".", "").replace(",", ".")
            elif re.fullmatch(r"\d{1,3}(\.\d{3})+", text):
                text = text.replace(".", "")
            value = text
        return super().to_python(value)


class StartCandidacyForm(forms.Form):
    organisation = forms.ModelChoiceField(queryset=None, label=_("On behalf of"), empty_label=None)
    title = forms.CharField(label=_("Working title of the project"), max_length=200)

    def __init__(self, *args, organisations, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = organisations


def challenge_choice_label(challenge):
    """A challenge as the call states it: its title, its questions and the personas it speaks of."""
    questions = format_html_join("", '<span class="d-block small">{}</span>', ((q,) for q in challenge.question_list()))
    personas = ", ".join(persona.name for persona in challenge.personas.all())
    return format_html(
        '<span class="fw-semibold">{}</span>{}<span class="d-block small">{}</span>',
        challenge.title,
        questions,
        _("Personas: %(names)s") % {"names": personas},
    )


def attachment_kind_label(kind):
    return f"{kind.name} ({_('required')})" if kind.required else str(kind.name)


def _grouped_points(points):
    """The sub-points under the name of their type of service, without the addendum's list punctuation."""
    groups = {}
    for point in points.select_related("service_type"):
        groups.setdefault(point.service_type.name, []).append((point.pk, point.text.strip().rstrip(";,").strip()))
    return list(groups.items())


class CandidacyForm(forms.ModelForm):
    """Every field of the proposal; `intent` is 'draft' (keep anything) or 'submit' (complete and valid)."""

    lock_version = forms.IntegerField(widget=forms.HiddenInput)
    submission_token = forms.UUIDField(widget=forms.HiddenInput)
    attachment = forms.FileField(
        label=_("Add an attachment"),
        required=False,
        help_text=_("PDF, DOCX or ODT, at most %(size)s MB each and %(count)s per candidacy.")
        % {"size": settings.ATTACHMENT_MAX_SIZE // (1024 * 1024), "count": settings.ATTACHMENT_MAX_COUNT},
        widget=forms.ClearableFileInput(attrs={"accept": ".pdf,.docx,.odt", "form": "candidacy-form"}),
        allow_empty_file=True,  # services.check_upload refuses it, once, with the file's name
    )

    requested_kind = forms.ModelChoiceField(
        queryset=None,
        required=False,
        label=_("Which document is it?"),
        empty_label=_("Another document"),
        widget=forms.Select(attrs={"form": "candidacy-form"}),
    )

    class Meta:
        model = Candidacy
        fields = CONTENT_FIELDS[:2] + CHOICE_FIELDS + CONTENT_FIELDS[2:]
        widgets = {
            "summary": forms.Textarea(attrs={"rows": 6}),
            "approach": forms.Textarea(attrs={"rows": 6}),
            "collaboration": forms.Textarea(attrs={"rows": 4}),
            "budget_breakdown": forms.Textarea(attrs={"rows": 4}),
            "team": forms.Textarea(attrs={"rows": 4}),
            "challenges": forms.CheckboxSelectMultiple,
            "personas": forms.CheckboxSelectMultiple,
            "service_types": forms.CheckboxSelectMultiple,
            "service_points": forms.CheckboxSelectMultiple,
            "municipalities": forms.CheckboxSelectMultiple,
        }
        field_classes = {
            "budget": EuroField,
            **dict.fromkeys(LONG_TEXT_FIELDS, LongTextField),
        }
        help_texts = {
            "summary": _("What the project does, for whom, in a few paragraphs."),
            "approach": _(
                "How you work: outreaching, empowering, from the presence approach (presentiebenadering), "
                "taking time for the client and strengthening the client's network."
            ),
            "collaboration": _("With whom you already work or will work: VDAB, the OCMWs, other organisations."),
            "service_points": _("The sub-points of the types of service that your project covers."),
            "budget": _("In euro, e.g. 45000 or 45.000,50."),
        }

    def __init__(self, *args, call, intent="draft", **kwargs):
        super().__init__(*args, **kwargs)
        self.call = call
        self.intent = intent
        self.fields["challenges"].queryset = call.challenges.order_by("number").prefetch_related("personas")
        self.fields["challenges"].label_from_instance = challenge_choice_label
        self.fields["personas"].queryset = call.personas.order_by("position")
        self.fields["service_types"].queryset = call.service_types.order_by("position")
        self.fields["service_points"].queryset = (
            self.fields["service_points"]
            .queryset.filter(service_type__call=call)
            .order_by("service_type__position", "position")
        )
        self.fields["service_points"].choices = _grouped_points(self.fields["service_points"].queryset)
        self.fields["municipalities"].queryset = call.municipalities.order_by("position")
        kinds = self.fields["requested_kind"]
        kinds.queryset = call.attachment_kinds.all()
        kinds.label_from_instance = attachment_kind_label
        self.fields["budget"].widget = forms.TextInput(attrs={"inputmode": "decimal", "autocomplete": "off"})
        self.fields["budget"].widget.is_localized = True  # shown as typed here: 45000,50, not 45000.50
        self.fields["expected_participants"].widget.attrs.setdefault("min", 0)
        duration = self.fields["duration_months"]
        duration.widget.attrs.update({"min": DURATION_MONTHS[0], "max": DURATION_MONTHS[1]})
        duration_message = _("Give a duration of %(low)s to %(high)s months.") % dict(
            zip(("low", "high"), DURATION_MONTHS, strict=True)
        )
        duration.validators = []
        duration.error_messages.update({"invalid": duration_message, "out_of_range": duration_message})
        self.bare_labels = {name: field.label for name, field in self.fields.items()}
        for name in REQUIRED_TO_SUBMIT:
            field = self.fields[name]
            field.widget.attrs["data-required-to-submit"] = "true"
            if not field.required:
                field.label = f"{field.label} *"
        if not self.is_bound:
            self.initial.setdefault("lock_version", self.instance.lock_version)
            self.initial.setdefault("submission_token", uuid.uuid4())

    def clean(self):
        cleaned = super().clean()
        points = cleaned.get("service_points")
        if points:
            chosen = set(cleaned.get("service_types") or [])
            cleaned["service_types"] = list(chosen | {point.service_type for point in points})
        if self.intent == "submit":
            for name in REQUIRED_TO_SUBMIT:
                if name in self.errors:
                    continue
                value = cleaned.get(name)
                if value in (None, "") or (hasattr(value, "__len__") and len(value) == 0):
                    self.add_error(name, self.missing_message(name))
        return cleaned

    def clean_duration_months(self):
        value = self.cleaned_data["duration_months"]
        low, high = DURATION_MONTHS
        if value is not None and not low <= value <= high:
            raise forms.ValidationError(self.fields["duration_months"].error_messages["out_of_range"], code="range")
        return value

    def missing_message(self, name):
        """Names the field by its label without the " *" that marks it on the form."""
        what = self.bare_labels[name].lower()
        if isinstance(self.fields[name], forms.ModelMultipleChoiceField):
            return _("Choose at least one option: a candidacy must name its %(what)s.") % {"what": what}
        return _("Fill in this field to submit: %(what)s.") % {"what": what}

    def content(self):
        """The cleaned values the services store."""
        return {name: self.cleaned_data[name] for name in CONTENT_FIELDS + CHOICE_FIELDS if name in self.cleaned_data}
