"""Every changelist of our apps costs the same number of queries for 5 and for 50 rows, and every model with a
history shows it in admin. A model registered without a builder here (or a count test elsewhere) fails the suite."""

import datetime
import itertools
import uuid

import pytest
from django.contrib import admin
from django.urls import reverse
from django.utils import translation
from simple_history.admin import SimpleHistoryAdmin

from candidacies.models import Attachment, Candidacy, CandidacyVersion, Invitation
from challenges.models import (
    Call,
    CallNote,
    Challenge,
    Municipality,
    Persona,
    PitchDay,
    Region,
    ServiceType,
    ServiceTypePoint,
)
from jury.models import (
    Conflict,
    Criterion,
    JuryMember,
    ReminderSent,
    Round,
    RoundClosure,
    Score,
    ScoreSheet,
    Unavailability,
)
from maasland.clock import BRUSSELS
from tests import factories

OUR_APPS = {"accounts", "challenges", "candidacies", "mailtemplates", "jury", "demo"}
MOMENT = datetime.datetime(2023, 6, 19, 10, 0, tzinfo=BRUSSELS)
NUMBERS = itertools.count(1)

# Asserted with 5 and 50 rows in the test modules of their apps.
COUNTED_ELSEWHERE = {
    "candidacies.Candidacy": "tests/candidacies/test_admin.py",
    "candidacies.GroupMail": "tests/candidacies/test_group_mail.py",
    "jury.JuryMember": "tests/jury/test_admin.py",
    "jury.Assignment": "tests/jury/test_assignment.py",
    "jury.ScoreSheet": "tests/jury/test_admin.py",
    "jury.PitchSlot": "tests/jury/test_admin.py",
    "jury.Decision": "tests/jury/test_decisions_admin.py",
    "jury.Weerwoord": "tests/jury/test_decisions_admin.py",
    "jury.DecisionLetter": "tests/jury/test_decisions_admin.py",
}


def number():
    return next(NUMBERS)


def new_call(region):
    serial = number()
    return Call.objects.create(
        region=region,
        title=f"Oproep {serial}",
        slug=f"oproep-{serial}",
        reference_prefix=f"T{serial}",
        launch_date=datetime.date(2023, 4, 21),
        deadline=datetime.datetime(2023, 6, 1, 23, 59, 59, tzinfo=BRUSSELS),
        assessment_starts_on=datetime.date(2023, 6, 5),
        assessment_ends_on=datetime.date(2023, 6, 16),
        decisions_before=datetime.date(2023, 7, 15),
        contact_name="Liesbet Adams",
        contact_email="liesbet@example.org",
    )


def candidacies(call, count):
    owner = factories.user()
    return [
        factories.candidacy(
            call,
            factories.organisation(owner),
            status=Candidacy.Status.SUBMITTED,
            reference=f"LIJST-{serial:04d}",
            title=f"Project {serial}",
        )
        for serial in (number() for _index in range(count))
    ]


def sheets(call, count):
    juror = JuryMember.objects.create(call=call, user=factories.user(full_name="Jurylid"))
    return [
        ScoreSheet.objects.create(jury_member=juror, candidacy=candidacy, round=Round.WRITTEN, submitted_at=MOMENT)
        for candidacy in candidacies(call, count)
    ]


# One builder per model: (the real call, how many rows) -> makes that many rows of the model.


def build_users(call, count):
    for _index in range(count):
        factories.user(full_name=f"Gebruiker {number()}")


def build_regions(call, count):
    for _index in range(count):
        serial = number()
        Region.objects.create(name=f"Regio {serial}", slug=f"regio-{serial}", province="Limburg")


def build_municipalities(call, count):
    for _index in range(count):
        serial = number()
        Municipality.objects.create(region=call.region, name=f"Gemeente {serial}", slug=f"gemeente-{serial}")


def build_calls(call, count):
    for _index in range(count):
        new_call(call.region)


def build_personas(call, count):
    for _index in range(count):
        serial = number()
        Persona.objects.create(call=call, name=f"Persona {serial}", slug=f"persona-{serial}", description="Afgeleid.")


def build_challenges(call, count):
    for _index in range(count):
        Challenge.objects.create(call=call, number=100 + number(), title="Uitdaging", questions="Hoe?")


def build_service_types(call, count):
    for _index in range(count):
        ServiceType.objects.create(call=call, position=number(), name="Type", description="Beschrijving")


def build_pitch_days(call, count):
    for _index in range(count):
        PitchDay.objects.create(call=call, date=datetime.date(2024, 1, 1) + datetime.timedelta(days=number()))


def build_call_notes(call, count):
    for _index in range(count):
        CallNote.objects.create(call=call, kind=CallNote.Kind.EXCLUSION, text=f"Notitie {number()}")


