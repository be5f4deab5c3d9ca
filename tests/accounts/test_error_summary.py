"""The error summary at the top of an invalid form links each message to its field (includes/error_summary.html)."""

from django import forms
from django.template.loader import render_to_string
from django.utils import translation


class ExampleForm(forms.Form):
    name = forms.CharField()
    municipalities = forms.MultipleChoiceField(
        choices=[("kinrooi", "Kinrooi"), ("lanaken", "Lanaken")], widget=forms.CheckboxSelectMultiple
    )

    def clean(self):
        raise forms.ValidationError("Something about the whole form.")


def summary(form):
    with translation.override("nl-be"):
        return render_to_string("includes/error_summary.html", {"form": form})


def test_a_form_without_errors_shows_no_summary():
    assert summary(ExampleForm()).strip() == ""


def test_the_summary_links_a_text_field_to_its_input_and_a_checkbox_group_to_its_first_box():
    page = summary(ExampleForm(data={}))
    assert 'id="error-summary"' in page
    assert "Er is een probleem" in page
    assert page.count('href="#id_name"') == 1
    assert page.count('href="#id_municipalities_0"') == 1


def test_the_summary_lists_an_error_about_the_whole_form_without_a_link():
    page = summary(ExampleForm(data={"name": "Buddywerk", "municipalities": ["kinrooi"]}))
    assert "<li>Something about the whole form.</li>" in page
    assert "href=" not in page
