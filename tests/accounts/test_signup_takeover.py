"""Signing up first with someone else's address gives no hold on the account she makes later (issue 16, High).

The attacker signs up with the victim's address and his own password; the victim then signs up with hers and
confirms with the link mailed to her. Only her password may work afterwards, every link of an earlier sign-up is
void, and a confirmation link logs in only the browser that chose the password (no login CSRF).

And if she never signs up at all but clicks the link in the mail the attacker's sign-up sent her, that link (opened
in a browser without the sign-up mark) activates nothing until she chose a password of her own on the page it opens.
"""

import re
from urllib.parse import urlsplit

import pytest
from django.contrib.auth import authenticate, get_user, get_user_model
from django.test import Client, RequestFactory
from django.urls import reverse

User = get_user_model()
EMAIL = "nadia@example.org"
ATTACKER_PASSWORD = "Aanvaller-kiest-dit-1"
VICTIM_PASSWORD = "Nadia-haar-eigen-2023"
CONFIRMED_AND_LOGGED_IN = "Je e-mailadres is bevestigd en je bent ingelogd. Welkom!"
CHOOSE_PASSWORD = "Kies je wachtwoord"


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


def choose_password(browser, link, password=VICTIM_PASSWORD, again=None):
    """The form the link opens in a browser that did not sign up, filled in and sent."""
    return browser.post(link, {"new_password1": password, "new_password2": password if again is None else again})


def assert_asks_for_a_password(response):
    assert response.status_code == 200
    assert response.templates[0].name == "accounts/confirm_password.html"
    page = response.content.decode()
    assert f"<h1>{CHOOSE_PASSWORD}</h1>" in page
    assert 'type="password" name="new_password1"' in page and 'type="password" name="new_password2"' in page
    assert "csrfmiddlewaretoken" in page


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


def test_the_browser_that_signed_up_earlier_gets_the_password_form_from_a_later_link(attacker, victim, db, mailoutbox):
    sign_up(attacker, ATTACKER_PASSWORD)
    sign_up(victim, VICTIM_PASSWORD)

    response = attacker.get(confirmation_links(mailoutbox)[-1])

    assert_asks_for_a_password(response)
    user = User.objects.get(email=EMAIL)
    assert (user.is_active, user.check_password(VICTIM_PASSWORD)) == (False, True)
    assert get_user(attacker).is_authenticated is False


def test_the_victim_who_never_signed_up_chooses_her_own_password_with_the_attackers_link(attacker, db, mailoutbox):
    sign_up(attacker, ATTACKER_PASSWORD, full_name="Aanvaller")
    sign_up(attacker, ATTACKER_PASSWORD, full_name="Aanvaller")
    earlier_link, link = confirmation_links(mailoutbox)
    victim = Client()

    assert_asks_for_a_password(victim.get(link))
    user = User.objects.get(email=EMAIL)
    assert (user.is_active, user.email_confirmed_at, user.check_password(ATTACKER_PASSWORD)) == (False, None, True)
    assert get_user(victim).is_authenticated is False

    response = choose_password(victim, link)

    assert response.status_code == 302
    assert response.url == reverse("candidacies:organisation_create")
    user = User.objects.get(email=EMAIL)
    assert (user.is_active, user.email_confirmed_at is not None) == (True, True)
    assert get_user(victim) == user
    assert [str(message) for message in victim.get(response.url).context["messages"]] == [CONFIRMED_AND_LOGGED_IN]
    assert (logs_in(EMAIL, VICTIM_PASSWORD), logs_in(EMAIL, ATTACKER_PASSWORD)) == (True, False)
    for browser in (attacker, Client()):
        for used in (link, earlier_link):
            assert_refused(browser.get(used))
            assert_refused(choose_password(browser, used, password="Aanvaller-neemt-over-3"))
        assert get_user(browser).is_authenticated is False
    assert User.objects.get(email=EMAIL).check_password(VICTIM_PASSWORD) is True


def test_opening_the_link_elsewhere_changes_nothing_and_leaves_the_one_click_in_the_signing_up_browser(
    victim, db, mailoutbox
):
    sign_up(victim, VICTIM_PASSWORD)
    link = confirmation_links(mailoutbox)[-1]
    other_browser = Client()

    for _ in range(2):
        assert_asks_for_a_password(other_browser.get(link))
    user = User.objects.get(email=EMAIL)
    assert (user.is_active, user.email_confirmed_at, user.check_password(VICTIM_PASSWORD)) == (False, None, True)
    assert get_user(other_browser).is_authenticated is False

    response = victim.get(link)
    assert (response.status_code, get_user(victim).email) == (302, EMAIL)
    assert_refused(other_browser.get(link))


