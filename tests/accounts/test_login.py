"""Login with the e-mail address; django-axes locks an address after five failed attempts."""

import pytest
from django.contrib.auth import get_user, get_user_model
from django.urls import reverse

User = get_user_model()
PASSWORD = "Maasland-voorstel-2023"


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def applicant(db):
    return User.objects.create_user("nadia@example.org", PASSWORD, full_name="Nadia Peeters")


def log_in(client, email, password=PASSWORD):
    return client.post(reverse("accounts:login"), {"username": email, "password": password})


def test_an_applicant_logs_in_with_the_address_in_any_case(client, applicant):
    response = log_in(client, "Nadia@Example.ORG")
    assert response.status_code == 302
    assert get_user(client) == applicant


def test_a_wrong_password_shows_a_dutch_message_in_an_error_summary(client, applicant):
    page = log_in(client, "nadia@example.org", "wrong-password").content.decode()
    assert "Er is een probleem" in page
    assert "Dit e-mailadres en wachtwoord horen niet bij elkaar." in page


def test_four_failed_logins_do_not_lock_the_address(client, applicant):
    for _attempt in range(4):
        log_in(client, "nadia@example.org", "wrong-password")
    assert log_in(client, "nadia@example.org").status_code == 302


def test_five_failed_logins_lock_the_address_and_the_sixth_with_the_right_password_is_refused(client, applicant):
    for _attempt in range(5):
        log_in(client, "nadia@example.org", "wrong-password")
    response = log_in(client, "nadia@example.org")
    assert response.status_code == 429
    assert "registration/locked_out.html" in [template.name for template in response.templates]
    assert get_user(client).is_authenticated is False


def test_the_lock_counts_the_address_however_it_is_capitalised(client, applicant):
    for email in [
        "nadia@example.org",
        "Nadia@example.org",
        "NADIA@example.org",
        "nAdia@example.org",
        "naDia@example.org",
    ]:
        log_in(client, email, "wrong-password")
    assert log_in(client, "nadia@example.org").status_code == 429


def test_the_locked_out_page_says_in_dutch_for_how_long_and_how_to_choose_a_new_password(client, applicant):
    for _attempt in range(5):
        log_in(client, "nadia@example.org", "wrong-password")
    page = log_in(client, "nadia@example.org").content.decode()
    assert "Je account is even geblokkeerd" in page
    assert "30 minuten" in page
    assert f'href="{reverse("accounts:password_reset")}"' in page


def test_the_login_page_links_to_sign_up_with_the_page_to_return_to(client, db):
    page = client.get(reverse("accounts:login") + "?next=/organisaties/nieuw/").content.decode()
    assert f'href="{reverse("accounts:signup")}?next=/organisaties/nieuw/"' in page
    assert f'href="{reverse("accounts:password_reset")}"' in page
