"""The one way the portal prints PDFs (receipts, decision letters): WeasyPrint with nothing fetched from outside."""

import re

from django.conf import settings
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _


def css_string(text):
    """A CSS string literal that cannot end the string, the rule or the style element it stands in."""
    escaped = text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", " ").replace("<", "\\3c ")
    return f'"{escaped}"'


def page_counter_css():
    """The translated 'page 1 of 2' as a CSS content value, with the counters put in place of the placeholders."""
    parts = re.split(r"(%\((?:page|pages)\)s)", _("page %(page)s of %(pages)s"))
    values = [f"counter({part[2:-2]})" if part.startswith("%(") else css_string(part) for part in parts if part]
    return mark_safe(" ".join(values))


def html_to_pdf(html, *, identifier, **options):
    """An A4 PDF. Nothing is fetched: the styles are inline, the fonts are the system's, and the URL fetcher
    refuses every scheme but data:. WeasyPrint is imported here, not with the module: it takes about a second to
    import, which every process (each web worker, command and test worker) would pay whether it prints or not."""
    from weasyprint import HTML
    from weasyprint.urls import URLFetcher

    document = HTML(string=html, base_url=str(settings.BASE_DIR), url_fetcher=URLFetcher(allowed_protocols={"data"}))
    return document.write_pdf(pdf_identifier=identifier.encode(), **options)
