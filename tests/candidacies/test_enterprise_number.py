"""The enterprise number (KBO) is typed in any usual way, stored as 10 digits, and refused with a Dutch message."""

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

from candidacies.enterprise_number import format_enterprise_number, normalise_enterprise_number
from candidacies.models import Organisation

ONLY_DIGITS = "Een ondernemingsnummer bestaat alleen uit cijfers, bv. 0123.456.749."
TEN_DIGITS = "Een ondernemingsnummer heeft 10 cijfers en begint met 0 of 1, bv. 0123.456.749."
CHECK_DIGITS = "Dit ondernemingsnummer bestaat niet: de controlecijfers kloppen niet. Kijk het na in de KBO."


@pytest.fixture
def member_client(client, db):
    client.force_login(get_user_model().objects.create_user("an@example.org", "a-Strong-passw0rd"))
    return client


def create_organisation(client, enterprise_number):
    data = {
        "name": "Buddywerk Maasland",
        "enterprise_number": enterprise_number,
        "street": "Kerkstraat 1",
        "postal_code": "3630",
        "city": "Maasmechelen",
        "website": "",
        "contact_name": "An Aanvrager",
        "contact_email": "an@example.org",
        "contact_phone": "",
    }
    return client.post(reverse("candidacies:organisation_create"), data)


@pytest.mark.parametrize("typed", ["0123.456.749", "0123 456 749", "123456749", "BE0123456749", "be 0123.456.749"])
def test_the_usual_ways_of_writing_a_valid_number_become_its_ten_digits(typed):
    assert normalise_enterprise_number(typed) == "0123456749"


@pytest.mark.parametrize("typed", ["0123.456.749", "0123 456 749", "123456749", "BE0123456749"])
def test_the_organisation_form_stores_a_valid_number_as_ten_digits(member_client, typed):
    response = create_organisation(member_client, typed)
    assert response.status_code == 302
    assert list(Organisation.objects.values_list("enterprise_number", flat=True)) == ["0123456749"]


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("0123.456.748", CHECK_DIGITS),
        ("0123.456.7", TEN_DIGITS),
        ("0123.456.7490", TEN_DIGITS),
        ("0123.ABC.749", ONLY_DIGITS),
        ("2123.456.791", TEN_DIGITS),
    ],
    ids=["wrong check digit", "too short", "too long", "letters", "starts with 2"],
)
def test_a_wrong_number_is_refused_with_a_dutch_message_at_the_field_and_nothing_stored(member_client, typed, message):
    response = create_organisation(member_client, typed)
    assert response.status_code == 200
    assert response.context["form"].errors["enterprise_number"] == [message]
    assert message in response.content.decode()
    assert Organisation.objects.count() == 0


def test_ten_digits_are_shown_with_dots():
    assert format_enterprise_number("0123456749") == "0123.456.749"
