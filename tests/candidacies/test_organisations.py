"""Applicants create their organisation, see and edit it as members, and invite a colleague by e-mail."""

import re
from urllib.parse import urlsplit

import pytest
from django.contrib.auth import get_user_model
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from candidacies import organisations
from candidacies.models import Invitation, Membership, Organisation

User = get_user_model()
DUPLICATE = (
    "Er bestaat al een organisatie met dit ondernemingsnummer op het portaal. "
    "Vraag een van haar leden om je uit te nodigen."
)


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def member(db):
    return User.objects.create_user("an@example.org", "a-Strong-passw0rd", full_name="An Aanvrager")


@pytest.fixture
def colleague(db):
    return User.objects.create_user("bram@example.org", "a-Strong-passw0rd", full_name="Bram Bouwer")


@pytest.fixture
def outsider(db):
    return User.objects.create_user("chris@example.org", "a-Strong-passw0rd", full_name="Chris Claes")


def organisation_data(**overrides):
    return {
        "name": "Buddywerk Maasland",
        "enterprise_number": "0123.456.749",
        "street": "Kerkstraat 1",
        "postal_code": "3630",
        "city": "Maasmechelen",
        "website": "www.buddywerk.example",
        "contact_name": "An Aanvrager",
        "contact_email": "an@example.org",
        "contact_phone": "089 12 34 56",
        **overrides,
    }


@pytest.fixture
def organisation(member):
    data = organisation_data(enterprise_number="0123456749", website="https://www.buddywerk.example")
    return organisations.create_organisation(by=member, **data)


@pytest.fixture
def invitation(organisation, member):
    return organisations.invite(organisation, email="Bram@Example.org", by=member, base_url="http://testserver/")


def logged_in(client, user):
    client.force_login(user)
    return client


def accept_url(invitation):
    return reverse("candidacies:invitation_accept", kwargs={"token": invitation.token})


@pytest.mark.parametrize("name", ["organisation_create", "organisation_detail", "invitation_create", "invitation"])
def test_an_anonymous_visitor_is_sent_to_the_login_page(client, invitation, name):
    urls = {
        "organisation_create": reverse("candidacies:organisation_create"),
        "organisation_detail": invitation.organisation.get_absolute_url(),
        "invitation_create": reverse("candidacies:invitation_create", args=[invitation.organisation.pk]),
        "invitation": accept_url(invitation),
    }
    response = client.get(urls[name])
    assert response.status_code == 302
    assert response.url == f"{reverse('accounts:login')}?next={urls[name]}"


def test_a_logged_in_user_creates_an_organisation_and_becomes_its_member(client, member):
    response = logged_in(client, member).post(reverse("candidacies:organisation_create"), organisation_data())
    organisation = Organisation.objects.get()
    assert response.url == organisation.get_absolute_url()
    assert list(organisation.members.all()) == [member]
    assert (organisation.enterprise_number, organisation.website) == ("0123456749", "https://www.buddywerk.example")


def test_the_organisation_page_shows_its_details_and_members(client, organisation, member, colleague):
    Membership.objects.create(organisation=organisation, user=colleague)
    page = logged_in(client, member).get(organisation.get_absolute_url()).content.decode()
    assert "0123.456.749" in page
    assert ["An Aanvrager" in page, "Bram Bouwer" in page] == [True, True]


@pytest.mark.parametrize("name", ["organisation_detail", "organisation_update", "invitation_create"])
def test_a_user_who_is_not_a_member_gets_not_found_for_the_organisation_pages(client, organisation, outsider, name):
    response = logged_in(client, outsider).get(reverse(f"candidacies:{name}", args=[organisation.pk]))
    assert response.status_code == 404


def test_a_member_edits_the_organisation(client, organisation, member):
    url = reverse("candidacies:organisation_update", args=[organisation.pk])
    response = logged_in(client, member).post(url, organisation_data(city="Lanaken", postal_code="3620"))
    organisation.refresh_from_db()
    assert response.url == organisation.get_absolute_url()
    assert (organisation.postal_code, organisation.city) == ("3620", "Lanaken")


def test_the_edit_form_shows_the_enterprise_number_with_dots(client, organisation, member):
    url = reverse("candidacies:organisation_update", args=[organisation.pk])
    page = logged_in(client, member).get(url).content.decode()
    assert 'value="0123.456.749"' in page


def test_a_user_who_is_not_a_member_cannot_edit_by_posting(client, organisation, outsider):
    url = reverse("candidacies:organisation_update", args=[organisation.pk])
    response = logged_in(client, outsider).post(url, organisation_data(name="Overgenomen"))
    organisation.refresh_from_db()
    assert (response.status_code, organisation.name) == (404, "Buddywerk Maasland")


def test_an_organisation_that_already_exists_is_refused_with_a_dutch_message_at_the_field(
    client, organisation, outsider
):
    data = organisation_data(name="Buddywerk", enterprise_number="BE 0123 456 749")
    response = logged_in(client, outsider).post(reverse("candidacies:organisation_create"), data)
    assert response.status_code == 200
    assert response.context["form"].errors["enterprise_number"] == [DUPLICATE]
    assert Organisation.objects.count() == 1
    assert outsider.organisations.count() == 0


