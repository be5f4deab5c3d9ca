"""The coverage of the region's needs: a matrix worked out by hand, its CSV, the heat map with its text alternative,
who may see it, and its queries."""

import csv
import io
import re
from decimal import Decimal

import pytest
from django.urls import reverse

from office import coverage
from tests import factories

SERVICE_TYPES = [
    "Trajectbegeleiding op alle levensdomeinen",
    "Thematische expertise",
    "Netwerk uitbouwen",
    "Laagdrempelige psychische hulpverlening",
    "Kennis en vaardigheden vergroten",
]
# The challenges, personas, types of service and municipalities, each counted in one query.
COVERAGE_QUERIES = 4
# Session, user, the user's and the groups' permissions, the call, the matrix's four.
PAGE_QUERIES = 9


def hand_made(call, status, *, challenges=(), personas=(), service_types=(), municipalities=()):
    candidacy = factories.candidacy(call, factories.organisation(factories.user()), status=status)
    candidacy.skip_history_when_saving = True  # the lists without a history entry each, as the services write them
    candidacy.challenges.set(call.challenges.filter(number__in=challenges))
    candidacy.personas.set(call.personas.filter(name__in=personas))
    candidacy.service_types.set(call.service_types.filter(name__in=[SERVICE_TYPES[n - 1] for n in service_types]))
    candidacy.municipalities.set(call.municipalities.filter(name__in=municipalities))
    del candidacy.skip_history_when_saving
    return candidacy


@pytest.fixture
def worked_case(maasland_call):
    """Six candidacies; the draft and the withdrawn one answer nothing."""
    call = maasland_call
    hand_made(
        call,
        "submitted",
        challenges=[1, 2],
        personas=["Chadia", "Mo"],
        service_types=[1],
        municipalities=["Maasmechelen"],
    )
    hand_made(
        call,
        "pitched",
        challenges=[2],
        personas=["Mo"],
        service_types=[1, 3],
        municipalities=["Maasmechelen", "Kinrooi"],
    )
    hand_made(
        call, "selected", challenges=[3], personas=["Marcel", "Jordy"], service_types=[2], municipalities=["Maaseik"]
    )
    hand_made(call, "draft", challenges=[4], personas=["Roy"], service_types=[4], municipalities=["Dilsen-Stokkem"])
    hand_made(
        call, "withdrawn", challenges=[4], personas=["Nassim"], service_types=[4], municipalities=["Dilsen-Stokkem"]
    )
    hand_made(call, "not_selected", challenges=[1], personas=["Chadia"], service_types=[5], municipalities=["Lanaken"])
    return call


@pytest.fixture
def manager_client(client, manager):
    client.force_login(manager)
    return client


def D(text):
    return Decimal(text)


# The matrix


def test_the_challenge_weight_is_the_share_of_partners_who_recognised_it(maasland_call):
    weights = {challenge.number: coverage.challenge_weight(challenge) for challenge in maasland_call.challenges.all()}
    # 48 + 9 + 38, 50 + 10 + 40, 62 + 0 + 38 and 43 + 9 + 34 per cent (the addendum's enrichment session).
    assert weights == {1: D("0.95"), 2: D("1"), 3: D("1"), 4: D("0.86")}


