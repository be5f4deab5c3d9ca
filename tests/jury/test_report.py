"""The decision report of a call: a tagged PDF with the jury, each round's ranking with the averages per criterion,
who abstained for a conflict, every decision with its motivation, and room for the signatures; for the call managers
and the chair of the call only."""

import datetime
import io
import re
import subprocess

import pytest
from django.urls import reverse
from pypdf import PdfReader
from pypdf.generic import BooleanObject

from jury import letters, report
from jury import ranking as ranking_module
from jury import services as jury_services
from jury.models import Conflict, Criterion, Decision, JuryMember, Round
from jury.views.report import report_access
from maasland.clock import BRUSSELS
from tests import factories
from tests.seeded import seeded_once

from .conftest import submitted_candidacy

pytestmark = pytest.mark.postgres_pass

SCORED_AT = datetime.datetime(2023, 6, 9, 16, 0, tzinfo=BRUSSELS)
CLOSED_AT = datetime.datetime(2023, 6, 26, 9, 0, tzinfo=BRUSSELS)
DECIDED_AT = datetime.datetime(2023, 6, 26, 10, 0, tzinfo=BRUSSELS)
REPORT_AT = datetime.datetime(2023, 7, 20, 10, 0, tzinfo=BRUSSELS)
MOTIVATIONS = {
    "selected": "Het voorstel bereikt Chadia via een bestaande buddywerking in Maasmechelen.",
    "not_selected": "De aanpak blijft algemeen en de begroting is niet onderbouwd.",
}


def text_of(pdf):
    """The PDF's words, read back with pypdf, with every run of white space (and hyphenation) as one space."""
    text = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)
    return " ".join(text.replace("\u2010 ", "").split())


# Built on a small call, per test


def score(juror, candidacy, round, value):
    criteria = Criterion.objects.filter(call=candidacy.call, round=round)
    jury_services.save_sheet(
        juror,
        candidacy,
        round,
        values={criterion.pk: (value, "") for criterion in criteria},
        overall_comment="",
        submit=True,
        by=juror.user,
        at=SCORED_AT,
    )


def decided_call(call, chair, jurors, count):
    """`count` candidacies scored in the written round by the jurors, both rounds closed, each one decided."""
    candidacies = [submitted_candidacy(call, name=f"Organisatie {number}") for number in range(count)]
    for number, candidacy in enumerate(candidacies):
        for juror in jurors:
            score(juror, candidacy, Round.WRITTEN, 5 + number % 5)
    factories.rounds_closed(call, chair, at=CLOSED_AT)
    for candidacy in candidacies:
        jury_services.record_decision(
            candidacy,
            outcome=Decision.Outcome.NOT_SELECTED,
            motivation=f"Motivering voor {candidacy.reference}.",
            by=chair.user,
            at=DECIDED_AT,
        )
    return candidacies


@pytest.mark.parametrize("count", [1, 3])
def test_the_report_costs_the_same_queries_whatever_the_number_of_candidacies(
    count, maasland_call, chair, jurors, django_assert_num_queries
):
    decided_call(maasland_call, chair, jurors, count)
    with django_assert_num_queries(16):
        report.render_report_html(maasland_call, at=REPORT_AT)


def test_a_conflicted_chairs_copy_leaves_out_the_figures_of_her_conflict(maasland_call, chair, jurors, manager):
    candidacies = decided_call(maasland_call, chair, jurors, 2)
    Conflict.objects.create(
        jury_member=chair, candidacy=candidacies[0], source=Conflict.Source.MANAGER, created_by=manager
    )
    hidden = report_access(chair.user, maasland_call)
    context = report.report_context(maasland_call, at=REPORT_AT, hidden=hidden)
    written = context["rounds"][0]
    assert (hidden, [row["reference"] for row in written["rows"]]) == ({candidacies[0].pk}, [candidacies[1].reference])
    # Set after the rounds closed, the conflict is there now only: she abstained all the same.
    assert [row["abstained"] for row in context["candidacies"]] == [["Vera Voorzitter"], []]
    assert "De cijfers van 1 kandidatuur zijn weggelaten" in report.render_report_html(
        maasland_call, at=REPORT_AT, hidden=hidden
    )
    assert report_access(manager, maasland_call) == set()


