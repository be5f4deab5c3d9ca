"""The Logboek in admin: per candidacy and per call, every step in Dutch with Brussels times, who and why; its
query count does not grow with the number of steps."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from candidacies import services, transitions
from candidacies.models import Candidacy, ProcedureStep
from maasland.clock import BRUSSELS
from tests import factories

from .conftest import DURING_INTAKE

AFTER_DEADLINE = datetime.datetime(2023, 6, 19, 14, 30, tzinfo=BRUSSELS)


@pytest.fixture
def manager(db):
    return factories.user("liesbet@maasmechelen.example", full_name="Liesbet Adams", is_staff=True, is_superuser=True)


@pytest.fixture
def manager_client(client, manager):
    client.force_login(manager)
    return client


def submitted(call):
    return factories.submitted_candidacy(call, at=DURING_INTAKE, member=factories.user(full_name="An Peeters"))


def candidacy_log(candidacy):
    return reverse("admin:candidacies_candidacy_logbook", args=[candidacy.pk])


def call_log(call):
    return reverse("office:logbook", args=[call.pk])


def test_a_candidacys_log_shows_each_step_in_dutch_with_brussels_time_who_and_why(
    maasland_call, manager_client, manager
):
    candidacy = submitted(maasland_call)
    services.mark_inadmissible(candidacy, reason="Geen begroting", by=manager, at=AFTER_DEADLINE)
    page = manager_client.get(candidacy_log(candidacy)).content.decode()
    assert "31-05-2023 12:00" in page and "19-06-2023 14:30" in page
    assert "Kandidatuur ingediend" in page and "Concept → Ingediend" in page and "An Peeters" in page
    assert "Onontvankelijk verklaard" in page and "Ingediend → Onontvankelijk" in page and "Geen begroting" in page
    assert "Liesbet Adams" in page and "not_selected" not in page and "None" not in page


def test_a_calls_log_shows_steps_of_the_call_itself_and_links_each_candidacy_to_its_own_log(
    maasland_call, manager_client, manager
):
    candidacy = submitted(maasland_call)
    transitions.record(maasland_call, ProcedureStep.Action.CLOSE_ROUND, by=manager, at=AFTER_DEADLINE, reason="Pitches")
    page = manager_client.get(call_log(maasland_call)).content.decode()
    assert "Ronde afgesloten" in page and "Pitches" in page and "19-06-2023 14:30" in page
    assert candidacy_log(candidacy) in page and candidacy.reference in page


def test_the_change_pages_of_a_candidacy_and_of_a_call_link_to_their_log(maasland_call, manager_client):
    candidacy = submitted(maasland_call)
    candidacy_page = manager_client.get(reverse("admin:candidacies_candidacy_change", args=[candidacy.pk]))
    call_page = manager_client.get(reverse("admin:challenges_call_change", args=[maasland_call.pk]))
    assert candidacy_log(candidacy) in candidacy_page.content.decode()
    assert call_log(maasland_call) in call_page.content.decode()


def test_staff_without_the_right_to_view_candidacies_gets_no_log(maasland_call, client):
    candidacy = submitted(maasland_call)
    client.force_login(factories.user(is_staff=True))
    responses = [client.get(candidacy_log(candidacy)).status_code, client.get(call_log(maasland_call)).status_code]
    assert responses == [403, 403]


def queries_for(client, url):
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def test_the_log_pages_take_as_many_queries_for_three_steps_as_for_one(maasland_call, manager_client, manager):
    candidacy = submitted(maasland_call)
    one = (queries_for(manager_client, candidacy_log(candidacy)), queries_for(manager_client, call_log(maasland_call)))
    for _ in range(2):
        transitions.record(
            None, ProcedureStep.Action.GRANT_EXTENSION, candidacy=candidacy, by=manager, at=AFTER_DEADLINE
        )
    assert ProcedureStep.objects.filter(candidacy=candidacy).count() == 3
    three = (
        queries_for(manager_client, candidacy_log(candidacy)),
        queries_for(manager_client, call_log(maasland_call)),
    )
    assert (one, three) == ((4, 4), (4, 4))  # session, user, the candidacy or call, the steps
    assert Candidacy.objects.get(pk=candidacy.pk).status == Candidacy.Status.SUBMITTED


def test_deleting_a_draft_in_admin_takes_its_log_with_it(maasland_call, manager_client):
    member = factories.user()
    draft = services.start_candidacy(
        maasland_call, factories.organisation(member), title="Plan", by=member, at=DURING_INTAKE
    )
    url = reverse("admin:candidacies_candidacy_delete", args=[draft.pk])
    response = manager_client.post(url, {"post": "yes"})
    assert (response.status_code, Candidacy.objects.filter(pk=draft.pk).exists()) == (302, False)
    assert ProcedureStep.objects.filter(candidacy_id=draft.pk).count() == 0
