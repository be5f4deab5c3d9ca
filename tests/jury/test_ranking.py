"""The ranking of a round: weighted totals, means, ties, conflicts, z-scores, its page, its charts and its CSV."""

import csv
import io

import pytest
import time_machine
from django.urls import reverse

from candidacies.enterprise_number import format_enterprise_number
from candidacies.models import Candidacy, Membership, Organisation
from jury import ranking, scoring, services
from jury.models import Conflict, Criterion, Round, RoundClosure, Score, ScoreSheet
from tests import factories

from .conftest import WRITTEN_ROUND

RANKING_DATE = "2023-06-07"
QUERIES = 14
"""Session, user, call, the chair's seat and the candidacies hidden from her (jury/roles.py), the ranking's five (is a
result stored, then the four of the live one), whether she chairs the call (the link to the decision report,
jury/views/report.py), and the base template's three (intake banner, municipalities, the jury link in the menu)."""


def own_criteria(call, *criteria, round=Round.WRITTEN):
    """Replaces the fixture's criteria of the round by `criteria`, given as (weight, lowest, highest)."""
    Criterion.objects.filter(call=call, round=round).delete()
    return [
        Criterion.objects.create(
            call=call,
            round=round,
            position=position,
            name=f"Criterium {position}",
            weight=weight,
            scale_min=low,
            scale_max=high,
        )
        for position, (weight, low, high) in enumerate(criteria, start=1)
    ]


def one_criterion_from_0_to_100(call, round=Round.WRITTEN):
    """One criterion on a scale of 0–100: a juror's total is then their score."""
    return own_criteria(call, (1, 0, 100), round=round)


def score(juror, candidacy, criteria, values, *, submitted=True, round=Round.WRITTEN):
    sheet = ScoreSheet.objects.create(
        jury_member=juror, candidacy=candidacy, round=round, submitted_at=WRITTEN_ROUND if submitted else None
    )
    Score.objects.bulk_create(
        [
            Score(sheet=sheet, criterion=criterion, value=value)
            for criterion, value in zip(criteria, values, strict=True)
        ]
    )
    scoring.store_totals([sheet])
    return sheet


def figure(value):
    """A computed figure without floating-point noise, to compare with a hand-computed one."""
    return None if value is None else round(value, 6)


def rows_by_candidacy(result):
    return {row.candidacy: row for row in result.rows}


def test_a_hand_worked_example_gives_the_means_and_ranks_computed_by_hand(maasland_call, candidacies, jurors):
    # Criterion A: weight 2, scale 0–10; criterion B: weight 1, scale 1–5. Σ weight = 3, so a juror's total is
    #   (2 × a/10 + 1 × (b − 1)/4) / 3 × 100 = (20a + 25(b − 1)) / 3.
    #             juror 1            juror 2            juror 3            mean             spread
    # Buddywerk   a10 b5 → 100       a7 b4 → 71.667     a4 b1 → 26.667     595/9 = 66.111   73.333 (flagged)
    # Taalhuis    a8 b3 → 70         a8 b3 → 70         a5 b5 → 66.667     620/9 = 68.889    3.333
    # De Sleutel  a6 b2 → 48.333     a5 b3 → 50         a7 b1 → 46.667     435/9 = 48.333    3.333
    # Ranks: Taalhuis 1, Buddywerk 2, De Sleutel 3.
    # Juror 3's totals 26.667, 66.667, 46.667 have mean 46.667 and sample deviation 20: z-scores −1, +1, 0.
    criteria = own_criteria(maasland_call, (2, 0, 10), (1, 1, 5))
    buddywerk, taalhuis, sleutel = candidacies
    first, second, third = jurors
    for juror, scores in (
        (first, {buddywerk: (10, 5), taalhuis: (8, 3), sleutel: (6, 2)}),
        (second, {buddywerk: (7, 4), taalhuis: (8, 3), sleutel: (5, 3)}),
        (third, {buddywerk: (4, 1), taalhuis: (5, 5), sleutel: (7, 1)}),
    ):
        for candidacy, values in scores.items():
            score(juror, candidacy, criteria, values)

    result = ranking.rank(maasland_call, Round.WRITTEN)

    assert [row.candidacy for row in result.rows] == [taalhuis, buddywerk, sleutel]
    assert [row.rank for row in result.rows] == [1, 2, 3]
    assert [round(row.mean, 3) for row in result.rows] == [68.889, 66.111, 48.333]
    assert [row.jurors_counted for row in result.rows] == [3, 3, 3]
    assert [round(row.spread, 3) for row in result.rows] == [3.333, 73.333, 3.333]
    assert [row.disagreement for row in result.rows] == [False, True, False]
    third_totals = {row.candidacy: next(total for total in row.totals if total.juror == third) for row in result.rows}
    assert [row.z_rank for row in result.rows] == [1, 2, 3]
    assert [round(third_totals[candidacy].z_score, 6) for candidacy in (buddywerk, taalhuis, sleutel)] == [
        -1.0,
        1.0,
        0.0,
    ]


