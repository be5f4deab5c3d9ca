"""A visitor reads the call in a real browser, following links as a person would: the list of calls, the call page,
a regional challenge, a persona, then the accessibility statement and the privacy statement from the footer. Every
page is checked with axe-core (journey.check)."""

import pytest
from django.urls import reverse
from playwright.sync_api import expect

pytestmark = pytest.mark.sqlite_pass


def test_a_visitor_reads_the_call_its_challenges_and_personas_and_the_statements(
    page, live_server, e2e_maasland_call, journey, browser_log
):
    call = e2e_maasland_call
    challenge = call.challenges.get(number=1)
    persona = challenge.personas.order_by("position").first()

    # 1. The list of calls, with the real call on it.
    journey.visit(page, reverse("challenges:call_list"), "call-list")
    page.get_by_role("link", name=call.subtitle or call.title).first.click()

    # 2. The call page: title, deadline, contact.
    expect(page.get_by_role("heading", level=1)).to_have_text(call.title)
    expect(page.get_by_role("heading", name="Lokale contactpersoon")).to_be_visible()
    journey.check(page, "call-page")

    # 3. A regional challenge, from the call page.
    page.locator("main").get_by_role("link", name=challenge.title).first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text(challenge.title)
    journey.check(page, "challenge")

    # 4. A persona of that challenge.
    page.locator("main").get_by_role("link", name=persona.name, exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Persona {persona.name}")
    journey.check(page, "persona")

    # 5. The accessibility statement, from the footer.
    page.get_by_role("contentinfo").get_by_role("link", name="Toegankelijkheidsverklaring").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Toegankelijkheidsverklaring")
    expect(page.get_by_text(call.contact_email)).to_be_visible()
    journey.check(page, "accessibility-statement")

    # 6. The privacy statement, from the footer.
    page.get_by_role("contentinfo").locator(f"a[href='{reverse('privacy')}']").click()
    expect(page).to_have_url(live_server.url + reverse("privacy"))
    journey.check(page, "privacy-statement")

    # 7. The call page on a 360 px wide phone: no horizontal scrolling, the menu behind its button.
    page.set_viewport_size({"width": 360, "height": 740})
    journey.visit(page, call.get_absolute_url(), "call-page-360px")
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    page.get_by_role("button", name="Menu tonen of verbergen").click()
    expect(page.get_by_role("link", name="Inloggen")).to_be_visible()
    journey.check(page, "menu-open-360px")
    assert browser_log.failed_responses == []
