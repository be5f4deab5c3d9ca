"""The call manager's dashboard on the admin index: each figure of the seeded call exact, each figure's link listing
exactly the rows counted, and the same number of queries for 5 and 50 candidacies."""

import datetime
import itertools

import pytest
from django.urls import reverse

from candidacies.models import Candidacy
from challenges.services import copy_call_shifted
from jury import queries
from jury.models import Conflict, Decision, PitchSlot, Round, ScoreSheet
from maasland.clock import BRUSSELS
from office import dashboard
from tests import factories

INDEX = reverse("admin:index")
AFTER_THE_WEERWOORD = datetime.datetime(2023, 7, 13, 10, 0, tzinfo=BRUSSELS)
# The calls with their counts per status and of decisions, their pitch days, the jurors, the jurors' counts, the
# slots per day.
DASHBOARD_QUERIES = 5
# Session, user, permissions (two), the admin log; the decision dashboard's calls in their communication period, its
# decisions not sent, candidacies without decision, weerwoorden to assess and closing windows; and the five above.
INDEX_QUERIES = 15
REFERENCES = itertools.count(1)


def brussels(*args):
    return datetime.datetime(*args, tzinfo=BRUSSELS)


@pytest.fixture
def seeded(seeded_call_shared, time_machine):
    time_machine.move_to(AFTER_THE_WEERWOORD, tick=False)
    return seeded_call_shared


@pytest.fixture
def board(seeded):
    (board,) = dashboard.call_dashboards(AFTER_THE_WEERWOORD)
    return board


@pytest.fixture
def manager_client(client, seeded):
    client.force_login(seeded.manager)
    return client


def listed(client, url):
    """The primary keys the admin list at `url` shows, and the count it prints."""
    response = client.get(url)
    assert response.status_code == 200
    changelist = response.context["cl"]
    return sorted(row.pk for row in changelist.result_list), changelist.result_count


# The figures of the seeded call


def test_every_status_counts_the_one_candidacy_the_seeded_call_has_in_it(board):
    assert {figure.key: figure.count for figure in board.statuses} == dict.fromkeys(Candidacy.Status.values, 1)


def test_each_status_link_lists_exactly_the_candidacy_counted(board, seeded, manager_client):
    shown = {figure.key: listed(manager_client, figure.url) for figure in board.statuses}
    assert shown == {status: ([candidacy.pk], 1) for status, candidacy in seeded.candidacies.items()}


def test_scoring_progress_counts_submitted_sheets_of_the_assigned_candidacies_per_juror_and_round(board, seeded):
    progress = {
        row.juror.user.full_name: [(item.round, item.submitted, item.assigned) for item in row.rounds]
        for row in board.jurors
    }
    # Written: five candidacies went through the round; the conflicted juror is not assigned organisation A's.
    # Pitches: four are shortlisted or further, three were scored after pitching; again one fewer with the conflict.
    assert progress == {
        "Vera Voorzitter": [("written", 5, 5), ("pitch", 3, 4)],
        "Carla Conflict": [("written", 4, 4), ("pitch", 2, 3)],
        "Jan Jurylid": [("written", 5, 5), ("pitch", 3, 4)],
    }


def test_scoring_progress_agrees_with_the_jurors_own_assigned_lists(board):
    for row in board.jurors:
        for item in row.rounds:
            assigned = queries.assigned_candidacies(row.juror, item.round)
            submitted = assigned.filter(
                sheets__jury_member=row.juror, sheets__round=item.round, sheets__submitted_at__isnull=False
            )
            assert (item.assigned, item.submitted) == (assigned.count(), submitted.count())


def test_each_scoring_link_lists_exactly_the_sheets_counted(board, manager_client):
    for row in board.jurors:
        for item in row.rounds:
            expected = sorted(
                ScoreSheet.objects.filter(
                    jury_member=row.juror, round=item.round, submitted_at__isnull=False
                ).values_list("pk", flat=True)
            )
            assert listed(manager_client, item.url) == (expected, item.submitted)


def test_the_slots_are_counted_per_pitch_day_in_brussels(board):
    assert [(day.day, day.filled, day.total) for day in board.slot_days] == [
        (datetime.date(2023, 6, 19), 4, 4),
        (datetime.date(2023, 6, 21), 0, 0),
        (datetime.date(2023, 6, 23), 0, 0),
    ]


def test_each_slot_link_lists_exactly_the_slots_counted(board, seeded, manager_client):
    slots = sorted(PitchSlot.objects.filter(call=seeded.call).values_list("pk", flat=True))
    shown = [(listed(manager_client, day.filled_url), listed(manager_client, day.total_url)) for day in board.slot_days]
    assert shown == [((slots, 4), (slots, 4)), (([], 0), ([], 0)), (([], 0), ([], 0))]


