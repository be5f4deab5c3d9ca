"""Our own error pages: Dutch, in the portal's layout, with DEBUG off; the 500 page needs no request context."""

import pytest
from django.test import Client

pytestmark = [pytest.mark.urls("tests.error_urls"), pytest.mark.sqlite_pass]

NO_DJANGO_WORDING = ("Not Found", "Server Error", "Bad Request", "Forbidden", "DEBUG", "CSRF verification failed")


@pytest.fixture
def visitor(db, settings):
    settings.DEBUG = False
    return Client(raise_request_exception=False)


def assert_our_page(response, status, heading):
    page = response.content.decode()
    assert response.status_code == status
    assert '<html lang="nl">' in page
    assert f"<h1>{heading}</h1>" in page
    assert 'class="portal-footer' in page and 'href="/"' in page
    assert [words for words in NO_DJANGO_WORDING if words in page] == []


def test_a_page_that_does_not_exist_gets_our_dutch_404(visitor):
    assert_our_page(visitor.get("/bestaat-niet/"), 404, "Deze pagina bestaat niet")


def test_a_tampered_request_gets_our_dutch_400(visitor):
    assert_our_page(visitor.get("/fout/400/"), 400, "Dit verzoek klopt niet")


def test_a_forbidden_page_gets_our_dutch_403(visitor):
    assert_our_page(visitor.get("/fout/403/"), 403, "Geen toegang")


def test_a_bug_gets_our_dutch_500(visitor):
    assert_our_page(visitor.get("/fout/500/"), 500, "Er ging iets mis")


def test_the_500_page_renders_even_when_the_page_context_itself_fails(visitor, settings):
    engine = {**settings.TEMPLATES[0]}
    engine["OPTIONS"] = {**engine["OPTIONS"]}
    processors = engine["OPTIONS"]["context_processors"]
    engine["OPTIONS"]["context_processors"] = [*processors, "tests.error_urls.failing_context"]
    settings.TEMPLATES = [engine]
    assert_our_page(visitor.get("/fout/500/"), 500, "Er ging iets mis")


def test_a_csrf_failure_gets_our_dutch_page(db, settings):
    settings.DEBUG = False
    client = Client(enforce_csrf_checks=True)
    response = client.post("/account/inloggen/", {"email": "a@example.org"})
    assert_our_page(response, 403, "Je formulier is niet verzonden")
