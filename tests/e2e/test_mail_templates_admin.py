"""The call manager changes the receipt's text for her call in a real browser: starts from the default, is refused
an unknown placeholder at the field with her text kept, saves, and reads the preview; each page passes axe-core,
also at 360 px wide.

axe-core runs here without its CSS preload: on admin forms it follows forms.css's @import by writing an inline
<style>, which the Content Security Policy blocks (a console error that is axe's, not the page's)."""

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.urls import reverse
from playwright.sync_api import expect

from mailtemplates.models import MailTemplate
from mailtemplates.rendering import default_text

from .conftest import WCAG_21_AA_TAGS, call_manager, describe_violations

pytestmark = pytest.mark.sqlite_pass


class Checks:
    """The browser's log, then axe-core's WCAG 2.1 A/AA rules (without preload), on each page shown."""

    def __init__(self, browser_log):
        self.browser_log = browser_log

    def check(self, page, step):
        self.browser_log.assert_clean(f"up to {step} ({page.url})")
        options = {
            "runOnly": {"type": "tag", "values": WCAG_21_AA_TAGS},
            "resultTypes": ["violations"],
            "preload": False,
        }
        violations = Axe().run(page, options=options).response["violations"]
        if violations:
            pytest.fail(f"axe-core at {step} ({page.url}):\n" + describe_violations(violations), pytrace=False)


@pytest.fixture
def journey(browser_log, live_server):
    checks = Checks(browser_log)
    checks.visit = lambda page, path, step: (page.goto(live_server.url + path), checks.check(page, step))
    return checks


def test_the_call_manager_changes_the_receipt_text_of_her_call(page, e2e_maasland_call, journey, log_in):
    log_in(call_manager())

    journey.visit(page, reverse("admin:mailtemplates_mailtemplate_add"), "choose-kind")
    page.get_by_role("link", name="Ontvangstbewijs van een ingediende kandidatuur").click()
    body = page.get_by_label("Tekst")
    expect(body).to_have_value(default_text("receipt", language="nl-be")[1])
    expect(page.get_by_role("cell", name="{{ kandidatuur_link }}")).to_be_visible()
    journey.check(page, "default-receipt")

    page.get_by_label("Oproep").select_option(str(e2e_maasland_call.pk))
    page.get_by_label("Onderwerp").fill("Goed ontvangen: {{ referentie }}")
    body.fill("Beste {{ naam }},\n\nZie {{ kandidatuur_link }} en {{ rekeningnummer }}.\n")
    page.get_by_role("button", name="Opslaan", exact=True).click()
    expect(page.locator(".errorlist")).to_contain_text("{{ rekeningnummer }} is geen plaatshouder van deze e-mail.")
    expect(page.get_by_label("Tekst")).to_have_value(
        "Beste {{ naam }},\n\nZie {{ kandidatuur_link }} en {{ rekeningnummer }}.\n"
    )
    journey.check(page, "refused-placeholder")

    page.get_by_label("Tekst").fill("Beste {{ naam }},\n\nZie {{ kandidatuur_link }}.\n")
    page.get_by_role("button", name="Opslaan en opnieuw bewerken").click()
    stored = MailTemplate.objects.get(call=e2e_maasland_call, kind="receipt")
    assert (stored.subject, stored.body) == (
        "Goed ontvangen: {{ referentie }}",
        "Beste {{ naam }},\n\nZie {{ kandidatuur_link }}.\n",
    )

    page.get_by_role("link", name="Voorbeeld").click()
    expect(page.locator("pre")).to_contain_text("Zie https://oproep.maasland.example/kandidaturen/1/.")
    journey.check(page, "preview")
    page.set_viewport_size({"width": 360, "height": 740})
    journey.check(page, "preview-360")
