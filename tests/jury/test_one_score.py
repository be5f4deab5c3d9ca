"""One weighted total per sheet, the same everywhere: with criteria on different scales (0–10 and 0–100), the sheet
page, the ranking page, the chair's CSV, the exports (CSV and XLSX) and the decision letters agree on the order and
on the totals.

Criterion A weighs 2 on 0–10, criterion B weighs 1 on 0–100. A sheet's total is
(2 × a / 10 + 1 × b / 100) / 3 × 100:

    candidacy     juror 1 (a, b)  total    juror 2 (a, b)  total    mean    naive Σ weight × score / Σ weight
    Buddywerk     9, 50           76,67    10, 40          80,00    78,3    (22,67 + 20,00) / 2 = 21,3
    Taalhuis      3, 70           43,33     4, 80          53,33    48,3    (25,33 + 29,33) / 2 = 27,3
    De Sleutel    6, 60           60,00     5, 65          55,00    57,5    (24,00 + 25,00) / 2 = 24,5

So the order is Buddywerk, De Sleutel, Taalhuis; weight × score (what the letter's rank used) gives the reverse.
"""

import csv
import datetime
import importlib
import io

import openpyxl
import pytest
import time_machine
from django.apps import apps as django_apps
from django.urls import reverse
from pypdf import PdfReader

from challenges.models import Call
from jury import letters, services
from jury.models import Criterion, Decision, Round, ScoreSheet
from tests import factories

from .conftest import WRITTEN_ROUND

DECIDED_AT = WRITTEN_ROUND + datetime.timedelta(days=10)
SCORES = {
    # candidacy index: ((juror 1's a, b), (juror 2's a, b))
    0: ((9, 50), (10, 40)),
    1: ((3, 70), (4, 80)),
    2: ((6, 60), (5, 65)),
}
ORDER = ["Buddywerk", "De Sleutel", "Taalhuis"]
MEANS = ["78,3", "57,5", "48,3"]


@pytest.fixture
def scored(maasland_call, candidacies, jurors, chair):
    """Two criteria on different scales; two jurors submit a sheet for each candidacy through the service."""
    Criterion.objects.filter(call=maasland_call, round=Round.WRITTEN).delete()
    first = Criterion.objects.create(
        call=maasland_call, round=Round.WRITTEN, position=1, name="A", weight=2, scale_min=0, scale_max=10
    )
    second = Criterion.objects.create(
        call=maasland_call, round=Round.WRITTEN, position=2, name="B", weight=1, scale_min=0, scale_max=100
    )
    for index, candidacy in enumerate(candidacies):
        for juror, (a, b) in zip(jurors[:2], SCORES[index], strict=True):
            services.save_sheet(
                juror,
                candidacy,
                Round.WRITTEN,
                values={first.pk: (a, ""), second.pk: (b, "")},
                overall_comment="",
                submit=True,
                by=juror.user,
                at=WRITTEN_ROUND,
            )
    return maasland_call


def test_each_sheet_stores_its_total_on_100(scored, candidacies, jurors):
    totals = {
        (sheet.candidacy.organisation.name, sheet.jury_member_id): round(sheet.total, 6)
        for sheet in ScoreSheet.objects.select_related("candidacy__organisation")
    }
    assert totals == {
        ("Buddywerk", jurors[0].pk): 76.666667,
        ("Buddywerk", jurors[1].pk): 80.0,
        ("Taalhuis", jurors[0].pk): 43.333333,
        ("Taalhuis", jurors[1].pk): 53.333333,
        ("De Sleutel", jurors[0].pk): 60.0,
        ("De Sleutel", jurors[1].pk): 55.0,
    }


@time_machine.travel(WRITTEN_ROUND, tick=False)
def test_the_sheet_page_shows_the_stored_total_and_the_other_jurors(client, scored, candidacies, jurors):
    client.force_login(jurors[0].user)
    page = client.get(reverse("jury:score_sheet", kwargs={"pk": candidacies[0].pk, "round": "written"})).content
    page = page.decode()
    assert '<output id="sheet-total" aria-live="polite" data-incomplete=' in page
    assert ">76,7 / 100</output>" in page
    assert "80,0 / 100" in page
    assert ('data-weight="2.00"' in page, 'data-weight="1.00"' in page, 'data-max="100"' in page) == (True,) * 3