def test_only_the_chair_and_the_call_managers_may_have_the_report(maasland_call, chair, jurors, client):
    deputy = JuryMember.objects.create(
        call=maasland_call, user=factories.user("plaatsvervanger@example.org"), role=JuryMember.Role.DEPUTY
    )
    staff = factories.user("personeel@example.org", is_staff=True)
    url = reverse("jury:decision_report", args=[maasland_call.slug])
    answers = []
    for user in (deputy.user, jurors[0].user, staff):
        client.force_login(user)
        answers.append(client.get(url).status_code)
    assert answers == [404, 404, 404]


def test_typed_text_is_printed_as_text_never_as_markup(maasland_call, chair, jurors):
    candidacy = decided_call(maasland_call, chair, jurors, 1)[0]
    Decision.objects.filter(candidacy=candidacy).update(motivation='<b>Vet</b> "en" <script>alert(1)</script>')
    html = report.render_report_html(maasland_call, at=REPORT_AT)
    assert ("<script>alert" in html, "&lt;script&gt;alert(1)&lt;/script&gt;" in html) == (False, True)


def test_an_unknown_call_is_not_found(manager, client):
    client.force_login(manager)
    urls = [reverse("jury:decision_report", args=[slug]) for slug in ("bestaat-niet", "x" * 300)]
    assert [client.get(url).status_code for url in urls] == [404, 404]


def test_the_call_manager_downloads_the_report_as_a_pdf_named_by_call_and_date(
    maasland_call, chair, manager, client, time_machine
):
    time_machine.move_to(REPORT_AT, tick=False)
    client.force_login(manager)
    response = client.get(reverse("jury:decision_report", args=[maasland_call.slug]))
    assert (response["Content-Type"], response["Content-Disposition"], response.content[:5]) == (
        "application/pdf",
        'attachment; filename="beslissingsverslag-maasland-2023-2023-07-20.pdf"',
        b"%PDF-",
    )


def test_the_report_is_linked_from_the_calls_admin_page_the_dashboard_and_the_chairs_pages(
    maasland_call, chair, manager, client
):
    url = reverse("jury:decision_report", args=[maasland_call.slug])
    client.force_login(manager)
    admin_pages = [reverse("admin:challenges_call_change", args=[maasland_call.pk]), reverse("admin:index")]
    found = [f'href="{url}"' in client.get(page).content.decode() for page in admin_pages]
    client.force_login(chair.user)
    chair_pages = [reverse("jury:dashboard"), reverse("jury:ranking", args=[maasland_call.slug, "written"])]
    found += [f'href="{url}"' in client.get(page).content.decode() for page in chair_pages]
    assert found == [True, True, True, True]


def test_the_ranking_page_offers_a_print_button_and_hides_the_report_from_the_deputy(maasland_call, client):
    deputy = JuryMember.objects.create(
        call=maasland_call, user=factories.user("plaatsvervanger@example.org"), role=JuryMember.Role.DEPUTY
    )
    client.force_login(deputy.user)
    page = client.get(reverse("jury:ranking", args=[maasland_call.slug, "written"])).content.decode()
    assert ("data-print" in page, "Afdrukken" in page, "js/print.js" in page, "beslissingsverslag" in page) == (
        True,
        True,
        True,
        False,
    )


# The seeded call (tests/seeded.py), built once for the module, its report printed once


def distinct_motivations_and_a_deputy(seeded):
    for status, motivation in MOTIVATIONS.items():
        Decision.objects.filter(candidacy=seeded.candidacies[status]).update(motivation=motivation)
    seeded.deputy = JuryMember.objects.create(
        call=seeded.call,
        user=factories.user("plaatsvervanger@example.org", full_name="Pieter Plaatsvervanger"),
        role=JuryMember.Role.DEPUTY,
    )
    seeded.report = report.render_report_pdf(seeded.call, at=REPORT_AT)


@pytest.fixture(scope="module")
def reported(maasland_module, django_db_blocker, tmp_path_factory):
    with seeded_once(
        django_db_blocker, tmp_path_factory.mktemp("media"), distinct_motivations_and_a_deputy, load_call=False
    ) as seeded:
        yield seeded


