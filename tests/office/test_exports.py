"""The call manager's exports of a call: candidacies, scores, the ranking and the pitch schedule as CSV and XLSX,
and the schedule as one .ics for the jury; on the seeded call with a candidacy in every status."""

import collections
import csv
import datetime
import io

import openpyxl
import pytest
from django.contrib.auth.models import Permission
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from icalendar import Calendar

from jury import ranking, services
from jury.models import Conflict, Round
from maasland.clock import BRUSSELS
from tests import factories

EXPORT_DAY = datetime.datetime(2023, 7, 20, 10, 0, tzinfo=BRUSSELS)
CANDIDACY_HEADER = [
    "Referentie",
    "Titel",
    "Organisatie",
    "Ondernemingsnummer (KBO)",
    "Gemeente",
    "Oproep",
    "Status",
    "Reden voor de status",
    "Samenvatting",
    "Regio-uitdagingen",
    "Persona",
    "Typen dienstverlening",
    "Deelpunten van de typen dienstverlening",
    "Bediende gemeenten",
    "Aanpak",
    "Samenwerking",
    "Verwacht aantal deelnemers",
    "Looptijd (maanden)",
    "Gevraagd budget (euro)",
    "Opsplitsing van het budget",
    "Team en expertise",
    "Contactpersoon",
    "E-mailadres contactpersoon",
    "Telefoon contactpersoon",
    "Aangemaakt door",
    "Aangemaakt op",
    "Laatst ingediend op",
    "Ingetrokken op",
    "Gewijzigd sinds de laatste indiening",
    "Uitstel tot",
    "Reden voor het uitstel",
    "Aantal bijlagen",
]
SCORE_HEADER = [
    "Ronde",
    "Referentie",
    "Organisatie",
    "Titel",
    "Jurylid",
    "E-mailadres",
    "Criterium",
    "Gewicht",
    "Laagste score",
    "Hoogste score",
    "Score",
    "Opmerking",
    "Ingediend op",
    "Belangenconflict",
    "Telt mee in de ranking",
]
RANKING_HEADER = [
    "Ronde",
    "Rang",
    "Referentie",
    "Organisatie",
    "Titel",
    "Gemiddelde (0–100)",
    "Getelde juryleden",
    "Spreiding (hoogste − laagste)",
    "Jury sterk verdeeld",
    "Gemiddelde z-score",
    "Rang volgens z-score",
    "Conflict gemeld na het afsluiten",
]
SCHEDULE_HEADER = [
    "Dag",
    "Begint om",
    "Eindigt om",
    "Plaats",
    "Videolink",
    "Referentie",
    "Organisatie",
    "Titel",
    "Contactpersoon",
    "E-mailadres contactpersoon",
]


@pytest.fixture
def seeded(seeded_call_shared, time_machine):
    time_machine.move_to(EXPORT_DAY, tick=False)
    return seeded_call_shared


@pytest.fixture
def manager_client(client, seeded):
    client.force_login(seeded.manager)
    return client


def download(client, call, what, file_format):
    return client.get(reverse("office:export_download", args=[call.pk, what, file_format]))


def csv_rows(response):
    return list(csv.reader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";"))


def xlsx_rows(response):
    workbook = openpyxl.load_workbook(io.BytesIO(response.content))
    return workbook.active, [list(row) for row in workbook.active.iter_rows(values_only=True)]


# Each export's columns and rows


def test_the_candidacy_export_has_every_field_and_a_row_per_candidacy_of_the_call(manager_client, seeded):
    rows = csv_rows(download(manager_client, seeded.call, "kandidaturen", "csv"))
    by_reference = {row[0]: dict(zip(rows[0], row, strict=True)) for row in rows[1:]}
    selected = by_reference[seeded.candidacy_b.reference]
    assert rows[0] == CANDIDACY_HEADER
    assert len(rows) == 1 + 8
    assert (selected["Status"], selected["Aantal bijlagen"], selected["Laatst ingediend op"]) == (
        "Geselecteerd",
        "1",
        "2023-05-31 12:00:00",
    )
    assert (selected["Gevraagd budget (euro)"], selected["Bediende gemeenten"]) == ("45000,50", "Maasmechelen, Lanaken")


