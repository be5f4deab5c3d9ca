"""manage.py anonymise_call / anonymise_calls: personal data go after the keeping period, the rest stays."""

import datetime
import io
from decimal import Decimal

import pytest
from axes.models import AccessLog
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command

from candidacies.models import Candidacy, CandidacyVersion, Invitation, Organisation
from challenges.services import copy_call_shifted
from jury import services as jury_services
from jury.models import Criterion, JuryMember, Round, Score
from maasland.clock import BRUSSELS
from office import anonymisation
from tests import factories

DURING_INTAKE = datetime.datetime(2023, 5, 31, 12, 0, tzinfo=BRUSSELS)
WRITTEN_ROUND = datetime.datetime(2023, 6, 7, 10, 0, tzinfo=BRUSSELS)
KEEPING_DATE = datetime.datetime(2029, 1, 1, tzinfo=BRUSSELS)
AFTER_KEEPING = "2029-01-02T09:00:00+01:00"
User = get_user_model()


def run(*args):
    out = io.StringIO()
    call_command(*args, stdout=out)
    return out.getvalue()


def submitted(call, member, organisation):
    return factories.submitted_candidacy(call, member=member, of=organisation, at=DURING_INTAKE)


@pytest.fixture
def scene(maasland_call):
    applicant = factories.user("an@aanvrager.example", full_name="An Aanvrager", phone="0470 12 34 56")
    organisation = factories.organisation(
        applicant, name="Buddywerk", contact_name="An Aanvrager", contact_email="an@aanvrager.example"
    )
    organisation.contact_phone = "089 12 34 56"
    organisation.save()  # a second history row holding the contact person
    Invitation.objects.create(organisation=organisation, email="collega@aanvrager.example", invited_by=applicant)
    candidacy = submitted(maasland_call, applicant, organisation)
    juror_user = factories.user("jurylid@example.org", full_name="Jan Jurylid", phone="011 22 33 44")
    juror = JuryMember.objects.create(call=maasland_call, user=juror_user)
    criteria = Criterion.objects.filter(call=maasland_call, round=Round.WRITTEN)
    jury_services.save_sheet(
        juror,
        candidacy,
        Round.WRITTEN,
        values={criterion.pk: (7, "Sterk plan.") for criterion in criteria},
        overall_comment="Goed.",
        submit=True,
        by=juror_user,
        at=WRITTEN_ROUND,
    )
    staff = factories.user("beheerder@example.org", full_name="Liesbet Adams", is_staff=True)
    JuryMember.objects.create(call=maasland_call, user=staff, role=JuryMember.Role.CHAIR)
    AccessLog.objects.create(username=applicant.email, ip_address="192.0.2.1", user_agent="Firefox", path_info="/")
    return {
        "call": maasland_call,
        "applicant": applicant,
        "organisation": organisation,
        "candidacy": candidacy,
        "juror": juror_user,
        "staff": staff,
    }


def test_the_keeping_date_is_new_year_after_the_end_of_the_calls_year_plus_five_years(maasland_call):
    assert anonymisation.keeping_date(maasland_call) == KEEPING_DATE


def test_the_keeping_period_follows_the_setting(maasland_call, settings):
    settings.ANONYMISE_AFTER_YEARS = 10
    assert anonymisation.keeping_date(maasland_call) == datetime.datetime(2034, 1, 1, tzinfo=BRUSSELS)


def test_before_the_keeping_date_the_command_refuses_and_changes_nothing(scene):
    with pytest.raises(CommandError) as error:
        run("anonymise_call", "maasland-2023", "--now", "2028-12-31T23:59:59+01:00")
    assert str(error.value) == (
        "maasland-2023: its personal data are kept until 2029-01-01 (end of the call's year + "
        "ANONYMISE_AFTER_YEARS); use --force to anonymise earlier."
    )
    assert User.objects.get(pk=scene["applicant"].pk).full_name == "An Aanvrager"


def test_force_anonymises_before_the_keeping_date(scene):
    run("anonymise_call", "maasland-2023", "--now", "2028-12-31T23:59:59+01:00", "--force")
    assert User.objects.get(pk=scene["applicant"].pk).full_name == f"Geanonimiseerd {scene['applicant'].pk}"


def test_an_unknown_call_is_refused(db):
    with pytest.raises(CommandError) as error:
        run("anonymise_call", "no-such-call")
    assert str(error.value) == "No call with the slug 'no-such-call'."