@pytest.fixture
def seeded(reported, db):
    return reported


def candidacy_section(text, candidacy):
    """The report's words about one candidacy in its list of decisions: from its heading to the next one."""
    start = text.index(f"{candidacy.reference} – {candidacy.title}")
    following = re.search(r"MAAS-\d{4}-\d{3} – Project van|Handtekeningen", text[start + 1 :])
    return text[start : start + 1 + following.start()]


def test_every_assessed_candidacy_has_its_outcome_and_motivation_and_who_abstained(seeded):
    text = text_of(seeded.report)
    sections = {
        status: candidacy_section(text, candidacy)
        for status, candidacy in seeded.candidacies.items()
        if status in ("submitted", "shortlisted", "pitched", "selected", "not_selected")
    }
    assert [
        "Beslissing van de jury: Geselecteerd" in sections["selected"],
        MOTIVATIONS["selected"] in sections["selected"],
        "Beslissing van de jury: Niet geselecteerd" in sections["not_selected"],
        MOTIVATIONS["not_selected"] in sections["not_selected"],
        "Onthouden wegens belangenconflict Carla Conflict" in sections["not_selected"],
        "Onthouden wegens belangenconflict niemand" in sections["selected"],
        "Er is nog geen beslissing vastgelegd." in sections["pitched"],
    ] == [True] * 7


def test_candidacies_the_jury_never_assessed_are_not_in_the_report(seeded):
    text = text_of(seeded.report)
    assert [seeded.candidacies[status].title in text for status in ("draft", "withdrawn", "inadmissible")] == [
        False
    ] * 3


def test_the_report_names_the_jury_the_dates_and_the_signatories(seeded):
    text = text_of(seeded.report)
    assert [
        "Voorzitter Vera Voorzitter" in text,
        "Plaatsvervangend voorzitter Pieter Plaatsvervanger" in text,
        "Leden Carla Conflict, Jan Jurylid" in text,
        "Datum van het verslag 20 juli 2023" in text,
        "Deadline kandidaturen 1 juni 2023 om 23:59" in text,
        "Ronde afgesloten: Pitches 23 juni 2023" in text,
        "De voorzitter van de jury Vera Voorzitter Datum en handtekening" in text,
        "De oproepbeheerder Liesbet Adams Datum en handtekening" in text,
    ] == [True] * 8


def test_each_rounds_ranking_shows_the_stored_means_and_the_letters_averages_per_criterion(seeded):
    text = text_of(seeded.report)
    expected, found = [], []
    for scoring_round in (Round.WRITTEN, Round.PITCH):
        for row in ranking_module.rank(seeded.call, scoring_round).rows:
            if row.mean is None:
                continue
            averages = [
                letters.one_decimal(average["total"], average["count"])
                for average in ranking_module.criterion_averages(row.candidacy)
                if average["sheet__round"] == scoring_round
            ]
            figures = " ".join([f"{row.mean:.1f}".replace(".", ","), str(row.jurors_counted), *averages])
            expected.append(f"{row.candidacy.reference} {row.candidacy.organisation.name} {figures}")
            found.append(expected[-1] in text)
    assert (len(expected), found) == (8, [True] * 8)


def test_the_report_is_a_tagged_dutch_pdf_with_landscape_rankings(seeded):
    reader = PdfReader(io.BytesIO(seeded.report))
    catalog = reader.trailer["/Root"]
    sizes = [(round(page.mediabox.width), round(page.mediabox.height)) for page in reader.pages]
    assert [
        catalog["/MarkInfo"]["/Marked"] == BooleanObject(True),
        "/StructTreeRoot" in catalog,
        catalog["/Lang"],
        reader.metadata.title,
        sizes[:3],
    ] == [True, True, "nl-be", f"Beslissingsverslag: {seeded.call.full_title}", [(595, 842), (842, 595), (842, 595)]]


def test_the_report_passes_qpdf_check(seeded, tmp_path):
    path = tmp_path / "verslag.pdf"
    path.write_bytes(seeded.report)
    checked = subprocess.run(["qpdf", "--check", str(path)], capture_output=True, text=True, check=False)
    assert (checked.returncode, checked.stderr) == (0, "")
