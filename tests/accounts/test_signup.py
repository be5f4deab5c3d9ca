"""Applicants sign up with e-mail, name and password, and can log in only after confirming their address."""

import re
import uuid
from urllib.parse import urlsplit

import pytest
from django.contrib.auth import get_user, get_user_model
from django.shortcuts import resolve_url
from django.test import Client
from django.urls import reverse

User = get_user_model()
PASSWORD = "Maasland-voorstel-2023"


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def sign_up(client, email="nadia@example.org", next_url=None, **overrides):
    data = {"email": email, "full_name": "Nadia Peeters", "password1": PASSWORD, "password2": PASSWORD, **overrides}
    if next_url is not None:
        data["next"] = next_url
    return client.post(reverse("accounts:signup"), data)


def link_in(mail):
    """The path and query of the first link in a mail, as the test client wants it."""
    parts = urlsplit(re.search(r"https?://\S+", mail.body).group(0))
    return f"{parts.path}?{parts.query}" if parts.query else parts.path


def log_in(client, email, password=PASSWORD):
    return client.post(reverse("accounts:login"), {"username": email, "password": password})


def test_sign_up_leads_to_the_check_your_mailbox_page(client, db):
    response = sign_up(client)
    assert response.status_code == 302
    assert response.url == reverse("accounts:signup_done")
    assert "Kijk in je mailbox" in client.get(response.url).content.decode()


def test_sign_up_creates_an_account_that_is_not_active_yet(client, db):
    sign_up(client, email="Nadia@Example.org")
    user = User.objects.get()
    assert (user.email, user.full_name, user.is_active, user.email_confirmed_at) == (
        "nadia@example.org",
        "Nadia Peeters",
        False,
        None,
    )


def test_sign_up_sends_exactly_one_mail_with_a_confirmation_link(client, db, mailoutbox):
    sign_up(client)
    assert len(mailoutbox) == 1
    assert mailoutbox[0].to == ["nadia@example.org"]
    assert link_in(mailoutbox[0]).startswith("/account/bevestigen/")


def test_an_account_cannot_log_in_before_its_address_is_confirmed(client, db):
    sign_up(client)
    response = log_in(client, "nadia@example.org")
    assert response.status_code == 200
    assert get_user(client).is_authenticated is False
    assert "Net geregistreerd? Bevestig dan eerst je e-mailadres" in response.content.decode()


def test_following_the_confirmation_link_activates_the_account_and_logs_in(client, db, mailoutbox):
    sign_up(client)
    response = client.get(link_in(mailoutbox[0]))
    user = User.objects.get()
    assert (user.is_active, user.email_confirmed_at is not None) == (True, True)
    assert get_user(client) == user
    assert response.url == reverse("candidacies:organisation_create")


def test_after_confirming_the_user_can_log_in_with_the_login_form(client, db, mailoutbox):
    sign_up(client)
    client.get(link_in(mailoutbox[0]))
    client.post(reverse("accounts:logout"))
    response = log_in(client, "nadia@example.org")
    assert response.status_code == 302
    assert get_user(client).email == "nadia@example.org"


def test_a_confirmation_link_with_a_wrong_token_is_refused(client, db, mailoutbox):
    sign_up(client)
    path = link_in(mailoutbox[0])
    wrong = re.sub(r"/[^/]+/$", "/cxq9zk-0123456789abcdef0123456789abcdef/", path)
    response = client.get(wrong)
    assert response.status_code == 400
    assert "Deze link werkt niet" in response.content.decode()
    assert User.objects.get().is_active is False
    assert get_user(client).is_authenticated is False


def test_a_confirmation_link_works_only_once(client, db, mailoutbox):
    sign_up(client)
    path = link_in(mailoutbox[0])
    client.get(path)
    client.post(reverse("accounts:logout"))
    response = client.get(path)
    assert response.status_code == 400
    assert get_user(client).is_authenticated is False


