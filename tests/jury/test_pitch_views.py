"""The applicant's pitch page: when they cannot come, their planned slot and its .ics; nobody else's."""

import datetime

import pytest
import time_machine
from django.template.loader import render_to_string
from django.test import Client
from django.urls import reverse
from icalendar import Calendar

from candidacies import services as candidacy_services
from candidacies.models import Candidacy
from jury import scheduling
from jury.models import Unavailability
from maasland.clock import BRUSSELS

from .conftest import WRITTEN_ROUND


@pytest.fixture
def candidacy(candidacies, manager):
    return candidacy_services.shortlist(candidacies[0], by=manager, at=WRITTEN_ROUND)


@pytest.fixture
def member_client(client, candidacy):
    client.force_login(candidacy.organisation.members.first())
    return client


@pytest.fixture
def other_client(candidacies, manager):
    """A member of another shortlisted candidacy of the same call."""
    other = candidacy_services.shortlist(candidacies[1], by=manager, at=WRITTEN_ROUND)
    client = Client()
    client.force_login(other.organisation.members.first())
    return client


@pytest.fixture
def planned(maasland_call, manager, candidacy):
    slots = scheduling.generate_slots(maasland_call, place="Raadzaal Maasmechelen", by=manager, at=WRITTEN_ROUND)
    return scheduling.assign(slots[1], candidacy, by=manager, at=WRITTEN_ROUND)


def pitch_url(candidacy):
    return reverse("jury:pitch", args=[candidacy.pk])


def ics_url(candidacy):
    return reverse("jury:pitch_ics", args=[candidacy.pk])


def stored(candidacy):
    return list(Unavailability.objects.filter(candidacy=candidacy).values_list("starts_at", "ends_at"))


@time_machine.travel(WRITTEN_ROUND, tick=False)
def test_a_whole_pitch_day_is_stored_from_midnight_to_midnight_in_brussels(member_client, candidacy):
    response = member_client.post(pitch_url(candidacy), {"day": "2023-06-21", "extent": "day"})
    assert (response.status_code, response.url) == (302, pitch_url(candidacy))
    assert stored(candidacy) == [
        (
            datetime.datetime(2023, 6, 21, 0, 0, tzinfo=BRUSSELS),
            datetime.datetime(2023, 6, 22, 0, 0, tzinfo=BRUSSELS),
        )
    ]
    assert "woensdag 21 juni 2023, de hele dag" in member_client.get(pitch_url(candidacy)).content.decode()


@time_machine.travel(WRITTEN_ROUND, tick=False)
def test_a_from_until_time_is_stored_on_that_pitch_day(member_client, candidacy):
    member_client.post(
        pitch_url(candidacy), {"day": "2023-06-19", "extent": "hours", "starts": "9:00", "ends": "12:30"}
    )
    assert stored(candidacy) == [
        (
            datetime.datetime(2023, 6, 19, 9, 0, tzinfo=BRUSSELS),
            datetime.datetime(2023, 6, 19, 12, 30, tzinfo=BRUSSELS),
        )
    ]


@time_machine.travel(WRITTEN_ROUND, tick=False)
def test_until_before_from_is_refused_at_the_until_field_keeping_every_value_and_storing_nothing(
    member_client, candidacy
):
    response = member_client.post(
        pitch_url(candidacy), {"day": "2023-06-23", "extent": "hours", "starts": "14:00", "ends": "10:00"}
    )
    page = response.content.decode()
    assert response.status_code == 400
    assert response.context["form"].errors == {"ends": ["Het “tot”-uur moet later zijn dan het “van”-uur."]}
    assert 'value="14:00"' in page and 'value="10:00"' in page
    assert 'value="2023-06-23" selected' in page
    assert stored(candidacy) == []


@time_machine.travel(WRITTEN_ROUND, tick=False)
def test_a_day_that_is_not_a_pitch_day_is_refused_at_the_day_field(member_client, candidacy):
    response = member_client.post(pitch_url(candidacy), {"day": "2023-06-20", "extent": "day"})
    assert response.status_code == 400
    assert response.context["form"].errors == {"day": ["Kies een van de pitchdagen."]}
    assert stored(candidacy) == []


