"""The accessibility statement (toegankelijkheidsverklaring) that the Flemish decree of 7 December 2018 asks of every
public-sector website, linked from every page's footer. It says what the automated checks in tests/e2e/ cover, so
the two change together."""

import datetime

from django.utils.translation import gettext_lazy as _
from django.views.generic import TemplateView

from .queries import published_calls

STATEMENT_DATE = datetime.date(2026, 11, 27)
AXE_CORE_VERSION = "4.12"
# Rules of axe-core that Django admin's own markup breaks and that are switched off on /admin/ pages only (the
# browser tests read this too): rule id -> what it means for a call manager.
ADMIN_AXE_EXCLUSIONS = {}
# What the browser journeys walk through; axe-core checks every page of them.
CHECKED_JOURNEYS = [
    _(
        "a visitor reads the call: the list of calls, the call page, a regional challenge, a persona, this statement "
        "and the privacy statement"
    ),
    _("an applicant signs up, creates an organisation, writes, uploads, submits and downloads the receipt"),
    _("a juror scores the written proposals and the pitches"),
    _("the chair closes a round and records the decisions"),
    _("the call manager sends the decisions and their letters in the management environment"),
    _("an applicant reads the decision and files a weerwoord"),
]


class AccessibilityStatementView(TemplateView):
    template_name = "pages/accessibility.html"

    def get_context_data(self, **kwargs):
        return {
            **super().get_context_data(**kwargs),
            "statement_date": STATEMENT_DATE,
            "axe_core_version": AXE_CORE_VERSION,
            "admin_exclusions": sorted(ADMIN_AXE_EXCLUSIONS.items()),
            "checked_journeys": CHECKED_JOURNEYS,
            "contact_call": published_calls().first(),
        }
