"""`make run` adds the jury to the demo: jurors and a chair, a conflict, scores, pitch slots and decisions."""

import csv
import datetime
import io

import pytest
import time_machine
from django.contrib.auth import get_user_model
from django.db.models import Count
from django.urls import reverse
from django.utils import timezone

from candidacies.models import Candidacy
from candidacies.organisations import correct_enterprise_number
from challenges.models import Call
from demo import services as demo
from jury import services as jury_services
from jury.models import Conflict, Criterion, Decision, JuryMember, PitchSlot, Round, RoundClosure, Score, ScoreSheet
from jury.ranking import criterion_averages, letter_place
from maasland.clock import BRUSSELS
from office.dashboard import call_dashboards
from tests import factories
from tests.seeded import built_once

TODAY = datetime.date(2026, 11, 26)
NOON = datetime.datetime(2026, 11, 26, 12, 0, tzinfo=BRUSSELS)
PAST_DEADLINE = ["maasland-2023", "maasland-demo-pitches", "maasland-demo-weerwoord"]
PITCHES_HELD = ["maasland-2023", "maasland-demo-weerwoord"]
JURY_MODELS = [JuryMember, Conflict, Criterion, ScoreSheet, Score, RoundClosure, PitchSlot, Decision]


def jury_counts():
    return {model.__name__: model.objects.count() for model in JURY_MODELS}


def load_the_demo_twice():
    """Loads the demo twice, on a Thursday of the demo's pitch week; returns the counts after the first time."""
    with time_machine.travel(NOON, tick=True):
        demo.seed(today=TODAY)
        counts = jury_counts()
        demo.seed(today=TODAY)
    return counts


@pytest.fixture(scope="module")
def demo_loaded_twice(django_db_setup, django_db_blocker, tmp_path_factory):
    """The demo loaded twice once for the module (tests/seeded.py, `built_once`)."""
    with built_once(django_db_blocker, tmp_path_factory.mktemp("media"), load_the_demo_twice) as counts:
        yield counts


@pytest.fixture
def first_run_counts(demo_loaded_twice, db):
    return dict(demo_loaded_twice)


def test_loading_the_demo_twice_adds_no_jury_rows_and_leaves_the_open_call_without_a_jury(first_run_counts):
    open_call = Call.objects.get(slug="maasland-demo-indiening")
    assert jury_counts() == first_run_counts
    assert (first_run_counts["JuryMember"], first_run_counts["Criterion"]) == (3 * 4, 4 * 12)
    assert open_call.jury_members.count() == 0
    assert sorted(set(open_call.criteria.values_list("round", flat=True))) == ["pitch", "written"]


def test_every_call_past_its_deadline_has_three_jurors_a_chair_one_conflict_and_their_written_sheets(
    first_run_counts,
):
    expected_roles = [
        ("jurylid1@demo.example", "member"),
        ("jurylid2@demo.example", "member"),
        ("jurylid3@demo.example", "member"),
        ("voorzitter@demo.example", "chair"),
    ]
    for slug in PAST_DEADLINE:
        call = Call.objects.get(slug=slug)
        conflict = Conflict.objects.get(jury_member__call=call)
        sheets = ScoreSheet.objects.filter(candidacy__call=call, round=Round.WRITTEN).annotate(
            score_count=Count("scores")
        )
        candidacies = call.candidacies.exclude(status__in=[Candidacy.Status.DRAFT, Candidacy.Status.WITHDRAWN])
        assert sorted(call.jury_members.values_list("user__email", "role")) == expected_roles
        assert (conflict.jury_member.user.email, conflict.source) == ("jurylid3@demo.example", "declared")
        assert sheets.count() == 4 * candidacies.count() - 1
        assert {(sheet.is_submitted, sheet.score_count) for sheet in sheets} == {(True, 6)}
        assert not sheets.filter(jury_member=conflict.jury_member, candidacy=conflict.candidacy).exists()


def test_where_the_pitches_were_held_they_were_scored_both_rounds_closed_and_every_decision_recorded(
    first_run_counts,
):
    for slug in PITCHES_HELD:
        call = Call.objects.get(slug=slug)
        closed = sorted(RoundClosure.objects.filter(call=call).values_list("round", "closed_by__email"))
        decisions = Decision.objects.filter(candidacy__call=call)
        placed = PitchSlot.objects.filter(call=call, candidacy__isnull=False)
        pitch_sheets = ScoreSheet.objects.filter(candidacy__call=call, round=Round.PITCH)
        assert closed == [("pitch", "voorzitter@demo.example"), ("written", "voorzitter@demo.example")]
        assert sorted(call.candidacies.values_list("status", flat=True)) == [
            "draft",
            "not_selected",
            "not_selected",
            "selected",
            "withdrawn",
        ]
        assert sorted(placed.values_list("candidacy__status", flat=True)) == ["not_selected", "selected"]
        assert {slot.starts_at.astimezone(BRUSSELS).date() for slot in call.pitch_slots.all()} == set(call.pitch_dates)
        conflicted = placed.filter(candidacy__conflicts__isnull=False).count()
        assert (pitch_sheets.count(), pitch_sheets.filter(submitted_at__isnull=False).count()) == (
            4 * 2 - conflicted,
            4 * 2 - conflicted,
        )
        assert sorted(decisions.values_list("outcome", flat=True)) == ["not_selected", "not_selected", "selected"]
        assert set(decisions.values_list("recorded_by__email", flat=True)) == {"voorzitter@demo.example"}
        assert decisions.get(outcome="selected").candidacy.status == Candidacy.Status.SELECTED