def test_the_matrix_of_a_case_worked_out_by_hand(worked_case):
    matrix = coverage.coverage(worked_case)
    rows = [
        (row.group, row.label, row.weight, [cell.count for cell in row.cells], [cell.weighted for cell in row.cells])
        for row in matrix.rows
    ]
    assert rows == [
        ("challenges", "Regio-uitdaging 1: Chadia", D("0.95"), [2, 1, 0], [D("1.90"), D("0.95"), D("0.00")]),
        ("challenges", "Regio-uitdaging 2: Mo", D("1"), [2, 1, 0], [D("2.00"), D("1.00"), D("0.00")]),
        ("challenges", "Regio-uitdaging 3: Marcel, Jordy en Roy", D("1"), [1, 1, 1], [D("1.00"), D("1.00"), D("1.00")]),
        ("challenges", "Regio-uitdaging 4: Nassim en Rayan", D("0.86"), [0, 0, 0], [D("0.00"), D("0.00"), D("0.00")]),
        ("personas", "Chadia", None, [2, 1, 0], [None, None, None]),
        ("personas", "Mo", None, [2, 1, 0], [None, None, None]),
        ("personas", "Marcel", None, [1, 1, 1], [None, None, None]),
        ("personas", "Jordy", None, [1, 1, 1], [None, None, None]),
        ("personas", "Roy", None, [0, 0, 0], [None, None, None]),
        ("personas", "Nassim", None, [0, 0, 0], [None, None, None]),
        ("personas", "Rayan", None, [0, 0, 0], [None, None, None]),
        ("service_types", SERVICE_TYPES[0], None, [2, 1, 0], [None, None, None]),
        ("service_types", SERVICE_TYPES[1], None, [1, 1, 1], [None, None, None]),
        ("service_types", SERVICE_TYPES[2], None, [1, 1, 0], [None, None, None]),
        ("service_types", SERVICE_TYPES[3], None, [0, 0, 0], [None, None, None]),
        ("service_types", SERVICE_TYPES[4], None, [1, 1, 0], [None, None, None]),
        ("municipalities", "Maasmechelen", None, [2, 1, 0], [None, None, None]),
        ("municipalities", "Kinrooi", None, [1, 1, 0], [None, None, None]),
        ("municipalities", "Maaseik", None, [1, 1, 1], [None, None, None]),
        ("municipalities", "Dilsen-Stokkem", None, [0, 0, 0], [None, None, None]),
        ("municipalities", "Lanaken", None, [1, 1, 0], [None, None, None]),
    ]


def test_the_needs_no_selected_project_answers_are_the_open_ones(worked_case):
    open_needs = [row.label for row in coverage.coverage(worked_case).open_rows]
    assert open_needs == [
        "Regio-uitdaging 1: Chadia",
        "Regio-uitdaging 2: Mo",
        "Regio-uitdaging 4: Nassim en Rayan",
        "Chadia",
        "Mo",
        "Roy",
        "Nassim",
        "Rayan",
        SERVICE_TYPES[0],
        SERVICE_TYPES[2],
        SERVICE_TYPES[3],
        SERVICE_TYPES[4],
        "Maasmechelen",
        "Kinrooi",
        "Dilsen-Stokkem",
        "Lanaken",
    ]


def test_another_calls_candidacies_count_for_no_municipality_of_this_call(worked_case):
    from challenges.services import copy_call_shifted

    other = copy_call_shifted(worked_case, slug="andere", subtitle="Andere", reference_prefix="AND", days=365)
    hand_made(other, "selected", municipalities=["Lanaken"])
    lanaken = [row for row in coverage.coverage(worked_case).rows if row.label == "Lanaken"]
    assert [cell.count for cell in lanaken[0].cells] == [1, 1, 0]


def test_each_cell_links_to_the_candidacies_it_counts(worked_case, manager_client):
    matrix = coverage.coverage(worked_case)
    for row in matrix.rows:
        for cell in row.cells:
            changelist = manager_client.get(cell.url).context["cl"]
            assert (row.label, changelist.result_count) == (row.label, cell.count)


# The CSV