def test_equal_means_share_a_rank_and_the_next_rank_is_skipped(maasland_call, candidacies, jurors):
    criteria = one_criterion_from_0_to_100(maasland_call)
    buddywerk, taalhuis, sleutel = candidacies
    for candidacy, values in ((buddywerk, (80, 60)), (taalhuis, (60, 80)), (sleutel, (50, 50))):
        score(jurors[0], candidacy, criteria, values[:1])
        score(jurors[1], candidacy, criteria, values[1:])

    rows = rows_by_candidacy(ranking.rank(maasland_call, Round.WRITTEN))

    assert (rows[buddywerk].rank, rows[buddywerk].rank_shared) == (1, True)
    assert (rows[taalhuis].rank, rows[taalhuis].rank_shared) == (1, True)
    assert (rows[sleutel].rank, rows[sleutel].rank_shared) == (3, False)


def _conflict_by_declaration(juror, candidacy):
    Conflict.objects.create(
        jury_member=juror, candidacy=candidacy, source=Conflict.Source.DECLARED, created_by=juror.user
    )


def _conflict_by_membership(juror, candidacy):
    Membership.objects.create(organisation=candidacy.organisation, user=juror.user)


def _conflict_by_enterprise_number(juror, candidacy):
    """The juror's profile names another organisation and, written with dots, the applying one."""
    juror.enterprise_numbers = "\n".join(
        [factories.enterprise_number(9999), format_enterprise_number(candidacy.organisation.enterprise_number)]
    )
    juror.save()


@pytest.mark.parametrize(
    "make_conflict", [_conflict_by_declaration, _conflict_by_membership, _conflict_by_enterprise_number]
)
def test_a_conflicted_jurors_sheet_is_not_counted(maasland_call, candidacies, jurors, make_conflict):
    criteria = one_criterion_from_0_to_100(maasland_call)
    buddywerk, taalhuis, _sleutel = candidacies
    score(jurors[0], buddywerk, criteria, [90])
    score(jurors[1], buddywerk, criteria, [10])
    score(jurors[1], taalhuis, criteria, [40])
    make_conflict(jurors[1], buddywerk)

    rows = rows_by_candidacy(ranking.rank(maasland_call, Round.WRITTEN))

    assert (figure(rows[buddywerk].mean), rows[buddywerk].jurors_counted) == (90.0, 1)
    assert [total.juror for total in rows[buddywerk].totals] == [jurors[0]]
    assert (figure(rows[taalhuis].mean), rows[taalhuis].jurors_counted) == (40.0, 1)


def test_draft_sheets_are_not_counted(maasland_call, candidacies, jurors):
    criteria = one_criterion_from_0_to_100(maasland_call)
    buddywerk = candidacies[0]
    score(jurors[0], buddywerk, criteria, [70])
    score(jurors[1], buddywerk, criteria, [10], submitted=False)

    rows = rows_by_candidacy(ranking.rank(maasland_call, Round.WRITTEN))

    assert (figure(rows[buddywerk].mean), rows[buddywerk].jurors_counted) == (70.0, 1)


def test_a_candidacy_without_counted_sheets_is_listed_last_without_a_rank(maasland_call, candidacies, jurors):
    criteria = one_criterion_from_0_to_100(maasland_call)
    buddywerk, taalhuis, sleutel = candidacies
    score(jurors[0], buddywerk, criteria, [20])
    score(jurors[0], sleutel, criteria, [30])

    result = ranking.rank(maasland_call, Round.WRITTEN)

    assert [(row.candidacy, row.rank, figure(row.mean)) for row in result.rows] == [
        (sleutel, 1, 30.0),
        (buddywerk, 2, 20.0),
        (taalhuis, None, None),
    ]


