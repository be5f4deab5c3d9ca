"""Mail that anyone can make the portal send is limited per address and per client, an organisation's name carries
no link into the invitations, and an invitation expires (issue 16: 10 reset requests in 1.5 s gave 10 mails; an
organisation named "… bevestig via https://evil.example/verify" mailed 6 of 6 invitations; invitations never
expired)."""

import datetime
import re
from urllib.parse import urlsplit

import pytest
import time_machine
from django.contrib.messages import get_messages
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from candidacies import organisations
from candidacies.models import Invitation, Membership, Organisation
from jury import invitations
from tests import factories

pytestmark = pytest.mark.sqlite_pass

PASSWORD = "Maasland-voorstel-2023"
PHISHING_NAME = "Uw account wordt morgen verwijderd – bevestig via https://evil.example/verify"


def client_at(address):
    return Client(REMOTE_ADDR=address)


def ask_reset(client, email):
    return client.post(reverse("accounts:password_reset"), {"email": email})


def sign_up(client, email):
    data = {"email": email, "full_name": "Nadia Peeters", "password1": PASSWORD, "password2": PASSWORD}
    return client.post(reverse("accounts:signup"), data)


# Password reset


def test_ten_reset_requests_for_one_address_give_three_mails(db, mailoutbox):
    factories.user("nadia@example.org")
    responses = [ask_reset(client_at(f"192.0.2.{n}"), "nadia@example.org") for n in range(10)]
    assert (len(mailoutbox), {response.url for response in responses}) == (3, {reverse("accounts:password_reset_done")})


def test_the_reset_limit_per_address_comes_from_the_settings(db, mailoutbox, settings):
    settings.MAIL_LIMIT_PER_ADDRESS = 1
    factories.user("nadia@example.org")
    ask_reset(Client(), "nadia@example.org")
    ask_reset(Client(), "nadia@example.org")
    assert len(mailoutbox) == 1


def test_one_client_asking_resets_for_many_addresses_is_limited_and_another_client_is_not(db, mailoutbox, settings):
    settings.MAIL_LIMIT_PER_CLIENT = 2
    for n in range(4):
        factories.user(f"lid{n}@example.org")
    for n in range(3):
        ask_reset(client_at("198.51.100.7"), f"lid{n}@example.org")
    ask_reset(client_at("203.0.113.9"), "lid3@example.org")
    assert [message.to for message in mailoutbox] == [["lid0@example.org"], ["lid1@example.org"], ["lid3@example.org"]]


def test_the_reset_limit_ends_with_its_window(db, mailoutbox):
    factories.user("nadia@example.org")
    with time_machine.travel(datetime.datetime(2026, 5, 4, 9, 0, tzinfo=datetime.UTC), tick=False) as traveller:
        for _ in range(4):
            ask_reset(Client(), "nadia@example.org")
        traveller.shift(datetime.timedelta(hours=1, seconds=1))
        ask_reset(Client(), "nadia@example.org")
    assert len(mailoutbox) == 4


# Sign-up


def test_five_sign_ups_for_one_address_give_three_mails_and_the_same_answer(db, mailoutbox):
    responses = [sign_up(client_at(f"192.0.2.{n}"), "nadia@example.org") for n in range(5)]
    assert (len(mailoutbox), {response.url for response in responses}) == (3, {reverse("accounts:signup_done")})


def test_sign_ups_for_an_address_with_an_account_are_limited_too(db, mailoutbox):
    factories.user("nadia@example.org")
    for n in range(5):
        sign_up(client_at(f"192.0.2.{n}"), "nadia@example.org")
    assert len(mailoutbox) == 3


# Invitations to an organisation


@pytest.fixture
def member(db):
    return factories.user("an@example.org", full_name="An Aanvrager")


@pytest.fixture
def organisation(member):
    return factories.organisation(member, name="Buddywerk Maasland")


def invite(client, organisation, email):
    return client.post(reverse("candidacies:invitation_create", args=[organisation.pk]), {"email": email})


def test_five_invitations_to_one_address_give_three_mails_and_the_same_answer(
    member, organisation, mailoutbox, django_capture_on_commit_callbacks
):
    client = Client()
    client.force_login(member)
    with django_capture_on_commit_callbacks(execute=True):
        responses = [invite(client, organisation, "bram@example.org") for _ in range(5)]
    said = {str(list(get_messages(response.wsgi_request))[-1]) for response in responses}
    assert (len(mailoutbox), {response.url for response in responses}, said) == (
        3,
        {organisation.get_absolute_url()},
        {"We hebben een uitnodiging gestuurd naar bram@example.org."},
    )


