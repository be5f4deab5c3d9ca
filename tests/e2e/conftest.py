"""Browser tests: Playwright (sync API) drives Debian's Chromium against pytest-django's live server.

The browser is never downloaded: the tests use /usr/bin/chromium and fail when it is missing (.ci/run installs it).
Every page a journey shows goes through `journey.check(page, step)` (or `journey.visit`): a numbered screenshot for
people to look at, then axe-core's WCAG 2.1 A and AA rules, failing on any violation. Every page also fails the test
on a console error or an uncaught script error, which is how a Content-Security-Policy violation shows.
"""

import datetime
import os
import re
import shutil
from pathlib import Path

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.conf import settings
from django.core.management import call_command
from django.test import Client, override_settings
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect, sync_playwright
from pytest_django.live_server_helper import LiveServer

from candidacies import services as candidacy_services
from challenges.accessibility import ADMIN_AXE_EXCLUSIONS
from challenges.models import Call
from challenges.services import copy_call_shifted
from demo.services import ensure_call_manager_group
from jury import services as jury_services
from jury.models import Criterion, JuryMember
from maasland import clock
from tests import factories

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
ARTIFACTS = Path(settings.BASE_DIR) / "test-artifacts" / "e2e"
DAYS_TO_DEADLINE = 10
# Submitting renders and mails the PDF receipt before the page answers: room for a busy CI machine.
TIMEOUT_MS = 15_000
WCAG_21_AA_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
PASSWORD = "a-Strong-passw0rd"  # what tests.factories.user gives every user


@pytest.fixture(scope="session")
def live_server(request):
    """pytest-django's live server, started with a MEDIA_URL on another host.

    Django's LiveServerThread also serves MEDIA_ROOT under MEDIA_URL and cannot start with the portal's
    MEDIA_URL = None (urlparse(None) gives bytes). A URL with a host makes it serve no media at all, so the files
    stay private as in production; the setting is changed only while the server starts.
    """
    address = request.config.getvalue("liveserver") or os.getenv("DJANGO_LIVE_TEST_SERVER_ADDRESS") or "localhost"
    with override_settings(MEDIA_URL="http://media.invalid/"):
        server = LiveServer(address)
    yield server
    server.stop()


@pytest.fixture(scope="module")
def browser():
    if not CHROMIUM.exists():
        pytest.fail(
            f"The browser tests need Debian's Chromium at {CHROMIUM}: apt-get install -y chromium "
            "(Playwright's own browser download is not used).",
            pytrace=False,
        )
    with pytest.MonkeyPatch.context() as patch, sync_playwright() as playwright:
        # Playwright's sync API runs an event loop in this thread, so Django would refuse the tests' ORM calls as
        # async-unsafe; this is the documented setting for it, set only while the browser runs.
        patch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
        expect.set_options(timeout=TIMEOUT_MS)
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield browser
        browser.close()


class BrowserLog:
    """What the pages asked for and what went wrong: no page may load from another host, log a console error or
    throw. A 4xx answer to a page itself (a refused form comes back with 400) is for the test to expect; a failed
    stylesheet, script or image is an error."""

    FAILED_LOAD = re.compile(r"^Failed to load resource: the server responded with a status of \d+")
    # axe-core itself sets style attributes while it checks (colour contrast): under the portal's CSP that is
    # reported as a violation, but it is axe's doing, not the page's. Only this report, only while axe runs.
    AXE_INLINE_STYLE = "Applying inline style violates the following Content Security Policy directive"

    def __init__(self, origin):
        self.origin = origin
        self.foreign_requests = []
        self.failed_responses = []
        self.failed_documents = set()
        self.console_errors = []
        self.page_errors = []
        self.axe_running = False

    def watch(self, page):
        page.on("request", self._request)
        page.on("response", self._response)
        page.on("console", self._console)
        page.on("pageerror", lambda error: self.page_errors.append(str(error)))
        return page

    def _request(self, request):
        if not request.url.startswith((self.origin, "data:", "blob:", "about:")):
            self.foreign_requests.append(request.url)

    def _response(self, response):
        if response.status >= 400:
            self.failed_responses.append(f"{response.status} {response.url}")
            if response.request.resource_type == "document":
                self.failed_documents.add(response.url)

    def _console(self, message):
        if message.type != "error":
            return
        if self.FAILED_LOAD.match(message.text) and message.location.get("url") in self.failed_documents:
            return
        if self.axe_running and message.text.startswith(self.AXE_INLINE_STYLE):
            return
        where = message.location.get("url") or (message.page.url if message.page else "")
        self.console_errors.append(f"{message.text} ({where})")

    def problems(self):
        failed_resources = [
            failed for failed in self.failed_responses if failed.split(" ", 1)[1] not in self.failed_documents
        ]
        return {
            "foreign requests": self.foreign_requests,
            "console errors": self.console_errors,
            "page errors": self.page_errors,
            "failed resources": failed_resources,
        }

    def assert_clean(self, where):
        problems = {kind: items for kind, items in self.problems().items() if items}
        if problems:
            lines = [f"The browser reported problems {where}:"]
            for kind, items in problems.items():
                lines += [f"  {kind}:", *(f"    - {item}" for item in items)]
            pytest.fail("\n".join(lines), pytrace=False)


