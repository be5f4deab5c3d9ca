"""One obvious way in: the call page and the home page lead an applicant to a new candidacy."""

import re

import time_machine
from django.urls import reverse

from demo import services as demo
from tests.candidacies.conftest import DURING_INTAKE, FIRST_SECOND_LATE


def link_texts(page):
    """The text of every link in the page's main content, tags and white space removed."""
    main = page.split('id="main"', 1)[1]
    return [
        re.sub(r"\s+", " ", re.sub(r"<[^>]+>", "", text)).strip()
        for text in re.findall(r"<a\b[^>]*>(.*?)</a>", main, re.S)
    ]


@time_machine.travel(DURING_INTAKE, tick=False)
def test_while_intake_is_open_the_call_page_has_a_button_to_apply(client, maasland_call):
    page = client.get(maasland_call.get_absolute_url()).content.decode()
    start = reverse("candidacies:candidacy_create", args=[maasland_call.slug])
    assert re.search(rf'<a [^>]*href="{start}"[^>]*>\s*Kandidatuur indienen', page)


@time_machine.travel(FIRST_SECOND_LATE, tick=False)
def test_after_the_deadline_the_call_page_offers_no_way_to_apply(client, maasland_call):
    page = client.get(maasland_call.get_absolute_url()).content.decode()
    assert reverse("candidacies:candidacy_create", args=[maasland_call.slug]) not in page


def test_the_home_page_lists_open_calls_first_each_card_with_its_own_link_text(client, maasland_call):
    calls = demo.seed_demo_calls(maasland_call, today=maasland_call.launch_date)
    with time_machine.travel(DURING_INTAKE, tick=False):
        open_slugs = [call.slug for call in [maasland_call, *calls] if call.accepts_submissions(DURING_INTAKE)]
        page = client.get(reverse("challenges:call_list")).content.decode()
    card_links = re.findall(r'<h2 class="h5 card-title"><a href="/oproepen/([^/]+)/">(.*?)</a>', page, re.S)
    slugs = [slug for slug, _text in card_links]
    texts = [text for _slug, text in card_links]
    assert open_slugs and slugs[: len(open_slugs)] == sorted(open_slugs, key=slugs.index)
    assert set(slugs[: len(open_slugs)]) == set(open_slugs)
    assert len(set(texts)) == len(texts) == 4
    assert len(set(link_texts(page))) == len(link_texts(page))
    for slug in open_slugs:
        assert reverse("candidacies:candidacy_create", args=[slug]) in page
