"""`make run` loads the real call, three demo calls in other phases and an account for every role, idempotently; the
jury, its scores, the pitch slots, the decisions and the weerwoorden come with it.

The demo is loaded once for the whole module, twice in a row as `make run` does on every start (the second time by
the command itself), on a Thursday of the demo's pitch week: one build serves every test."""

import csv
import datetime
import io
from base64 import b32decode

import pytest
import time_machine
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command
from django.db.models import Count
from django.urls import reverse
from django.utils import timezone
from django_otp.oath import hotp
from django_otp.plugins.otp_totp.models import TOTPDevice

from candidacies.models import Candidacy
from candidacies.organisations import correct_enterprise_number
from challenges.models import Call, Challenge, Persona, ServiceTypePoint
from demo import services as demo
from jury import services as jury_services
from jury.models import (
    Conflict,
    Criterion,
    Decision,
    DecisionLetter,
    JuryMember,
    PitchSlot,
    Round,
    RoundClosure,
    Score,
    ScoreSheet,
    Weerwoord,
)
from jury.ranking import criterion_averages, letter_place
from maasland.clock import BRUSSELS
from office.dashboard import call_dashboards
from tests import factories
from tests.seeded import built_once

# `make run` loads the demo on SQLite: this module runs in CI's SQLite pass.
pytestmark = pytest.mark.sqlite_pass

TODAY = datetime.date(2026, 11, 26)
NOON = datetime.datetime(2026, 11, 26, 12, 0, tzinfo=BRUSSELS)
PAST_DEADLINE = ["maasland-2023", "maasland-demo-pitches", "maasland-demo-weerwoord"]
PITCHES_HELD = ["maasland-2023", "maasland-demo-weerwoord"]
COUNTED = [
    Candidacy,
    Call,
    Challenge,
    ServiceTypePoint,
    get_user_model(),
    JuryMember,
    Conflict,
    Criterion,
    ScoreSheet,
    Score,
    RoundClosure,
    PitchSlot,
    Decision,
    DecisionLetter,
    Weerwoord,
]


def counts():
    return {model.__name__: model.objects.count() for model in COUNTED}


def load_the_demo_twice():
    """The demo's service, then `manage.py load_demo` on top of it; returns the counts after the first load and what
    the command printed."""
    with time_machine.travel(NOON, tick=True):
        demo.seed(today=TODAY)
        first = counts()
        output = io.StringIO()
        call_command("load_demo", "--force", stdout=output)
    return first, output.getvalue()


@pytest.fixture(scope="module")
def demo_once(django_db_setup, django_db_blocker, tmp_path_factory):
    """The demo loaded twice, once for the module (tests/seeded.py, `built_once`)."""
    with built_once(django_db_blocker, tmp_path_factory.mktemp("media"), load_the_demo_twice) as loaded:
        yield loaded


@pytest.fixture
def seeded(demo_once, db):
    """The module's demo; what the test changes is rolled back after it."""
    return demo_once


@pytest.fixture
def first_run_counts(seeded):
    """The counts after the first of the two loads."""
    return dict(seeded[0])


def local_noon(day):
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(12)))


def test_the_demo_holds_the_real_call_and_three_copies(seeded):
    assert list(Call.objects.values_list("slug", "is_demo")) == [
        ("maasland-2023", False),
        ("maasland-demo-indiening", True),
        ("maasland-demo-pitches", True),
        ("maasland-demo-weerwoord", True),
    ]
    assert Challenge.objects.filter(call__slug="maasland-demo-pitches").count() == 4
    assert Persona.objects.filter(call__slug="maasland-demo-pitches").count() == 7


def test_the_intake_copy_closes_two_weeks_from_today(seeded):
    call = Call.objects.get(slug="maasland-demo-indiening")
    assert timezone.localtime(call.deadline).date() == TODAY + datetime.timedelta(days=14)
    assert timezone.localtime(call.deadline).time() == datetime.time(23, 59, 59)
    assert call.phase(local_noon(TODAY)) == Call.Phase.INTAKE


