"""An applicant's way through the portal in a real browser: sign up, organisation, draft, upload, submit, receipt,
submit again, and the refusal once the deadline has passed. Every step checks what a person sees on screen."""

import datetime
import io
import re

import pytest
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect
from pypdf import PdfReader

from candidacies import services
from candidacies.models import Candidacy
from challenges.models import Call
from maasland.clock import BRUSSELS
from tests import factories

from .conftest import assert_error_summary_tied_to_fields

pytestmark = pytest.mark.sqlite_pass

DUTCH_MONTHS = [
    "januari",
    "februari",
    "maart",
    "april",
    "mei",
    "juni",
    "juli",
    "augustus",
    "september",
    "oktober",
    "november",
    "december",
]
EMAIL = "an.peeters@debrug.example"
PASSWORD = "Maasland-e2e-Wachtwoord-7"
FIRST_SUMMARY = "Buddywerking en taalcoaching voor vrouwen in Maasmechelen."
SECOND_SUMMARY = "Buddywerking, taalcoaching en jobcoaching voor vrouwen in Maasmechelen en Lanaken."
PDF = factories.pdf_bytes("Projectplan De Brug")


def dutch_moment(moment):
    """'1 juni 2023 om 23:59', written out here rather than asked of the portal's own formats."""
    local = moment.astimezone(BRUSSELS)
    return f"{local.day} {DUTCH_MONTHS[local.month - 1]} {local.year} om {local:%H:%M}"


def field(page, label):
    """The form field with exactly this label; crispy-forms adds an asterisk to required ones, and spaces around."""
    return page.get_by_label(re.compile(rf"^\s*{re.escape(label)}\s*\*?\s*$"))


def alert_with(page, text):
    return page.locator(".messages [role=alert], .messages [role=status]").filter(has_text=text)


def submit_buttons(page):
    return page.get_by_role("button", name=re.compile(r"^(Opnieuw )?indienen$", re.IGNORECASE))