def test_the_score_export_has_a_row_per_juror_candidacy_and_criterion_of_both_rounds(manager_client, seeded):
    rows = csv_rows(download(manager_client, seeded.call, "scores", "csv"))
    per_round = collections.Counter(row[0] for row in rows[1:])
    written_criteria = seeded.call.criteria.filter(round=Round.WRITTEN).count()
    pitch_criteria = seeded.call.criteria.filter(round=Round.PITCH).count()
    assert rows[0] == SCORE_HEADER
    # Written: 5 candidacies × 3 jurors, less the declared conflict; pitches: 3 × 3, less the same conflict.
    assert per_round == {"Schriftelijke voorstellen": 14 * written_criteria, "Pitches": 8 * pitch_criteria}
    assert rows[1][0] == "Schriftelijke voorstellen"
    assert {(row[13], row[14]) for row in rows[1:]} == {("nee", "ja")}


def test_a_conflict_set_after_scoring_marks_those_scores_as_not_counted(manager_client, seeded):
    Conflict.objects.create(
        jury_member=seeded.juror,
        candidacy=seeded.candidacy_b,
        source=Conflict.Source.MANAGER,
        created_by=seeded.manager,
    )
    rows = csv_rows(download(manager_client, seeded.call, "scores", "csv"))
    flagged = {(row[1], row[5]) for row in rows[1:] if (row[13], row[14]) == ("ja", "nee")}
    assert flagged == {(seeded.candidacy_b.reference, seeded.juror.user.email)}


def test_the_ranking_export_has_the_chairs_figures_for_both_rounds(manager_client, seeded):
    rows = csv_rows(download(manager_client, seeded.call, "ranking", "csv"))
    written = ranking.rank(seeded.call, Round.WRITTEN)
    pitch = ranking.rank(seeded.call, Round.PITCH)
    first = written.rows[0]
    assert rows[0] == RANKING_HEADER
    assert collections.Counter(row[0] for row in rows[1:]) == {"Schriftelijke voorstellen": 5, "Pitches": 4}
    assert len(written.rows) + len(pitch.rows) == 9
    assert rows[1][:7] == [
        "Schriftelijke voorstellen",
        str(first.rank),
        first.candidacy.reference,
        first.candidacy.organisation.name,
        first.candidacy.title,
        f"{first.mean:.1f}".replace(".", ","),
        str(first.jurors_counted),
    ]
    assert [row[2] for row in rows[6:]] == [row.candidacy.reference for row in pitch.rows]


def test_a_conflict_set_after_the_rounds_closed_leaves_the_ranking_export_as_it_was_and_flags_the_row(
    manager_client, seeded
):
    before = csv_rows(download(manager_client, seeded.call, "ranking", "csv"))
    Conflict.objects.create(
        jury_member=seeded.juror,
        candidacy=seeded.candidacy_b,
        source=Conflict.Source.MANAGER,
        created_by=seeded.manager,
    )
    after = csv_rows(download(manager_client, seeded.call, "ranking", "csv"))
    reference = seeded.candidacy_b.reference
    assert [row[:11] for row in after] == [row[:11] for row in before]
    assert [row[11] for row in after[1:]] == ["ja" if row[2] == reference else "" for row in after[1:]]
    assert [row[2] for row in after[1:]].count(reference) == 2


def test_the_schedule_export_has_every_slot_in_brussels_time(manager_client, seeded):
    rows = csv_rows(download(manager_client, seeded.call, "pitchschema", "csv"))
    first = seeded.candidacies["shortlisted"]
    assert rows[0] == SCHEDULE_HEADER
    assert len(rows) == 1 + 4
    assert rows[1] == [
        "2023-06-19",
        "2023-06-19 09:00:00",
        "2023-06-19 09:45:00",
        "Gemeentehuis Maasmechelen, raadzaal",
        "",
        first.reference,
        first.organisation.name,
        first.title,
        first.contact_name,
        first.contact_email,
    ]