@pytest.fixture
def browser_log(live_server):
    return BrowserLog(live_server.url)


@pytest.fixture
def context(browser, browser_log):
    context = browser.new_context(
        locale="nl-BE", timezone_id="Europe/Brussels", viewport={"width": 1280, "height": 900}
    )
    context.set_default_timeout(TIMEOUT_MS)
    context.on("page", browser_log.watch)
    yield context
    context.close()
    browser_log.assert_clean("during the test")


@pytest.fixture
def page(context):
    return context.new_page()


def axe_violations(page, *, exclusions=()):
    """axe-core's WCAG 2.1 A and AA violations on the page as it is now (axe.min.js ships with
    axe-playwright-python: nothing is downloaded), each as {id, impact, help, helpUrl, nodes}."""
    options = {"runOnly": {"type": "tag", "values": WCAG_21_AA_TAGS}, "resultTypes": ["violations"]}
    if exclusions:
        options["rules"] = {rule: {"enabled": False} for rule in exclusions}
    return Axe().run(page, options=options).response["violations"]


def describe_violations(violations):
    """One readable block per rule: its id, impact and help, then each failing element's selector and HTML."""
    lines = []
    for violation in violations:
        lines.append(f"- {violation['id']} ({violation['impact']}): {violation['help']} [{violation['helpUrl']}]")
        for node in violation["nodes"]:
            target = " ".join(str(part) for part in node["target"])
            lines.append(f"    {target}: {node['html'][:200]}")
    return "\n".join(lines)


class Journey:
    """The steps of one journey: each is a numbered screenshot under test-artifacts/e2e/<journey>/NN-step.png, an
    axe-core WCAG 2.1 A/AA run that must find nothing, and a look at the browser's log."""

    def __init__(self, folder, live_server, browser_log):
        self.folder = folder
        self.live_server = live_server
        self.browser_log = browser_log
        self.number = 0
        self.checked = []

    def visit(self, page, path, step):
        """Opens a path (or a full URL) of the live server and checks the page."""
        page.goto(path if path.startswith("http") else self.live_server.url + path)
        self.check(page, step)
        return page

    def check(self, page, step):
        self.number += 1
        name = f"{self.number:02d}-{step}"
        page.screenshot(path=self.folder / f"{name}.png", full_page=True)
        self.browser_log.assert_clean(f"up to step {name} ({page.url})")
        admin = page.url.startswith(self.live_server.url + "/admin/")
        self.browser_log.axe_running = True
        try:
            violations = axe_violations(page, exclusions=ADMIN_AXE_EXCLUSIONS if admin else ())
            page.evaluate("0")  # a round trip, so the browser's reports made during the run have arrived
        finally:
            self.browser_log.axe_running = False
        self.browser_log.assert_clean(f"while axe-core checked step {name} ({page.url})")
        if violations:
            pytest.fail(
                f"axe-core found {len(violations)} WCAG 2.1 A/AA violation(s) at step {name} ({page.url}):\n"
                + describe_violations(violations),
                pytrace=False,
            )
        self.checked.append(page.url)


@pytest.fixture
def journey(request, live_server, browser_log):
    """test-artifacts/e2e/<test name without test_>/: emptied at the start of the test."""
    folder = ARTIFACTS / re.sub(r"[^\w.-]", "_", request.node.name.removeprefix("test_"))
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    return Journey(folder, live_server, browser_log)


@pytest.fixture(autouse=True)
def private_media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def e2e_maasland_call(transactional_db):
    """The real 2023 call, committed so that the live server sees it."""
    call_command("loaddata", "maasland", verbosity=0)
    return Call.objects.get(slug="maasland-2023")


@pytest.fixture
def open_call(e2e_maasland_call):
    """A copy of the real call whose deadline is ten days from today (the server thread uses the real clock)."""
    real_deadline = timezone.localtime(e2e_maasland_call.deadline).date()
    days = (timezone.localdate() + datetime.timedelta(days=DAYS_TO_DEADLINE) - real_deadline).days
    return copy_call_shifted(e2e_maasland_call, slug="e2e-open", subtitle="E2E open", reference_prefix="E2E", days=days)


@pytest.fixture
def log_in(context, live_server):
    """Logs the browser in as a user without going through the login form."""

    def log_in(user):
        client = Client()
        client.force_login(user)
        context.add_cookies(
            [
                {
                    "name": settings.SESSION_COOKIE_NAME,
                    "value": client.cookies[settings.SESSION_COOKIE_NAME].value,
                    "url": live_server.url,
                }
            ]
        )

    return log_in