def _state():
    return (
        list(User.objects.order_by("pk").values_list("full_name", "email", "phone", "password", "is_active")),
        list(Organisation.objects.order_by("pk").values_list("contact_name", "contact_email", "contact_phone")),
        list(Organisation.history.order_by("pk").values_list("contact_name", "contact_email", "contact_phone")),
        list(Candidacy.objects.order_by("pk").values_list("contact_name", "contact_email", "contact_phone")),
        list(Candidacy.history.order_by("pk").values_list("contact_name", "contact_email", "contact_phone")),
        list(CandidacyVersion.objects.order_by("pk").values_list("content", flat=True)),
        list(Invitation.objects.order_by("pk").values_list("email", flat=True)),
        AccessLog.objects.count(),
    )


def test_a_dry_run_lists_every_change_and_changes_nothing(scene):
    before = _state()
    output = run("anonymise_call", "maasland-2023", "--now", AFTER_KEEPING, "--dry-run")
    applicant, organisation, candidacy = scene["applicant"], scene["organisation"], scene["candidacy"]
    lines = output.splitlines()
    assert lines[0].startswith("maasland-2023: would change ")
    assert lines[0].endswith(" rows (dry run: nothing changed)")
    assert f"  organisation {organisation.pk} (Buddywerk): contact_name, contact_email, contact_phone" in lines
    assert f"  candidacy {candidacy.reference}: contact_name, contact_email, contact_phone" in lines
    assert (
        f"  candidacy {candidacy.reference}, version 1: content.contact_name, content.contact_email, "
        "content.contact_phone" in lines
    )
    assert f"  user {applicant.pk}: full_name, email, phone, is_active, password, 1 login records deleted" in lines
    assert f"  user {scene['juror'].pk}: full_name, email, phone, is_active, password" in lines
    assert not any(f"user {scene['staff'].pk}:" in line for line in lines)
    assert _state() == before


def test_anonymising_replaces_names_emails_and_phones_with_stable_placeholders(scene):
    run("anonymise_call", "maasland-2023", "--now", AFTER_KEEPING)
    applicant = User.objects.get(pk=scene["applicant"].pk)
    assert (applicant.full_name, applicant.email, applicant.phone, applicant.is_active) == (
        f"Geanonimiseerd {applicant.pk}",
        f"anonymised-{applicant.pk}@invalid.example",
        "",
        False,
    )
    assert applicant.has_usable_password() is False
    juror = User.objects.get(pk=scene["juror"].pk)
    assert (juror.full_name, juror.email, juror.phone) == (
        f"Geanonimiseerd {juror.pk}",
        f"anonymised-{juror.pk}@invalid.example",
        "",
    )
    organisation = Organisation.objects.get(pk=scene["organisation"].pk)
    assert (organisation.contact_name, organisation.contact_email, organisation.contact_phone) == (
        "Geanonimiseerd",
        f"anonymised-organisation-{organisation.pk}@invalid.example",
        "",
    )
    candidacy = Candidacy.objects.get(pk=scene["candidacy"].pk)
    placeholders = ("Geanonimiseerd", f"anonymised-candidacy-{candidacy.pk}@invalid.example", "")
    assert (candidacy.contact_name, candidacy.contact_email, candidacy.contact_phone) == placeholders
    content = CandidacyVersion.objects.get(candidacy=candidacy).content
    assert (content["contact_name"], content["contact_email"], content["contact_phone"]) == placeholders
    invitation = Invitation.objects.get(organisation=organisation)
    assert invitation.email == f"anonymised-invitation-{invitation.pk}@invalid.example"
    assert AccessLog.objects.filter(username="an@aanvrager.example").count() == 0


def test_anonymising_keeps_references_outcomes_scores_amounts_and_staff(scene):
    candidacy = scene["candidacy"]
    history_rows = (Organisation.history.count(), Candidacy.history.count(), Score.history.count())
    run("anonymise_call", "maasland-2023", "--now", AFTER_KEEPING)
    kept = Candidacy.objects.get(pk=candidacy.pk)
    assert (kept.reference, kept.status, kept.title, kept.budget, kept.submitted_at) == (
        candidacy.reference,
        Candidacy.Status.SUBMITTED,
        "Samen sterker in Maasland",
        Decimal("45000.50"),
        DURING_INTAKE,
    )
    organisation = Organisation.objects.get(pk=scene["organisation"].pk)
    assert (organisation.name, organisation.enterprise_number, organisation.city) == (
        "Buddywerk",
        scene["organisation"].enterprise_number,
        "Maasmechelen",
    )
    content = CandidacyVersion.objects.get(candidacy=candidacy).content
    assert (content["reference"], content["budget"], content["team"]) == (
        candidacy.reference,
        "45000.50",
        "Twee trajectbegeleiders met tien jaar ervaring.",
    )
    assert (
        sorted(Score.objects.filter(sheet__candidacy=candidacy).values_list("value", "comment"))
        == [(7, "Sterk plan.")] * 6
    )
    staff = User.objects.get(pk=scene["staff"].pk)
    assert (staff.full_name, staff.email, staff.has_usable_password()) == (
        "Liesbet Adams",
        "beheerder@example.org",
        True,
    )
    assert (Organisation.history.count(), Candidacy.history.count(), Score.history.count()) == history_rows


