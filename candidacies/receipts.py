"""The receipt of a submitted version: a PDF printed from exactly what was submitted, never from the live candidacy."""

import re
from decimal import Decimal

from django.conf import settings
from django.template.defaultfilters import filesizeformat
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.formats import date_format, number_format
from django.utils.safestring import mark_safe
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import ngettext, pgettext

from maasland import pdf
from maasland.clock import BRUSSELS

from .models import Candidacy, CandidacyVersion, Organisation

# (field, how it is shown): the order of the receipt's "proposal" section.
PROPOSAL_FIELDS = [
    ("title", "text"),
    ("summary", "paragraphs"),
    ("challenges", "list"),
    ("personas", "list"),
    ("service_types", "list"),
    ("service_points", "list"),
    ("municipalities", "list"),
    ("approach", "paragraphs"),
    ("collaboration", "paragraphs"),
    ("expected_participants", "number"),
    ("duration_months", "number"),
    ("budget", "euro"),
    ("budget_breakdown", "paragraphs"),
    ("team", "paragraphs"),
]
CONTACT_FIELDS = [("contact_name", "text"), ("contact_email", "text"), ("contact_phone", "text")]


def moment_text(moment):
    """'1 juni 2023 om 23:59:59': the instant in Brussels time, to the second, since the second decides."""
    local = timezone.localtime(moment, BRUSSELS)
    return _("%(date)s at %(time)s") % {"date": date_format(local, "DATE_FORMAT"), "time": date_format(local, "H:i:s")}


def euro_text(amount):
    """'€ 12.500,00' in Dutch; the amount is the decimal string the snapshot keeps."""
    return "€ " + number_format(Decimal(amount), decimal_pos=2, use_l10n=True, force_grouping=True)


def count_text(number):
    return number_format(number, use_l10n=True, force_grouping=True)


def size_text(size):
    """'1,2 MB (1.258.291 bytes)': readable, and exact for whoever compares the file."""
    exact = ngettext("%(count)s byte", "%(count)s bytes", size) % {"count": count_text(size)}
    if size < 1024:
        return exact
    return f"{filesizeformat(size)} ({exact})"


def receipt_file_name(version):
    return f"ontvangstbewijs-{version.content['reference']}-v{version.number}.pdf"


def _label(model, field):
    return capfirst(model._meta.get_field(field).verbose_name)


def _row(label, value, kind="text"):
    """One line of the receipt; empty values are said to be empty rather than left out."""
    empty = value in (None, "", [])
    if not empty and kind == "euro":
        value, kind = euro_text(value), "text"
    elif not empty and kind == "number":
        value, kind = count_text(value), "text"
    elif not empty and kind == "paragraphs":
        value = [paragraph.strip() for paragraph in re.split(r"\n\s*\n", value) if paragraph.strip()]
    return {"label": label, "value": value, "kind": kind, "empty": empty}


def receipt_context(version):
    content = version.content
    call = content["call"]
    organisation = content["organisation"]
    call_title = " – ".join(part for part in (call["title"], call["subtitle"]) if part)
    submitted_by = version.submitted_by
    submitter = f"{submitted_by.full_name} ({submitted_by.email})" if submitted_by.full_name else submitted_by.email
    return {
        "reference": content["reference"],
        "version_number": version.number,
        "title": content["title"],
        "call_title": call_title,
        "organisation_name": organisation["name"],
        "submitted_at_text": moment_text(version.submitted_at),
        "submitted_at_iso": timezone.localtime(version.submitted_at, BRUSSELS).isoformat(),
        "submitter": submitter,
        "portal_name": settings.PORTAL_NAME,
        "page_counter_css": pdf.page_counter_css(),
        "footer_css": mark_safe(
            pdf.css_string(
                _("%(portal)s · receipt %(reference)s, version %(number)s")
                % {"portal": settings.PORTAL_NAME, "reference": content["reference"], "number": version.number}
            )
        ),
        "sections": [
            {
                "heading": None,
                "rows": [
                    _row(_label(Candidacy, "reference"), content["reference"]),
                    _row(_label(Candidacy, "call"), call_title),
                    _row(_label(Candidacy, "organisation"), organisation["name"]),
                    _row(_label(Organisation, "enterprise_number"), organisation["enterprise_number"]),
                    _row(pgettext("receipt", "Address"), organisation["address"]),
                    _row(_label(CandidacyVersion, "submitted_at"), moment_text(version.submitted_at)),
                    _row(_label(CandidacyVersion, "submitted_by"), submitter),
                    _row(pgettext("receipt", "Version"), str(version.number)),
                ],
            },
            {
                "heading": pgettext("receipt", "Proposal"),
                "rows": [_row(_label(Candidacy, field), content.get(field), kind) for field, kind in PROPOSAL_FIELDS],
            },
            {
                "heading": _("Contact for this candidacy"),
                "rows": [_row(_label(Candidacy, field), content.get(field), kind) for field, kind in CONTACT_FIELDS],
            },
        ],
        "attachments": [
            {
                "name": attachment["name"],
                "kind": attachment["kind"].upper(),
                "size": size_text(attachment["size"]),
                "sha256": attachment["sha256"],
            }
            for attachment in content.get("attachments", [])
        ],
    }


def render_receipt_html(version):
    return render_to_string("candidacies/receipt.html", receipt_context(version))


def render_receipt_pdf(version):
    """The PDF receipt, always in the portal's language so that every copy of one version is the same document.

    Nothing is fetched while rendering: the styles are inline, the fonts are the system's, and the URL fetcher
    refuses every scheme but data:.
    """
    with translation.override(settings.LANGUAGE_CODE):
        html = render_receipt_html(version)
    return pdf.html_to_pdf(html, identifier=f"{version.content['reference']}-v{version.number}")
