"""Signing up first with someone else's address gives no hold on the account she makes later (issue 16, High).

The attacker signs up with the victim's address and his own password; the victim then signs up with hers and
confirms with the link mailed to her. Only her password may work afterwards, every link of an earlier sign-up is
void, and a confirmation link logs in only the browser that chose the password (no login CSRF).
"""

import re
from urllib.parse import urlencode, urlsplit

import pytest
from django.contrib.auth import authenticate, get_user, get_user_model
from django.test import Client, RequestFactory
from django.urls import reverse

User = get_user_model()
EMAIL = "nadia@example.org"
ATTACKER_PASSWORD = "Aanvaller-kiest-dit-1"
VICTIM_PASSWORD = "Nadia-haar-eigen-2023"
CONFIRMED_AND_LOG_IN = "Je account is bevestigd. Meld je aan."


def sign_up(client, password, full_name="Nadia Peeters", email=EMAIL, next_url=None):
    data = {"email": email, "full_name": full_name, "password1": password, "password2": password}
    if next_url is not None:
        data["next"] = next_url
    return client.post(reverse("accounts:signup"), data)


def link_in(mail):
    parts = urlsplit(re.search(r"https?://\S+", mail.body).group(0))
    return f"{parts.path}?{parts.query}" if parts.query else parts.path


def confirmation_links(mailoutbox):
    return [link_in(mail) for mail in mailoutbox if "/account/bevestigen/" in mail.body]


def logs_in(email, password):
    """A login through the form, in a browser of its own."""
    browser = Client()
    browser.post(reverse("accounts:login"), {"username": email, "password": password})
    return get_user(browser).is_authenticated


def assert_refused(response):
    assert response.status_code == 400
    assert "Deze link werkt niet" in response.content.decode()


@pytest.fixture
def attacker():
    return Client()


@pytest.fixture
def victim():
    return Client()


def test_after_the_victim_confirms_only_her_password_works(attacker, victim, db, mailoutbox):
    sign_up(attacker, ATTACKER_PASSWORD, full_name="Aanvaller")
    sign_up(victim, VICTIM_PASSWORD)
    assert len(confirmation_links(mailoutbox)) == 2

    victim.get(confirmation_links(mailoutbox)[-1])

    user = User.objects.get(email=EMAIL)
    assert authenticate(RequestFactory().post("/"), username=EMAIL, password=ATTACKER_PASSWORD) is None
    assert authenticate(RequestFactory().post("/"), username=EMAIL, password=VICTIM_PASSWORD) == user
    assert (logs_in(EMAIL, VICTIM_PASSWORD), logs_in(EMAIL, ATTACKER_PASSWORD)) == (True, False)
    assert (user.is_active, user.email_confirmed_at is not None, user.full_name) == (True, True, "Nadia Peeters")


def test_the_attackers_link_no_longer_works_once_the_victim_signed_up(attacker, victim, db, mailoutbox):
    sign_up(attacker, ATTACKER_PASSWORD)
    sign_up(victim, VICTIM_PASSWORD)
    attackers_link, victims_link = confirmation_links(mailoutbox)

    for browser in (attacker, victim, Client()):
        assert_refused(browser.get(attackers_link))
        assert get_user(browser).is_authenticated is False
    assert User.objects.get(email=EMAIL).is_active is False

    victim.get(victims_link)
    assert get_user(victim).email == EMAIL
    victim.post(reverse("accounts:logout"))
    assert_refused(attacker.get(attackers_link))
    assert get_user(attacker).is_authenticated is False


def test_a_later_sign_up_voids_the_earlier_link_whoever_made_it(attacker, victim, db, mailoutbox):
    sign_up(victim, VICTIM_PASSWORD)
    sign_up(attacker, ATTACKER_PASSWORD)
    victims_link, _attackers_link = confirmation_links(mailoutbox)

    assert_refused(victim.get(victims_link))
    user = User.objects.get(email=EMAIL)
    assert (user.is_active, user.check_password(VICTIM_PASSWORD)) == (False, False)

    sign_up(victim, VICTIM_PASSWORD)
    victim.get(confirmation_links(mailoutbox)[-1])
    assert (logs_in(EMAIL, VICTIM_PASSWORD), logs_in(EMAIL, ATTACKER_PASSWORD)) == (True, False)


def test_the_browser_that_signed_up_earlier_is_not_logged_in_by_the_later_link(attacker, victim, db, mailoutbox):
    sign_up(attacker, ATTACKER_PASSWORD)
    sign_up(victim, VICTIM_PASSWORD)

    attacker.get(confirmation_links(mailoutbox)[-1])

    assert User.objects.get(email=EMAIL).is_active is True
    assert get_user(attacker).is_authenticated is False


def test_a_link_opened_in_another_browser_activates_without_logging_in(victim, db, mailoutbox):
    sign_up(victim, VICTIM_PASSWORD)
    other_browser = Client()

    response = other_browser.get(confirmation_links(mailoutbox)[-1])

    assert User.objects.get(email=EMAIL).is_active is True
    assert get_user(other_browser).is_authenticated is False
    assert response.status_code == 302
    login_page = other_browser.get(response.url)
    assert login_page.status_code == 200
    assert [str(message) for message in login_page.context["messages"]] == [CONFIRMED_AND_LOG_IN]
    assert get_user(victim).is_authenticated is False


def test_a_link_opened_in_another_browser_keeps_where_the_sign_up_started(victim, db, mailoutbox):
    invitation_path = "/uitnodigingen/5f0c6a1e-0000-4000-8000-000000000001/"
    sign_up(victim, VICTIM_PASSWORD, next_url=invitation_path)

    response = Client().get(confirmation_links(mailoutbox)[-1])

    assert response.url == reverse("accounts:login") + "?" + urlencode({"next": invitation_path})


def test_a_link_opened_in_another_browser_leads_to_creating_an_organisation_after_login(victim, db, mailoutbox):
    sign_up(victim, VICTIM_PASSWORD)
    other_browser = Client()
    response = other_browser.get(confirmation_links(mailoutbox)[-1])
    login = other_browser.post(response.url, {"username": EMAIL, "password": VICTIM_PASSWORD})
    assert login.url == reverse("candidacies:organisation_create")


def test_the_same_browser_is_logged_in_once_only(victim, db, mailoutbox):
    sign_up(victim, VICTIM_PASSWORD)
    victim.get(confirmation_links(mailoutbox)[-1])
    assert get_user(victim).email == EMAIL
    victim.post(reverse("accounts:logout"))
    User.objects.filter(email=EMAIL).update(is_active=False, email_confirmed_at=None)

    victim.get(confirmation_links(mailoutbox)[-1])
    assert get_user(victim).is_authenticated is False


def test_the_answer_is_the_same_for_a_new_an_unconfirmed_and_a_confirmed_address(db, mailoutbox):
    User.objects.create_user("pending@example.org", "Pending-passw0rd-1", is_active=False)
    User.objects.create_user("known@example.org", "Known-passw0rd-1")

    def answer(email):
        response = sign_up(Client(), VICTIM_PASSWORD, email=email)
        return response.status_code, response.url, sorted(response.cookies)

    assert answer("new@example.org") == answer("pending@example.org") == answer("known@example.org")
    assert [mail.to for mail in mailoutbox] == [["new@example.org"], ["pending@example.org"], ["known@example.org"]]
    assert "/account/bevestigen/" not in mailoutbox[2].body
    assert User.objects.get(email="known@example.org").check_password("Known-passw0rd-1") is True