def test_a_free_slot_counts_for_the_day_but_not_as_filled(seeded, manager_client):
    free = PitchSlot.objects.create(
        call=seeded.call, starts_at=brussels(2023, 6, 21, 23, 30), ends_at=brussels(2023, 6, 22, 0, 15), place="Zaal"
    )
    (board,) = dashboard.call_dashboards(AFTER_THE_WEERWOORD)
    day = board.slot_days[1]
    assert (day.day, day.filled, day.total) == (datetime.date(2023, 6, 21), 0, 1)
    assert (listed(manager_client, day.filled_url), listed(manager_client, day.total_url)) == (([], 0), ([free.pk], 1))


def test_decisions_recorded_and_communicated_and_weerwoorden_to_assess(board):
    assert [(figure.key, figure.count) for figure in board.decisions] == [
        ("recorded", 2),
        ("communicated", 2),
        ("weerwoorden_to_assess", 1),
    ]


def test_each_decision_link_lists_exactly_the_rows_counted(board, seeded, manager_client):
    decisions = sorted(Decision.objects.filter(candidacy__call=seeded.call).values_list("pk", flat=True))
    shown = [listed(manager_client, figure.url) for figure in board.decisions]
    assert shown == [(decisions, 2), (decisions, 2), ([seeded.weerwoord_a.pk], 1)]


def test_a_decision_not_sent_yet_counts_as_recorded_only(seeded, manager_client):
    decision = Decision.objects.create(
        candidacy=seeded.candidacies["pitched"],
        outcome="selected",
        motivation="Beraadslaagd.",
        recorded_by=seeded.chair.user,
        recorded_at=AFTER_THE_WEERWOORD,
    )
    (board,) = dashboard.call_dashboards(AFTER_THE_WEERWOORD)
    assert [figure.count for figure in board.decisions] == [3, 2, 1]
    recorded, _count = listed(manager_client, board.decisions[0].url)
    assert decision.pk in recorded


# Conflicts: the three kinds of queries.conflict_filter


def test_scoring_progress_leaves_out_each_kind_of_conflict(candidacies, jurors, manager):
    declared, member, by_number = jurors
    Conflict.objects.create(
        jury_member=declared, candidacy=candidacies[0], source=Conflict.Source.DECLARED, created_by=declared.user
    )
    candidacies[1].organisation.members.add(member.user)
    by_number.enterprise_numbers = candidacies[2].organisation.enterprise_number_display
    by_number.save()
    (board,) = dashboard.call_dashboards(brussels(2023, 6, 7, 10, 0))
    assigned = {row.juror.pk: row.rounds[0].assigned for row in board.jurors}
    expected = {juror.pk: queries.assigned_candidacies(juror, Round.WRITTEN).count() for juror in jurors}
    assert (assigned, expected) == ({juror.pk: 2 for juror in jurors}, {juror.pk: 2 for juror in jurors})


# The clock: phase and next step


@pytest.mark.parametrize(
    ("at", "phase", "step", "days_left", "is_current"),
    [
        (brussels(2023, 4, 20, 12, 0), "announced", "Lancering addendum", 1, False),
        (brussels(2023, 5, 31, 12, 0), "intake", "Deadline kandidaturen", 1, True),
        (brussels(2023, 6, 1, 23, 59, 59), "intake", "Deadline kandidaturen", 0, True),
        (brussels(2023, 6, 2, 0, 0), "assessment", "Beoordeling van de schriftelijke projectvoorstellen", 14, True),
        (brussels(2023, 6, 17, 10, 0), "assessment", "Pitches en jury", 6, False),
        (brussels(2023, 6, 19, 10, 0), "pitches", "Pitches en jury", 4, True),
        (brussels(2023, 7, 13, 10, 0), "decision", "Communicatie over de beslissing", 2, True),
    ],
)
def test_the_phase_and_the_next_step_with_whole_days_left_in_brussels(
    maasland_call, at, phase, step, days_left, is_current
):
    (board,) = dashboard.call_dashboards(at)
    step_found = board.next_step
    assert (board.phase, str(step_found.label), step_found.days_left, step_found.is_current) == (
        phase,
        step,
        days_left,
        is_current,
    )


def test_after_the_weerwoord_window_the_call_is_closed_and_has_no_next_step(maasland_call):
    (board,) = dashboard.call_dashboards(brussels(2023, 8, 1, 0, 0))
    assert (board.phase, board.next_step, board.is_closed) == ("closed", None, True)


def test_running_calls_come_first_by_deadline_and_closed_ones_after_the_latest_first(maasland_call):
    today = datetime.date(2024, 4, 1)
    at = datetime.datetime.combine(today, datetime.time(12), tzinfo=BRUSSELS)
    for slug, days in [("later", 400), ("sooner", 380), ("closed-2022", -365)]:
        copy_call_shifted(maasland_call, slug=slug, subtitle=slug, reference_prefix=slug[:4].upper(), days=days)
    assert [board.call.slug for board in dashboard.call_dashboards(at)] == [
        "sooner",
        "later",
        "maasland-2023",
        "closed-2022",
    ]


# The page