def test_the_csv_has_a_row_per_need_with_counts_weighted_scores_and_whether_it_is_open(worked_case, manager_client):
    response = manager_client.get(reverse("office:coverage_csv", args=[worked_case.pk]))
    assert response["Content-Disposition"].startswith('attachment; filename="dekking-maasland-2023-')
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";"))
    assert rows[0] == [
        "Groep",
        "Nood",
        "Gewicht",
        "Ingediend",
        "Op de shortlist",
        "Geselecteerd",
        "Gewogen: Ingediend",
        "Gewogen: Op de shortlist",
        "Gewogen: Geselecteerd",
        "Nog geen geselecteerd project",
    ]
    assert rows[1:5] == [
        ["Regio-uitdagingen", "Regio-uitdaging 1: Chadia", "0,95", "2", "1", "0", "1,90", "0,95", "0,00", "ja"],
        ["Regio-uitdagingen", "Regio-uitdaging 2: Mo", "1,00", "2", "1", "0", "2,00", "1,00", "0,00", "ja"],
        [
            "Regio-uitdagingen",
            "Regio-uitdaging 3: Marcel, Jordy en Roy",
            "1,00",
            "1",
            "1",
            "1",
            "1,00",
            "1,00",
            "1,00",
            "nee",
        ],
        [
            "Regio-uitdagingen",
            "Regio-uitdaging 4: Nassim en Rayan",
            "0,86",
            "0",
            "0",
            "0",
            "0,00",
            "0,00",
            "0,00",
            "ja",
        ],
    ]
    assert rows[5] == ["Persona's", "Chadia", "", "2", "1", "0", "", "", "", "ja"]
    assert rows[-1] == ["Gemeenten", "Lanaken", "", "1", "1", "0", "", "", "", "ja"]
    assert len(rows) == 1 + 4 + 7 + 5 + 5


def test_the_csv_keeps_a_need_that_looks_like_a_formula_as_text(worked_case, manager_client):
    worked_case.personas.filter(name="Rayan").update(name="=HYPERLINK(1)")
    response = manager_client.get(reverse("office:coverage_csv", args=[worked_case.pk]))
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";"))
    assert [row[1] for row in rows if "HYPERLINK" in row[1]] == ["'=HYPERLINK(1)"]


# The page: heat map and table


def test_the_heat_map_has_a_title_and_a_description_and_the_table_beside_it(worked_case, manager_client):
    response = manager_client.get(reverse("office:coverage", args=[worked_case.pk]))
    page = response.content.decode()
    svg = re.search(r'<svg class="coverage-map[^"]*".*?</svg>', page, re.S).group(0)
    assert re.search(r'role="img" aria-labelledby="coverage-title coverage-desc"', svg) is not None
    assert re.findall(r'<(title|desc) id="(coverage-title|coverage-desc)">', svg) == [
        ("title", "coverage-title"),
        ("desc", "coverage-desc"),
    ]
    assert "16 noden hebben nog geen geselecteerd project" in svg
    table = re.search(r'<table id="coverage-table".*?</table>', page, re.S).group(0)
    assert len(re.findall(r'<th scope="row"', table)) == 21
    assert len(re.findall(r'<td class="open fw-bold">ja</td>', table)) == 16


def test_every_cell_of_the_heat_map_prints_its_number(worked_case, manager_client):
    response = manager_client.get(reverse("office:coverage", args=[worked_case.pk]))
    texts = re.findall(
        r'<text x="\d+" y="\d+" text-anchor="middle" fill="#[0-9a-f]{6}"[^>]*>([^<]*)</text>', response.content.decode()
    )
    # Three cells for each of the 21 needs.
    assert len(texts) == 21 * 3
    assert texts[0:3] == ["2 · 1,90", "1 · 0,95", "0 · 0,00 (open)"]
    assert texts[-3:] == ["1", "1", "0 (open)"]


def test_the_cell_texts_have_a_contrast_of_at_least_4_5_to_1_on_every_fill():
    def luminance(colour):
        channels = [int(colour[index : index + 2], 16) / 255 for index in (1, 3, 5)]
        linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
        return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]

    def contrast(first, second):
        lighter, darker = sorted([luminance(first), luminance(second)], reverse=True)
        return (lighter + 0.05) / (darker + 0.05)

    ratios = [contrast(fill, text) >= 4.5 for fill, text in zip(coverage.FILLS, coverage.TEXT_ON_FILL, strict=True)]
    assert ratios == [True] * len(coverage.FILLS)