def test_a_withdrawn_candidacy_is_not_ranked_and_its_sheets_do_not_count(maasland_call, candidacies, jurors):
    criteria = one_criterion_from_0_to_100(maasland_call)
    buddywerk, taalhuis, sleutel = candidacies
    for candidacy, value in ((buddywerk, 80), (taalhuis, 20), (sleutel, 60)):
        score(jurors[0], candidacy, criteria, [value])
    Candidacy.objects.filter(pk=taalhuis.pk).update(status=Candidacy.Status.WITHDRAWN)

    result = ranking.rank(maasland_call, Round.WRITTEN)

    assert [(row.candidacy, row.rank) for row in result.rows] == [(buddywerk, 1), (sleutel, 2)]
    # The juror's mean and deviation are over 80 and 60 only: z-scores +0.707 and −0.707.
    assert [figure(row.z_mean) for row in result.rows] == [0.707107, -0.707107]


def test_the_pitch_ranking_counts_only_pitch_sheets_of_shortlisted_candidacies(maasland_call, candidacies, jurors):
    written = one_criterion_from_0_to_100(maasland_call)
    pitch = own_criteria(maasland_call, (1, 0, 10), round=Round.PITCH)
    buddywerk, taalhuis, _sleutel = candidacies
    Candidacy.objects.filter(pk=buddywerk.pk).update(status=Candidacy.Status.SHORTLISTED)
    score(jurors[0], buddywerk, written, [10])
    score(jurors[0], buddywerk, pitch, [9], round=Round.PITCH)
    score(jurors[0], taalhuis, pitch, [3], round=Round.PITCH)

    result = ranking.rank(maasland_call, Round.PITCH)

    assert [(row.candidacy, row.rank, figure(row.mean)) for row in result.rows] == [(buddywerk, 1, 90.0)]


def test_a_spread_above_the_threshold_flags_disagreement_and_one_below_does_not(maasland_call, candidacies, jurors):
    assert ranking.DISAGREEMENT_THRESHOLD == 25
    criteria = one_criterion_from_0_to_100(maasland_call)
    buddywerk, taalhuis, sleutel = candidacies
    for candidacy, values in ((buddywerk, (50, 76)), (taalhuis, (50, 75)), (sleutel, (60, 40))):
        score(jurors[0], candidacy, criteria, values[:1])
        score(jurors[1], candidacy, criteria, values[1:])

    rows = rows_by_candidacy(ranking.rank(maasland_call, Round.WRITTEN))

    assert (figure(rows[buddywerk].spread), rows[buddywerk].disagreement) == (26.0, True)
    assert (figure(rows[taalhuis].spread), rows[taalhuis].disagreement) == (25.0, False)
    assert (figure(rows[sleutel].spread), rows[sleutel].disagreement) == (20.0, False)


def test_z_scores_make_a_strict_and_a_lenient_juror_weigh_the_same(maasland_call, candidacies, jurors):
    # The strict juror prefers Buddywerk (30 against 10 and 20); the lenient juror prefers Taalhuis just as much in
    # their own terms, but spreads twice as wide (60, 100, 80). Raw means follow the lenient juror: Taalhuis 55,
    # De Sleutel 50, Buddywerk 45. In z-scores each juror gives +1, −1 and 0, so the two opinions cancel: every
    # candidacy has mean z-score 0 and they share the first place.
    criteria = one_criterion_from_0_to_100(maasland_call)
    buddywerk, taalhuis, sleutel = candidacies
    strict, lenient, _third = jurors
    for candidacy, strict_score, lenient_score in ((buddywerk, 30, 60), (taalhuis, 10, 100), (sleutel, 20, 80)):
        score(strict, candidacy, criteria, [strict_score])
        score(lenient, candidacy, criteria, [lenient_score])

    result = ranking.rank(maasland_call, Round.WRITTEN)

    assert [(row.candidacy, row.rank, figure(row.mean)) for row in result.rows] == [
        (taalhuis, 1, 55.0),
        (sleutel, 2, 50.0),
        (buddywerk, 3, 45.0),
    ]
    assert [round(row.z_mean, 9) for row in result.rows] == [0.0, 0.0, 0.0]
    assert [(row.z_rank, row.z_rank_shared) for row in result.rows] == [(1, True), (1, True), (1, True)]
    buddywerk_row = rows_by_candidacy(result)[buddywerk]
    assert {total.juror: round(total.z_score, 9) for total in buddywerk_row.totals} == {strict: 1.0, lenient: -1.0}