def call_shifted_to(real_call, *, slug, first_pitch_day):
    """A copy of the real call, dates shifted so that its first pitch day is `first_pitch_day`, with the real call's
    criteria of both rounds (the live server runs on today's clock, so the data must be dated around today)."""
    days = (first_pitch_day - real_call.pitch_dates[0]).days
    call = copy_call_shifted(
        real_call, slug=slug, subtitle=f"E2E {slug}", reference_prefix=slug.rsplit("-", 1)[-1].upper(), days=days
    )
    Criterion.objects.bulk_create(
        Criterion(
            call=call,
            round=criterion.round,
            position=criterion.position,
            name=criterion.name,
            description=criterion.description,
            weight=criterion.weight,
            scale_min=criterion.scale_min,
            scale_max=criterion.scale_max,
        )
        for criterion in Criterion.objects.filter(call=real_call)
    )
    return call


def submitted_candidacy(call, name, *, applicant=None):
    """A candidacy of a new organisation, submitted the day before the deadline."""
    return factories.submitted_candidacy(
        call,
        name=name,
        member=applicant,
        title=f"Project van {name}",
        at=call.deadline - datetime.timedelta(days=1),
    )


def call_manager(email="beheerder@example.org"):
    user = factories.user(email, full_name="Liesbet Adams", is_staff=True)
    user.groups.add(ensure_call_manager_group())
    return user


def chair_of(call, email="voorzitter@example.org"):
    user = factories.user(email, full_name="Vera Voorzitter")
    return JuryMember.objects.create(call=call, user=user, role=JuryMember.Role.CHAIR)


def decided_candidacy(call, name, chair, *, outcome, manager):
    """Submitted, shortlisted, pitched and decided by the chair (not communicated): a week after the last pitch day."""
    candidacy = submitted_candidacy(call, name)
    after_pitches = clock.day_start(call.pitch_dates[-1]) + datetime.timedelta(days=1)
    candidacy_services.shortlist(candidacy, by=manager, at=after_pitches)
    candidacy_services.mark_pitched(candidacy, by=manager, at=after_pitches)
    factories.rounds_closed(call, chair, at=after_pitches)
    jury_services.record_decision(
        candidacy,
        outcome=outcome,
        motivation="De jury weegt de scores van beide rondes af tegen de regio-uitdagingen.",
        by=chair.user,
        at=after_pitches,
    )
    candidacy.refresh_from_db()
    return candidacy


def log_in_through_the_form(page, live_server, email, journey=None):
    page.goto(live_server.url + reverse("accounts:login"))
    page.locator("main input[name=username]").fill(email)
    page.locator("main input[name=password]").fill(PASSWORD)
    if journey:
        journey.check(page, "login")
    page.locator("main form").get_by_role("button", name="Inloggen").click()
    expect(page.get_by_role("button", name=re.compile(r"^Afmelden"))).to_be_visible()


def pass_the_second_factor(page, user, journey=None):
    """On the page that asks the second factor (staff after the password): types the code the user's authenticator
    (tests.factories.authenticator, made before the login) shows now, computed from its key."""
    expect(page.get_by_role("heading", level=1)).to_have_text("Tweestapsverificatie")
    if journey:
        journey.check(page, "second-factor")
    page.locator("main input[name=code]").fill(factories.authenticator_code(factories.authenticator(user)))
    page.get_by_role("button", name="Verder").click()


ERROR_SUMMARY_LINKS = """() => [...document.querySelectorAll("#error-summary a[href^='#']")].map(link => {
    const field = document.getElementById(link.getAttribute("href").slice(1));
    const described = field && (field.closest("fieldset[aria-describedby]") || field);
    const ids = described ? (described.getAttribute("aria-describedby") || "").split(/\\s+/).filter(Boolean) : [];
    return {
        message: link.textContent.trim(),
        field: field ? field.id : null,
        invalid: field ? field.getAttribute("aria-invalid") : null,
        described: ids.map(id => document.getElementById(id)).filter(Boolean).map(el => el.textContent.trim()),
    };
})"""


def error_summary_links(page):
    """The GOV.UK pattern, read from the page: each link of the error summary, the field it leads to, whether that
    field is marked invalid, and the texts its aria-describedby points at (a group's fieldset carries them)."""
    return page.evaluate(ERROR_SUMMARY_LINKS)


def assert_error_summary_tied_to_fields(page):
    """Every link in the summary leads to a field that is marked invalid and names the same message as its
    description; following the first link puts the focus on that field."""
    links = error_summary_links(page)
    assert links, "the error summary has no links to fields"
    untied = [
        link for link in links if not link["field"] or not any(link["message"] in text for text in link["described"])
    ]
    assert untied == [], "error summary links whose field does not describe itself with the same message"
    assert [link["field"] for link in links if link["invalid"] != "true"] == []
    page.locator("#error-summary a[href^='#']").first.click()
    assert page.evaluate("document.activeElement.id") == links[0]["field"]
    return links