def test_an_applicant_signs_up_submits_twice_and_is_refused_after_the_deadline(
    page, context, live_server, open_call, mailoutbox, tmp_path, journey, browser_log
):
    reference = f"E2E-{timezone.localtime(open_call.deadline).year}-001"

    # 1. The call page, with Bootstrap's CSS and JS served by the live server; "Registreren" in the menu.
    page.goto(live_server.url + open_call.get_absolute_url())
    expect(page.get_by_role("heading", level=1)).to_have_text(open_call.title)
    expect(page.get_by_text(dutch_moment(open_call.deadline)).first).to_be_visible()
    stylesheet = page.request.get(live_server.url + "/static/bootstrap/css/bootstrap.min.css")
    assert stylesheet.status == 200
    assert page.evaluate("getComputedStyle(document.body).margin") == "0px"
    assert page.evaluate("typeof window.bootstrap.Collapse") == "function"
    journey.check(page, "call-page")
    page.get_by_role("link", name="Registreren", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Registreren")
    field(page, "E-mailadres").fill(EMAIL)
    field(page, "Volledige naam").fill("An Peeters")
    field(page, "Wachtwoord").fill(PASSWORD)
    field(page, "Wachtwoord (nog eens)").fill(PASSWORD)
    journey.check(page, "signup-filled")
    page.get_by_role("button", name="Registreren").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Kijk in je mailbox")
    journey.check(page, "check-your-mailbox")

    # 2. The confirmation link from the mail logs in and leads to creating the organisation.
    assert [message.to for message in mailoutbox] == [[EMAIL]]
    link = re.search(r"https?://\S+/bevestigen/\S+", mailoutbox[0].body).group(0)
    assert link.startswith(live_server.url)
    page.goto(link)
    expect(page).to_have_url(re.compile(r"/organisaties/nieuw/$"))
    expect(alert_with(page, "Je e-mailadres is bevestigd en je bent ingelogd")).to_be_visible()
    expect(page.get_by_role("button", name="Afmelden (An)")).to_be_visible()
    journey.check(page, "confirmed-create-organisation")

    # 3. The organisation, with a KBO number typed with dots.
    field(page, "Naam").fill("vzw De Brug")
    field(page, "Ondernemingsnummer (KBO)").fill("0202.239.951")
    field(page, "Straat en huisnummer").fill("Rijksweg 12")
    field(page, "Postcode").fill("3630")
    field(page, "Gemeente").fill("Maasmechelen")
    field(page, "Contactpersoon").fill("An Peeters")
    field(page, "E-mailadres contactpersoon").fill("info@debrug.example")
    page.get_by_role("button", name="Organisatie aanmaken").click()
    expect(alert_with(page, "Je organisatie is aangemaakt")).to_be_visible()
    expect(page.get_by_role("heading", level=1)).to_have_text("vzw De Brug")
    expect(page.get_by_text("0202.239.951")).to_be_visible()
    journey.check(page, "organisation-created")

    # 4. "Mijn kandidaturen": start a candidacy for the open call and land on its form.
    page.get_by_role("link", name="Mijn kandidaturen").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Mijn kandidaturen")
    journey.check(page, "my-candidacies-empty")
    page.get_by_role("link", name="Start een kandidatuur voor E2E open").click()
    field(page, "Werktitel van het project").fill("Samen naar werk")
    page.get_by_role("button", name="Concept aanmaken").click()
    expect(page).to_have_url(re.compile(r"/kandidaturen/\d+/bewerken/$"))
    expect(alert_with(page, "Je concept is aangemaakt")).to_be_visible()
    expect(field(page, "Titel")).to_have_value("Samen naar werk")
    edit_url = page.url
    journey.check(page, "draft-created")

    # 5. Part of the form, saved as a draft; the character counter (our own JS) follows the typing.
    field(page, "Samenvatting").fill(FIRST_SUMMARY)
    limit = Candidacy.SUMMARY_MAX_LENGTH
    expect(page.locator("#id_summary-counter")).to_have_text(f"{len(FIRST_SUMMARY)} van {limit} tekens")
    field(page, "Aanpak").fill("Outreachend en empowerend, vanuit de presentiebenadering.")
    page.get_by_role("button", name="Opslaan als concept").click()
    expect(alert_with(page, "Je wijzigingen zijn bewaard.")).to_be_visible()
    expect(field(page, "Samenvatting")).to_have_value(FIRST_SUMMARY)
    journey.check(page, "draft-saved")

    # 6. An attachment, uploaded with the file field and its button, then listed.
    plan = tmp_path / "projectplan.pdf"
    plan.write_bytes(PDF)
    field(page, "Bijlage toevoegen").set_input_files(plan)
    page.get_by_role("button", name="Opladen en concept bewaren").click()
    expect(alert_with(page, "projectplan.pdf is toegevoegd.")).to_be_visible()
    attachments = page.get_by_role("region", name="Bijlagen")
    expect(attachments.get_by_role("link", name="projectplan.pdf")).to_be_visible()
    expect(field(page, "Samenvatting")).to_have_value(FIRST_SUMMARY)
    journey.check(page, "attachment-uploaded")

    # 7. The rest of the form, and "Indienen".
    page.get_by_role("checkbox", name=re.compile(r"^Regio-uitdaging 1 ")).check()
    page.get_by_role("checkbox", name="Chadia", exact=True).check()
    page.get_by_role("checkbox", name="Trajectbegeleiding op alle levensdomeinen", exact=True).check()
    page.get_by_role("checkbox", name="Maasmechelen", exact=True).check()
    field(page, "Samenwerking").fill("VDAB en de OCMW's van Maasmechelen en Lanaken.")
    field(page, "Verwacht aantal deelnemers").fill("40")
    field(page, "Looptijd (maanden)").fill("24")
    field(page, "Gevraagd budget (euro)").fill("45.000,50")
    field(page, "Opsplitsing van het budget").fill("Personeel 40.000, werking 5.000,50.")
    field(page, "Team en expertise").fill("Twee trajectbegeleiders met tien jaar ervaring.")
    field(page, "Contactpersoon").fill("An Peeters")
    field(page, "E-mailadres contactpersoon").fill(EMAIL)
    journey.check(page, "form-complete")
    page.get_by_role("button", name="Indienen", exact=True).click()
    expect(alert_with(page, f"Je kandidatuur {reference} is ingediend (versie 1)")).to_be_visible()
    expect(page.get_by_text(f"Referentie: {reference}")).to_be_visible()
    candidacy = Candidacy.objects.get(reference=reference)
    assert (candidacy.status, str(candidacy.budget), candidacy.attachments.count()) == ("submitted", "45000.50", 1)
    journey.check(page, "submitted")

    # 8. The receipt: downloaded from the page, and mailed as a PDF attachment.
    with page.expect_download() as download_info:
        page.get_by_role("link", name="ontvangstbewijs (PDF)").click()
    receipt = download_info.value.path().read_bytes()
    assert receipt.startswith(b"%PDF")
    assert reference in "".join(pdf_page.extract_text() for pdf_page in PdfReader(io.BytesIO(receipt)).pages)
    receipt_mails = [message for message in mailoutbox if message.attachments]
    assert [(message.to, len(message.attachments)) for message in receipt_mails] == [([EMAIL], 1)]
    _name, mailed_pdf, mimetype = receipt_mails[0].attachments[0]
    assert (mimetype, mailed_pdf[:4]) == ("application/pdf", b"%PDF")

    # 9. A change to the summary, submitted again: version 2.
    page.get_by_role("link", name="Wijzigen en opnieuw indienen").click()
    field(page, "Samenvatting").fill(SECOND_SUMMARY)
    page.get_by_role("button", name="Opnieuw indienen").click()
    expect(alert_with(page, f"Je kandidatuur {reference} is ingediend (versie 2)")).to_be_visible()
    expect(page.get_by_text(re.compile(r"^Versie 2, ingediend op"))).to_be_visible()
    expect(page.get_by_text(re.compile(r"^Versie 1, ingediend op"))).to_be_visible()
    journey.check(page, "submitted-again")

    # 10. The deadline passes while a second tab still holds the form: the server refuses, naming the deadline.
    second_tab = context.new_page()
    second_tab.goto(edit_url)
    expect(submit_buttons(second_tab)).to_have_count(1)
    Call.objects.filter(pk=open_call.pk).update(deadline=timezone.now() - datetime.timedelta(seconds=1))
    deadline_text = dutch_moment(Call.objects.get(pk=open_call.pk).deadline)
    page.goto(edit_url)
    expect(page).to_have_url(live_server.url + candidacy.get_absolute_url())
    expect(
        alert_with(page, f"De deadline van {deadline_text} is verstreken"),
        "the edit page, opened after the deadline, must send back with a message that names the deadline",
    ).to_be_visible()
    expect(submit_buttons(page)).to_have_count(0)
    expect(page.get_by_role("link", name="Wijzigen en opnieuw indienen")).to_have_count(0)
    journey.check(page, "after-deadline")
    field(second_tab, "Samenvatting").fill("Te laat gewijzigd.")
    submit_buttons(second_tab).click()
    expect(second_tab).to_have_url(live_server.url + candidacy.get_absolute_url())
    expect(alert_with(second_tab, f"De deadline van {deadline_text} is verstreken")).to_be_visible()
    journey.check(second_tab, "late-submission-refused")
    candidacy.refresh_from_db()
    assert (candidacy.versions.count(), candidacy.summary, candidacy.status) == (2, SECOND_SUMMARY, "submitted")
    assert browser_log.failed_responses == []


def _complete_draft(call):
    """A signed-up applicant with an organisation and a draft that only lacks the click on "Indienen"."""
    applicant = factories.user("an@example.org", full_name="An Aanvrager")
    organisation = factories.organisation(applicant, name="Buddywerk Maasland")
    draft = factories.candidacy(call, organisation)
    services.save_draft(
        draft, factories.complete_content(call), lock_version=draft.lock_version, by=applicant, at=timezone.now()
    )
    return applicant, draft


FOCUSED = """() => {
    const element = document.activeElement;
    const previous = window.__lastFocused;
    const inOrder = !previous || Boolean(previous.compareDocumentPosition(element) & Node.DOCUMENT_POSITION_FOLLOWING);
    window.__lastFocused = element;
    const style = getComputedStyle(element);
    const outline = style.outlineStyle !== "none" && parseFloat(style.outlineWidth) >= 2;
    const shadow = style.boxShadow !== "none";
    return {
        key: element.id || `${element.name}:${element.value}`,
        name: element.name || "",
        text: (element.innerText || "").trim(),
        label: element.labels && element.labels.length ? element.labels[0].textContent.trim() : "",
        inOrder,
        visible: outline || shadow,
    };
}"""
# Every control that belongs to the form (also the attachment field and its button, tied with form=).
FORM_CONTROLS = """() => [...document.getElementById("candidacy-form").elements]
    .filter(element => element.tagName !== "FIELDSET" && element.type !== "hidden" && !element.disabled)
    .map(element => element.id || `${element.name}:${element.value}`)"""


def test_the_submission_form_can_be_filled_in_and_submitted_with_the_keyboard_only(
    page, live_server, open_call, log_in, journey, browser_log
):
    applicant, draft = _complete_draft(open_call)
    log_in(applicant)
    journey.visit(page, reverse("candidacies:candidacy_update", args=[draft.pk]), "edit-form")
    controls = page.evaluate(FORM_CONTROLS)

    # 1. The first Tab reaches the skip link, visibly; Enter on it moves the focus to the main content.
    page.keyboard.press("Tab")
    skip = page.evaluate(FOCUSED)
    assert (skip["text"], skip["visible"]) == ("Naar de hoofdinhoud", True)
    journey.check(page, "skip-link-focused")
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "main"
    page.evaluate("window.__lastFocused = document.activeElement")

    # 2. Tab goes through every control of the form in the order of the page, each with a visible focus; the
    # summary is typed and a municipality ticked with the space bar on the way.
    visited = []
    for _press in range(200):
        page.keyboard.press("Tab")
        focused = page.evaluate(FOCUSED)
        assert focused["inOrder"], f"the focus jumped back to {focused}"
        assert focused["visible"], f"the focus is not visible on {focused}"
        visited.append(focused["key"])
        if focused["key"] == "id_summary":
            page.keyboard.press("End")
            page.keyboard.type(" Met de fiets naar het werk.")
        if focused["label"] == "Maaseik":
            page.keyboard.press("Space")
        if focused["key"] == "id_contact_phone":
            journey.check(page, "last-field-focused")
        if focused["key"] == controls[-1]:
            break
    else:
        raise AssertionError("200 presses on Tab did not reach the last control of the form")
    assert [key for key in visited if key in controls] == controls

    # 3. On "Indienen" (the last control, after the attachments), or back to it with Shift+Tab; Enter submits.
    for _press in range(len(controls)):
        if page.evaluate("document.activeElement.name") == "submit":
            break
        page.keyboard.press("Shift+Tab")
    assert page.evaluate("document.activeElement.innerText.trim()") == "Indienen"
    journey.check(page, "submit-focused")
    page.keyboard.press("Enter")
    reference = f"E2E-{timezone.localtime(open_call.deadline).year}-001"
    expect(alert_with(page, f"Je kandidatuur {reference} is ingediend (versie 1)")).to_be_visible()
    journey.check(page, "submitted")
    draft.refresh_from_db()
    municipalities = sorted(draft.municipalities.values_list("name", flat=True))
    assert (draft.status, draft.reference, municipalities) == (
        "submitted",
        reference,
        ["Lanaken", "Maaseik", "Maasmechelen"],
    )
    assert draft.summary == "Buddywerking en taalcoaching voor vrouwen in Maasmechelen. Met de fiets naar het werk."
    assert browser_log.failed_responses == []


def test_the_edit_form_fits_a_360_px_wide_screen_without_horizontal_scrolling(
    page, live_server, open_call, log_in, journey, browser_log
):
    applicant, draft = _complete_draft(open_call)
    log_in(applicant)
    page.set_viewport_size({"width": 360, "height": 740})
    page.goto(live_server.url + reverse("candidacies:candidacy_update", args=[draft.pk]))
    expect(page.get_by_role("button", name="Indienen", exact=True)).to_be_visible()
    journey.check(page, "edit-form-360px")
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    assert browser_log.failed_responses == []


def test_a_refused_submission_shows_an_error_summary_that_links_to_each_wrong_field(
    page, live_server, open_call, log_in, journey, browser_log
):
    applicant = factories.user("an@example.org", full_name="An Aanvrager")
    draft = factories.candidacy(open_call, factories.organisation(applicant, name="Buddywerk Maasland"))
    log_in(applicant)
    edit_path = reverse("candidacies:candidacy_update", args=[draft.pk])
    journey.visit(page, edit_path, "empty-draft")
    field(page, "Samenvatting").fill(FIRST_SUMMARY)
    page.get_by_role("button", name="Indienen", exact=True).click()

    # The summary comes first in the page, before the form, and the typed summary is kept.
    summary = page.locator("#error-summary")
    expect(summary).to_be_visible()
    assert page.evaluate(
        "Boolean(document.getElementById('error-summary').compareDocumentPosition("
        "document.getElementById('candidacy-form')) & Node.DOCUMENT_POSITION_FOLLOWING)"
    )
    expect(field(page, "Samenvatting")).to_have_value(FIRST_SUMMARY)
    journey.check(page, "submission-refused")
    links = assert_error_summary_tied_to_fields(page)
    assert [link["field"] for link in links] == [
        "id_challenges_0",
        "id_personas_0",
        "id_service_types_0",
        "id_municipalities_0",
        "id_approach",
        "id_collaboration",
        "id_expected_participants",
        "id_duration_months",
        "id_budget",
        "id_budget_breakdown",
        "id_team",
        "id_contact_name",
        "id_contact_email",
    ]
    draft.refresh_from_db()
    assert (draft.status, draft.summary) == ("draft", "")
    assert browser_log.failed_responses == ["400 " + live_server.url + edit_path]