def test_history_rows_stay_with_their_personal_fields_replaced(scene):
    run("anonymise_call", "maasland-2023", "--now", AFTER_KEEPING)
    organisation = scene["organisation"]
    assert (
        list(
            Organisation.history.filter(id=organisation.pk).values_list(
                "contact_name", "contact_email", "contact_phone"
            )
        )
        == [("Geanonimiseerd", f"anonymised-organisation-{organisation.pk}@invalid.example", "")] * 2
    )
    candidacy = scene["candidacy"]
    contacts = set(Candidacy.history.filter(id=candidacy.pk).values_list("contact_email", flat=True))
    assert contacts <= {"", f"anonymised-candidacy-{candidacy.pk}@invalid.example"}
    assert Candidacy.history.filter(id=candidacy.pk, contact_email="an@example.org").count() == 0


def test_a_second_run_changes_nothing_and_says_so(scene):
    run("anonymise_call", "maasland-2023", "--now", AFTER_KEEPING)
    after_first = _state()
    assert run("anonymise_call", "maasland-2023", "--now", AFTER_KEEPING) == (
        "maasland-2023: nothing to anonymise (already done).\n"
    )
    assert _state() == after_first


def test_people_and_organisations_in_a_call_still_kept_keep_their_data(scene):
    live_call = copy_call_shifted(
        scene["call"], slug="maasland-2031", subtitle="Later", reference_prefix="LATER", days=8 * 365
    )
    applicant, organisation = scene["applicant"], scene["organisation"]
    factories.candidacy(live_call, organisation, by=applicant)
    JuryMember.objects.create(call=live_call, user=scene["juror"])
    run("anonymise_call", "maasland-2023", "--now", AFTER_KEEPING)
    assert User.objects.get(pk=applicant.pk).email == "an@aanvrager.example"
    assert User.objects.get(pk=scene["juror"].pk).full_name == "Jan Jurylid"
    assert Organisation.objects.get(pk=organisation.pk).contact_email == "an@aanvrager.example"
    candidacy = Candidacy.objects.get(pk=scene["candidacy"].pk)
    assert candidacy.contact_email == f"anonymised-candidacy-{candidacy.pk}@invalid.example"


def test_anonymise_calls_takes_only_the_calls_past_their_keeping_date(scene):
    live_call = copy_call_shifted(
        scene["call"], slug="maasland-2031", subtitle="Later", reference_prefix="LATER", days=8 * 365
    )
    late_applicant = factories.user("later@example.org", full_name="Lotte Later")
    factories.candidacy(live_call, factories.organisation(late_applicant), by=late_applicant)
    assert run("anonymise_calls", "--now", "2028-06-01T12:00:00+02:00") == "No call is past its keeping date.\n"
    output = run("anonymise_calls", "--now", AFTER_KEEPING)
    assert output.splitlines()[0].startswith("maasland-2023: changed ")
    assert "maasland-2031" not in output
    assert User.objects.get(pk=late_applicant.pk).full_name == "Lotte Later"
    assert User.objects.get(pk=scene["applicant"].pk).full_name == f"Geanonimiseerd {scene['applicant'].pk}"


def test_on_the_seeded_call_only_staff_keep_their_names_and_a_second_run_changes_nothing(seeded_call):
    people = set(User.objects.filter(is_staff=False).values_list("pk", flat=True))
    output = run("anonymise_call", "maasland-2023", "--now", AFTER_KEEPING)
    assert output.splitlines()[0].startswith("maasland-2023: changed ")
    assert sorted(User.objects.exclude(full_name__startswith="Geanonimiseerd ").values_list("email", flat=True)) == [
        "admin@example.org",
        "beheerder@example.org",
    ]
    assert set(User.objects.filter(full_name__startswith="Geanonimiseerd ").values_list("pk", flat=True)) == people
    assert run("anonymise_call", "maasland-2023", "--now", AFTER_KEEPING) == (
        "maasland-2023: nothing to anonymise (already done).\n"
    )
