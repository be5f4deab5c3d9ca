"""The public pages of a call are kept whole for visitors without a login (challenges/page_cache.py) until the
call's data or its phase changes: a second visit asks the database nothing, a change shows at once, each language
has its own page, and no visitor's CSRF token or name reaches another."""

import datetime
import re
from pathlib import Path

import pytest
import time_machine
from django.conf import settings
from django.contrib.messages import constants
from django.contrib.messages.storage.base import Message
from django.contrib.messages.storage.cookie import CookieStorage
from django.http import HttpRequest
from django.middleware.csrf import _unmask_cipher_token
from django.test import Client
from django.urls import reverse

from challenges import call_page
from challenges.models import CallNote, Municipality, PitchDay, ServiceTypePoint
from maasland.clock import BRUSSELS
from tests import factories
from tests.candidacies.conftest import DURING_INTAKE, FIRST_SECOND_LATE, LAST_SECOND

TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
SUBMIT = "Kandidatuur indienen"


def page_of(response):
    assert response.status_code == 200
    return response.content.decode()


def without_tokens(page):
    return TOKEN.sub('name="csrfmiddlewaretoken" value=""', page)


def secrets_in(page):
    return {_unmask_cipher_token(token) for token in TOKEN.findall(page)}


def challenge_url(number):
    return reverse("challenges:challenge_detail", args=["maasland-2023", number])


def persona_url(slug):
    return reverse("challenges:persona_detail", args=["maasland-2023", slug])


@pytest.mark.parametrize("url", ["call", challenge_url(3), persona_url("nassim")])
def test_a_second_visit_of_a_public_page_asks_the_database_nothing_and_gets_the_same_page(
    client, maasland_call, django_assert_num_queries, url
):
    url = maasland_call.get_absolute_url() if url == "call" else url
    first = page_of(client.get(url))
    with django_assert_num_queries(0):
        second = page_of(client.get(url))
    assert second == first
    assert "csrfmiddlewaretoken" not in second


def test_a_challenge_changed_through_the_orm_shows_at_once(client, maasland_call):
    page_of(client.get(maasland_call.get_absolute_url()))
    page_of(client.get(challenge_url(1)))
    challenge = maasland_call.challenges.get(number=1)
    challenge.title = "Regio-uitdaging een, herschreven"
    challenge.save()
    assert "Regio-uitdaging een, herschreven" in page_of(client.get(maasland_call.get_absolute_url()))
    assert "Regio-uitdaging een, herschreven" in page_of(client.get(challenge_url(1)))


def test_a_persona_taken_off_a_challenge_shows_at_once(client, maasland_call):
    challenge = maasland_call.challenges.get(number=3)
    persona = challenge.personas.get(slug="marcel")
    assert 'href="/oproepen/maasland-2023/personas/marcel/"' in page_of(client.get(challenge_url(3)))
    challenge.personas.remove(persona)
    assert 'href="/oproepen/maasland-2023/personas/marcel/"' not in page_of(client.get(challenge_url(3)))


def test_a_persona_changed_in_admin_shows_at_once(client, maasland_call):
    persona = maasland_call.personas.get(slug="nassim")
    page_of(client.get(persona_url("nassim")))
    page_of(client.get(maasland_call.get_absolute_url()))
    manager = Client()
    manager.force_login(factories.user("root@example.org", is_staff=True, is_superuser=True))
    response = manager.post(
        reverse("admin:challenges_persona_change", args=[persona.pk]),
        {
            "call": maasland_call.pk,
            "name": "Nassim B.",
            "slug": "nassim",
            "position": persona.position,
            "description": "Een nieuwe beschrijving van Nassim.",
            "description_is_derived": "",
        },
    )
    assert response.status_code == 302
    page = page_of(client.get(persona_url("nassim")))
    assert "Een nieuwe beschrijving van Nassim." in page
    assert "Nassim B." in page_of(client.get(maasland_call.get_absolute_url()))


def test_a_note_added_in_admin_shows_at_once(client, maasland_call):
    page_of(client.get(maasland_call.get_absolute_url()))
    manager = Client()
    manager.force_login(factories.user("root@example.org", is_staff=True, is_superuser=True))
    response = manager.post(
        reverse("admin:challenges_callnote_add"),
        {"call": maasland_call.pk, "kind": CallNote.Kind.EXCLUSION, "position": 99, "text": "Geen toeristen."},
    )
    assert response.status_code == 302
    assert "Geen toeristen." in page_of(client.get(maasland_call.get_absolute_url()))