def test_invitations_from_one_client_to_many_addresses_are_limited(
    member, organisation, mailoutbox, django_capture_on_commit_callbacks, settings
):
    settings.MAIL_LIMIT_PER_CLIENT = 2
    client = Client()
    client.force_login(member)
    with django_capture_on_commit_callbacks(execute=True):
        for n in range(4):
            invite(client, organisation, f"lid{n}@example.org")
    assert len(mailoutbox) == 2


# Invitations to a jury


def test_an_invitation_to_the_jury_sent_again_and_again_reaches_the_address_three_times(
    maasland_call, mailoutbox, django_capture_on_commit_callbacks
):
    from jury.roles import ensure_call_manager_group

    manager = factories.user("beheerder@example.org", is_staff=True)
    manager.groups.add(ensure_call_manager_group())
    at = timezone.now()
    with django_capture_on_commit_callbacks(execute=True):
        member = invitations.appoint(
            maasland_call, email="nora@example.org", full_name="Nora", role="member", by=manager, at=at
        )
    for _ in range(4):
        with django_capture_on_commit_callbacks(execute=True):
            invitations.invite_again(member, by=manager, at=at)
    assert len(mailoutbox) == 3


# The organisation's name


def organisation_data(**overrides):
    return {
        "name": "Buddywerk Maasland",
        "enterprise_number": "0123.456.749",
        "street": "Kerkstraat 1",
        "postal_code": "3630",
        "city": "Maasmechelen",
        "website": "",
        "contact_name": "An Aanvrager",
        "contact_email": "an@example.org",
        "contact_phone": "",
        **overrides,
    }


NAME_MESSAGE = (
    "De naam van een organisatie mag geen links, web- of e-mailadressen bevatten (gevonden: “{found}”). "
    "Je website vul je in bij Website."
)


def test_an_organisation_named_with_a_link_is_refused_at_the_field_and_the_text_is_kept(member):
    client = Client()
    client.force_login(member)
    response = client.post(reverse("candidacies:organisation_create"), organisation_data(name=PHISHING_NAME))
    form = response.context["form"]
    assert (response.status_code, form.errors, form["name"].value(), Organisation.objects.count()) == (
        200,
        {"name": [NAME_MESSAGE.format(found="https://evil.example/verify")]},
        PHISHING_NAME,
        0,
    )


@pytest.mark.parametrize(
    ("name", "found"),
    [("Buddywerk (evil.example)", "evil.example"), ("Mail info@evil.example", "info@evil.example")],
)
def test_renaming_an_organisation_to_a_host_is_refused(member, organisation, name, found):
    client = Client()
    client.force_login(member)
    url = reverse("candidacies:organisation_update", args=[organisation.pk])
    response = client.post(url, organisation_data(name=name, enterprise_number=organisation.enterprise_number))
    organisation.refresh_from_db()
    assert (response.context["form"].errors, organisation.name) == (
        {"name": [NAME_MESSAGE.format(found=found)]},
        "Buddywerk Maasland",
    )


def test_a_full_name_with_a_link_is_refused_at_sign_up(db, mailoutbox):
    data = {
        "email": "nadia@example.org",
        "full_name": "Klik op https://evil.example/verify",
        "password1": PASSWORD,
        "password2": PASSWORD,
    }
    response = Client().post(reverse("accounts:signup"), data)
    assert (response.context["form"].errors, mailoutbox) == (
        {
            "full_name": [
                "Je naam mag geen links, web- of e-mailadressen bevatten (gevonden: “https://evil.example/verify”)."
            ]
        },
        [],
    )


# An invitation to an organisation expires


def accept_url(invitation):
    return reverse("candidacies:invitation_accept", kwargs={"token": invitation.token})


@pytest.fixture
def colleague(db):
    return factories.user("bram@example.org", full_name="Bram Bouwer")


def invite_now(organisation, member):
    return organisations.invite(organisation, email="bram@example.org", by=member, base_url="http://testserver/")


def test_an_invitation_works_for_seven_days(organisation, member, colleague):
    invitation = invite_now(organisation, member)
    client = Client()
    client.force_login(colleague)
    with time_machine.travel(invitation.created_at + datetime.timedelta(days=7) - datetime.timedelta(seconds=1)):
        response = client.post(accept_url(invitation))
    assert (response.status_code, Membership.objects.filter(user=colleague).exists()) == (302, True)