def build_service_type_points(call, count):
    service_type = ServiceType.objects.filter(call=call).first()
    for _index in range(count):
        ServiceTypePoint.objects.create(service_type=service_type, position=number(), text="Deelpunt")


def build_mail_templates(call, count):
    from mailtemplates import catalogue as mailtemplates
    from mailtemplates.models import MailTemplate

    kinds = [key for key, spec in mailtemplates.KINDS.items() if spec.per_call]
    calls = [new_call(call.region) for _index in range(-(-count // len(kinds)))]
    for index in range(count):
        MailTemplate.objects.create(
            call=calls[index // len(kinds)], kind=kinds[index % len(kinds)], subject="Onderwerp", body="Tekst"
        )


def build_organisations(call, count):
    for _index in range(count):
        factories.organisation(factories.user())


def build_invitations(call, count):
    inviter = factories.user()
    for _index in range(count):
        Invitation.objects.create(
            organisation=factories.organisation(inviter), email=f"nieuw{number()}@example.org", invited_by=inviter
        )


def build_attachments(call, count):
    for candidacy in candidacies(call, count):
        Attachment.objects.create(
            candidacy=candidacy,
            file="attachments/test/plan.pdf",
            name="plan.pdf",
            kind=Attachment.Kind.PDF,
            size=1234,
            sha256="a" * 64,
            uploaded_by=candidacy.created_by,
        )


def build_candidacy_versions(call, count):
    for candidacy in candidacies(call, count):
        CandidacyVersion.objects.create(
            candidacy=candidacy,
            number=1,
            submitted_at=MOMENT,
            submitted_by=candidacy.created_by,
            submission_token=uuid.uuid4(),
            content={},
        )


def build_conflicts(call, count):
    juror = JuryMember.objects.create(call=call, user=factories.user())
    for candidacy in candidacies(call, count):
        Conflict.objects.create(
            jury_member=juror, candidacy=candidacy, source=Conflict.Source.DECLARED, created_by=juror.user
        )


def build_criteria(call, count):
    for _index in range(count):
        Criterion.objects.create(call=call, round=Round.PITCH, position=number(), name="Criterium")


def build_scores(call, count):
    criterion = Criterion.objects.filter(call=call, round=Round.WRITTEN).first()
    for sheet in sheets(call, count):
        Score.objects.create(sheet=sheet, criterion=criterion, value=7)


def build_round_closures(call, count):
    closer = factories.user()
    for _index in range(count):
        RoundClosure.objects.create(call=new_call(call.region), round=Round.WRITTEN, closed_at=MOMENT, closed_by=closer)


def build_unavailabilities(call, count):
    for candidacy in candidacies(call, count):
        Unavailability.objects.create(
            candidacy=candidacy, starts_at=MOMENT, ends_at=MOMENT + datetime.timedelta(hours=2)
        )


def build_reminders(call, count):
    for _index in range(count):
        ReminderSent.objects.create(
            message_id=f"<{uuid.uuid4()}@maasland>", call=call, recipient="liesbet@example.org", sent_at=MOMENT
        )


# Queries measured with 5 rows, as a superuser: session, user, the admin's count of rows (twice when the list has
# filters: filtered and total), the rows with what they show (select_related or a subquery), and one per filter
# whose choices come from the database (the score list has two: calls and jurors).
BUILDERS = {
    "accounts.User": (build_users, 6),
    "challenges.Region": (build_regions, 5),
    "challenges.Municipality": (build_municipalities, 6),
    "challenges.Call": (build_calls, 6),
    "challenges.Persona": (build_personas, 6),
    "challenges.Challenge": (build_challenges, 6),
    "challenges.ServiceType": (build_service_types, 6),
    "challenges.PitchDay": (build_pitch_days, 6),
    "challenges.CallNote": (build_call_notes, 6),
    "challenges.ServiceTypePoint": (build_service_type_points, 6),
    "mailtemplates.MailTemplate": (build_mail_templates, 6),
    "candidacies.Organisation": (build_organisations, 5),
    "candidacies.Invitation": (build_invitations, 5),
    "candidacies.Attachment": (build_attachments, 6),
    "candidacies.CandidacyVersion": (build_candidacy_versions, 6),
    "jury.Conflict": (build_conflicts, 6),
    "jury.Criterion": (build_criteria, 6),
    "jury.Score": (build_scores, 7),
    "jury.RoundClosure": (build_round_closures, 6),
    "jury.Unavailability": (build_unavailabilities, 6),
    "jury.ReminderSent": (build_reminders, 6),
}


def our_models():
    return sorted(
        (model for model in admin.site._registry if model._meta.app_label in OUR_APPS),
        key=lambda model: model._meta.label,
    )


def changelist(model):
    return reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist")


def model_named(label):
    return next(model for model in our_models() if model._meta.label == label)


@pytest.fixture
def superuser_client(client, db):
    client.force_login(factories.user("beheer@example.org", is_staff=True, is_superuser=True))
    return client


def test_every_model_of_our_apps_in_admin_has_a_builder_or_a_count_test_elsewhere():
    labels = {model._meta.label for model in our_models()}
    assert labels - set(BUILDERS) - set(COUNTED_ELSEWHERE) == set()
    assert set(BUILDERS) - labels == set()


@pytest.mark.parametrize("count", [5, 50])
@pytest.mark.parametrize("label", sorted(BUILDERS))
def test_the_changelist_costs_the_same_queries_for_5_and_for_50_rows(
    superuser_client, maasland_call, label, count, django_assert_num_queries
):
    model = model_named(label)
    build, queries = BUILDERS[label]
    before = model._default_manager.count()
    build(maasland_call, count)
    with django_assert_num_queries(queries):
        response = superuser_client.get(changelist(model))
    assert response.context["cl"].result_count == before + count


def test_every_model_with_a_history_shows_it_in_admin(superuser_client, seeded_call):
    historied = [model for model in our_models() if hasattr(model, "history")]
    not_shown = [
        model._meta.label for model in historied if not isinstance(admin.site._registry[model], SimpleHistoryAdmin)
    ]
    statuses = {}
    for model in historied:
        row = model._default_manager.first()
        if row is not None:
            url = reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_history", args=[row.pk])
            statuses[model._meta.label] = superuser_client.get(url).status_code
    assert not_shown == []
    assert len(historied) >= 12
    assert set(statuses.values()) == {200}
    assert set(statuses) >= {"candidacies.Candidacy", "jury.Score", "jury.Decision", "jury.PitchSlot"}


def test_every_action_of_our_admin_reads_in_dutch(rf, db):
    request = rf.get("/admin/")
    request.user = factories.user(is_staff=True, is_superuser=True)
    descriptions = {}
    for model in our_models():
        for name, (_function, _name, description) in admin.site._registry[model].get_actions(request).items():
            with translation.override("en"):
                english = str(description) % {"verbose_name_plural": model._meta.verbose_name_plural}
            with translation.override("nl-be"):
                dutch = str(description) % {"verbose_name_plural": model._meta.verbose_name_plural}
            descriptions[f"{model._meta.label}.{name}"] = (english, dutch)
    untranslated = sorted(action for action, (english, dutch) in descriptions.items() if english == dutch)
    assert len(descriptions) >= 10
    assert untranslated == []


def filter_choices(response, field_path):
    """The rows offered by the list's filter on `field_path`."""
    changelist = response.context["cl"]
    spec = next(spec for spec in changelist.filter_specs if getattr(spec, "field_path", None) == field_path)
    return sorted(label for _pk, label in spec.lookup_choices)


def test_a_call_chosen_on_a_list_narrows_its_other_filters_to_that_calls_rows(superuser_client, maasland_call):
    from challenges.services import copy_call_shifted

    other = copy_call_shifted(maasland_call, slug="andere-oproep", subtitle="Andere", reference_prefix="AND", days=365)
    jurors = [
        JuryMember.objects.create(call=maasland_call, user=factories.user(full_name=name))
        for name in ("Jan Jurylid", "Joke Jurylid")
    ]
    JuryMember.objects.create(call=other, user=factories.user(full_name="Ander Jurylid"))
    candidacies = changelist(model_named("candidacies.Candidacy"))
    every_call = superuser_client.get(candidacies)
    narrowed = superuser_client.get(candidacies, {"call__id__exact": other.pk})
    scores = superuser_client.get(changelist(Score), {"sheet__candidacy__call__id__exact": maasland_call.pk})
    challenges = [str(challenge) for challenge in other.challenges.order_by("number")]
    assert len(filter_choices(every_call, "challenges")) == 2 * len(challenges)
    assert filter_choices(narrowed, "challenges") == sorted(challenges)
    assert filter_choices(scores, "sheet__jury_member") == sorted(str(juror) for juror in jurors)


def test_the_filters_that_follow_the_call_read_only_its_slug_not_whole_calls(superuser_client, maasland_call):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as captured:
        response = superuser_client.get(changelist(model_named("candidacies.Candidacy")))
    whole_calls = [query["sql"] for query in captured if '"challenges_call"."intro"' in query["sql"]]
    assert response.status_code == 200
    assert len(whole_calls) == 1  # the call filter's own choices
    assert len(filter_choices(response, "challenges")) == maasland_call.challenges.count()
