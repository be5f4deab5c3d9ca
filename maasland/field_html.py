"""A form field as crispy-forms' Bootstrap 5 pack renders it, written out in Python for the hot forms.

crispy-forms renders each field through a tree of templates (field.html, help text, errors, then Django's widget
templates); on a score sheet of a dozen fields that was half of the page's time. `render_field` gives the same
markup (label, input, error messages and help text at the field, with Django's aria-invalid and aria-describedby)
for text inputs and text areas, and hands any other widget to crispy-forms as before.
"""

from crispy_forms.templatetags.crispy_forms_filters import as_crispy_field
from django import forms
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe

# The class crispy-forms adds after the widget's own (its name in lower case), then Bootstrap's.
LEAN_WIDGETS = (forms.TextInput, forms.EmailInput, forms.URLInput, forms.NumberInput, forms.Textarea)


def render_field(field):
    """The markup of crispy-bootstrap5's field.html for one bound field (`{{ field|as_crispy_field }}`)."""
    widget = field.field.widget
    if type(widget) not in LEAN_WIDGETS or field.is_hidden or getattr(field.form, "helper", None) is not None:
        return as_crispy_field(field)
    wrapper_class = "mb-3"
    if css_classes := field.css_classes():
        wrapper_class += f" {css_classes}"
    return format_html(
        '<div id="div_{}" class="{}">{}{}{}{}</div>',
        field.auto_id,
        wrapper_class,
        _label(field),
        _widget(field, widget),
        _errors(field),
        _help_text(field),
    )


def _label(field):
    if not field.label:
        return ""
    required = field.field.required
    return format_html(
        '<label{} class="form-label{}">{}{}</label>',
        format_html(' for="{}"', field.id_for_label) if field.id_for_label else "",
        " requiredField" if required else "",
        field.label,
        mark_safe('<span class="asteriskField">*</span>') if required else "",
    )


def _widget_class(field, widget):
    """The class attribute crispy-forms gives the widget: its own, the widget's name, form-control, is-invalid."""
    own = widget.attrs.get("class", "")
    name = type(widget).__name__.lower()
    classes = own.split()
    if own.find(name) == -1:
        classes.append(name)
    for added in ("form-control", "is-invalid") if field.errors else ("form-control",):
        if added not in classes:
            classes.append(added)
    return " ".join(classes)


def _widget(field, widget):
    """The input or text area as Django's widget templates write it, without rendering those templates."""
    if field.field.localize:
        widget.is_localized = True
    attrs = dict(widget.attrs)
    attrs["class"] = _widget_class(field, widget)
    attrs.update(field.build_widget_attrs({}, widget))
    if field.auto_id and "id" not in widget.attrs:
        attrs.setdefault("id", field.auto_id)
    context = widget.get_context(field.html_name, field.value(), attrs)["widget"]
    attributes = _attributes(context["attrs"])
    if isinstance(widget, forms.Textarea):
        value = context["value"]
        return format_html('<textarea name="{}"{}>\n{}</textarea>', context["name"], attributes, value or "")
    value = context["value"]
    return format_html(
        '<input type="{}" name="{}"{}{}>',
        context["type"],
        context["name"],
        format_html(' value="{}"', str(value)) if value is not None else "",
        attributes,
    )


def _attributes(attrs):
    """Django's attrs.html: True as a bare attribute, False left out, every other value escaped, in their order."""
    return format_html_join(
        "",
        "{}",
        (
            (format_html(" {}", name) if value is True else format_html(' {}="{}"', name, str(value)),)
            for name, value in attrs.items()
            if value is not False
        ),
    )


def _errors(field):
    if not field.errors:
        return ""
    items = format_html_join(
        "",
        '<p id="error_{}_{}"><strong>{}</strong></p>',
        ((number, field.auto_id, error) for number, error in enumerate(field.errors, start=1)),
    )
    return format_html('<div id="{}_error" class="invalid-feedback">{}</div>', field.errors.field_id, items)


def _help_text(field):
    if not field.help_text:
        return ""
    identifier = format_html('id="{}_helptext" ', field.auto_id) if field.auto_id else ""
    return format_html('<div {}class="form-text">{}</div>', identifier, mark_safe(str(field.help_text)))