@pytest.mark.parametrize(
    ("what", "header", "count"),
    [
        ("kandidaturen", CANDIDACY_HEADER, 8),
        ("scores", SCORE_HEADER, None),
        ("ranking", RANKING_HEADER, 9),
        ("pitchschema", SCHEDULE_HEADER, 4),
    ],
)
def test_the_xlsx_has_the_same_header_and_rows_as_the_csv(manager_client, seeded, what, header, count):
    csv_count = len(csv_rows(download(manager_client, seeded.call, what, "csv"))) - 1
    response = download(manager_client, seeded.call, what, "xlsx")
    sheet, rows = xlsx_rows(response)
    assert response["Content-Type"] == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    assert rows[0] == header
    assert len(rows) - 1 == csv_count == (count if count is not None else csv_count)
    assert sheet.freeze_panes == "A2"


def test_the_xlsx_schedule_has_real_dates_and_times_in_brussels_and_wide_enough_columns(manager_client, seeded):
    sheet, rows = xlsx_rows(download(manager_client, seeded.call, "pitchschema", "xlsx"))
    assert rows[1][:3] == [
        datetime.datetime(2023, 6, 19, 0, 0),
        datetime.datetime(2023, 6, 19, 9, 0),
        datetime.datetime(2023, 6, 19, 9, 45),
    ]
    assert (sheet["A2"].number_format, sheet["B2"].number_format) == ("yyyy-mm-dd", "yyyy-mm-dd hh:mm:ss")
    assert sheet.column_dimensions["D"].width == len("Gemeentehuis Maasmechelen, raadzaal") + 2


def test_the_xlsx_scores_are_numbers(manager_client, seeded):
    _sheet, rows = xlsx_rows(download(manager_client, seeded.call, "scores", "xlsx"))
    assert {type(row[10]) for row in rows[1:]} == {int}
    assert {type(row[7]) for row in rows[1:]} <= {int, float}


def test_text_that_looks_like_a_formula_stays_text_in_csv_and_xlsx(manager_client, seeded):
    candidacy = seeded.candidacy_b
    candidacy.title = '=HYPERLINK("http://x.example","klik")'
    candidacy.save(update_fields=["title"])
    csv_titles = {row[1] for row in csv_rows(download(manager_client, seeded.call, "kandidaturen", "csv"))}
    sheet, rows = xlsx_rows(download(manager_client, seeded.call, "kandidaturen", "xlsx"))
    assert "'" + candidacy.title in csv_titles
    assert candidacy.title in {row[1] for row in rows}
    assert {cell.data_type for cell in sheet["B"]} == {"s"}


def test_a_phone_number_is_guarded_in_the_csv_and_written_as_it_is_in_the_xlsx_text_cell(manager_client, seeded):
    candidacy = seeded.candidacy_b
    candidacy.contact_phone = "+32 89 56 12 34"
    candidacy.save(update_fields=["contact_phone"])
    column = CANDIDACY_HEADER.index("Telefoon contactpersoon")
    csv_phones = {row[column] for row in csv_rows(download(manager_client, seeded.call, "kandidaturen", "csv"))}
    sheet, rows = xlsx_rows(download(manager_client, seeded.call, "kandidaturen", "xlsx"))
    phone_cells = [row[column] for row in sheet.iter_rows(min_row=2) if row[0].value == candidacy.reference]
    assert "'+32 89 56 12 34" in csv_phones
    assert [(cell.value, cell.data_type) for cell in phone_cells] == [("+32 89 56 12 34", "s")]


# The jury's calendar


def test_the_calendar_has_one_event_per_filled_slot_in_brussels_time(manager_client, seeded):
    response = manager_client.get(reverse("office:export_calendar", args=[seeded.call.pk]))
    calendar = Calendar.from_ical(response.content)
    events = sorted(calendar.walk("VEVENT"), key=lambda event: event.decoded("dtstart"))
    starts = [event.decoded("dtstart") for event in events]
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    assert response["Content-Disposition"] == 'attachment; filename="MAAS-pitchschema-2023-07-20.ics"'
    assert len(events) == 4
    assert [(start.hour, start.minute) for start in starts] == [(9, 0), (10, 0), (11, 0), (12, 0)]
    assert {str(start.tzinfo) for start in starts} == {"Europe/Brussels"}
    assert b"DTSTART;TZID=Europe/Brussels:20230619T090000" in response.content
    assert [component.name for component in calendar.subcomponents].count("VTIMEZONE") == 1