def test_a_criterion_of_the_jury_changed_shows_at_once(client, maasland_call):
    """The criteria are the jury's (jury/call_page.py): jury tells the page cache about them, challenges does not
    import jury."""
    page_of(client.get(maasland_call.get_absolute_url()))
    criterion = maasland_call.criteria.get(round="written", position=1)
    criterion.name = "Aansluiting bij de noden van de regio"
    criterion.save()
    assert "Aansluiting bij de noden van de regio" in page_of(client.get(maasland_call.get_absolute_url()))


def test_a_date_of_the_call_or_a_pitch_day_changed_shows_at_once(client, maasland_call):
    assert "19, 21 en 23 juni 2023" in page_of(client.get(maasland_call.get_absolute_url()))
    maasland_call.deadline = datetime.datetime(2023, 6, 2, 23, 59, 59, tzinfo=BRUSSELS)
    maasland_call.save()
    assert "2 juni 2023 om 23:59" in page_of(client.get(maasland_call.get_absolute_url()))
    PitchDay.objects.create(call=maasland_call, date=datetime.date(2023, 6, 26))
    assert "19, 21, 23 en 26 juni 2023" in page_of(client.get(maasland_call.get_absolute_url()))


def test_a_sub_point_of_a_service_type_changed_shows_at_once(client, maasland_call):
    page_of(client.get(maasland_call.get_absolute_url()))
    point = ServiceTypePoint.objects.filter(service_type__call=maasland_call).first()
    point.text = "Een herschreven deelpunt."
    point.save()
    assert "Een herschreven deelpunt." in page_of(client.get(maasland_call.get_absolute_url()))
    ServiceTypePoint.objects.get(pk=point.pk).delete()
    assert "Een herschreven deelpunt." not in page_of(client.get(maasland_call.get_absolute_url()))


def test_a_renamed_municipality_shows_at_once_in_the_header_of_every_page(client, maasland_call):
    page_of(client.get(persona_url("nassim")))
    municipality = Municipality.objects.get(slug="maasmechelen")
    municipality.name = "Maasmechelen-Centrum"
    municipality.save()
    assert "Maasmechelen-Centrum" in page_of(client.get(persona_url("nassim")))


def test_an_unpublished_call_is_gone_at_once(client, maasland_call):
    page_of(client.get(maasland_call.get_absolute_url()))
    maasland_call.is_published = False
    maasland_call.save()
    assert client.get(maasland_call.get_absolute_url()).status_code == 404


def test_another_language_gets_its_own_page(client, maasland_call):
    assert "Regio-uitdagingen" in page_of(client.get(maasland_call.get_absolute_url()))
    english = Client()
    english.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    page = page_of(english.get(maasland_call.get_absolute_url()))
    assert ("Regional challenges" in page, '<html lang="en">' in page) == (True, True)
    assert '<html lang="nl">' in page_of(client.get(maasland_call.get_absolute_url()))


def test_a_page_kept_before_the_deadline_is_not_shown_after_it(client, maasland_call):
    with time_machine.travel(LAST_SECOND - datetime.timedelta(seconds=50), tick=False):
        assert SUBMIT in page_of(client.get(maasland_call.get_absolute_url()))
    with time_machine.travel(FIRST_SECOND_LATE, tick=False):
        page = page_of(client.get(maasland_call.get_absolute_url()))
    assert (SUBMIT in page, "resterend" in page) == (False, False)


def test_a_page_kept_just_before_the_launch_offers_to_apply_from_the_launch_on(client, maasland_call):
    launch = datetime.datetime.combine(maasland_call.launch_date, datetime.time(0, 0), tzinfo=BRUSSELS)
    with time_machine.travel(launch - datetime.timedelta(minutes=5), tick=False):
        assert SUBMIT not in page_of(client.get(maasland_call.get_absolute_url()))
    with time_machine.travel(launch, tick=False):
        assert SUBMIT in page_of(client.get(maasland_call.get_absolute_url()))