def test_the_admin_index_shows_the_dashboard_with_every_figure_linked(seeded, manager_client):
    response = manager_client.get(INDEX)
    page = response.content.decode()
    (board,) = response.context["dashboards"]
    links = [figure.url for figure in [*board.statuses, *board.decisions]]
    links += [item.url for row in board.jurors for item in row.rounds]
    links += [url for day in board.slot_days for url in (day.filled_url, day.total_url)]
    assert [url.replace("&", "&amp;") in page for url in links] == [True] * 23
    assert "Communicatie over de beslissing" in page
    assert "nog 2 dagen" in page
    assert reverse("office:coverage", args=[seeded.call.pk]) in page


def test_staff_without_the_call_managers_rights_see_no_dashboard(seeded, client):
    client.force_login(factories.user("stagiair@example.org", is_staff=True))
    response = client.get(INDEX)
    assert (response.status_code, response.context["dashboards"]) == (200, [])


# Queries


def many_candidacies(call, chair, jurors, count):
    """`count` candidacies spread over the statuses, with a sheet by each juror, a slot and a decision for some; the
    rows are written directly, only the counting is under test."""
    statuses = itertools.cycle(Candidacy.Status.values)
    owner = factories.user()
    for index in range(count):
        number = next(REFERENCES)
        status = next(statuses)
        candidacy = factories.candidacy(
            call, factories.organisation(owner), status=status, reference=f"DASH-{number:03d}", title=f"P{number}"
        )
        for juror in [chair, *jurors]:
            ScoreSheet.objects.create(
                jury_member=juror, candidacy=candidacy, round=Round.WRITTEN, submitted_at=brussels(2023, 6, 7, 10)
            )
        start = brussels(2023, 6, 19 + 2 * (index % 3), 9, 0) + datetime.timedelta(minutes=50 * index)
        PitchSlot.objects.create(
            call=call,
            starts_at=start,
            ends_at=start + datetime.timedelta(minutes=45),
            place=f"Zaal {index}",
            candidacy=candidacy if index % 2 else None,
        )
        if status in ("selected", "not_selected"):
            Decision.objects.create(
                candidacy=candidacy,
                outcome=status,
                motivation="Beraadslaagd.",
                recorded_by=chair.user,
                recorded_at=brussels(2023, 6, 26, 10),
                communicated_at=brussels(2023, 7, 10, 10),
            )


@pytest.mark.parametrize("rows", [5, 50])
def test_the_dashboard_costs_the_same_queries_for_5_and_50_candidacies(
    maasland_call, chair, jurors, rows, django_assert_num_queries
):
    many_candidacies(maasland_call, chair, jurors, rows)
    with django_assert_num_queries(DASHBOARD_QUERIES):
        (board,) = dashboard.call_dashboards(brussels(2023, 6, 20, 10, 0))
        counted = sum(figure.count for figure in board.statuses)
        slots = sum(day.total for day in board.slot_days)
    assert (counted, slots, len(board.jurors)) == (rows, rows, 4)


@pytest.mark.parametrize("rows", [5, 50])
def test_the_admin_index_costs_the_same_queries_for_5_and_50_candidacies(
    maasland_call, chair, jurors, manager, client, rows, time_machine, django_assert_num_queries
):
    many_candidacies(maasland_call, chair, jurors, rows)
    time_machine.move_to(brussels(2023, 6, 20, 10, 0), tick=False)
    client.force_login(manager)
    with django_assert_num_queries(INDEX_QUERIES):
        response = client.get(INDEX)
    assert sum(figure.count for figure in response.context["dashboards"][0].statuses) == rows


def test_the_jurors_counts_are_skipped_when_no_call_has_a_jury(maasland_call, django_assert_num_queries):
    with django_assert_num_queries(DASHBOARD_QUERIES - 1):
        (board,) = dashboard.call_dashboards(brussels(2023, 6, 20, 10, 0))
    assert board.jurors == []


def test_without_calls_the_dashboard_asks_one_query(db, django_assert_num_queries):
    with django_assert_num_queries(1):
        assert dashboard.call_dashboards(brussels(2023, 6, 20, 10, 0)) == []


def test_each_calls_section_starts_with_its_exports_rankings_coverage_log_and_report(manager_client, seeded):
    call = seeded.call
    page = manager_client.get(INDEX).content.decode()
    section = page[page.index(f'id="call-dashboard-{call.pk}"') :]
    links = section[: section.index("</ul>")]
    expected = [
        reverse("office:exports", args=[call.pk]),
        reverse("jury:ranking", args=[call.slug, "written"]),
        reverse("jury:ranking", args=[call.slug, "pitch"]),
        reverse("office:coverage", args=[call.pk]),
        reverse("office:logbook", args=[call.pk]),
        reverse("jury:decision_report", args=[call.slug]),
    ]
    assert [href for href in expected if f'href="{href}"' in links] == expected
    assert section.index("call-dashboard-links") < section.index("call-timeline")