@time_machine.travel(WRITTEN_ROUND, tick=False)
def test_a_from_time_without_an_until_time_is_refused_at_the_until_field(member_client, candidacy):
    response = member_client.post(pitch_url(candidacy), {"day": "2023-06-19", "extent": "hours", "starts": "9:00"})
    assert response.context["form"].errors == {"ends": ["Geef het uur tot wanneer je niet kunt komen."]}
    assert stored(candidacy) == []


@time_machine.travel(WRITTEN_ROUND, tick=False)
def test_the_applicant_can_remove_an_entry(member_client, candidacy):
    member_client.post(pitch_url(candidacy), {"day": "2023-06-21", "extent": "day"})
    unavailability = Unavailability.objects.get(candidacy=candidacy)
    response = member_client.post(reverse("jury:pitch_unavailability_remove", args=[candidacy.pk, unavailability.pk]))
    assert (response.status_code, stored(candidacy)) == (302, [])


@time_machine.travel(WRITTEN_ROUND, tick=False)
def test_a_planned_pitch_shows_its_slot_and_downloads_its_ics(member_client, candidacy, planned):
    page = member_client.get(pitch_url(candidacy)).content.decode()
    response = member_client.get(ics_url(candidacy))
    event = Calendar.from_ical(response.content).walk("VEVENT")[0]
    assert "maandag 19 juni 2023" in page and "van 09:40 tot 10:10" in page and "Raadzaal Maasmechelen" in page
    assert 'name="extent"' not in page
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    assert response["Content-Disposition"] == f'attachment; filename="pitch-{candidacy.reference}.ics"'
    assert event["DTSTART"].dt == planned.starts_at


@time_machine.travel(WRITTEN_ROUND, tick=False)
def test_once_planned_no_unavailability_can_be_added(member_client, candidacy, planned):
    response = member_client.post(pitch_url(candidacy), {"day": "2023-06-21", "extent": "day"})
    assert (response.status_code, stored(candidacy)) == (302, [])


@time_machine.travel(WRITTEN_ROUND, tick=False)
def test_another_applicant_gets_404_on_the_pitch_page_and_the_ics(other_client, candidacy, planned):
    assert other_client.get(pitch_url(candidacy)).status_code == 404
    assert other_client.get(ics_url(candidacy)).status_code == 404
    assert other_client.post(pitch_url(candidacy), {"day": "2023-06-21", "extent": "day"}).status_code == 404
    assert stored(candidacy) == []


@time_machine.travel(WRITTEN_ROUND, tick=False)
def test_a_candidacy_that_is_not_shortlisted_has_no_pitch_page(client, candidacies):
    client.force_login(candidacies[2].organisation.members.first())
    assert client.get(pitch_url(candidacies[2])).status_code == 404


@time_machine.travel(WRITTEN_ROUND, tick=False)
def test_the_ics_of_a_pitch_that_is_not_planned_is_404(member_client, candidacy):
    assert member_client.get(ics_url(candidacy)).status_code == 404


def test_the_candidacy_page_block_shows_the_planned_slot_with_links(candidacy, planned):
    block = render_to_string("jury/pitch_summary.html", {"candidacy": Candidacy.objects.get(pk=candidacy.pk)})
    assert "Je pitch: maandag 19 juni 2023, van 09:40 tot 10:10 (Belgische tijd)." in block
    assert reverse("jury:pitch_ics", args=[candidacy.pk]) in block


def test_the_candidacy_page_block_asks_a_shortlisted_applicant_when_they_cannot_come(candidacy):
    block = render_to_string("jury/pitch_summary.html", {"candidacy": Candidacy.objects.get(pk=candidacy.pk)})
    assert f'href="{pitch_url(candidacy)}">Wanneer kun je niet komen?' in block


def test_the_candidacy_page_block_is_empty_for_a_candidacy_that_is_not_shortlisted(candidacies):
    assert render_to_string("jury/pitch_summary.html", {"candidacy": candidacies[2]}).strip() == ""
