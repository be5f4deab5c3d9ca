"""Browser tests: Playwright (sync API) drives Debian's Chromium against pytest-django's live server.

The browser is never downloaded: the tests use /usr/bin/chromium and fail when it is missing.
"""

import datetime
import os
import re
import shutil
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command
from django.test import Client, override_settings
from django.utils import timezone
from playwright.sync_api import expect, sync_playwright
from pytest_django.live_server_helper import LiveServer

from challenges.models import Call
from challenges.services import copy_call_shifted

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
    """What the pages asked for and what went wrong: no page may load from another host or get an error."""

    def __init__(self, origin):
        self.origin = origin
        self.foreign_requests = []
        self.failed_responses = []
        self.page_errors = []

    def watch(self, page):
        page.on("request", self._request)
        page.on("response", self._response)
        page.on("pageerror", lambda error: self.page_errors.append(str(error)))
        return page

    def _request(self, request):
        if not request.url.startswith((self.origin, "data:", "blob:", "about:")):
            self.foreign_requests.append(request.url)

    def _response(self, response):
        if response.status >= 400:
            self.failed_responses.append(f"{response.status} {response.url}")


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
    assert browser_log.foreign_requests == []
    assert browser_log.page_errors == []


@pytest.fixture
def page(context):
    return context.new_page()


class Screenshots:
    """Numbered screenshots of each step, for people to look at: test-artifacts/e2e/<test>/NN-step.png."""

    def __init__(self, folder):
        self.folder = folder
        self.number = 0

    def __call__(self, page, step):
        self.number += 1
        page.screenshot(path=self.folder / f"{self.number:02d}-{step}.png", full_page=True)


@pytest.fixture
def screenshots(request):
    folder = ARTIFACTS / re.sub(r"[^\w.-]", "_", request.node.name)
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    return Screenshots(folder)


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