def test_the_pitch_copy_has_its_pitch_days_this_week_on_monday_wednesday_and_friday(seeded):
    call = Call.objects.get(slug="maasland-demo-pitches")
    assert call.pitch_dates == [datetime.date(2026, 11, 23), datetime.date(2026, 11, 25), datetime.date(2026, 11, 27)]
    assert call.phase(local_noon(TODAY)) == Call.Phase.PITCHES


def test_the_weerwoord_copy_sent_its_decisions_five_days_ago(seeded):
    call = Call.objects.get(slug="maasland-demo-weerwoord")
    assert call.decisions_before - datetime.timedelta(days=1) == TODAY - datetime.timedelta(days=5)
    assert call.phase(local_noon(TODAY)) == Call.Phase.WEERWOORD


def test_the_copies_keep_the_order_and_spacing_of_the_real_dates(seeded):
    real, *copies = Call.objects.all()

    def spacing(call):
        deadline = timezone.localtime(call.deadline).date()
        return [
            (day - call.launch_date).days
            for day in (
                deadline,
                call.assessment_starts_on,
                call.assessment_ends_on,
                *call.pitch_dates,
                call.decisions_before,
            )
        ]

    assert [spacing(copy) for copy in copies] == [spacing(real)] * 3


def test_loading_the_demo_twice_adds_no_duplicates(first_run_counts):
    assert counts() == first_run_counts
    assert [first_run_counts[name] for name in ("Candidacy", "Call", "Challenge", "ServiceTypePoint", "User")] == [
        19,
        4,
        16,
        60,
        10,
    ]


def test_the_demo_has_a_call_manager_with_staff_access_and_no_superuser_rights(seeded):
    manager = get_user_model().objects.get(email="beheerder@demo.example")
    assert (manager.is_staff, manager.is_superuser) == (True, False)
    assert manager.has_perm("challenges.change_call")
    assert manager.check_password(demo.DEMO_PASSWORD)


def test_the_demo_command_refuses_to_run_with_debug_off(db, settings):
    settings.DEBUG = False
    with pytest.raises(CommandError, match="only with DEBUG on"):
        call_command("load_demo")
    assert Call.objects.count() == 0


def test_the_demo_command_prints_every_login(seeded):
    output = seeded[1]
    assert [account.email in output for account in demo.DEMO_ACCOUNTS] == [True] * 7
    assert demo.DEMO_PASSWORD in output
    assert demo.DEMO_AUTHENTICATOR_KEY in output
    assert "`.venv/bin/python manage.py demo_code`" in output


def test_the_demo_staff_and_jury_log_in_with_the_demo_authenticator_and_the_applicants_without(seeded):
    keys = dict(TOTPDevice.objects.filter(confirmed=True).values_list("user__email", "key"))
    assert keys == {
        account.email: b32decode(demo.DEMO_AUTHENTICATOR_KEY).hex()
        for account in demo.DEMO_ACCOUNTS
        if account.has_authenticator
    }
    assert "beheerder@demo.example" in keys


def test_demo_code_prints_the_code_an_app_with_the_printed_key_shows(db, time_machine):
    time_machine.move_to(datetime.datetime(2026, 12, 3, 10, 0, 5, tzinfo=datetime.UTC), tick=False)
    output = io.StringIO()
    call_command("demo_code", stdout=output)
    step = int(datetime.datetime(2026, 12, 3, 10, 0, 5, tzinfo=datetime.UTC).timestamp()) // 30
    assert output.getvalue().strip() == f"{hotp(b32decode(demo.DEMO_AUTHENTICATOR_KEY), step):06d}"


def test_the_demo_has_candidacies_in_draft_withdrawn_and_submitted_or_further_in_every_call(seeded):
    statuses = {call.slug: set(call.candidacies.values_list("status", flat=True)) for call in Call.objects.all()}
    further = {"submitted", "shortlisted", "pitched", "selected", "not_selected"}
    found_per_call = {
        slug: ("draft" in found, "withdrawn" in found, bool(found & further)) for slug, found in statuses.items()
    }
    assert found_per_call == dict.fromkeys(statuses, (True, True, True))


def test_the_demo_applicants_each_have_an_organisation_with_a_candidacy_in_the_open_call(seeded):
    call = Call.objects.get(slug="maasland-demo-indiening")
    for email in ["aanvrager1@demo.example", "aanvrager2@demo.example"]:
        assert call.candidacies.filter(organisation__memberships__user__email=email).count() == 1


