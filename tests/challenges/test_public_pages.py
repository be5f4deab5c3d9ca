"""The public pages show the call to visitors without login, in Dutch, from this host only."""

import re
from html.parser import HTMLParser
from urllib.parse import urlsplit

import pytest
import time_machine
from django.urls import reverse

from challenges.models import Call
from demo import services as demo


def test_the_call_page_shows_the_four_challenges_the_pitch_days_and_the_deadline(client, maasland_call):
    response = client.get(maasland_call.get_absolute_url())
    page = response.content.decode()
    assert response.status_code == 200
    assert [f"Regio-uitdaging {n}" in page for n in (1, 2, 3, 4)] == [True] * 4
    assert page.index("Regio-uitdaging 1") < page.index("Regio-uitdaging 2") < page.index("Regio-uitdaging 4")
    assert "19, 21 en 23 juni 2023" in page
    assert "1 juni 2023 om 23:59" in page
    assert "liesbet.adams@maasmechelen.be" in page


def test_the_call_page_draws_each_challenges_shares_with_a_text_alternative(client, maasland_call):
    page = client.get(maasland_call.get_absolute_url()).content.decode()
    assert page.count('<svg role="img"') == 4
    assert "Herkenbaar: 48%" in page
    assert "Minder herkenbaar: 14%" in page
    legend = page[page.index('id="shares-text-') :]
    assert legend.index("Niet herkenbaar") < legend.index("Minder herkenbaar") < legend.index("Herkenbaar: 48%")


@time_machine.travel("2023-05-31 12:00:00+02:00", tick=False)
def test_while_intake_is_open_the_call_page_shows_the_time_left(client, maasland_call):
    page = client.get(maasland_call.get_absolute_url()).content.decode()
    assert "nog 1\xa0dag, 11\xa0uur resterend" in page
    assert 'aria-current="step"' in page


@time_machine.travel("2023-06-02 00:00:00+02:00", tick=False)
def test_after_the_deadline_the_call_page_shows_no_time_left(client, maasland_call):
    page = client.get(maasland_call.get_absolute_url()).content.decode()
    assert "resterend" not in page
    assert "Beoordeling van de schriftelijke projectvoorstellen" in page


def test_the_call_page_says_how_the_jury_judges_with_the_criteria_and_weights_of_both_rounds(client, maasland_call):
    """From the call's own criteria (jury.Criterion): each round in its own table, each weight as a share of its
    round's total, as jury/scoring.py counts it."""
    maasland_call.criteria.filter(round="pitch", position=6).update(weight=40)
    page = client.get(maasland_call.get_absolute_url()).content.decode()
    section = page[page.index('id="judging-heading"') : page.index("</section>", page.index('id="judging-heading"'))]
    rows = re.findall(r"<tr><th scope=\"row\">(.*?)</th>.*?<td class=\"text-end\">(\d+)%</td></tr>", section, re.DOTALL)
    assert "Schriftelijke voorstellen" in section and "Pitches" in section
    assert rows == [
        ("Aansluiting bij de regio-uitdagingen en bereik van de persona", "25"),
        ("Werkingsprincipes", "20"),
        ("Expertise in de thema's van de arena-analyse".replace("'", "&#x27;"), "15"),
        ("Netwerk dat de dienstverlening uitbouwt", "10"),
        ("Haalbaarheid en budget", "15"),
        ("Samenwerking met de lokale besturen en VDAB", "15"),
        ("Aansluiting bij de regio-uitdagingen en bereik van de persona", "20"),
        ("Werkingsprincipes", "16"),
        ("Expertise in de thema's van de arena-analyse".replace("'", "&#x27;"), "12"),
        ("Netwerk dat de dienstverlening uitbouwt", "8"),
        ("Haalbaarheid en budget", "12"),
        ("Samenwerking met de lokale besturen en VDAB", "32"),
    ]


def test_a_challenge_page_lists_its_questions_and_personas(client, maasland_call):
    response = client.get(reverse("challenges:challenge_detail", args=["maasland-2023", 3]))
    page = response.content.decode()
    assert response.status_code == 200
    assert ["Marcel" in page, "Jordy" in page, "Roy" in page] == [True, True, True]
    assert page.count("<li>Hoe kunnen we") == 5


