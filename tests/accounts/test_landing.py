"""Where a login lands: a juror of an open call who belongs to no organisation lands on the jury page, not on "Mijn
kandidaturen – Je behoort nog niet tot een organisatie"; everyone else where they landed before; ?next= wins."""

import datetime

import pytest
import time_machine
from django.urls import reverse

from jury.models import JuryMember
from maasland.clock import BRUSSELS
from tests import factories

PASSWORD = "a-Strong-passw0rd"  # tests.factories.user
WRITTEN_ROUND = datetime.datetime(2023, 6, 7, 10, 0, tzinfo=BRUSSELS)
LONG_AFTER = datetime.datetime(2024, 3, 1, 10, 0, tzinfo=BRUSSELS)


@pytest.fixture
def juror(maasland_call):
    return JuryMember.objects.create(call=maasland_call, user=factories.user("jurylid@example.org"))


def log_in(client, email, query=""):
    response = client.post(reverse("accounts:login") + query, {"username": email, "password": PASSWORD})
    assert response.status_code == 302
    return response["Location"]


@time_machine.travel(WRITTEN_ROUND, tick=False)
def test_a_juror_of_an_open_call_without_an_organisation_lands_on_the_jury_page(client, juror):
    assert log_in(client, juror.user.email) == reverse("jury:dashboard")


@time_machine.travel(WRITTEN_ROUND, tick=False)
def test_the_next_page_wins_over_the_jury_page(client, juror):
    assert log_in(client, juror.user.email, "?next=/account/gegevens/") == "/account/gegevens/"


@time_machine.travel(WRITTEN_ROUND, tick=False)
def test_a_juror_who_is_also_a_member_of_an_organisation_lands_on_their_candidacies(client, juror):
    factories.organisation(juror.user)
    assert log_in(client, juror.user.email) == reverse("candidacies:candidacy_list")


@time_machine.travel(LONG_AFTER, tick=False)
def test_a_juror_of_a_closed_call_lands_on_their_candidacies(client, juror):
    assert log_in(client, juror.user.email) == reverse("candidacies:candidacy_list")


@time_machine.travel(WRITTEN_ROUND, tick=False)
def test_an_applicant_lands_on_their_candidacies(client, db):
    applicant = factories.user("aanvrager@example.org")
    factories.organisation(applicant)
    assert log_in(client, applicant.email) == reverse("candidacies:candidacy_list")


@time_machine.travel(WRITTEN_ROUND, tick=False)
def test_a_logged_in_juror_who_opens_the_login_page_goes_to_the_jury_page(client, juror):
    client.force_login(juror.user)
    response = client.get(reverse("accounts:login"))
    assert (response.status_code, response["Location"]) == (302, reverse("jury:dashboard"))