def test_an_expired_invitation_shows_a_dutch_page_and_makes_nobody_a_member(organisation, member, colleague):
    invitation = invite_now(organisation, member)
    client = Client()
    client.force_login(colleague)
    with time_machine.travel(invitation.created_at + datetime.timedelta(days=7, seconds=1)):
        page = client.get(accept_url(invitation))
        response = client.post(accept_url(invitation))
    assert (page.status_code, response.status_code, Membership.objects.filter(user=colleague).exists()) == (
        410,
        410,
        False,
    )
    assert "Deze uitnodiging is verlopen" in page.content.decode()


def test_an_expired_invitation_says_so_before_asking_to_log_in(organisation, member):
    invitation = invite_now(organisation, member)
    with time_machine.travel(invitation.created_at + datetime.timedelta(days=8)):
        response = Client().get(accept_url(invitation))
    assert (response.status_code, "Vraag een lid van Buddywerk Maasland" in response.content.decode()) == (410, True)


def test_the_accept_service_refuses_an_expired_invitation(organisation, member, colleague):
    invitation = invite_now(organisation, member)
    with pytest.raises(organisations.InvitationRefused) as refused:
        organisations.accept(invitation, by=colleague, at=invitation.created_at + datetime.timedelta(days=8))
    assert refused.value.code == "expired"


def test_the_expiry_comes_from_the_settings(organisation, member, settings):
    settings.INVITATION_VALID_DAYS = 2
    invitation = invite_now(organisation, member)
    assert invitation.expires_at == invitation.created_at + datetime.timedelta(days=2)


def test_sending_again_renews_the_invitation_and_voids_the_old_link(organisation, member, colleague):
    first = invite_now(organisation, member)
    with time_machine.travel(first.created_at + datetime.timedelta(days=6)):
        second = invite_now(organisation, member)
    client = Client()
    client.force_login(colleague)
    with time_machine.travel(first.created_at + datetime.timedelta(days=12)):
        old = client.get(accept_url(first))
        new = client.post(accept_url(second))
    assert (Invitation.objects.count(), old.status_code, new.status_code) == (1, 404, 302)
    assert Membership.objects.filter(user=colleague).exists()


# An invitation to the jury expires


def link_in(mail):
    link = [link for link in re.findall(r"https?://\S+", mail.body) if "/account/" in link][0]
    return urlsplit(link).path


@pytest.fixture
def appointed(maasland_call, mailoutbox, django_capture_on_commit_callbacks):
    from jury.roles import ensure_call_manager_group

    manager = factories.user("beheerder@example.org", is_staff=True)
    manager.groups.add(ensure_call_manager_group())
    with django_capture_on_commit_callbacks(execute=True):
        member = invitations.appoint(
            maasland_call, email="nora@example.org", full_name="Nora", role="member", by=manager, at=timezone.now()
        )
    return member, manager


def choose_password(client, mail):
    form = client.get(link_in(mail))
    if form.status_code != 302:
        return form
    return client.post(form.url, {"new_password1": "Nieuw-Maasland-2023", "new_password2": "Nieuw-Maasland-2023"})


def test_a_jury_invitation_link_works_for_seven_days(appointed, mailoutbox):
    with time_machine.travel(timezone.now() + datetime.timedelta(days=6, hours=21)):
        response = choose_password(Client(), mailoutbox[0])
    assert (response.status_code, appointed[0].user.__class__.objects.get(email="nora@example.org").is_active) == (
        302,
        True,
    )


def test_an_expired_jury_invitation_link_asks_for_a_new_invitation_in_dutch(appointed, mailoutbox):
    with time_machine.travel(timezone.now() + datetime.timedelta(days=7, hours=2)):
        response = choose_password(Client(), mailoutbox[0])
    assert (response.status_code, "Vraag wie je uitnodigde" in response.content.decode()) == (200, True)


def test_a_jury_invitation_sent_again_gives_a_new_link_for_seven_days(
    appointed, mailoutbox, django_capture_on_commit_callbacks
):
    member, manager = appointed
    later = timezone.now() + datetime.timedelta(days=6)
    with time_machine.travel(later), django_capture_on_commit_callbacks(execute=True):
        invitations.invite_again(member, by=manager, at=later)
    with time_machine.travel(later + datetime.timedelta(days=6)):
        response = choose_password(Client(), mailoutbox[1])
    assert response.status_code == 302