def test_a_persona_page_says_its_description_is_the_portals_summary_of_the_challenges(client, maasland_call):
    """Said to the reader, without the portal's own story of how the text was made (a persona sheet that did not
    come through)."""
    response = client.get(reverse("challenges:persona_detail", args=["maasland-2023", "nassim"]))
    page = response.content.decode()
    assert response.status_code == 200
    assert (
        "Deze beschrijving vat samen wat de regio-uitdagingen van het addendum over deze persona zeggen; "
        "ze is geen tekst uit het addendum zelf." in page
    )
    assert ("personafiche" in page, "niet beschikbaar" in page) == (False, False)
    assert "Regio-uitdaging 4" in page


def test_the_call_page_marks_the_short_names_of_the_service_types_as_the_portals_own(client, maasland_call):
    page = client.get(maasland_call.get_absolute_url()).content.decode()
    services = page[page.index('id="services-heading"') : page.index("</section>", page.index('id="services-heading"'))]
    assert (
        "De korte namen in het vet zijn van het portaal, om ernaar te verwijzen; de tekst erna is die van het addendum."
        in services
    )
    assert "in dit document" not in page


def test_an_unpublished_call_is_not_found(client, maasland_call):
    Call.objects.filter(pk=maasland_call.pk).update(is_published=False)
    assert client.get(maasland_call.get_absolute_url()).status_code == 404
    assert client.get(reverse("challenges:challenge_detail", args=["maasland-2023", 1])).status_code == 404


def test_an_unknown_challenge_or_persona_is_not_found(client, maasland_call):
    assert client.get(reverse("challenges:challenge_detail", args=["maasland-2023", 9])).status_code == 404
    assert client.get(reverse("challenges:persona_detail", args=["maasland-2023", "nobody"])).status_code == 404


def test_the_call_page_speaks_english_after_the_language_switch(client, maasland_call):
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    page = client.get(maasland_call.get_absolute_url()).content.decode()
    assert "Regional challenges" in page
    assert '<html lang="en">' in page


@pytest.mark.parametrize("call_count", [1, 4])
def test_the_call_list_takes_the_same_number_of_queries_for_one_or_four_calls(
    client, maasland_call, django_assert_num_queries, call_count
):
    if call_count > 1:
        demo.seed_demo_calls(maasland_call, today=maasland_call.launch_date)
    assert Call.objects.count() == call_count
    with django_assert_num_queries(4):
        response = client.get(reverse("challenges:call_list"))
    assert response.content.decode().count('class="card h-100"') == call_count


def test_the_call_page_takes_eleven_queries_whatever_the_number_of_personas_per_challenge(
    client, maasland_call, django_assert_num_queries
):
    """Each persona linked from a challenge knows its call without asking the database for it again."""
    for challenge in maasland_call.challenges.all():
        challenge.personas.set(maasland_call.personas.all())
    with django_assert_num_queries(11):  # the tenth: the jury's criteria (jury/call_page.py)
        response = client.get(maasland_call.get_absolute_url())
    assert response.status_code == 200


class LinkCollector(HTMLParser):
    def __init__(self):
        super().__init__()
        self.urls = []

    def handle_starttag(self, tag, attrs):
        for name, value in attrs:
            if name in {"src", "href", "action", "srcset", "poster", "data", "formaction"} and value:
                self.urls.append(value)
            if name == "style" and value:
                self.urls += re.findall(r"url\(([^)]+)\)", value)


def public_urls(call):
    urls = [reverse("challenges:call_list"), call.get_absolute_url(), reverse("accounts:login")]
    urls += [challenge.get_absolute_url() for challenge in call.challenges.all()]
    urls += [persona.get_absolute_url() for persona in call.personas.all()]
    return urls


def test_no_public_page_loads_anything_from_another_host(client, maasland_call):
    offending = []
    for url in public_urls(maasland_call):
        response = client.get(url)
        assert response.status_code == 200, url
        collector = LinkCollector()
        collector.feed(response.content.decode())
        assert collector.urls, url
        for link in collector.urls:
            parts = urlsplit(link)
            if parts.scheme in {"mailto", "tel"}:
                continue
            if parts.scheme or parts.netloc:
                offending.append((url, link))
    assert offending == []


def test_pages_are_dutch_whatever_language_the_browser_asks_for(client, maasland_call):
    page = client.get(maasland_call.get_absolute_url(), HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9").content.decode()
    assert "Regio-uitdagingen" in page
    assert '<html lang="nl">' in page
