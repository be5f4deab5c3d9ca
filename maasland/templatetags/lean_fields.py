"""`{{ form.field|as_lean_field }}`: the markup of crispy-forms' `as_crispy_field` without its template tree
(maasland/field_html.py), for the forms on the busiest pages."""

from django import template

from maasland.field_html import render_field

register = template.Library()


@register.filter
def as_lean_field(field):
    return render_field(field)
