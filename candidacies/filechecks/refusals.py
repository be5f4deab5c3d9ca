"""Why a document is refused, one message per reason, in the reader's language."""

import unicodedata

from django.conf import settings
from django.utils.translation import gettext as _


class DocumentRefused(Exception):
    """The upload is not a document the portal accepts; `message` says why, in the reader's language."""

    def __init__(self, message):
        super().__init__(message)
        self.message = message


def shown_target(target, length=80):
    """A link's target as the message quotes it: no control characters, cut to `length`."""
    target = "".join(character for character in str(target) if unicodedata.category(character)[0] != "C")
    return target if len(target) <= length else target[: length - 1] + "…"


def unreadable():
    return DocumentRefused(
        _(
            "This file can't be read: it is damaged or incomplete. "
            "Save it again (as PDF, DOCX or ODT) and upload it again."
        )
    )


def encrypted():
    return DocumentRefused(
        _(
            "This file is protected with a password or encrypted, so it can't be read. "
            "Save it without a password and upload it again."
        )
    )


def too_large_unpacked():
    return DocumentRefused(
        _("This document unpacks to more than %(limit)s MB, so it can't be checked safely. Save it again as PDF.")
        % {"limit": settings.ATTACHMENT_MAX_UNPACKED_SIZE // (1024 * 1024)}
    )


def too_many_parts():
    return DocumentRefused(
        _("This document consists of more than %(count)s parts, so it can't be checked safely. Save it again as PDF.")
        % {"count": settings.ATTACHMENT_MAX_MEMBERS}
    )


def too_complex():
    return DocumentRefused(_("The structure of this document is too large to be checked safely. Save it again as PDF."))


def nested_too_deep():
    return DocumentRefused(
        _(
            "This document has documents inside documents more than %(depth)s levels deep, so it can't be checked "
            "safely. Save it again as PDF."
        )
        % {"depth": settings.ATTACHMENT_MAX_NESTING}
    )


def macros():
    return DocumentRefused(macro_message())


def macro_message():
    return _(
        "This document contains macros or scripts. Save it without them (as DOCX, ODT or PDF) and upload it again."
    )


def external_template(target):
    return DocumentRefused(
        _(
            "This document loads its template from outside the file (%(target)s) when it is opened. Remove the link "
            "to the template (in Word: Developer, Document Template) or save it as PDF, and upload it again."
        )
        % {"target": shown_target(target)}
    )


def fetches_from_internet(target):
    return DocumentRefused(
        _(
            "This document fetches content from the internet when it is opened (%(target)s). Insert images and "
            "objects into the document itself instead of linking to them, and upload it again."
        )
        % {"target": shown_target(target)}
    )


def refers_to_a_file(target):
    return DocumentRefused(
        _(
            "This document refers to a file on a computer or network (%(target)s). Insert images and objects into "
            "the document itself, link only to web pages or e-mail addresses, and upload it again."
        )
        % {"target": shown_target(target)}
    )


def link_not_allowed(target):
    return DocumentRefused(
        _(
            "This document has a link of a kind that is not allowed (%(target)s): a link can go to a web page (http "
            "or https) or an e-mail address (mailto) only. Remove it and upload the document again."
        )
        % {"target": shown_target(target)}
    )


def hidden_program():
    return DocumentRefused(
        _(
            "This document has an inserted object that can hide a program (a packed file or an old equation). "
            "Insert its content as text or an image, or save the document as PDF, and upload it again."
        )
    )


def pdf_javascript():
    return DocumentRefused(
        _("This PDF contains JavaScript. Save or print the document again as PDF without scripts and upload that file.")
    )


def pdf_automatic_action():
    return DocumentRefused(
        _(
            "This PDF starts an action by itself when it is opened or paged through. Save or print the document "
            "again as PDF and upload that file."
        )
    )


def pdf_launch():
    return DocumentRefused(
        _(
            "This PDF can start a program or open another file (a launch action). Save or print the document again "
            "as PDF and upload that file."
        )
    )


def pdf_embedded_files():
    return DocumentRefused(
        _("This PDF has files embedded in it. Upload each document separately, as PDF, DOCX or ODT.")
    )


def pdf_too_complex():
    return DocumentRefused(
        _(
            "This PDF consists of more than %(count)s objects, so it can't be checked safely. "
            "Save or print it again as PDF."
        )
        % {"count": settings.ATTACHMENT_PDF_MAX_OBJECTS}
    )
