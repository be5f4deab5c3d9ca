"""The jury's forms: a score sheet built from the call's criteria, a conflict declaration, a decision."""

from django import forms
from django.utils.translation import gettext_lazy as _

from .models import Decision, Score, ScoreSheet


def score_field_name(criterion):
    return f"score_{criterion.pk}"


def comment_field_name(criterion):
    return f"comment_{criterion.pk}"


class ScoreSheetForm(forms.Form):
    """A score (whole number within the criterion's scale) and a comment per criterion, plus an overall comment.

    `intent` is 'draft' (any score may stay empty) or 'submit' (every criterion scored)."""

    overall_comment = forms.CharField(
        label=_("Overall comment"),
        required=False,
        max_length=ScoreSheet._meta.get_field("overall_comment").max_length,
        widget=forms.Textarea(attrs={"rows": 4, "class": "form-control-lg"}),
    )

    def __init__(self, *args, criteria, intent="draft", **kwargs):
        super().__init__(*args, **kwargs)
        self.criteria = list(criteria)
        self.intent = intent
        comment_length = Score._meta.get_field("comment").max_length
        overall = self.fields.pop("overall_comment")
        for criterion in self.criteria:
            self.fields[score_field_name(criterion)] = forms.CharField(
                label=_("Score from %(low)s to %(high)s") % {"low": criterion.scale_min, "high": criterion.scale_max},
                required=False,
                # A text field, not type=number: a browser empties a number field holding "abc" or "7,5", so a
                # refused value would vanish on redisplay; the server checks the whole number (clean below).
                widget=forms.TextInput(
                    attrs={
                        "inputmode": "numeric",
                        "autocomplete": "off",
                        "size": 4,
                        "class": "form-control-lg score-input",
                        "data-weight": str(criterion.weight),
                        "data-min": criterion.scale_min,
                        "data-max": criterion.scale_max,
                    }
                ),
            )
            self.fields[comment_field_name(criterion)] = forms.CharField(
                label=_("Comment on this criterion"),
                required=False,
                max_length=comment_length,
                widget=forms.Textarea(attrs={"rows": 2}),
            )
        self.fields["overall_comment"] = overall

    def rows(self):
        """(criterion, score field, comment field) per criterion, in the call's order, for the template."""
        return [
            (criterion, self[score_field_name(criterion)], self[comment_field_name(criterion)])
            for criterion in self.criteria
        ]

    def clean(self):
        cleaned = super().clean()
        for criterion in self.criteria:
            name = score_field_name(criterion)
            if name not in cleaned:
                continue
            text = cleaned[name].strip()
            if not text:
                cleaned[name] = None
                if self.intent == "submit":
                    self.add_error(
                        name, _("Give “%(criterion)s” a score before you submit the sheet.") % {"criterion": criterion}
                    )
                continue
            out_of_scale = _("Give “%(criterion)s” a whole number from %(low)s to %(high)s.") % {
                "criterion": criterion,
                "low": criterion.scale_min,
                "high": criterion.scale_max,
            }
            if not text.isascii() or not text.isdigit():
                self.add_error(name, out_of_scale)
                continue
            value = int(text)
            if not criterion.scale_min <= value <= criterion.scale_max:
                self.add_error(name, out_of_scale)
                continue
            cleaned[name] = value
        return cleaned

    def values(self):
        """What `services.save_sheet` takes: criterion pk → (score or None, comment)."""
        return {
            criterion.pk: (
                self.cleaned_data[score_field_name(criterion)],
                self.cleaned_data[comment_field_name(criterion)],
            )
            for criterion in self.criteria
        }

    @classmethod
    def initial_from(cls, sheet):
        """The stored sheet as initial data; an empty dict when the juror has not started."""
        if sheet is None:
            return {}
        initial = {"overall_comment": sheet.overall_comment}
        for score in sheet.scores.all():
            initial[f"score_{score.criterion_id}"] = "" if score.value is None else str(score.value)
            initial[f"comment_{score.criterion_id}"] = score.comment
        return initial


class ConflictForm(forms.Form):
    reason = forms.CharField(
        label=_("Why you have a conflict of interest"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("For example: you work for or with this organisation, or you advise it on this proposal."),
    )
    confirm = forms.BooleanField(
        label=_("I have a conflict of interest: I will no longer see or score this candidacy."),
        error_messages={"required": _("Tick the box to confirm the conflict of interest.")},
    )


class DecisionForm(forms.Form):
    outcome = forms.ChoiceField(
        label=_("Decision"),
        choices=Decision.Outcome.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose selected or not selected.")},
    )
    motivation = forms.CharField(
        label=_("Motivation"),
        max_length=Decision._meta.get_field("motivation").max_length,
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"required": _("A decision needs a motivation.")},
    )
    without_pitch_reason = forms.CharField(
        label=_("Reason to select without a pitch"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Only to select a candidacy that did not pitch: why the jury selects it anyway."),
    )


class CloseRoundForm(forms.Form):
    confirm = forms.BooleanField(
        label=_("I close this round: every score sheet becomes read-only and no score can change any more."),
        error_messages={"required": _("Tick the box to confirm that you close the round.")},
    )
    reason = forms.CharField(
        label=_("Reason to close anyway"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Only needed while score sheets are outstanding or pitch days are still to come; it is recorded."),
    )


class ReopenSheetForm(forms.Form):
    reason = forms.CharField(
        label=_("Why the sheet is reopened"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
