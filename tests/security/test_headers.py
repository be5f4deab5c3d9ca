"""Every page answers with the hardened headers: one strict Content Security Policy (no inline script or style, no
framing), X-Frame-Options, nosniff and Referrer-Policy; staff sessions end on time; a locked account shows in admin
and can be unlocked there."""

import datetime

import pytest
import time_machine
from axes.models import AccessAttempt
from django.contrib import admin
from django.test import Client
from django.urls import reverse

from maasland import sessions
from tests import factories

pytestmark = pytest.mark.django_db

PASSWORD = "a-Strong-passw0rd"  # tests/factories.py gives every user this one
# django-csp writes the directives in no fixed order: the policy is compared directive by directive.
EXPECTED_POLICY = {
    "default-src": "'self'",
    "script-src": "'self'",
    "style-src": "'self'",
    "img-src": "'self' data:",
    "font-src": "'self'",
    "object-src": "'none'",
    "base-uri": "'self'",
    "form-action": "'self'",
    "frame-ancestors": "'none'",
}
HARDENED_HEADERS = {
    "Content-Security-Policy": EXPECTED_POLICY,
    "X-Frame-Options": "DENY",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
    "Cross-Origin-Opener-Policy": "same-origin",
}


@pytest.fixture
def seeded_call(seeded_call_shared):
    """The seeded call built once for the module: its tests only read it."""
    return seeded_call_shared


def policy_of(header):
    directives = [part.strip().split(" ", 1) for part in (header or "").split(";") if part.strip()]
    return dict(directives)


def headers_of(response):
    headers = {name: response.get(name) for name in HARDENED_HEADERS}
    headers["Content-Security-Policy"] = policy_of(headers["Content-Security-Policy"])
    return headers


def client_for(user):
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