def test_a_confirmation_link_does_not_reopen_an_account_that_staff_closed(client, db, mailoutbox):
    sign_up(client)
    path = link_in(mailoutbox[0])
    client.get(path)
    client.post(reverse("accounts:logout"))
    User.objects.update(is_active=False)
    assert client.get(path).status_code == 400
    assert User.objects.get().is_active is False


def test_the_confirmation_link_returns_to_the_invitation_the_sign_up_started_from(client, db, mailoutbox):
    invitation_path = f"/uitnodigingen/{uuid.uuid4()}/"
    sign_up(client, next_url=invitation_path)
    response = client.get(link_in(mailoutbox[0]))
    assert response.url == invitation_path


def test_a_next_address_on_another_host_is_ignored(client, db, mailoutbox):
    sign_up(client, next_url="https://phishing.example/")
    response = client.get(link_in(mailoutbox[0]))
    assert response.url == reverse("candidacies:organisation_create")


def test_a_sign_up_with_an_existing_address_shows_the_same_page_and_changes_nothing(client, db):
    existing = User.objects.create_user("nadia@example.org", "the-Original-passw0rd", full_name="Nadia")
    response = sign_up(client, email="NADIA@example.org")
    assert response.status_code == 302
    assert response.url == reverse("accounts:signup_done")
    assert User.objects.count() == 1
    existing.refresh_from_db()
    assert (existing.full_name, existing.check_password("the-Original-passw0rd")) == ("Nadia", True)


def test_a_sign_up_with_an_existing_address_mails_its_owner_a_note_without_a_confirmation_link(client, db, mailoutbox):
    User.objects.create_user("nadia@example.org", "the-Original-passw0rd")
    sign_up(client)
    assert len(mailoutbox) == 1
    assert mailoutbox[0].to == ["nadia@example.org"]
    assert "al een account" in mailoutbox[0].subject
    assert "/account/bevestigen/" not in mailoutbox[0].body


def test_signing_up_again_before_confirming_sends_a_new_link_and_takes_the_new_password(client, db, mailoutbox):
    sign_up(client)
    sign_up(client, password1="an-Other-passw0rd-2", password2="an-Other-passw0rd-2")
    assert len(mailoutbox) == 2
    assert link_in(mailoutbox[1]).startswith("/account/bevestigen/")
    user = User.objects.get()
    assert (user.check_password(PASSWORD), user.check_password("an-Other-passw0rd-2")) == (False, True)
    assert client.get(link_in(mailoutbox[0])).status_code == 400
    assert client.get(link_in(mailoutbox[1])).status_code == 302


def test_sign_up_refuses_a_short_password_with_a_dutch_message_at_the_field(client, db):
    response = sign_up(client, password1="kort", password2="kort")
    assert response.status_code == 200
    assert response.context["form"].errors["password1"] == ["Dit wachtwoord is te kort: gebruik minstens 10 tekens."]
    assert User.objects.count() == 0


def test_sign_up_refuses_two_different_passwords(client, db):
    response = sign_up(client, password2="Maasland-voorstel-2024")
    assert response.context["form"].errors["password2"] == ["De twee wachtwoorden zijn niet gelijk."]
    assert User.objects.count() == 0


def test_an_invalid_sign_up_keeps_the_values_and_links_each_error_from_a_summary(client, db):
    response = sign_up(client, email="geen-adres", full_name="Nadia Peeters", password2="")
    page = response.content.decode()
    assert 'id="error-summary"' in page
    assert "Er is een probleem" in page
    assert [f'href="#id_{field}"' in page for field in ("email", "password2")] == [True, True]
    assert 'value="Nadia Peeters"' in page


def test_a_sign_up_posted_without_a_csrf_token_is_refused(db):
    response = sign_up(Client(enforce_csrf_checks=True))
    assert response.status_code == 403
    assert User.objects.count() == 0


def test_a_logged_in_user_who_opens_the_sign_up_page_goes_where_a_login_leads(client, db, settings):
    client.force_login(User.objects.create_user("nadia@example.org", PASSWORD))
    response = client.get(reverse("accounts:signup"))
    assert response.url == resolve_url(settings.LOGIN_REDIRECT_URL)