def test_where_the_deadline_has_passed_the_demo_candidacies_were_submitted_before_it(seeded):
    for call in Call.objects.exclude(slug="maasland-demo-indiening"):
        for candidacy in call.candidacies.exclude(status="draft"):
            assert candidacy.submitted_at <= call.deadline
            assert candidacy.reference.startswith(call.reference_prefix)


# The jury, its scores, pitch slots and decisions.


def test_loading_the_demo_twice_adds_no_jury_rows_and_leaves_the_open_call_without_a_jury(first_run_counts):
    open_call = Call.objects.get(slug="maasland-demo-indiening")
    assert counts() == first_run_counts
    assert (first_run_counts["JuryMember"], first_run_counts["Criterion"]) == (3 * 4, 4 * 12)
    assert open_call.jury_members.count() == 0
    assert sorted(set(open_call.criteria.values_list("round", flat=True))) == ["pitch", "written"]


def test_every_call_past_its_deadline_has_three_jurors_a_chair_one_conflict_and_their_written_sheets(
    seeded,
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
    seeded,
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


def test_the_pitch_week_call_has_its_shortlist_placed_this_week_and_the_pitch_round_open(seeded):
    call = Call.objects.get(slug="maasland-demo-pitches")
    placed = PitchSlot.objects.filter(call=call, candidacy__isnull=False)
    assert list(RoundClosure.objects.filter(call=call).values_list("round", flat=True)) == ["written"]
    assert jury_services.round_is_open(call, Round.PITCH, NOON)
    assert sorted(placed.values_list("candidacy__status", flat=True)) == ["shortlisted", "shortlisted"]
    assert {slot.starts_at.astimezone(BRUSSELS).date() for slot in placed} <= set(call.pitch_dates)
    assert Decision.objects.filter(candidacy__call=call).count() == 0


def test_the_demo_sends_the_decisions_and_leaves_one_weerwoord_to_assess_in_the_weerwoord_call(first_run_counts):
    from office import reminders

    noon = NOON
    real = Decision.objects.filter(candidacy__call__slug="maasland-2023")
    demo_call = Call.objects.get(slug="maasland-demo-weerwoord")
    demo_decisions = Decision.objects.filter(candidacy__call=demo_call).select_related("candidacy__call")
    real_weerwoord = Weerwoord.objects.get(decision__candidacy__call__slug="maasland-2023")
    assert (DecisionLetter.objects.count(), Weerwoord.objects.count()) == (
        first_run_counts["DecisionLetter"],
        first_run_counts["Weerwoord"],
    )
    assert (first_run_counts["DecisionLetter"], first_run_counts["Weerwoord"]) == (6, 2)
    assert set(real.values_list("communicated_at", flat=True)) == {
        datetime.datetime(2023, 7, 14, 10, 0, tzinfo=BRUSSELS)
    }
    assert (real_weerwoord.decision.outcome, real_weerwoord.assessment, real_weerwoord.assessed_by.email) == (
        "not_selected",
        "unfounded",
        "voorzitter@demo.example",
    )
    assert real_weerwoord.decision.accepts_weerwoord(real_weerwoord.filed_at)
    assert real_weerwoord.decision.candidacy.organisation.memberships.filter(user=real_weerwoord.filed_by).exists()
    assert {decision.communicated_at for decision in demo_decisions} == {
        datetime.datetime(2026, 11, 21, 10, 0, tzinfo=BRUSSELS)
    }
    assert [decision.accepts_weerwoord(noon) for decision in demo_decisions] == [True, True, True]
    assert [weerwoord.assessment for weerwoord in reminders.due_summary(demo_call, noon).unassessed] == [""]


def test_the_open_demo_call_asks_for_documents_and_the_real_call_for_none(seeded):
    kinds = {
        call.slug: [(kind.name, kind.required) for kind in call.attachment_kinds.all()] for call in Call.objects.all()
    }
    assert kinds["maasland-2023"] == []
    assert kinds["maasland-demo-indiening"] == [
        ("Begroting", True),
        ("CV van de trajectbegeleiders", False),
        ("Samenwerkingsakkoord", False),
    ]


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