def pages(seeded):
    """(who, path, status): public, applicant, jury and admin pages of the seeded call, as each role sees them."""
    call, a = seeded.call, seeded.candidacy_a
    challenge = call.challenges.order_by("number").first()
    persona = call.personas.order_by("position").first()
    rows = [
        (None, reverse("challenges:call_list"), 200),
        (None, reverse("challenges:call_detail", args=[call.slug]), 200),
        (None, reverse("challenges:challenge_detail", args=[call.slug, challenge.number]), 200),
        (None, reverse("challenges:persona_detail", args=[call.slug, persona.slug]), 200),
        (None, reverse("accounts:login"), 200),
        (None, reverse("accounts:signup"), 200),
        (None, reverse("accounts:password_reset"), 200),
        (None, reverse("candidacies:candidacy_list"), 302),
        (None, "/bestaat-niet/", 404),
        (seeded.applicant_a, reverse("candidacies:candidacy_list"), 200),
        (seeded.applicant_a, reverse("candidacies:candidacy_detail", args=[a.pk]), 200),
        (seeded.applicant_a, reverse("candidacies:organisation_detail", args=[a.organisation.pk]), 200),
        (seeded.applicant_a, reverse("jury:weerwoord", args=[a.pk]), 200),
        (seeded.applicant_b, reverse("candidacies:candidacy_detail", args=[a.pk]), 404),
        (seeded.juror.user, reverse("jury:dashboard"), 200),
        (seeded.juror.user, reverse("jury:candidacy", args=[a.pk]), 200),
        (seeded.juror.user, reverse("jury:score_sheet", args=[a.pk, "written"]), 200),
        (seeded.chair.user, reverse("jury:ranking", args=[call.slug, "written"]), 200),
        (seeded.chair.user, reverse("jury:decisions", args=[call.slug]), 200),
        (seeded.manager, reverse("admin:index"), 200),
        (seeded.manager, reverse("admin:candidacies_candidacy_change", args=[a.pk]), 200),
        (seeded.manager, reverse("admin:jury_decision_change", args=[seeded.decision_a.pk]), 200),
        (seeded.superuser, reverse("admin:jury_decision_history", args=[seeded.decision_a.pk]), 200),
    ]
    for model in admin.site._registry:
        rows.append(
            (seeded.superuser, reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist"), 200)
        )
    return rows


def test_every_kind_of_page_answers_with_the_strict_policy_and_the_hardened_headers(seeded_call):
    answers = []
    for user, path, _status in pages(seeded_call):
        response = client_for(user).get(path)
        answers.append((str(user), path, response.status_code, headers_of(response)))
    expected = [(str(user), path, status, HARDENED_HEADERS) for user, path, status in pages(seeded_call)]
    assert answers == expected


def test_a_refused_form_and_a_download_carry_the_headers_too(seeded_call):
    client = client_for(seeded_call.applicant_a)
    refused = Client().post(reverse("accounts:login"), {"username": "niemand@example.org", "password": "fout"})
    download = client.get(seeded_call.attachment_a.get_absolute_url())
    download.close()
    assert (refused.status_code, headers_of(refused)) == (200, HARDENED_HEADERS)
    assert (download.status_code, headers_of(download)["X-Content-Type-Options"]) == (200, "nosniff")
    assert download["Content-Disposition"] == 'attachment; filename="projectplan.pdf"'


# Staff sessions

LOGGED_IN = datetime.datetime(2023, 6, 20, 8, 0, tzinfo=datetime.UTC)


@pytest.fixture
def manager_client(db):
    from demo.services import ensure_call_manager_group

    user = factories.user("beheerder@example.org", full_name="Liesbet Adams", is_staff=True)
    user.groups.add(ensure_call_manager_group())
    client = Client()
    with time_machine.travel(LOGGED_IN, tick=False):
        client.force_login(user)
    return client


def admin_status(client, at):
    with time_machine.travel(at, tick=False):
        response = client.get(reverse("admin:index"))
    return response.status_code, response.get("Location")


def login_redirect():
    return f"{reverse('accounts:login')}?next=/admin/"


def test_a_staff_login_gets_a_session_cookie_that_ends_with_the_browser(db):
    manager = factories.user("beheerder@example.org", is_staff=True)
    applicant = factories.user("an@example.org")
    cookies = {}
    for user in (manager, applicant):
        response = Client().post(reverse("accounts:login"), {"username": user.email, "password": PASSWORD})
        cookie = response.cookies["sessionid"]
        cookies[user.email] = (response.status_code, bool(cookie["max-age"]), cookie["httponly"], cookie["samesite"])
    assert cookies == {"beheerder@example.org": (302, False, True, "Lax"), "an@example.org": (302, True, True, "Lax")}


def test_a_staff_session_ends_after_the_staff_session_age_even_while_used(manager_client, settings):
    settings.STAFF_SESSION_AGE = 8 * 60 * 60
    settings.STAFF_SESSION_IDLE = 2 * 60 * 60
    hourly = [LOGGED_IN + datetime.timedelta(hours=hours) for hours in range(1, 9)]
    statuses = [admin_status(manager_client, at)[0] for at in hourly]
    late = admin_status(manager_client, LOGGED_IN + datetime.timedelta(hours=8, seconds=1))
    assert (statuses, late) == ([200] * 8, (302, login_redirect()))


def test_a_staff_session_ends_after_the_idle_time_without_a_request(manager_client, settings):
    settings.STAFF_SESSION_IDLE = 2 * 60 * 60
    in_time = admin_status(manager_client, LOGGED_IN + datetime.timedelta(hours=2))
    idle = admin_status(manager_client, LOGGED_IN + datetime.timedelta(hours=4, seconds=1))
    assert (in_time, idle) == ((200, None), (302, login_redirect()))


def test_an_ended_staff_session_is_logged_out_and_says_why(manager_client):
    with time_machine.travel(LOGGED_IN + datetime.timedelta(hours=9), tick=False):
        manager_client.get(reverse("admin:index"))
        page = manager_client.get(reverse("accounts:login"))
    assert "_auth_user_id" not in manager_client.session
    assert "Je sessie is afgelopen" in page.content.decode()


def test_an_applicant_session_is_not_cut_short(db):
    applicant = factories.user("an@example.org")
    client = Client()
    with time_machine.travel(LOGGED_IN, tick=False):
        client.force_login(applicant)
    with time_machine.travel(LOGGED_IN + datetime.timedelta(hours=12), tick=False):
        response = client.get(reverse("candidacies:candidacy_list"))
    assert (response.status_code, sessions.STARTED in client.session) == (200, False)


# Locked accounts


def fail_logins(email, times):
    client = Client(REMOTE_ADDR="192.0.2.7")
    for _attempt in range(times):
        response = client.post(reverse("accounts:login"), {"username": email, "password": "verkeerd-wachtwoord"})
    return response


@pytest.fixture
def locked_applicant(db, settings):
    user = factories.user("vergrendeld@example.org")
    fail_logins(user.email, settings.AXES_FAILURE_LIMIT)
    return user


def test_a_locked_account_is_listed_as_locked_in_admin(locked_applicant, admin_client):
    response = admin_client.get(reverse("admin:axes_accessattempt_changelist"), {"locked": "yes"})
    rows = [(row.username, row.failures_since_start) for row in response.context["cl"].result_list]
    assert (response.status_code, rows) == (200, [("vergrendeld@example.org", 5)])
    assert "Mislukte aanmeldingen en vergrendelingen" in response.content.decode()


def test_unlocking_in_admin_lets_the_account_log_in_again(locked_applicant, admin_client):
    attempt = AccessAttempt.objects.get(username=locked_applicant.email)
    refused = Client(REMOTE_ADDR="192.0.2.7").post(
        reverse("accounts:login"), {"username": locked_applicant.email, "password": PASSWORD}
    )
    response = admin_client.post(
        reverse("admin:axes_accessattempt_changelist"),
        {"action": "unlock", "_selected_action": [attempt.pk]},
        follow=True,
    )
    after = Client(REMOTE_ADDR="192.0.2.7").post(
        reverse("accounts:login"), {"username": locked_applicant.email, "password": PASSWORD}
    )
    assert (refused.status_code, after.status_code) == (429, 302)
    assert AccessAttempt.objects.filter(username=locked_applicant.email).count() == 0
    assert "1 account ontgrendeld: vergrendeld@example.org." in response.content.decode()