def test_a_free_slot_is_in_the_schedule_but_not_in_the_calendar(manager_client, seeded):
    from jury import scheduling

    starts_at = datetime.datetime(2023, 6, 21, 9, 0, tzinfo=BRUSSELS)
    scheduling.create_slot(
        seeded.call,
        starts_at=starts_at,
        ends_at=starts_at + datetime.timedelta(minutes=45),
        place="Raadzaal",
        by=seeded.manager,
        at=EXPORT_DAY,
    )
    schedule = csv_rows(download(manager_client, seeded.call, "pitchschema", "csv"))
    calendar = Calendar.from_ical(manager_client.get(reverse("office:export_calendar", args=[seeded.call.pk])).content)
    assert (len(schedule) - 1, len(calendar.walk("VEVENT"))) == (5, 4)


# File names, access and cost


@pytest.mark.parametrize(("what", "file_format"), [("scores", "csv"), ("ranking", "xlsx"), ("kandidaturen", "xlsx")])
def test_the_file_is_named_by_the_calls_prefix_what_and_the_day(manager_client, seeded, what, file_format):
    response = download(manager_client, seeded.call, what, file_format)
    assert response["Content-Disposition"] == f'attachment; filename="MAAS-{what}-2023-07-20.{file_format}"'


def test_a_call_without_reference_prefix_names_the_file_by_its_slug(manager_client, seeded):
    seeded.call.reference_prefix = ""
    seeded.call.save(update_fields=["reference_prefix"])
    response = download(manager_client, seeded.call, "pitchschema", "csv")
    assert response["Content-Disposition"] == 'attachment; filename="maasland-2023-pitchschema-2023-07-20.csv"'


def test_the_call_page_links_to_the_exports_page_which_links_every_export(manager_client, seeded):
    call_page = manager_client.get(reverse("admin:challenges_call_change", args=[seeded.call.pk]))
    page = manager_client.get(reverse("office:exports", args=[seeded.call.pk]))
    links = [url for row in page.context["rows"] for _format, url in row["links"]]
    assert reverse("office:exports", args=[seeded.call.pk]) in call_page.content.decode()
    assert len(links) == 8
    assert [manager_client.get(url).status_code for url in links] == [200] * 8


def test_an_unknown_export_or_format_is_404(manager_client, seeded):
    assert download(manager_client, seeded.call, "wachtwoorden", "csv").status_code == 404
    assert download(manager_client, seeded.call, "scores", "pdf").status_code == 404


def test_someone_not_staff_is_sent_to_the_admin_login(client, seeded):
    client.force_login(seeded.applicant_a)
    response = download(client, seeded.call, "scores", "csv")
    assert (response.status_code, response["Location"].split("?")[0]) == (302, reverse("admin:login"))


def test_staff_without_the_view_permission_gets_no_scores(client, seeded):
    staff = factories.user(is_staff=True)
    staff.user_permissions.add(Permission.objects.get(codename="view_pitchslot"))
    client.force_login(staff)
    page = client.get(reverse("office:exports", args=[seeded.call.pk]))
    assert download(client, seeded.call, "scores", "csv").status_code == 403
    assert download(client, seeded.call, "pitchschema", "csv").status_code == 200
    assert len(page.context["rows"]) == 1


def queries_of(client, url):
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured.captured_queries)


def test_each_export_costs_the_same_queries_with_more_rows(manager_client, seeded):
    from jury import scheduling
    from tests.jury.conftest import submitted_candidacy

    urls = [
        reverse("office:export_download", args=[seeded.call.pk, what, "csv"])
        for what in ("kandidaturen", "scores", "ranking", "pitchschema")
    ] + [reverse("office:export_calendar", args=[seeded.call.pk])]
    before = [queries_of(manager_client, url) for url in urls]
    for number in range(3):
        candidacy = submitted_candidacy(seeded.call, name=f"Extra {number}")
        services.declare_conflict(seeded.juror, candidacy, reason="Bestuurder.", by=seeded.manager, at=EXPORT_DAY)
        starts_at = datetime.datetime(2023, 6, 21, 9 + number, 0, tzinfo=BRUSSELS)
        slot = scheduling.create_slot(
            seeded.call,
            starts_at=starts_at,
            ends_at=starts_at + datetime.timedelta(minutes=45),
            place="Raadzaal",
            by=seeded.manager,
            at=EXPORT_DAY,
        )
        slot.candidacy = candidacy
        slot.save()
    assert [queries_of(manager_client, url) for url in urls] == before
