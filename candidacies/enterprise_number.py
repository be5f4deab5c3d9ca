"""The Belgian enterprise number (KBO/BCE): 10 digits, starting with 0 or 1, with modulo-97 check digits."""

import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _


def normalise_enterprise_number(value):
    """'0123.456.749', 'BE 0123 456 749' or '123456749' become '0123456749'; raises ValidationError otherwise."""
    text = re.sub(r"[\s.\-]", "", str(value or "")).upper().removeprefix("BE")
    if not (text.isascii() and text.isdigit()):
        raise ValidationError(_("An enterprise number has only digits, e.g. 0123.456.749."), code="invalid")
    if len(text) == 9:
        text = "0" + text
    if len(text) != 10 or text[0] not in "01":
        raise ValidationError(
            _("An enterprise number has 10 digits and starts with 0 or 1, e.g. 0123.456.749."), code="invalid"
        )
    if 97 - int(text[:8]) % 97 != int(text[8:]):
        raise ValidationError(
            _("This enterprise number does not exist: its check digits are wrong. Check it in the KBO."),
            code="checksum",
        )
    return text


def format_enterprise_number(digits):
    return f"{digits[:4]}.{digits[4:7]}.{digits[7:]}" if digits and len(digits) == 10 else digits