def test_an_invalid_organisation_form_keeps_the_values_and_links_each_error_from_a_summary(client, member):
    data = organisation_data(city="", contact_email="geen-adres")
    response = logged_in(client, member).post(reverse("candidacies:organisation_create"), data)
    page = response.content.decode()
    assert 'id="error-summary"' in page
    assert [f'href="#id_{field}"' in page for field in ("city", "contact_email")] == [True, True]
    assert 'value="Buddywerk Maasland"' in page
    assert Organisation.objects.count() == 0


def test_a_member_invites_a_colleague_by_mail(
    client, organisation, member, mailoutbox, django_capture_on_commit_callbacks
):
    url = reverse("candidacies:invitation_create", args=[organisation.pk])
    with django_capture_on_commit_callbacks(execute=True):
        response = logged_in(client, member).post(url, {"email": "Bram@Example.org"})
    invitation = Invitation.objects.get()
    assert response.url == organisation.get_absolute_url()
    assert (invitation.email, invitation.invited_by, invitation.accepted_at) == ("bram@example.org", member, None)
    assert len(mailoutbox) == 1
    assert mailoutbox[0].to == ["bram@example.org"]
    assert f"http://testserver/uitnodigingen/{invitation.token}/" in mailoutbox[0].body


def test_the_invitation_mail_offers_a_sign_up_that_returns_to_the_invitation(
    organisation, member, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        invitation = organisations.invite(organisation, email="nieuw@example.org", by=member, base_url="http://x/")
    signup_links = [link for link in re.findall(r"https?://\S+", mailoutbox[0].body) if "registreren" in link]
    parts = urlsplit(signup_links[0])
    assert (parts.path, parts.query) == (reverse("accounts:signup"), f"next=%2Fuitnodigingen%2F{invitation.token}%2F")


def test_inviting_someone_who_is_already_a_member_is_refused_at_the_field(client, organisation, member):
    url = reverse("candidacies:invitation_create", args=[organisation.pk])
    response = logged_in(client, member).post(url, {"email": "AN@example.org"})
    assert response.context["form"].errors["email"] == ["Deze persoon is al lid van Buddywerk Maasland."]
    assert Invitation.objects.count() == 0


def test_a_user_who_is_not_a_member_cannot_invite(client, organisation, outsider):
    url = reverse("candidacies:invitation_create", args=[organisation.pk])
    response = logged_in(client, outsider).post(url, {"email": "chris@example.org"})
    assert response.status_code == 404
    assert Invitation.objects.count() == 0


def test_opening_an_invitation_asks_before_accepting(client, invitation, colleague):
    response = logged_in(client, colleague).get(accept_url(invitation))
    assert response.status_code == 200
    assert "Uitnodiging aanvaarden" in response.content.decode()
    assert colleague.organisations.count() == 0


def test_the_invitee_logged_in_with_the_invited_address_accepts_and_becomes_a_member(client, invitation, colleague):
    response = logged_in(client, colleague).post(accept_url(invitation))
    invitation.refresh_from_db()
    assert response.url == invitation.organisation.get_absolute_url()
    assert list(colleague.organisations.all()) == [invitation.organisation]
    assert (invitation.accepted_by, invitation.accepted_at is not None) == (colleague, True)


def test_accepting_while_logged_in_with_another_address_is_refused(client, invitation, outsider):
    response = logged_in(client, outsider).post(accept_url(invitation))
    page = response.content.decode()
    assert response.status_code == 403
    assert "Deze uitnodiging is verstuurd naar bram@example.org, maar je bent ingelogd als chris@example.org." in page
    assert outsider.organisations.count() == 0
    assert Invitation.objects.get().accepted_at is None


def test_an_invitation_that_was_used_is_refused(client, invitation, colleague, outsider):
    organisations.accept(invitation, by=colleague, at=timezone.now())
    response = logged_in(client, outsider).post(accept_url(invitation))
    assert response.status_code == 403
    assert "Deze uitnodiging is al gebruikt." in response.content.decode()
    assert outsider.organisations.count() == 0


def test_an_invitation_cannot_be_accepted_twice(invitation, colleague):
    organisations.accept(invitation, by=colleague, at=timezone.now())
    with pytest.raises(organisations.InvitationRefused):
        organisations.accept(invitation, by=colleague, at=timezone.now())
    assert Membership.objects.filter(user=colleague).count() == 1


def test_a_member_who_opens_their_used_invitation_again_goes_to_the_organisation(client, invitation, colleague):
    organisations.accept(invitation, by=colleague, at=timezone.now())
    response = logged_in(client, colleague).post(accept_url(invitation))
    assert response.url == invitation.organisation.get_absolute_url()
    assert Membership.objects.filter(user=colleague).count() == 1


def test_an_organisation_form_posted_without_a_csrf_token_is_refused_and_stores_nothing(member):
    client = logged_in(Client(enforce_csrf_checks=True), member)
    response = client.post(reverse("candidacies:organisation_create"), organisation_data())
    assert response.status_code == 403
    assert Organisation.objects.count() == 0


def test_an_invitation_accepted_without_a_csrf_token_is_refused(invitation, colleague):
    client = logged_in(Client(enforce_csrf_checks=True), colleague)
    response = client.post(accept_url(invitation))
    assert response.status_code == 403
    assert colleague.organisations.count() == 0


# The KBO number decides the jury's conflicts of interest: once a candidacy is submitted, it is fixed.


@pytest.fixture
def submitted(maasland_call, organisation, member):
    import datetime

    from maasland.clock import BRUSSELS
    from tests import factories

    at = datetime.datetime(2023, 5, 20, 14, 0, tzinfo=BRUSSELS)
    return factories.submitted_candidacy(maasland_call, at=at, member=member, of=organisation)


def test_after_a_submission_the_applicant_can_no_longer_change_the_enterprise_number(
    client, organisation, member, submitted
):
    url = reverse("candidacies:organisation_update", args=[organisation.pk])
    history_before = organisation.history.count()
    response = logged_in(client, member).post(url, organisation_data(enterprise_number="0202.239.951", city="Lanaken"))
    organisation.refresh_from_db()
    assert (response.status_code, organisation.enterprise_number, organisation.city) == (302, "0123456749", "Lanaken")
    assert organisation.history.count() == history_before + 1
    page = logged_in(client, member).get(url).content.decode()
    assert "Vraag de oproepbeheerder om het te corrigeren." in page
    assert re.search(r'<input[^>]*name="enterprise_number"[^>]*disabled', page)


def test_before_any_submission_the_applicant_can_still_correct_the_enterprise_number(client, organisation, member):
    url = reverse("candidacies:organisation_update", args=[organisation.pk])
    logged_in(client, member).post(url, organisation_data(enterprise_number="0202.239.951"))
    organisation.refresh_from_db()
    assert organisation.enterprise_number == "0202239951"


@pytest.fixture
def manager_client(client, db):
    from demo.services import ensure_call_manager_group

    manager = User.objects.create_user("beheer@example.org", "a-Strong-passw0rd", full_name="Liesbet", is_staff=True)
    manager.groups.add(ensure_call_manager_group())
    client.force_login(manager)
    client.manager = manager
    return client


def admin_data(organisation, **overrides):
    data = {
        "name": organisation.name,
        "enterprise_number": "0123.456.749",
        "correction_reason": "",
        "website": organisation.website,
        "street": organisation.street,
        "postal_code": organisation.postal_code,
        "city": organisation.city,
        "contact_name": organisation.contact_name,
        "contact_email": organisation.contact_email,
        "contact_phone": organisation.contact_phone,
    }
    for prefix in ("memberships", "invitations"):
        data |= {f"{prefix}-TOTAL_FORMS": "0", f"{prefix}-INITIAL_FORMS": "0"}
    return data | overrides


def test_the_call_manager_corrects_a_fixed_enterprise_number_only_with_a_reason_which_is_recorded(
    manager_client, organisation, submitted
):
    url = reverse("admin:candidacies_organisation_change", args=[organisation.pk])
    refused = manager_client.post(url, admin_data(organisation, enterprise_number="0202.239.951"))
    organisation.refresh_from_db()
    assert organisation.enterprise_number == "0123456749"
    assert refused.context["adminform"].form.errors == {
        "correction_reason": [
            "Deze organisatie heeft een ingediende kandidatuur: zeg waarom haar ondernemingsnummer gecorrigeerd wordt."
        ]
    }
    reason = "Typfout van de aanvrager, nagekeken in de KBO."
    manager_client.post(url, admin_data(organisation, enterprise_number="0202.239.951", correction_reason=reason))
    organisation.refresh_from_db()
    latest = organisation.history.first()
    assert organisation.enterprise_number == "0202239951"
    assert (latest.history_user, latest.history_change_reason) == (
        manager_client.manager,
        f"enterprise number corrected: {reason}",
    )


@pytest.mark.parametrize("postal_code", ["99999", "999", "0999", "36a0"])
def test_a_postal_code_that_is_not_belgian_is_refused_at_the_field_and_nothing_is_stored(client, member, postal_code):
    data = organisation_data(postal_code=postal_code)
    response = logged_in(client, member).post(reverse("candidacies:organisation_create"), data)
    assert response.context["form"].errors["postal_code"] == [
        "Een Belgische postcode heeft 4 cijfers, van 1000 tot 9999."
    ]
    assert Organisation.objects.count() == 0


def test_the_website_field_lets_the_browser_send_an_address_without_https(client, member):
    """A type="url" input makes the browser refuse "www.debrug.be" before the server can add https://."""
    page = logged_in(client, member).get(reverse("candidacies:organisation_create")).content.decode()
    (tag,) = re.findall(r"<input[^>]*name=\"website\"[^>]*>", page)
    assert ('type="text"' in tag, 'inputmode="url"' in tag) == (True, True)
    response = client.post(reverse("candidacies:organisation_create"), organisation_data(website="www.debrug.be"))
    assert (response.status_code, Organisation.objects.get().website) == (302, "https://www.debrug.be")
