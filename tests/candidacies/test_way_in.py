"""From the call to a new candidacy: login or sign-up, the organisation, then the draft; never a dead end."""

import time_machine
from django.urls import reverse
from django.utils.http import urlencode

from candidacies.models import Candidacy
from tests import factories

from .conftest import DURING_INTAKE


def create_url(call):
    return reverse("candidacies:candidacy_create", args=[call.slug])


@time_machine.travel(DURING_INTAKE, tick=False)
def test_my_candidacies_offers_to_continue_not_to_start_when_the_organisation_already_applied(
    client, applicant, draft, maasland_call
):
    client.force_login(applicant)
    page = client.get(reverse("candidacies:candidacy_list")).content.decode()
    assert "Start een kandidatuur" not in page
    assert f'href="{draft.get_absolute_url()}">Verder met je kandidatuur' in page


@time_machine.travel(DURING_INTAKE, tick=False)
def test_my_candidacies_offers_to_start_for_an_organisation_without_a_candidacy(
    client, applicant, organisation, maasland_call
):
    client.force_login(applicant)
    page = client.get(reverse("candidacies:candidacy_list")).content.decode()
    assert f'href="{create_url(maasland_call)}">Start een kandidatuur' in page


@time_machine.travel(DURING_INTAKE, tick=False)
def test_applying_without_an_organisation_creates_one_and_comes_back_to_the_new_candidacy(
    client, applicant, maasland_call
):
    client.force_login(applicant)
    response = client.get(create_url(maasland_call))
    organisation_url = reverse("candidacies:organisation_create")
    assert response.url == f"{organisation_url}?{urlencode({'next': create_url(maasland_call)})}"
    data = {
        "name": "vzw De Brug",
        "enterprise_number": factories.enterprise_number(7),
        "street": "Rijksweg 12",
        "postal_code": "3630",
        "city": "Maasmechelen",
        "contact_name": "An Aanvrager",
        "contact_email": "an@example.org",
    }
    response = client.post(response.url, data)
    assert (response.status_code, response.url) == (302, create_url(maasland_call))


def test_an_organisation_created_with_a_foreign_next_goes_to_its_own_page(client, applicant):
    client.force_login(applicant)
    data = {
        "name": "vzw De Brug",
        "enterprise_number": factories.enterprise_number(8),
        "street": "Rijksweg 12",
        "postal_code": "3630",
        "city": "Maasmechelen",
        "contact_name": "An Aanvrager",
        "contact_email": "an@example.org",
    }
    response = client.post(reverse("candidacies:organisation_create") + "?next=https://evil.example/", data)
    assert response.url.startswith("/organisaties/")


@time_machine.travel(DURING_INTAKE, tick=False)
def test_applying_again_for_the_only_organisation_opens_its_candidacy(client, applicant, draft, maasland_call):
    client.force_login(applicant)
    response = client.get(create_url(maasland_call))
    assert (response.status_code, response.url) == (302, draft.get_absolute_url())
    assert Candidacy.objects.count() == 1


@time_machine.travel(DURING_INTAKE, tick=False)
def test_the_start_form_offers_only_organisations_without_a_candidacy(client, applicant, draft, maasland_call):
    other = factories.organisation(applicant, name="Taalhuis Lanaken")
    client.force_login(applicant)
    response = client.get(create_url(maasland_call))
    assert list(response.context["form"].fields["organisation"].queryset) == [other]


@time_machine.travel(DURING_INTAKE, tick=False)
def test_the_page_of_a_new_organisation_offers_to_start_a_candidacy_for_the_open_call(
    client, applicant, organisation, maasland_call
):
    client.force_login(applicant)
    page = client.get(organisation.get_absolute_url()).content.decode()
    assert f'href="{create_url(maasland_call)}">Start een kandidatuur' in page


@time_machine.travel(DURING_INTAKE, tick=False)
def test_the_page_of_an_organisation_that_applied_leads_to_its_candidacy(client, applicant, organisation, draft):
    client.force_login(applicant)
    page = client.get(organisation.get_absolute_url()).content.decode()
    assert f'href="{draft.get_absolute_url()}">Verder met je kandidatuur' in page
    assert "Start een kandidatuur" not in page