def test_the_countdown_of_a_kept_page_is_never_behind(client, maasland_call):
    """Kept at 12:55, the page says 1 day and 11 hours are left; from 12:59:59.5 on that is 1 day and 10 hours."""
    with time_machine.travel(DURING_INTAKE + datetime.timedelta(minutes=55), tick=False):
        assert "nog 1\xa0dag, 11\xa0uur resterend" in page_of(client.get(maasland_call.get_absolute_url()))
    with time_machine.travel(DURING_INTAKE + datetime.timedelta(hours=1), tick=False):
        assert "nog 1\xa0dag, 10\xa0uur resterend" in page_of(client.get(maasland_call.get_absolute_url()))


def test_no_name_passes_from_a_logged_in_visitor_to_another_and_visitors_get_no_csrf_cookie(client, maasland_call):
    url = maasland_call.get_absolute_url()
    applicant = Client()
    applicant.force_login(factories.user("an@example.org", full_name="Anneke Peeters"))
    assert "Anneke" in page_of(applicant.get(url))
    first, second = page_of(client.get(url)), page_of(Client().get(url))
    assert ("Anneke" in first + second, settings.CSRF_COOKIE_NAME in client.cookies) == (False, False)
    page = page_of(applicant.get(url))
    assert "Anneke" in page and secrets_in(page) == {applicant.cookies[settings.CSRF_COOKIE_NAME].value}


@pytest.fixture
def form_on_the_call_page(settings, monkeypatch):
    """A section with a form that carries a CSRF token (tests/challenges/templates/form_section.html)."""
    engine = settings.TEMPLATES[0]
    settings.TEMPLATES = [{**engine, "DIRS": [*engine["DIRS"], Path(__file__).parent / "templates"]}]
    monkeypatch.setattr(call_page, "SECTIONS", [*call_page.SECTIONS, lambda call: {"template": "form_section.html"}])


def test_a_form_on_a_kept_page_carries_each_visitors_own_csrf_token(client, maasland_call, form_on_the_call_page):
    url = maasland_call.get_absolute_url()
    first = page_of(client.get(url))
    other = Client()
    second = page_of(other.get(url))
    assert without_tokens(second) == without_tokens(first) and "Schrijf je in" in second
    assert secrets_in(first) == {client.cookies[settings.CSRF_COOKIE_NAME].value}
    assert secrets_in(second) == {other.cookies[settings.CSRF_COOKIE_NAME].value}
    assert secrets_in(first) != secrets_in(second)


def test_the_language_switch_of_a_kept_page_needs_no_csrf_token(maasland_call):
    """It changes nothing but the visitor's language (maasland/urls.py), so a public page carries no token."""
    url = maasland_call.get_absolute_url()
    page_of(Client().get(url))
    visitor = Client(enforce_csrf_checks=True)
    page_of(visitor.get(url))
    response = visitor.post(reverse("set_language"), {"language": "en", "next": url})
    assert response.status_code == 302
    assert "Regional challenges" in page_of(visitor.get(url))


def test_a_visitor_with_a_message_waiting_sees_it_on_a_kept_page(client, maasland_call):
    url = maasland_call.get_absolute_url()
    page_of(client.get(url))
    storage = CookieStorage(HttpRequest())
    client.cookies[storage.cookie_name] = storage._encode([Message(constants.INFO, "Je bent afgemeld.")])
    assert "Je bent afgemeld." in page_of(client.get(url))
    assert "Je bent afgemeld." not in page_of(client.get(url))


def test_a_page_asked_with_a_query_string_keeps_it_in_its_language_switch(client, maasland_call):
    url = maasland_call.get_absolute_url()
    page_of(client.get(url))
    assert f'value="{url}?bron=nieuwsbrief"' in page_of(client.get(url + "?bron=nieuwsbrief"))


def test_a_page_made_while_its_call_changed_is_not_kept(client, maasland_call, monkeypatch, django_assert_num_queries):
    """Its queries may have read the data of before the change: the next visitor gets the page made anew."""

    def changing(call):
        challenge = call.challenges.get(number=2)
        challenge.save()
        return None

    monkeypatch.setattr(call_page, "SECTIONS", [*call_page.SECTIONS, changing])
    page_of(client.get(maasland_call.get_absolute_url()))
    monkeypatch.setattr(call_page, "SECTIONS", call_page.SECTIONS[:-1])
    with django_assert_num_queries(11):
        page_of(client.get(maasland_call.get_absolute_url()))