@pytest.fixture
def ranked_call(maasland_call, candidacies, jurors, chair):
    criteria = one_criterion_from_0_to_100(maasland_call)
    buddywerk, taalhuis, sleutel = candidacies
    for juror, values in ((jurors[0], (90, 60, 60)), (jurors[1], (50, 70, 70)), (chair, (70, 80, 80))):
        for candidacy, value in zip(candidacies, values, strict=True):
            score(juror, candidacy, criteria, [value])
    return maasland_call


def ranking_url(call, round=Round.WRITTEN):
    return reverse("jury:ranking", kwargs={"call_slug": call.slug, "round": round})


def csv_url(call, round=Round.WRITTEN):
    return reverse("jury:ranking_csv", kwargs={"call_slug": call.slug, "round": round})


def test_the_chair_sees_the_ranking_with_shared_ranks_the_flag_and_a_chart_per_candidacy(client, ranked_call, chair):
    client.force_login(chair.user)
    response = client.get(ranking_url(ranked_call))
    page = response.content.decode()

    assert response.status_code == 200
    assert "1 (gedeeld)" in page
    assert "jury sterk verdeeld" in page
    assert page.count('role="img"') == 3
    assert "<script" not in page.split("<main", 1)[1].split("</main>", 1)[0]
    assert " style=" not in page
    assert "Vera Voorzitter" in page


def test_the_call_manager_sees_the_ranking(client, ranked_call, manager):
    client.force_login(manager)
    assert client.get(ranking_url(ranked_call)).status_code == 200
    assert client.get(csv_url(ranked_call)).status_code == 200


@pytest.mark.parametrize("url", [ranking_url, csv_url])
def test_an_ordinary_juror_gets_a_404(client, ranked_call, jurors, url):
    client.force_login(jurors[0].user)
    assert client.get(url(ranked_call)).status_code == 404


@pytest.mark.parametrize("url", [ranking_url, csv_url])
def test_an_applicant_gets_a_404(client, ranked_call, candidacies, url):
    client.force_login(candidacies[0].organisation.members.get())
    assert client.get(url(ranked_call)).status_code == 404


def test_an_unknown_round_is_a_404_even_for_the_chair(client, ranked_call, chair):
    client.force_login(chair.user)
    assert client.get(ranking_url(ranked_call, round="final")).status_code == 404


def test_an_anonymous_visitor_is_sent_to_the_login_page(client, ranked_call):
    response = client.get(ranking_url(ranked_call))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))


