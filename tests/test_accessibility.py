"""The accessibility statement: public, in Dutch, with the compliance status, what the checks cover, the date, the
call's contact and the Vlaamse Ombudsdienst; linked from every page's footer."""

import re

import pytest
from django.urls import reverse

from challenges.accessibility import ADMIN_AXE_EXCLUSIONS

STATEMENT = reverse("accessibility")


def text_of(response):
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", response.content.decode()))


def test_the_statement_is_public_and_in_dutch(client, maasland_call):
    response = client.get(STATEMENT)
    text = text_of(response)
    assert response.status_code == 200
    assert "<h1>Toegankelijkheidsverklaring</h1>" in response.content.decode()
    assert "gedeeltelijk in overeenstemming met de Web Content Accessibility Guidelines (WCAG) 2.1, niveau AA" in text
    assert "decreet van 7 december 2018" in text


def test_the_statement_says_what_the_automated_checks_cover_and_its_date(client, maasland_call):
    text = text_of(client.get(STATEMENT))
    assert "axe-core 4.12" in text
    assert "met alleen het toetsenbord" in text
    assert "360 pixels" in text
    assert "Deze verklaring werd opgesteld op 27 november 2026" in text


def test_the_statement_names_the_calls_contact_and_the_ombudsman(client, maasland_call):
    text = text_of(client.get(STATEMENT))
    assert maasland_call.contact_organisation == ""  # the addendum names no organisation for her (docs/words.md)
    assert maasland_call.contact_name in text
    assert maasland_call.contact_email in text
    assert "Vlaamse Ombudsdienst" in text
    assert "klachten@vlaamseombudsdienst.be" in text


def test_the_statement_lists_every_rule_left_out_on_the_admin_pages(client, maasland_call):
    text = text_of(client.get(STATEMENT))
    assert [rule for rule in ADMIN_AXE_EXCLUSIONS if rule not in text] == []


@pytest.mark.parametrize("url", ["/", "/oproepen/maasland-2023/", "/account/inloggen/", STATEMENT])
def test_every_page_links_the_statement_from_its_footer(client, maasland_call, url):
    footer = client.get(url).content.decode().split('<footer class="portal-footer', 1)[1]
    assert f'<a href="{STATEMENT}">Toegankelijkheidsverklaring</a>' in footer