def test_a_sign_up_between_opening_the_form_and_sending_it_voids_the_form(attacker, db, mailoutbox):
    sign_up(attacker, ATTACKER_PASSWORD)
    victim = Client()
    link = confirmation_links(mailoutbox)[-1]
    assert_asks_for_a_password(victim.get(link))

    sign_up(attacker, "Aanvaller-opnieuw-4")
    assert_refused(choose_password(victim, link))

    user = User.objects.get(email=EMAIL)
    assert (user.is_active, user.check_password(VICTIM_PASSWORD)) == (False, False)
    assert get_user(victim).is_authenticated is False


def test_the_password_form_refuses_two_different_or_weak_passwords_in_dutch(attacker, db, mailoutbox):
    sign_up(attacker, ATTACKER_PASSWORD)
    victim = Client()
    link = confirmation_links(mailoutbox)[-1]

    mismatch = choose_password(victim, link, again="Nadia-iets-anders-2023")
    short = choose_password(victim, link, password="kort1")

    assert_asks_for_a_password(mismatch)
    assert_asks_for_a_password(short)
    assert "Er is een probleem" in mismatch.content.decode()
    assert mismatch.context["form"].errors == {"new_password2": ["De twee wachtwoordvelden komen niet overeen."]}
    assert "Dit wachtwoord is te kort: gebruik minstens" in short.content.decode()
    user = User.objects.get(email=EMAIL)
    assert (user.is_active, user.check_password(ATTACKER_PASSWORD)) == (False, True)
    assert get_user(victim).is_authenticated is False


def test_the_password_form_labels_its_fields_in_dutch(attacker, db, mailoutbox):
    sign_up(attacker, ATTACKER_PASSWORD)
    response = Client().get(confirmation_links(mailoutbox)[-1])
    page = re.sub(r"\s+", " ", response.content.decode())
    for name, label in (("new_password1", "Nieuw wachtwoord"), ("new_password2", "Nieuw wachtwoord bevestigen")):
        assert re.search(rf'<label for="id_{name}" [^>]*> {label}<', page), name
        assert f'id="id_{name}"' in page
    assert "Minstens 10 tekens; niet alleen cijfers" in page
    assert "Wachtwoord opslaan en inloggen" in page
    assert f"om je e-mailadres {EMAIL} te bevestigen" in page


def test_the_password_form_needs_the_csrf_token(attacker, db, mailoutbox):
    sign_up(attacker, ATTACKER_PASSWORD)
    link = confirmation_links(mailoutbox)[-1]
    forged = Client(enforce_csrf_checks=True)

    assert choose_password(forged, link).status_code == 403

    user = User.objects.get(email=EMAIL)
    assert (user.is_active, user.check_password(ATTACKER_PASSWORD)) == (False, True)
    assert get_user(forged).is_authenticated is False


def test_a_link_opened_in_another_browser_keeps_where_the_sign_up_started(victim, db, mailoutbox):
    invitation_path = "/uitnodigingen/5f0c6a1e-0000-4000-8000-000000000001/"
    sign_up(victim, VICTIM_PASSWORD, next_url=invitation_path)
    link = confirmation_links(mailoutbox)[-1]
    other_browser = Client()

    page = other_browser.get(link).content.decode()
    response = choose_password(other_browser, link)

    assert f'<input type="hidden" name="next" value="{invitation_path}">' in page
    assert response.url == invitation_path


def test_the_password_form_is_not_cached(attacker, db, mailoutbox):
    sign_up(attacker, ATTACKER_PASSWORD)
    response = Client().get(confirmation_links(mailoutbox)[-1])
    assert "no-store" in response["Cache-Control"]


def test_the_same_browser_is_logged_in_once_only(victim, db, mailoutbox):
    sign_up(victim, VICTIM_PASSWORD)
    victim.get(confirmation_links(mailoutbox)[-1])
    assert get_user(victim).email == EMAIL
    victim.post(reverse("accounts:logout"))
    User.objects.filter(email=EMAIL).update(is_active=False, email_confirmed_at=None)

    assert_asks_for_a_password(victim.get(confirmation_links(mailoutbox)[-1]))
    assert get_user(victim).is_authenticated is False
    assert User.objects.get(email=EMAIL).is_active is False


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
