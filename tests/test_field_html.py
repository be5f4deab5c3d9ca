"""The lean field markup (maasland/field_html.py) is crispy-forms' markup: the same elements, attributes, classes,
texts and ids, for every kind of field it takes over; any other field is left to crispy-forms."""

import pytest
from crispy_forms.templatetags.crispy_forms_filters import as_crispy_field
from django import forms
from django.template import Context, Template
from django.test.html import parse_html

from maasland.field_html import render_field
from maasland.forms import LongTextField


class Sample(forms.Form):
    error_css_class = "field-error"
    required_css_class = "field-required"
    name = forms.CharField(label="Naam", max_length=20, help_text="Zoals op je <em>identiteitskaart</em>.")
    score = forms.CharField(
        label="Score van 0 tot 10",
        required=False,
        widget=forms.TextInput(
            attrs={"inputmode": "numeric", "class": "form-control-lg score-input", "data-min": 0, "size": 4}
        ),
    )
    comment = forms.CharField(label="Opmerking", required=False, max_length=2000, widget=forms.Textarea({"rows": 2}))
    summary = LongTextField(label="Samenvatting", max_length=1500, required=False)
    email = forms.EmailField(label="E-mailadres", required=False)
    site = forms.URLField(label="Website", required=False, assume_scheme="https")
    count = forms.IntegerField(label="Aantal", required=False, min_value=0)
    agree = forms.BooleanField(label="Akkoord", required=False)
    kind = forms.ChoiceField(label="Soort", choices=[("a", "A"), ("b", "B")], required=False)

    def clean_score(self):
        if self.cleaned_data["score"] == "x":
            raise forms.ValidationError(["Geen geheel getal.", "Nog een <fout> & meer."])
        return self.cleaned_data["score"]


BOUND = {
    "name": "",
    "score": "x",
    "comment": 'Een "citaat" & <b>vet</b>\nop twee regels',
    "summary": "a" * 1501,
    "email": "geen-adres",
    "site": "x y",
    "count": "-1",
    "kind": "c",
}


def forms_in_each_state():
    unbound = Sample(initial={"score": 7, "comment": "Eerder getypt."})
    disabled = Sample(initial={"score": 3})
    for field in disabled.fields.values():
        field.disabled = True
    bound = Sample(BOUND)
    bound.is_valid()
    valid = Sample({"name": "An", "score": "8", "comment": "", "count": "2"})
    valid.is_valid()
    return {"unbound": unbound, "disabled": disabled, "bound with errors": bound, "valid": valid}


def crispy_markup(form, name):
    """crispy-forms' markup of a fresh copy of the form (crispy-forms changes the widget's class as it renders)."""
    copy = type(form)(form.data or None, initial=form.initial) if form.is_bound else type(form)(initial=form.initial)
    for field_name, field in form.fields.items():
        copy.fields[field_name].disabled = field.disabled
    if form.is_bound:
        copy.is_valid()
    return as_crispy_field(copy[name])


@pytest.mark.parametrize("state", ["unbound", "disabled", "bound with errors", "valid"])
@pytest.mark.parametrize("name", ["name", "score", "comment", "summary", "email", "site", "count"])
def test_a_lean_field_has_the_markup_of_crispy_forms(state, name):
    form = forms_in_each_state()[state]
    assert parse_html(render_field(form[name])) == parse_html(crispy_markup(form, name))


def test_the_class_attribute_keeps_crispy_forms_order():
    form = Sample(BOUND)
    form.is_valid()
    assert 'class="form-control-lg score-input textinput form-control is-invalid"' in render_field(form["score"])


def test_a_text_area_keeps_the_line_break_after_its_opening_tag():
    form = Sample(initial={"comment": "\nBegint met een witregel."})
    assert ">\n\nBegint met een witregel.</textarea>" in render_field(form["comment"])


@pytest.mark.parametrize("name", ["agree", "kind"])
def test_other_widgets_are_rendered_by_crispy_forms(name):
    form = Sample()
    assert render_field(form[name]) == crispy_markup(form, name)


def test_the_template_filter_renders_the_lean_field():
    form = Sample(initial={"score": 5})
    template = Template("{% load lean_fields %}{{ form.score|as_lean_field }}")
    assert template.render(Context({"form": form})) == render_field(Sample(initial={"score": 5})["score"])