@pytest.mark.parametrize(
    ("value", "highest", "level"), [(0, 5, 0), (1, 5, 1), (2, 5, 2), (3, 5, 3), (5, 5, 4), (0, 0, 0)]
)
def test_the_level_of_a_cell_follows_its_share_of_the_columns_highest(value, highest, level):
    assert coverage.level(value, highest) == level


# Who may see it


def test_staff_without_the_call_managers_rights_are_refused(worked_case, client):
    client.force_login(factories.user("stagiair@example.org", is_staff=True))
    responses = [
        client.get(reverse(name, args=[worked_case.pk])).status_code
        for name in ("office:coverage", "office:coverage_csv")
    ]
    assert responses == [403, 403]


def test_an_applicant_is_sent_to_the_admin_login(worked_case, client):
    client.force_login(factories.user("aanvrager@example.org"))
    response = client.get(reverse("office:coverage", args=[worked_case.pk]))
    assert (response.status_code, response["Location"].split("?")[0]) == (302, reverse("admin:login"))


def test_an_unknown_call_is_not_found(db, manager_client):
    assert manager_client.get(reverse("office:coverage", args=[999])).status_code == 404


# Queries


@pytest.mark.parametrize("rows", [5, 50])
def test_the_matrix_costs_the_same_queries_for_5_and_50_candidacies(maasland_call, rows, django_assert_num_queries):
    statuses = ["submitted", "shortlisted", "pitched", "selected", "not_selected"]
    for index in range(rows):
        hand_made(
            maasland_call,
            statuses[index % 5],
            challenges=[1 + index % 4],
            personas=["Chadia", "Mo"],
            service_types=[1 + index % 5],
            municipalities=["Lanaken"],
        )
    with django_assert_num_queries(COVERAGE_QUERIES):
        matrix = coverage.coverage(maasland_call)
    assert sum(row.cells[0].count for row in matrix.rows if row.group == "challenges") == rows


@pytest.mark.parametrize("rows", [5, 50])
def test_the_coverage_page_costs_the_same_queries_for_5_and_50_candidacies(
    maasland_call, manager_client, rows, django_assert_num_queries
):
    for index in range(rows):
        hand_made(maasland_call, "selected", challenges=[1 + index % 4], municipalities=["Kinrooi"])
    with django_assert_num_queries(PAGE_QUERIES):
        response = manager_client.get(reverse("office:coverage", args=[maasland_call.pk]))
    assert response.context["matrix"].rows[17].cells[2].count == rows


# The chair in the portal


def test_the_chair_sees_the_coverage_in_the_portal_without_links_into_admin(worked_case, chair, client):
    client.force_login(chair.user)
    response = client.get(reverse("office_portal:coverage", args=[worked_case.slug]))
    page = response.content.decode()
    table = re.search(r'<table id="coverage-table".*?</table>', page, re.S).group(0)
    assert (response.status_code, len(re.findall(r'<th scope="row"', table)), "/admin/" in table) == (200, 21, False)
    assert [cell.count for cell in response.context["matrix"].rows[0].cells] == [2, 1, 0]


def test_the_chair_downloads_the_same_csv(worked_case, chair, client):
    client.force_login(chair.user)
    response = client.get(reverse("office_portal:coverage_csv", args=[worked_case.slug]))
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";"))
    assert (response.status_code, len(rows), rows[1][:6]) == (
        200,
        22,
        ["Regio-uitdagingen", "Regio-uitdaging 1: Chadia", "0,95", "2", "1", "0"],
    )


def test_a_juror_who_is_not_the_chair_does_not_find_the_coverage(worked_case, jurors, client):
    client.force_login(jurors[0].user)
    responses = [
        client.get(reverse(name, args=[worked_case.slug])).status_code
        for name in ("office_portal:coverage", "office_portal:coverage_csv")
    ]
    assert responses == [404, 404]
