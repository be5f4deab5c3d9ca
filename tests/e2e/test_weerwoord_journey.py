"""An applicant whose candidacy was not selected reads the decision and files a weerwoord, in a real browser: the
candidacy with its decision, the letter (PDF), the weerwoord form refused when empty (error summary tied to the
field), then filed with an attachment. Every page is checked with axe-core (journey.check)."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect

from jury import communication
from jury.models import Weerwoord
from tests import factories

from .conftest import (
    assert_error_summary_tied_to_fields,
    call_manager,
    call_shifted_to,
    chair_of,
    decided_candidacy,
)

pytestmark = pytest.mark.sqlite_pass

PDF = factories.pdf_bytes("Samenwerking met het OCMW")
TEXT = "De jury hield geen rekening met onze samenwerking met het OCMW: zie de bijlage."


def test_an_applicant_reads_the_decision_and_files_a_weerwoord_with_an_attachment(
    page, live_server, e2e_maasland_call, journey, browser_log, log_in, tmp_path
):
    call = call_shifted_to(
        e2e_maasland_call, slug="e2e-weerwoord", first_pitch_day=timezone.localdate() - datetime.timedelta(days=20)
    )
    manager = call_manager()
    candidacy = decided_candidacy(call, "Taalhuis", chair_of(call), outcome="not_selected", manager=manager)
    communication.send_decision(candidacy.decision, by=manager, at=timezone.now() - datetime.timedelta(days=2))
    applicant = candidacy.organisation.members.get()
    log_in(applicant)

    # 1. "Mijn kandidaturen", then the candidacy with its decision and letter.
    journey.visit(page, reverse("candidacies:candidacy_list"), "my-candidacies")
    page.get_by_role("link", name=candidacy.title).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(candidacy.title)
    expect(page.locator("main")).to_contain_text("Niet geselecteerd")
    journey.check(page, "candidacy-with-decision")
    with page.expect_download() as download_info:
        page.get_by_role("link", name="Beslissingsbrief van").first.click()
    assert download_info.value.path().read_bytes()[:4] == b"%PDF"

    # 2. The weerwoord form; sent empty, it comes back with the error summary tied to the field.
    page.get_by_role("link", name="Weerwoord: je schriftelijke reactie op de beslissing").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Weerwoord")
    journey.check(page, "weerwoord-form")
    page.get_by_role("button", name="Weerwoord indienen").click()
    expect(page.locator("#error-summary")).to_be_visible()
    journey.check(page, "weerwoord-refused")
    links = assert_error_summary_tied_to_fields(page)
    assert [link["field"] for link in links] == ["id_text"]

    # 3. Written, with an attachment, and filed.
    attachment = tmp_path / "samenwerking-ocmw.pdf"
    attachment.write_bytes(PDF)
    page.get_by_label("Je weerwoord").fill(TEXT)
    page.get_by_label("Bijlage (optioneel)").set_input_files(attachment)
    journey.check(page, "weerwoord-filled")
    page.get_by_role("button", name="Weerwoord indienen").click()
    expect(page.locator(".messages")).to_contain_text("Je weerwoord is goed ontvangen.")
    expect(page.get_by_role("link", name="samenwerking-ocmw.pdf")).to_be_visible()
    journey.check(page, "weerwoord-filed")
    weerwoord = Weerwoord.objects.get(decision__candidacy=candidacy)
    assert (weerwoord.text, weerwoord.filed_by, weerwoord.attachment_name) == (TEXT, applicant, "samenwerking-ocmw.pdf")
    assert browser_log.failed_responses == ["400 " + live_server.url + reverse("jury:weerwoord", args=[candidacy.pk])]