def test_the_pitch_week_call_has_its_shortlist_placed_this_week_and_the_pitch_round_open(first_run_counts):
    call = Call.objects.get(slug="maasland-demo-pitches")
    placed = PitchSlot.objects.filter(call=call, candidacy__isnull=False)
    assert list(RoundClosure.objects.filter(call=call).values_list("round", flat=True)) == ["written"]
    assert jury_services.round_is_open(call, Round.PITCH, NOON)
    assert sorted(placed.values_list("candidacy__status", flat=True)) == ["shortlisted", "shortlisted"]
    assert {slot.starts_at.astimezone(BRUSSELS).date() for slot in placed} <= set(call.pitch_dates)
    assert Decision.objects.filter(candidacy__call=call).count() == 0


# Frozen rounds: what the written round of the pitch-week call decided stays as the chair closed it


def ranking_csv_rows(client, call):
    response = client.get(reverse("jury:ranking_csv", args=[call.slug, Round.WRITTEN]))
    return {row[1]: row for row in csv.reader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";")}


def demo_member(call, email):
    return JuryMember.objects.select_related("user").get(call=call, user__email=email)


def test_a_conflict_declared_after_the_written_round_closed_changes_nothing_and_the_chair_sees_it_flagged(
    first_run_counts, client
):
    call = Call.objects.get(slug="maasland-demo-pitches")
    chair = demo_member(call, "voorzitter@demo.example")
    juror = demo_member(call, "jurylid2@demo.example")
    candidacy = Candidacy.objects.get(reference="DEMP-2026-003")
    client.force_login(chair.user)
    before = ranking_csv_rows(client, call)["DEMP-2026-003"]
    jury_services.declare_conflict(juror, candidacy, reason="Mijn zus werkt er.", by=juror.user, at=timezone.now())
    after = ranking_csv_rows(client, call)["DEMP-2026-003"]
    page = client.get(reverse("jury:ranking", args=[call.slug, Round.WRITTEN])).content.decode()
    assert (before[4], before[5], before[7]) == ("61,6", "4", "ja")
    assert after[:10] == before[:10]
    assert after[10] == "ja"
    assert ranking_csv_rows(client, call)["DEMP-2026-002"][10] == ""
    assert page.count("conflict gemeld na het afsluiten") == 1


def test_a_corrected_enterprise_number_changes_nothing_in_a_closed_round(first_run_counts, client):
    call = Call.objects.get(slug="maasland-demo-pitches")
    chair = demo_member(call, "voorzitter@demo.example")
    juror = demo_member(call, "jurylid3@demo.example")
    manager = get_user_model().objects.get(email="beheerder@demo.example")
    organisation = Candidacy.objects.get(reference="DEMP-2026-002").organisation
    new_number = factories.enterprise_number(987)
    juror.enterprise_numbers = new_number
    juror.save()
    client.force_login(chair.user)
    before = ranking_csv_rows(client, call)["DEMP-2026-002"]
    correct_enterprise_number(organisation, new_number, reason="Typfout bij de inschrijving.", by=manager)
    after = ranking_csv_rows(client, call)["DEMP-2026-002"]
    assert (before[4], before[5]) == ("37,0", "4")
    assert after[:10] == before[:10]
    assert after[10] == "ja"


def test_the_letters_tell_the_place_and_averages_of_the_closed_rounds_after_a_later_conflict(first_run_counts):
    call = Call.objects.get(slug="maasland-demo-weerwoord")
    decided = Candidacy.objects.filter(call=call, decision__isnull=False).order_by("reference")
    juror = demo_member(call, "jurylid1@demo.example")
    before = {candidacy.pk: (letter_place(candidacy), criterion_averages(candidacy)) for candidacy in decided}
    for candidacy in decided:
        jury_services.declare_conflict(juror, candidacy, reason="Later gemeld.", by=juror.user, at=timezone.now())
    after = {candidacy.pk: (letter_place(candidacy), criterion_averages(candidacy)) for candidacy in decided}
    assert after == before


def test_the_dashboard_counts_a_closed_rounds_sheets_as_they_were_closed(first_run_counts):
    call = Call.objects.get(slug="maasland-demo-pitches")
    juror = demo_member(call, "jurylid1@demo.example")

    def written_progress():
        (dashboard,) = call_dashboards(timezone.now(), Call.objects.filter(pk=call.pk))
        progress = next(item for item in dashboard.jurors if item.juror.pk == juror.pk)
        return [(item.submitted, item.assigned) for item in progress.rounds if item.round == Round.WRITTEN]

    before = written_progress()
    candidacy = Candidacy.objects.get(reference="DEMP-2026-003")
    jury_services.declare_conflict(juror, candidacy, reason="Later gemeld.", by=juror.user, at=timezone.now())
    assert written_progress() == before
