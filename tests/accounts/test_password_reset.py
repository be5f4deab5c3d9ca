"""Forgot your password: a mailed link to choose a new one, which also lifts a login lockout."""

import re
from urllib.parse import urlsplit

import pytest
from django.contrib.auth import get_user, get_user_model
from django.urls import reverse

User = get_user_model()
PASSWORD = "Maasland-voorstel-2023"
NEW_PASSWORD = "Nieuw-wachtwoord-Maasland"


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def applicant(db):
    return User.objects.create_user("nadia@example.org", PASSWORD, full_name="Nadia Peeters")


def ask_for_a_new_password(client, email="nadia@example.org"):
    return client.post(reverse("accounts:password_reset"), {"email": email})


def link_in(mail):
    return urlsplit(re.search(r"https?://\S+", mail.body).group(0)).path


def choose_new_password(client, mail, password=NEW_PASSWORD):
    form_url = client.get(link_in(mail)).url
    return client.post(form_url, {"new_password1": password, "new_password2": password})


def log_in(client, email, password):
    return client.post(reverse("accounts:login"), {"username": email, "password": password})


def test_asking_for_a_new_password_mails_one_link_to_the_account(client, applicant, mailoutbox):
    response = ask_for_a_new_password(client)
    assert response.url == reverse("accounts:password_reset_done")
    assert len(mailoutbox) == 1
    assert mailoutbox[0].to == ["nadia@example.org"]
    assert link_in(mailoutbox[0]).startswith("/account/wachtwoord/nieuw/")


def test_asking_for_a_new_password_for_an_unknown_address_shows_the_same_page_and_sends_nothing(
    client, applicant, mailoutbox
):
    response = ask_for_a_new_password(client, "nobody@example.org")
    assert response.url == reverse("accounts:password_reset_done")
    assert mailoutbox == []


def test_the_mailed_link_sets_a_new_password_that_logs_in(client, applicant, mailoutbox):
    ask_for_a_new_password(client)
    response = choose_new_password(client, mailoutbox[0])
    assert response.url == reverse("accounts:password_reset_complete")
    assert log_in(client, "nadia@example.org", PASSWORD).status_code == 200
    assert log_in(client, "nadia@example.org", NEW_PASSWORD).status_code == 302
    assert get_user(client) == applicant


def test_a_used_password_link_is_refused(client, applicant, mailoutbox):
    ask_for_a_new_password(client)
    choose_new_password(client, mailoutbox[0])
    response = client.get(link_in(mailoutbox[0]), follow=True)
    assert "Deze link werkt niet" in response.content.decode()


def test_choosing_a_new_password_lifts_the_lock_after_five_failed_logins(client, applicant, mailoutbox):
    for _attempt in range(5):
        log_in(client, "nadia@example.org", "wrong-password")
    assert log_in(client, "nadia@example.org", PASSWORD).status_code == 429
    ask_for_a_new_password(client)
    choose_new_password(client, mailoutbox[0])
    assert log_in(client, "nadia@example.org", NEW_PASSWORD).status_code == 302
