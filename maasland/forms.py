"""Form fields shared by the apps."""

from django import forms


class LongTextField(forms.CharField):
    """A long text counted as the person sees it: a line break is one character, also when the browser sends CR LF.

    The limit is shown by a counter (static/js/counter.js reads data-limit), never enforced by a maxlength attribute,
    which would cut a longer paste without a word: a longer text is kept and refused with a message at the field.
    """

    widget = forms.Textarea

    def to_python(self, value):
        value = super().to_python(value)
        if isinstance(value, str):
            value = value.replace("\r\n", "\n").replace("\r", "\n")
        return value

    def widget_attrs(self, widget):
        attrs = super().widget_attrs(widget)
        attrs.pop("maxlength", None)
        if self.max_length is not None:
            attrs.update({"data-counter": "true", "data-limit": str(self.max_length)})
        return attrs
