"""The applicant's candidacy page and the juror's score sheet, the busiest logged-in pages (bench/throughput.py), in a
fixed number of queries in every state of the seeded call: the session, the user, the page's own rows, the
municipalities of the header. Neither asks for the open call of the time-left banner (they show their own) nor, on
the sheet, whether the user sits on a jury."""

import datetime

import pytest
import time_machine
from django.test import Client
from django.urls import reverse

from tests.seeded import DURING_INTAKE, SENT_AT, WRITTEN_ROUND

pytestmark = pytest.mark.django_db

AFTER_THE_LETTERS = SENT_AT + datetime.timedelta(days=1)
# The session, the user, the candidacy (with its call, organisation, pitch slot and decision), its attachments, its
# submitted versions, the municipalities, whether the user is a juror; the sent letters where a decision was sent.
CANDIDACY_PAGE_QUERIES = 7
# The session, the user, the seat (with the call), the candidacy if assigned (with whether the round is closed),
# the criteria, the sheets (own and colleagues'), their scores, the municipalities; in the pitch round its days.
SCORE_SHEET_QUERIES = 8
# While it can change: the task list adds whether each field of several choices is filled in (one query for all), the
# call's kinds of attachment and its pitch days.
TASK_LIST_QUERIES = 3


def client_for(user):
    client = Client()
    client.force_login(user)
    return client


@pytest.mark.parametrize("status", ["submitted", "withdrawn", "inadmissible", "shortlisted", "pitched", "selected"])
def test_the_candidacy_page_costs_the_same_queries_in_each_status(
    seeded_call_shared, status, django_assert_num_queries
):
    seeded = seeded_call_shared
    client = client_for(seeded.applicants[status])
    expected = CANDIDACY_PAGE_QUERIES + (status == "selected")
    with time_machine.travel(AFTER_THE_LETTERS, tick=False), django_assert_num_queries(expected):
        response = client.get(seeded.candidacies[status].get_absolute_url())
    assert response.status_code == 200


@pytest.mark.parametrize("status", ["draft", "submitted"])
def test_the_candidacy_page_with_its_task_list_costs_the_same_queries(
    seeded_call_shared, status, django_assert_num_queries
):
    seeded = seeded_call_shared
    client = client_for(seeded.applicants[status])
    expected = CANDIDACY_PAGE_QUERIES + TASK_LIST_QUERIES
    with time_machine.travel(DURING_INTAKE, tick=False), django_assert_num_queries(expected):
        response = client.get(seeded.candidacies[status].get_absolute_url())
    assert (response.status_code, len(response.context["states"])) == (200, 7)


@pytest.mark.parametrize("who", ["chair", "juror"])
@pytest.mark.parametrize(
    ("status", "round"), [("submitted", "written"), ("not_selected", "written"), ("pitched", "pitch")]
)
@pytest.mark.parametrize("moment", [WRITTEN_ROUND, AFTER_THE_LETTERS])
def test_the_score_sheet_costs_the_same_queries_in_each_round(
    seeded_call_shared, who, status, round, moment, django_assert_num_queries
):
    seeded = seeded_call_shared
    member = getattr(seeded, who)
    client = client_for(member.user)
    url = reverse("jury:score_sheet", kwargs={"pk": seeded.candidacies[status].pk, "round": round})
    with time_machine.travel(moment, tick=False), django_assert_num_queries(SCORE_SHEET_QUERIES + (round == "pitch")):
        response = client.get(url)
    assert (response.status_code, "Jury" in response.content.decode()) == (200, True)
