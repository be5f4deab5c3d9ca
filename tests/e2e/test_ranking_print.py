"""The chair prints the ranking and downloads the decision report, in a real browser: on paper the page shows no
navigation, buttons or forms, and every column of the ranking fits within the page. The page is checked with
axe-core (journey.visit)."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect

from jury import services as jury_services
from jury.models import Criterion, JuryMember
from tests import factories

from .conftest import call_shifted_to, chair_of, submitted_candidacy

pytestmark = pytest.mark.sqlite_pass

# The width of A4 portrait within the browser's default margins (210 mm − 2 × 10 mm at 96 px per inch): the narrowest
# paper the ranking is printed on (its own print style asks for landscape).
PRINTED_WIDTH = 718


def test_the_chair_prints_the_ranking_without_navigation_and_with_every_column(
    page, live_server, e2e_maasland_call, journey, log_in
):
    call = call_shifted_to(
        e2e_maasland_call, slug="e2e-print", first_pitch_day=timezone.localdate() - datetime.timedelta(days=12)
    )
    names = ["Vereniging voor Samenwerkingsverbanden Maasland-Kempen", "Taalhuis", "De Sleutel"]
    candidacies = [submitted_candidacy(call, name) for name in names]
    chair = chair_of(call)
    jurors = [JuryMember.objects.create(call=call, user=factories.user(full_name=f"Jurylid {n}")) for n in (1, 2)]
    criteria = Criterion.objects.filter(call=call, round="written")
    for juror in jurors:
        for number, candidacy in enumerate(candidacies):
            jury_services.save_sheet(
                juror,
                candidacy,
                "written",
                values={criterion.pk: (9 - 3 * number + juror.pk % 2, "") for criterion in criteria},
                overall_comment="",
                submit=True,
                by=juror.user,
                at=timezone.now(),
            )
    log_in(chair.user)

    # On screen: the print button (shown by its script) and the decision report, which downloads as a PDF.
    journey.visit(page, reverse("jury:ranking", args=[call.slug, "written"]), "ranking")
    print_button = page.get_by_role("button", name="Afdrukken")
    expect(print_button).to_be_visible()
    with page.expect_download() as download_info:
        page.get_by_role("link", name="Beslissingsverslag (pdf)").click()
    download = download_info.value
    with open(download.path(), "rb") as pdf:
        assert (download.suggested_filename.startswith("beslissingsverslag-e2e-print-"), pdf.read(5)) == (
            True,
            b"%PDF-",
        )

    # On paper: no navigation, links or buttons; the last column ends within the page; the header row repeats.
    page.set_viewport_size({"width": PRINTED_WIDTH, "height": 1000})
    page.emulate_media(media="print")
    page.screenshot(path=journey.folder / "02-printed.png", full_page=True)
    for hidden in (
        page.locator(".portal-header"),
        page.get_by_role("link", name="Downloaden als CSV"),
        print_button,
    ):
        expect(hidden).to_be_hidden()
    table = page.locator("main table").first
    last_header = table.locator("thead th").last
    expect(last_header).to_be_visible()
    box = last_header.bounding_box()
    assert (
        box["x"] + box["width"] <= PRINTED_WIDTH,
        page.evaluate("document.documentElement.scrollWidth") <= PRINTED_WIDTH,
        table.locator("thead").evaluate("head => getComputedStyle(head).display"),
    ) == (True, True, "table-header-group")