@time_machine.travel(WRITTEN_ROUND, tick=False)
def test_the_csv_has_a_header_and_one_row_per_candidacy_with_the_ranking_figures(client, ranked_call, chair):
    # Buddywerk 90, 50, 70: mean 70, spread 40 (flagged); Taalhuis and De Sleutel 60, 70, 80: mean 70, spread 20.
    # All three share rank 1. Each juror's z-scores: juror 1 (90, 60, 60) → +1.155, −0.577, −0.577;
    # juror 2 (50, 70, 70) → −1.155, +0.577, +0.577; the chair (70, 80, 80) → −1.155, +0.577, +0.577.
    # Mean z: Buddywerk −0.385, the others +0.192.
    client.force_login(chair.user)
    response = client.get(csv_url(ranked_call))
    content = response.content.decode("utf-8")
    rows = list(csv.reader(io.StringIO(content.removeprefix("\ufeff")), delimiter=";"))

    assert content.startswith("\ufeff")
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == f'attachment; filename="ranking-maasland-2023-written-{RANKING_DATE}.csv"'
    assert rows[0] == [
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
    by_organisation = {row[2]: row for row in rows[1:]}
    assert len(rows) == 4
    buddywerk = by_organisation["Buddywerk"]
    assert buddywerk[4:] == ["70,0", "3", "40,0", "ja", "-0,38", "3", ""]
    assert by_organisation["Taalhuis"][4:] == ["70,0", "3", "20,0", "", "0,19", "1", ""]
    assert [row[0] for row in rows[1:]] == ["1", "1", "1"]


def many_scored_candidacies(call, jurors, count):
    """`count` submitted candidacies, each scored by every juror on the fixture's criteria, in a few bulk inserts."""
    organisations = Organisation.objects.bulk_create(
        [
            Organisation(
                name=f"Organisatie {number}",
                enterprise_number=factories.enterprise_number(5000 + number),
                street="Kerkstraat 1",
                postal_code="3630",
                city="Maasmechelen",
                contact_name="Contact",
                contact_email="contact@example.org",
            )
            for number in range(count)
        ]
    )
    creator = factories.user()
    candidacies = Candidacy.objects.bulk_create(
        [
            Candidacy(
                call=call,
                organisation=organisation,
                title=f"Project {number}",
                reference=f"MAAS-2023-{number:03d}",
                status=Candidacy.Status.SUBMITTED,
                created_by=creator,
            )
            for number, organisation in enumerate(organisations)
        ]
    )
    sheets = ScoreSheet.objects.bulk_create(
        [
            ScoreSheet(jury_member=juror, candidacy=candidacy, round=Round.WRITTEN, submitted_at=WRITTEN_ROUND)
            for candidacy in candidacies
            for juror in jurors
        ]
    )
    criteria = list(Criterion.objects.filter(call=call, round=Round.WRITTEN))
    Score.objects.bulk_create(
        [
            Score(sheet=sheet, criterion=criterion, value=(sheet.pk * 7 + criterion.pk * 3) % 11)
            for sheet in sheets
            for criterion in criteria
        ]
    )
    scoring.store_totals(sheets)


@pytest.mark.parametrize("count", [5, 50])
def test_the_ranking_page_takes_the_same_number_of_queries_for_5_and_for_50_candidacies(
    client, maasland_call, jurors, chair, count, django_assert_num_queries
):
    many_scored_candidacies(maasland_call, [*jurors, chair], count)
    client.force_login(chair.user)
    with django_assert_num_queries(QUERIES):
        response = client.get(ranking_url(maasland_call))
    assert response.content.decode().count('role="img"') == count


STORED_QUERIES = 13
"""As QUERIES, with the stored ranking's four (the result, its sheets, later conflicts, its rows)."""


@pytest.mark.parametrize("count", [5, 50])
def test_a_closed_rounds_page_shows_its_stored_ranking_in_the_same_number_of_queries_for_5_and_50_candidacies(
    client, maasland_call, jurors, chair, count, django_assert_num_queries
):
    many_scored_candidacies(maasland_call, [*jurors, chair], count)
    services.close_round(maasland_call, Round.WRITTEN, by=chair.user, at=WRITTEN_ROUND)
    client.force_login(chair.user)
    with django_assert_num_queries(STORED_QUERIES):
        response = client.get(ranking_url(maasland_call))
    page = response.content.decode()
    assert page.count('role="img"') == count
    assert "zoals ze toen werd vastgelegd" in page


def test_the_call_manager_shortlists_from_the_written_ranking(client, maasland_call, candidacies, manager, chair):
    first, second, third = candidacies
    RoundClosure.objects.create(call=maasland_call, round=Round.WRITTEN, closed_at=WRITTEN_ROUND, closed_by=chair.user)
    client.force_login(manager)
    url = reverse("jury:ranking_shortlist", args=[maasland_call.slug, "written"])
    page = client.get(reverse("jury:ranking", args=[maasland_call.slug, "written"])).content.decode()
    response = client.post(url, {"candidacy": [first.pk, third.pk]})
    statuses = list(Candidacy.objects.order_by("reference").values_list("status", flat=True))
    assert ('name="candidacy"' in page, response.status_code) == (True, 302)
    assert statuses == ["shortlisted", "submitted", "shortlisted"]


def test_the_chair_cannot_shortlist(client, maasland_call, candidacies, chair):
    client.force_login(chair.user)
    url = reverse("jury:ranking_shortlist", args=[maasland_call.slug, "written"])
    response = client.post(url, {"candidacy": [candidacies[0].pk]})
    candidacies[0].refresh_from_db()
    assert (response.status_code, candidacies[0].status) == (404, "submitted")