def test_the_ranking_page_orders_by_the_mean_total(client, scored, chair):
    client.force_login(chair.user)
    page = client.get(reverse("jury:ranking", kwargs={"call_slug": scored.slug, "round": "written"})).content.decode()
    table = page.split("<tbody>", 1)[1].split("</tbody>", 1)[0]
    positions = [table.index(name) for name in ORDER]
    assert positions == sorted(positions)
    for name, mean in zip(ORDER, MEANS, strict=True):
        row = table[table.index(name) :].split("</tr>", 1)[0]
        assert f'<td class="text-end">{mean}</td>' in row


def test_the_chairs_csv_has_the_same_order_and_means(client, scored, chair):
    client.force_login(chair.user)
    response = client.get(reverse("jury:ranking_csv", kwargs={"call_slug": scored.slug, "round": "written"}))
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";"))
    assert [(row[0], row[2], row[4]) for row in rows[1:]] == [
        ("1", "Buddywerk", "78,3"),
        ("2", "De Sleutel", "57,5"),
        ("3", "Taalhuis", "48,3"),
    ]


def test_the_ranking_exports_have_the_same_order_and_means(client, scored, manager):
    client.force_login(manager)
    url = reverse("office:export_download", args=[scored.pk, "ranking", "csv"])
    rows = list(csv.reader(io.StringIO(client.get(url).content.decode("utf-8-sig")), delimiter=";"))
    written = [row for row in rows[1:] if row[0] == "Schriftelijke voorstellen"]
    assert [(row[1], row[3], row[5]) for row in written] == [
        ("1", "Buddywerk", "78,3"),
        ("2", "De Sleutel", "57,5"),
        ("3", "Taalhuis", "48,3"),
    ]
    url = reverse("office:export_download", args=[scored.pk, "ranking", "xlsx"])
    workbook = openpyxl.load_workbook(io.BytesIO(client.get(url).content))
    written = [row for row in workbook.active.iter_rows(min_row=2, values_only=True) if row[0] == written[0][0]]
    assert [(row[1], row[3], round(row[5], 1)) for row in written] == [
        (1, "Buddywerk", 78.3),
        (2, "De Sleutel", 57.5),
        (3, "Taalhuis", 48.3),
    ]


def pdf_text(pdf):
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)


def test_the_letters_give_each_candidacy_the_place_of_the_ranking(scored, candidacies, chair):
    Call.objects.filter(pk=scored.pk).update(letters_disclose_rank=True)
    by_name = {candidacy.organisation.name: candidacy for candidacy in candidacies}
    factories.rounds_closed(scored, chair, at=DECIDED_AT)
    for name in ORDER:
        decision = services.record_decision(
            by_name[name],
            outcome=Decision.Outcome.NOT_SELECTED,
            motivation="Beraadslaagd.",
            by=chair.user,
            at=DECIDED_AT,
        )
        by_name[name] = decision
    for place, name in enumerate(ORDER, start=1):
        decision = Decision.objects.get(pk=by_name[name].pk)
        text = " ".join(pdf_text(letters.render_letter_pdf(decision, sent_at=DECIDED_AT)).split())
        assert f"Je kandidatuur staat op plaats {place} van de 3 kandidaturen waarover de jury besliste." in text


def test_the_migration_fills_the_same_totals_for_existing_sheets(scored):
    stored = dict(ScoreSheet.objects.values_list("pk", "total"))
    ScoreSheet.objects.update(total=None)
    migration = importlib.import_module("jury.migrations.0008_scoresheet_total")
    migration.fill_totals(django_apps, None)
    assert dict(ScoreSheet.objects.values_list("pk", "total")) == stored
    assert None not in stored.values()


def test_a_criterion_added_to_the_round_later_counts_in_every_stored_total(scored, candidacies, jurors):
    # Σ weight becomes 4 and the new criterion has no score yet: Buddywerk's first sheet is 2.3 / 4 × 100 = 57.5.
    Criterion.objects.create(call=scored, round=Round.WRITTEN, position=3, name="C", weight=1, scale_max=10)
    sheet = ScoreSheet.objects.get(candidacy=candidacies[0], jury_member=jurors[0])
    assert round(sheet.total, 6) == 57.5
