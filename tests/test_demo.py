"""`make run` loads the real call, three demo calls in other phases and an account for every role, idempotently."""

import datetime

import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command
from django.utils import timezone

from candidacies.models import Candidacy
from challenges.models import Call, Challenge, Persona, ServiceTypePoint
from demo import services as demo
from tests.seeded import built_once

TODAY = datetime.date(2026, 11, 26)


@pytest.fixture(scope="module")
def demo_once(django_db_setup, django_db_blocker, tmp_path_factory):
    """The demo loaded once for the module (tests/seeded.py, `built_once`)."""
    with built_once(django_db_blocker, tmp_path_factory.mktemp("media"), lambda: demo.seed(today=TODAY)) as loaded:
        yield loaded


@pytest.fixture
def seeded(demo_once, db):
    """The module's demo; what the test changes is rolled back after it."""
    return demo_once


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


def test_loading_the_demo_twice_adds_no_duplicates(seeded):
    counts = (
        Candidacy.objects.count(),
        Call.objects.count(),
        Challenge.objects.count(),
        ServiceTypePoint.objects.count(),
        get_user_model().objects.count(),
    )
    demo.seed(today=TODAY)
    assert (
        (
            Candidacy.objects.count(),
            Call.objects.count(),
            Challenge.objects.count(),
            ServiceTypePoint.objects.count(),
            get_user_model().objects.count(),
        )
        == counts
        == (19, 4, 16, 60, 10)
    )


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


def test_the_demo_command_prints_every_login(db, capsys):
    call_command("load_demo", "--force")
    output = capsys.readouterr().out
    assert [account.email in output for account in demo.DEMO_ACCOUNTS] == [True] * 7
    assert demo.DEMO_PASSWORD in output


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


def test_the_open_demo_call_asks_for_documents_and_the_real_call_for_none(seeded):
    demo.seed(today=TODAY)
    kinds = {
        call.slug: [(kind.name, kind.required) for kind in call.attachment_kinds.all()] for call in Call.objects.all()
    }
    assert kinds["maasland-2023"] == []
    assert kinds["maasland-demo-indiening"] == [
        ("Begroting", True),
        ("CV van de trajectbegeleiders", False),
        ("Samenwerkingsakkoord", False),
    ]
