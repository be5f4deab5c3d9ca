"""The call manager logs in to the admin through its form, reads the dashboard of the seeded call (a candidacy in
every status, a jury, slots, decisions, a weerwoord) and follows every count's link: each filtered list shows exactly
the number the dashboard printed. The dashboard and the coverage page pass axe-core, fit 360 px and work with the
keyboard."""

import re

import pytest
from django.test import Client
from django.urls import reverse
from playwright.sync_api import expect

from tests import factories
from tests.seeded import seed_call

from .conftest import PASSWORD, pass_the_second_factor

pytestmark = pytest.mark.sqlite_pass

# 8 statuses, 3 decision figures, 3 jurors × 2 rounds, 3 pitch days × (filled, all).
FIGURES = 8 + 3 + 3 * 2 + 3 * 2


def log_in_to_the_admin(page, live_server, user):
    """The admin's login form, then the second factor's code (staff pass both) from the manager's authenticator."""
    factories.authenticator(user)
    page.goto(live_server.url + reverse("admin:login"))
    page.locator("#id_username").fill(user.email)
    page.locator("#id_password").fill(PASSWORD)
    page.locator("#login-form [type=submit]").click()
    pass_the_second_factor(page, user)
    expect(page.locator(".call-dashboard").first).to_be_visible()


def listed_count(page):
    """The number of rows the admin list says it shows: '4 pitchmomenten' → 4."""
    text = page.locator("#changelist .paginator").first.inner_text()
    return int(re.match(r"\s*(\d+)", text).group(1))


def counted(html):
    """What an admin list says it shows and how many rows it has: (listed, rows)."""
    listed = int(re.search(r'<p class="paginator">\s*(\d+)', html).group(1))
    body = re.search(r'<table id="result_list">.*?<tbody>(.*?)</tbody>', html, re.S)
    return listed, body.group(1).count("<tr") if body else 0


def test_the_call_manager_follows_every_count_of_the_dashboard_to_its_filtered_list(
    page, live_server, e2e_maasland_call, journey
):
    seeded = seed_call(e2e_maasland_call)
    index = live_server.url + reverse("admin:index")

    # 1. The admin's login form and the second factor's code, then the start page: the call's dashboard with every
    # figure a link.
    log_in_to_the_admin(page, live_server, seeded.manager)
    journey.check(page, "dashboard")
    board = page.locator(f"#call-dashboard-{seeded.call.pk}")
    links = board.locator("a[data-figure]")
    expect(links).to_have_count(FIGURES)
    figures = [
        (links.nth(number).get_attribute("data-figure"), int(links.nth(number).inner_text()))
        for number in range(FIGURES)
    ]
    assert dict(figures)["status-draft"] == 1
    assert (dict(figures)["recorded"], dict(figures)["weerwoorden_to_assess"]) == (2, 1)

    # 2. Each figure's link opens a list that counts exactly as many rows. The links are read from the dashboard
    # once; the call manager's own session follows them (the keyboard step below clicks one in the browser, and the
    # last list is checked there with axe-core).
    targets = [links.nth(number).get_attribute("href") for number in range(FIGURES)]
    manager = Client()
    manager.force_login(seeded.manager)
    shown = []
    for (key, _count), target in zip(figures, targets, strict=True):
        shown.append((key, *counted(manager.get(target).content.decode())))
    assert shown == [(key, count, count) for key, count in figures]
    page.goto(live_server.url + targets[-1])
    expect(page.locator("#changelist")).to_be_visible()
    assert listed_count(page) == figures[-1][1]
    journey.check(page, "last-filtered-list")

    # 3. The keyboard: a figure reached with Tab-focus and opened with Enter.
    page.goto(index)
    link = board.locator('a[data-figure="status-submitted"]')
    link.focus()
    expect(link).to_be_focused()
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(r"/admin/candidacies/candidacy/\?call__id__exact=\d+&status__exact=submitted$"))
    assert listed_count(page) == 1

    # 4. The coverage of the needs: the heat map with its title, the table beside it.
    page.goto(index)
    board.get_by_role("link", name="Dekking van de noden van de regio").click()
    expect(page.get_by_role("img", name=re.compile("^Dekking van de noden van "))).to_be_visible()
    expect(page.locator("#coverage-table tbody th[scope=row]")).to_have_count(4 + 7 + 5 + 5)
    journey.check(page, "coverage")

    # 4b. The same page in the portal, as the chair sees it (the call manager may too).
    journey.visit(page, reverse("office_portal:coverage", args=[seeded.call.slug]), "coverage-portal")
    expect(page.locator("#coverage-table tbody th[scope=row]")).to_have_count(4 + 7 + 5 + 5)

    # 5. At 360 px the dashboard and the coverage page do not scroll sideways; their tables and map fit or scroll
    # inside their own box.
    page.set_viewport_size({"width": 360, "height": 800})
    widths = []
    pages = [
        reverse("admin:index"),
        reverse("office:coverage", args=[seeded.call.pk]),
        reverse("office_portal:coverage", args=[seeded.call.slug]),
    ]
    for number, path in enumerate(pages):
        journey.visit(page, path, f"360-px-{number + 1}")
        widths.append(page.evaluate("document.documentElement.scrollWidth"))
    assert widths == [360, 360, 360]
