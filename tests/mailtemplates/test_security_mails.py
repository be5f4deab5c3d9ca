"""The mails that carry a login link or a token are out of the call manager's reach, and no editable text holds a
link of its own (issue 16: a reset text with https://evil.example/login?next={{ link }} mailed a superuser's token
to a foreign page)."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client
from django.urls import reverse

from jury.roles import ensure_call_manager_group
from mailtemplates import services
from mailtemplates.catalogue import KINDS, problems
from mailtemplates.models import MailTemplate
from mailtemplates.rendering import compose, default_text
from tests import factories

pytestmark = pytest.mark.sqlite_pass

SECURITY_KINDS = {
    "signup_confirmation",
    "signup_already_registered",
    "password_reset",
    "organisation_invitation",
    "jury_invitation_new_account",
    "jury_invitation_existing_account",
}


def link_message(found):
    return (
        f"Een e-mailtekst mag geen eigen links, web- of e-mailadressen bevatten (gevonden: “{found}”): het portaal "
        "vult ze zelf in met plaatshouders, zoals {{ link }} en {{ contact }}."
    )


@pytest.fixture
def superuser(db):
    return factories.user("admin@maasland.example", full_name="Beheer", is_staff=True, is_superuser=True)


@pytest.fixture
def call_manager(db):
    user = factories.user("liesbet@maasland.example", full_name="Liesbet Adams", is_staff=True)
    user.groups.add(ensure_call_manager_group())
    return user


def client_for(user):
    client = Client()
    client.force_login(user)
    return client


@pytest.mark.parametrize(
    ("body", "found"),
    [
        ("Kies je wachtwoord: https://evil.example/login?next={{ link }}", "https://evil.example/login?next="),
        ("http://evil.example/{{ link }}", "http://evil.example/"),
        ("Ga naar www.evil.example en dan {{ link }}", "www.evil.example"),
        ("Bevestig via evil.example/login: {{ link }}", "evil.example/login:"),
        ("Bevestig via evil.example, daarna {{ link }}", "evil.example"),
        ("Vragen? mailto:hulp@evil.example {{ link }}", "mailto:hulp@evil.example"),
        ("Stuur je wachtwoord naar hulp@evil.example. {{ link }}", "hulp@evil.example"),
        ("{{ link }} of //evil.example/{{ link }}", "evil.example/"),
        ("{{ link }} " + "a" * 70 + "@evil.example", "evil.example"),
        ("{{ link }} " + "b" * 40 + "://evil.example/x", "evil.example/x"),
    ],
)
def test_a_text_with_a_link_of_its_own_is_refused_at_the_field(body, found, db):
    assert problems("password_reset", subject="Nieuw wachtwoord", body=body) == {"body": [link_message(found)]}


def test_a_link_in_the_subject_is_refused_at_the_subject(db):
    errors = problems("receipt", subject="Ontvangen, zie evil.example", body="{{ kandidatuur_link }}")
    assert errors == {"subject": [link_message("evil.example")]}


@pytest.mark.parametrize(
    "body",
    [
        "Dag {{ naam }}, o.a. je bijlage en enz. staan klaar: {{ link }}",
        "Versie 1.5 van {{ portaal }}, bv. vandaag om 14.30 uur: {{ link }}",
    ],
)
def test_ordinary_dutch_with_full_stops_is_no_link(body, db):
    assert problems("password_reset", subject="Nieuw wachtwoord", body=body) == {}


def test_the_reset_text_of_the_finding_is_refused_on_save(superuser):
    template = MailTemplate(
        kind="password_reset", subject="Nieuw wachtwoord", body="https://evil.example/login?next={{ link }}"
    )
    with pytest.raises(ValidationError) as refused:
        services.save_text(template, by=superuser)
    assert (refused.value.message_dict, MailTemplate.objects.count()) == (
        {"body": [link_message("https://evil.example/login?next=")]},
        0,
    )


def test_the_security_mails_are_the_ones_marked_for_superusers_only():
    assert {key for key, kind in KINDS.items() if kind.superusers_only} == SECURITY_KINDS


@pytest.fixture
def reset_text(db):
    subject, body = default_text("password_reset", language="nl-be")
    return MailTemplate.objects.create(kind="password_reset", subject=subject, body=body)


def test_the_call_manager_does_not_see_the_security_texts_in_the_list(call_manager, reset_text, maasland_call):
    receipt = MailTemplate.objects.create(call=maasland_call, kind="receipt", subject="Ontvangen", body="{{ titel }}")
    response = client_for(call_manager).get(reverse("admin:mailtemplates_mailtemplate_changelist"))
    assert list(response.context["cl"].result_list) == [receipt]


def test_the_call_manager_cannot_change_a_security_text_in_admin(call_manager, reset_text):
    url = reverse("admin:mailtemplates_mailtemplate_change", args=[reset_text.pk])
    response = client_for(call_manager).post(
        url, {"kind": "password_reset", "call": "", "subject": "Nieuw", "body": "Klik {{ link }}"}
    )
    reset_text.refresh_from_db()
    assert (response.status_code, reset_text.body) == (302, default_text("password_reset", language="nl-be")[1])


def test_the_call_manager_cannot_add_a_security_text_in_admin(call_manager):
    response = client_for(call_manager).post(
        reverse("admin:mailtemplates_mailtemplate_add"),
        {"kind": "password_reset", "call": "", "subject": "Nieuw", "body": "Klik {{ link }}"},
    )
    assert (response.status_code, list(response.context["adminform"].form.errors), MailTemplate.objects.count()) == (
        200,
        ["kind"],
        0,
    )


def test_the_service_refuses_a_security_text_from_the_call_manager(call_manager, reset_text):
    reset_text.body = "Klik {{ link }}"
    with pytest.raises(PermissionDenied):
        services.save_text(reset_text, by=call_manager)
    reset_text.refresh_from_db()
    assert reset_text.body == default_text("password_reset", language="nl-be")[1]


def test_the_call_manager_cannot_restore_a_security_text(call_manager, reset_text):
    with pytest.raises(PermissionDenied):
        services.restore_default(reset_text, by=call_manager)


def test_the_superuser_changes_a_security_text_in_admin(superuser, reset_text):
    url = reverse("admin:mailtemplates_mailtemplate_change", args=[reset_text.pk])
    client_for(superuser).post(url, {"kind": "password_reset", "call": "", "subject": "Nieuw", "body": "{{ link }}"})
    reset_text.refresh_from_db()
    assert (reset_text.subject, reset_text.body) == ("Nieuw", "{{ link }}")


def test_the_call_manager_still_changes_the_receipt(call_manager, maasland_call):
    template = MailTemplate(call=maasland_call, kind="receipt", subject="Ontvangen", body="{{ kandidatuur_link }}")
    services.save_text(template, by=call_manager)
    assert MailTemplate.objects.get().subject == "Ontvangen"


def test_a_text_stored_with_a_link_before_the_check_is_not_sent(db):
    """A row saved before this check (or past it, in the database) gives way to the default."""
    MailTemplate.objects.create(
        kind="password_reset", subject="Nieuw wachtwoord", body="https://evil.example/login?next={{ link }}"
    )
    subject, body = compose("password_reset", {"link": "https://portaal/x/", "naam": "An", "portaal": "P"})
    assert ("evil.example" in body, "https://portaal/x/" in body) == (False, True)
