"""The applicant's way through, as a newcomer takes it: from the home page to a submitted candidacy by clicking only
what is on the screen (the one typed address is the confirmation link from the mail), through the task list and the
check page. Every step is checked by axe-core at 1280 and at 360 px wide, and must not scroll sideways at 360 px."""

import re

import pytest
from playwright.sync_api import expect

from candidacies.models import Candidacy

from .test_applicant_journey import PDF, alert_with, field

pytestmark = pytest.mark.sqlite_pass

EMAIL = "jana.claes@dewerf.example"
PASSWORD = "Maasland-e2e-Wachtwoord-8"
WIDTHS = [(1280, 900), (360, 740)]


def check_both_widths(page, journey, step):
    """The step as it looks at each width: a screenshot, axe-core, and at 360 px no horizontal scrolling."""
    for width, height in WIDTHS:
        page.set_viewport_size({"width": width, "height": height})
        journey.check(page, f"{step}-{width}px")
        if width == 360:
            assert page.evaluate("document.documentElement.scrollWidth") <= 360, f"{step} scrolls sideways at 360 px"
    page.set_viewport_size({"width": WIDTHS[0][0], "height": WIDTHS[0][1]})


def test_a_newcomer_goes_from_the_home_page_to_a_submitted_candidacy_by_clicking(
    page, live_server, open_call, mailoutbox, tmp_path, journey, browser_log
):
    # 1. The home page: the open call first, with its own button.
    page.goto(live_server.url + "/")
    first_card = page.locator("main .card").first
    expect(first_card.get_by_role("heading", level=2)).to_have_text("E2E open")
    check_both_widths(page, journey, "home")
    page.get_by_role("link", name="E2E open", exact=True).click()

    # 2. The call page says how to apply.
    expect(page.get_by_role("heading", level=1)).to_have_text(open_call.title)
    check_both_widths(page, journey, "call")
    page.get_by_role("link", name="Kandidatuur indienen", exact=True).click()

    # 3. Not logged in: the login page, which leads to signing up, keeping where the applicant was going.
    expect(page.get_by_role("heading", level=1)).to_have_text("Inloggen")
    check_both_widths(page, journey, "login")
    page.locator("main").get_by_role("link", name="Registreren", exact=True).click()
    field(page, "E-mailadres").fill(EMAIL)
    field(page, "Volledige naam").fill("Jana Claes")
    field(page, "Wachtwoord").fill(PASSWORD)
    field(page, "Wachtwoord (nog eens)").fill(PASSWORD)
    check_both_widths(page, journey, "signup")
    page.locator("main").get_by_role("button", name="Registreren").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Kijk in je mailbox")
    check_both_widths(page, journey, "mailbox")

    # 4. The link from the mail logs in and goes on to the organisation, then back to the new candidacy.
    link = re.search(r"https?://\S+/bevestigen/\S+", mailoutbox[0].body).group(0)
    page.goto(link)
    expect(page.get_by_role("heading", level=1)).to_have_text("Maak je organisatie aan")
    check_both_widths(page, journey, "organisation")
    field(page, "Naam").fill("vzw De Werf")
    field(page, "Ondernemingsnummer (KBO)").fill("0202.239.951")
    field(page, "Straat en huisnummer").fill("Rijksweg 12")
    field(page, "Postcode").fill("3630")
    field(page, "Gemeente").fill("Maasmechelen")
    field(page, "Contactpersoon").fill("Jana Claes")
    field(page, "E-mailadres contactpersoon").fill(EMAIL)
    page.get_by_role("button", name="Organisatie aanmaken").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Nieuwe kandidatuur")
    check_both_widths(page, journey, "new-candidacy")
    field(page, "Werktitel van het project").fill("Samen naar werk")
    page.get_by_role("button", name="Concept aanmaken").click()

    # 5. The form, part by part, with an attachment; saved as a draft.
    expect(field(page, "Titel")).to_have_value("Samen naar werk")
    field(page, "Samenvatting").fill("Buddywerking en taalcoaching voor vrouwen in Maasmechelen.")
    field(page, "Aanpak").fill("Outreachend en empowerend, vanuit de presentiebenadering.")
    field(page, "Verwacht aantal deelnemers").fill("40")
    field(page, "Team en expertise").fill("Twee trajectbegeleiders met tien jaar ervaring.")
    field(page, "Contactpersoon").fill("Jana Claes")
    field(page, "E-mailadres contactpersoon").fill(EMAIL)
    page.get_by_role("checkbox", name=re.compile(r"^Regio-uitdaging 1 ")).check()
    page.get_by_role("checkbox", name="Chadia", exact=True).check()
    page.get_by_role("checkbox", name="Trajectbegeleiding op alle levensdomeinen", exact=True).check()
    page.get_by_role("checkbox", name="Maasmechelen", exact=True).check()
    field(page, "Gevraagd budget (euro)").fill("45.000,50")
    field(page, "Opsplitsing van het budget").fill("Personeel 40.000, werking 5.000,50.")
    field(page, "Looptijd (maanden)").fill("24")
    field(page, "Samenwerking").fill("VDAB en de OCMW's van Maasmechelen en Lanaken.")
    plan = tmp_path / "projectplan.pdf"
    plan.write_bytes(PDF)
    field(page, "Bijlage toevoegen").set_input_files(plan)
    check_both_widths(page, journey, "form-filled")
    page.get_by_role("button", name="Opladen en concept bewaren").click()
    expect(alert_with(page, "projectplan.pdf is toegevoegd.")).to_be_visible()
    check_both_widths(page, journey, "draft-saved")

    # 6. The task list: every part done.
    page.get_by_role("link", name="Terug naar het overzicht van je kandidatuur").click()
    tasks = page.get_by_role("region", name="Je kandidatuur, deel per deel")
    expect(tasks.get_by_text("Klaar", exact=True)).to_have_count(6)
    check_both_widths(page, journey, "task-list")
    page.get_by_role("link", name="Controleer en dien in").click()

    # 7. The check page: what will be submitted, the attachment with its checksum; submitting happens here.
    candidacy = Candidacy.objects.get(title="Samen naar werk")
    attachment = candidacy.attachments.get()
    expect(page.get_by_role("heading", level=1)).to_have_text("Controleer en dien in")
    expect(page.get_by_text(attachment.sha256)).to_be_visible()
    expect(page.get_by_role("link", name=re.compile(r"^Wijzigen"))).to_have_count(6)
    check_both_widths(page, journey, "check")
    page.get_by_role("button", name="Indienen", exact=True).click()

    reference = f"E2E-{open_call.deadline.astimezone().year}-001"
    expect(alert_with(page, f"Je kandidatuur {reference} is ingediend (versie 1)")).to_be_visible()
    check_both_widths(page, journey, "submitted")

    # 8. The submitted version as the jury reads it, and "Mijn kandidaturen" with the next step.
    page.get_by_role("link", name="versie 1 lezen").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Samen naar werk")
    expect(page.get_by_text(attachment.sha256)).to_be_visible()
    check_both_widths(page, journey, "version")
    page.get_by_role("link", name="Mijn kandidaturen").first.click()
    expect(page.get_by_text("Ingediend; je kan nog wijzigen tot de deadline")).to_be_visible()
    check_both_widths(page, journey, "my-candidacies")

    candidacy.refresh_from_db()
    assert (candidacy.status, candidacy.reference, candidacy.versions.count()) == ("submitted", reference, 1)
    assert browser_log.failed_responses == []
