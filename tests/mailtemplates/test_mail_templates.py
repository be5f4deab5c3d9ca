"""The e-mail texts a call manager keeps in admin: which text a mail takes, what a text may hold, and the admin
around them (placeholders beside the form, preview, restoring the default, constant queries)."""

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse
from django.utils import translation

from jury.roles import ensure_call_manager_group
from mailtemplates.catalogue import KINDS, PLACEHOLDER, problems
from mailtemplates.models import MailTemplate
from mailtemplates.rendering import compose, default_text, fill
from tests import factories

pytestmark = pytest.mark.sqlite_pass

RECEIPT_VALUES = {name: f"<{name}>" for name in KINDS["receipt"].placeholders}


def other_call(call, slug="maasland-2024"):
    """A second call, a copy of the first under another slug."""
    call.pk = None
    call.slug = slug
    call.title = f"Oproep {slug}"
    call.save()
    return call


@pytest.fixture
def second_call(maasland_call):
    from challenges.models import Call

    return other_call(Call.objects.get(pk=maasland_call.pk))


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


def body_errors(template):
    with pytest.raises(ValidationError) as refused:
        template.full_clean()
    return refused.value.message_dict


# The default texts


@pytest.mark.parametrize("kind", sorted(KINDS))
def test_every_default_text_passes_its_own_check(kind, db):
    subject, body = default_text(kind)
    assert problems(kind, subject=subject, body=body) == {}


@pytest.mark.parametrize("kind", sorted(KINDS))
def test_every_default_text_uses_every_required_placeholder_and_no_template_code(kind, db):
    subject, body = default_text(kind)
    used = {match.group(1).strip() for match in PLACEHOLDER.finditer(subject + body)}
    assert (set(KINDS[kind].required) - used, "{%" in body, used - KINDS[kind].allowed()) == (set(), False, set())


def test_the_default_follows_the_active_language(db):
    with translation.override("en"):
        english = default_text("receipt")[0]
    with translation.override("nl-be"):
        dutch = default_text("receipt")[0]
    assert (english, dutch) == (
        "Receipt of your candidacy {{ referentie }}",
        "Ontvangstbewijs van je kandidatuur {{ referentie }}",
    )


def test_without_a_stored_text_a_mail_is_the_default_filled_in(db):
    subject, body = compose("receipt", RECEIPT_VALUES)
    assert (subject, body.splitlines()[0]) == ("Ontvangstbewijs van je kandidatuur <referentie>", "Beste <naam>,")


# Which text a mail takes


def test_a_calls_text_is_used_for_that_call_and_not_for_another(maasland_call, second_call):
    MailTemplate.objects.create(
        call=maasland_call, kind="receipt", subject="Ontvangen: {{ referentie }}", body="Zie {{ kandidatuur_link }}"
    )
    assert (
        compose("receipt", RECEIPT_VALUES, call=maasland_call),
        compose("receipt", RECEIPT_VALUES, call=second_call)[0],
    ) == (
        ("Ontvangen: <referentie>", "Zie <kandidatuur_link>"),
        "Ontvangstbewijs van je kandidatuur <referentie>",
    )


def test_a_portal_wide_text_serves_every_call_without_its_own(maasland_call, second_call):
    MailTemplate.objects.create(kind="receipt", subject="Portaal {{ referentie }}", body="{{ kandidatuur_link }}")
    MailTemplate.objects.create(
        call=maasland_call, kind="receipt", subject="Eigen {{ referentie }}", body="{{ kandidatuur_link }}"
    )
    assert (
        compose("receipt", RECEIPT_VALUES, call=maasland_call)[0],
        compose("receipt", RECEIPT_VALUES, call=second_call)[0],
        compose("receipt", RECEIPT_VALUES)[0],
    ) == ("Eigen <referentie>", "Portaal <referentie>", "Portaal <referentie>")


def test_the_calls_text_reaches_the_mailed_receipt(maasland_call, mailoutbox, django_capture_on_commit_callbacks):
    import uuid

    from candidacies import services
    from tests.jury.conftest import DURING_INTAKE

    MailTemplate.objects.create(
        call=maasland_call,
        kind="receipt",
        subject="Goed ontvangen: {{ referentie }}",
        body="Beste {{ naam }},\n\n{{ titel }} staat op {{ kandidatuur_link }}\n",
    )
    member = factories.user("an@debrug.example", full_name="An Peeters")
    candidacy = factories.candidacy(maasland_call, factories.organisation(member, name="De Brug"), title="Samen")
    with django_capture_on_commit_callbacks(execute=True):
        services.submit(
            candidacy,
            {**factories.complete_content(maasland_call), "title": "Samen"},
            lock_version=candidacy.lock_version,
            token=uuid.uuid4(),
            by=member,
            at=DURING_INTAKE,
        )
    candidacy.refresh_from_db()
    assert (mailoutbox[0].subject, mailoutbox[0].body) == (
        f"Goed ontvangen: {candidacy.reference}",
        f"Beste An Peeters,\n\nSamen staat op http://127.0.0.1:8000/kandidaturen/{candidacy.pk}/\n",
    )


def test_the_portal_wide_text_reaches_the_sign_up_confirmation(db, mailoutbox):
    MailTemplate.objects.create(
        kind="signup_confirmation", subject="Welkom op {{ portaal }}", body="Dag {{ naam }}, klik: {{ link }}"
    )
    Client().post(
        reverse("accounts:signup"),
        {
            "email": "nadia@example.org",
            "full_name": "Nadia Peeters",
            "password1": "Maasland-voorstel-2023",
            "password2": "Maasland-voorstel-2023",
        },
    )
    message = mailoutbox[0]
    assert (message.subject, message.body.startswith("Dag Nadia, klik: http://testserver/account/bevestigen/")) == (
        "Welkom op Lokaal Partnerschap Maasland",
        True,
    )


def test_a_value_that_looks_like_a_placeholder_is_not_filled_in_again():
    assert fill("{{ titel }} – {{ referentie }}", {"titel": "{{ referentie }}", "referentie": "R1"}) == (
        "{{ referentie }} – R1"
    )


# What a text may hold


def test_an_unknown_placeholder_is_refused_at_the_field_on_save(maasland_call):
    template = MailTemplate(
        call=maasland_call, kind="receipt", subject="Ontvangen", body="{{ kandidatuur_link }} {{ iban }}"
    )
    assert body_errors(template) == {
        "body": [
            "{{ iban }} is geen plaatshouder van deze e-mail. Je kunt gebruiken: {{ naam }}, {{ titel }}, "
            "{{ organisatie }}, {{ referentie }}, {{ versie }}, {{ oproep }}, {{ ingediend_op }}, {{ bestandsnaam }}, "
            "{{ kandidatuur_link }}, {{ deadline }}, {{ contact }}, {{ portaal }}."
        ]
    }


def test_an_unknown_placeholder_in_the_subject_is_refused_at_the_subject(maasland_call):
    template = MailTemplate(
        call=maasland_call, kind="weerwoord_to_assess", subject="{{ titel }}", body="{{ beheer_link }}"
    )
    assert list(body_errors(template)) == ["subject"]


def test_a_missing_required_placeholder_is_refused_at_the_text(maasland_call):
    template = MailTemplate(call=maasland_call, kind="pitch_invitation", subject="Pitch {{ datum }}", body="Tot dan.")
    assert body_errors(template) == {
        "body": ["Deze e-mail heeft {{ pitch_link }} nodig: zonder kan de ontvanger niet verder."]
    }


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (
            "{% load static %}{{ link }}",
            "Sjablooncode zoals {% … %} of {# … #} is niet toegestaan: gebruik alleen plaatshouders.",
        ),
        (
            "{# stil #}{{ link }}",
            "Sjablooncode zoals {% … %} of {# … #} is niet toegestaan: gebruik alleen plaatshouders.",
        ),
        (
            "{{ link }} {{ naam.__class__ }}",
            "“{{ naam.__class__ }}” is geen gewone plaatshouder: filters, punten en andere code zijn niet toegestaan.",
        ),
        (
            "{{ link }} {{ naam|upper }}",
            "“{{ naam|upper }}” is geen gewone plaatshouder: filters, punten en andere code zijn niet toegestaan.",
        ),
        ("{{ link }} {{ naam", "Een plaatshouder begint met {{ en eindigt met }}; een van beide ontbreekt."),
    ],
)
def test_template_code_is_refused(db, text, message):
    template = MailTemplate(kind="signup_confirmation", subject="Bevestig", body=text)
    assert body_errors(template) == {"body": [message]}


def test_a_mail_of_no_call_cannot_be_given_a_call(maasland_call):
    template = MailTemplate(call=maasland_call, kind="password_reset", subject="Nieuw wachtwoord", body="{{ link }}")
    assert body_errors(template) == {"call": ["Deze e-mail hoort bij geen oproep: laat de oproep leeg."]}


def test_a_second_text_for_the_same_call_and_kind_is_refused(maasland_call):
    MailTemplate.objects.create(call=maasland_call, kind="receipt", subject="A", body="{{ kandidatuur_link }}")
    template = MailTemplate(call=maasland_call, kind="receipt", subject="B", body="{{ kandidatuur_link }}")
    assert body_errors(template) == {"__all__": ["Deze oproep heeft al een tekst voor deze soort e-mail."]}


def test_a_second_portal_wide_text_of_a_kind_is_refused(db):
    MailTemplate.objects.create(kind="password_reset", subject="A", body="{{ link }}")
    template = MailTemplate(kind="password_reset", subject="B", body="{{ link }}")
    assert body_errors(template) == {"__all__": ["Er is al een tekst voor het hele portaal voor deze soort e-mail."]}


def test_line_ends_typed_in_a_browser_are_kept_as_unix_line_ends(db):
    template = MailTemplate(kind="password_reset", subject="Nieuw", body="Dag,\r\n\r\n{{ link }}\r\n")
    template.full_clean()
    assert template.body == "Dag,\n\n{{ link }}\n"


# Admin


def test_the_admin_add_form_refuses_an_unknown_placeholder_at_the_field_and_keeps_the_text(superuser, maasland_call):
    response = client_for(superuser).post(
        reverse("admin:mailtemplates_mailtemplate_add"),
        {
            "kind": "receipt",
            "call": maasland_call.pk,
            "subject": "Ontvangen",
            "body": "Zie {{ kandidatuur_link }} en {{ rekening }}",
        },
    )
    form = response.context["adminform"].form
    assert (
        response.status_code,
        form.errors["body"][0].startswith("{{ rekening }} is geen plaatshouder van deze e-mail."),
        form["body"].value(),
        MailTemplate.objects.count(),
    ) == (200, True, "Zie {{ kandidatuur_link }} en {{ rekening }}", 0)
    assert "{{ rekening }} is geen plaatshouder van deze e-mail." in response.content.decode()


def test_the_admin_add_form_saves_a_valid_text_as_typed(superuser, maasland_call):
    response = client_for(superuser).post(
        reverse("admin:mailtemplates_mailtemplate_add"),
        {
            "kind": "receipt",
            "call": maasland_call.pk,
            "subject": "Ontvangen {{ referentie }}",
            "body": "Zie {{ kandidatuur_link }}\n",
        },
    )
    stored = MailTemplate.objects.get()
    assert (response.status_code, stored.subject, stored.body, stored.history.count()) == (
        302,
        "Ontvangen {{ referentie }}",
        "Zie {{ kandidatuur_link }}\n",
        1,
    )


def test_adding_for_a_kind_starts_from_its_default_and_lists_its_placeholders(superuser):
    response = client_for(superuser).get(reverse("admin:mailtemplates_mailtemplate_add") + "?kind=weerwoord_to_assess")
    form = response.context["adminform"].form
    page = response.content.decode()
    assert (form["subject"].value(), form["body"].value()) == default_text("weerwoord_to_assess")
    assert ("<code>{{ beheer_link }}</code>" in page, "De link naar het weerwoord in het beheer" in page) == (
        True,
        True,
    )


def test_the_add_form_without_a_kind_offers_every_kind(superuser):
    page = client_for(superuser).get(reverse("admin:mailtemplates_mailtemplate_add")).content.decode()
    assert [f"?kind={key}" in page for key in KINDS] == [True] * len(KINDS)


def test_the_change_form_lists_the_kinds_placeholders_and_links_the_preview(superuser, maasland_call):
    template = MailTemplate.objects.create(
        call=maasland_call, kind="weerwoord_received", subject="X", body="{{ kandidatuur_link }}"
    )
    page = (
        client_for(superuser)
        .get(reverse("admin:mailtemplates_mailtemplate_change", args=[template.pk]))
        .content.decode()
    )
    preview = reverse("admin:mailtemplates_mailtemplate_preview", args=[template.pk])
    assert ("<code>{{ ingediend_op }}</code>" in page, f'href="{preview}"' in page) == (True, True)


@pytest.fixture
def receipt_text(maasland_call):
    return MailTemplate.objects.create(
        call=maasland_call,
        kind="receipt",
        subject="Ontvangen: {{ referentie }}",
        body="Zie {{ kandidatuur_link }} – {{ oproep }}",
    )


def test_the_preview_fills_the_text_with_samples_and_the_calls_title(superuser, receipt_text, maasland_call):
    response = client_for(superuser).get(reverse("admin:mailtemplates_mailtemplate_preview", args=[receipt_text.pk]))
    assert (response.status_code, response.context["subject"], response.context["body"]) == (
        200,
        "Ontvangen: MAAS-2023-001",
        f"Zie https://oproep.maasland.example/kandidaturen/1/ – {maasland_call}",
    )


def test_the_call_manager_may_preview(call_manager, receipt_text):
    response = client_for(call_manager).get(reverse("admin:mailtemplates_mailtemplate_preview", args=[receipt_text.pk]))
    assert response.status_code == 200


def test_staff_without_the_permission_may_not_preview(receipt_text):
    staff = factories.user("stagiair@maasland.example", is_staff=True)
    response = client_for(staff).get(reverse("admin:mailtemplates_mailtemplate_preview", args=[receipt_text.pk]))
    assert response.status_code == 403


def test_an_applicant_is_sent_to_the_admin_login_for_the_preview(receipt_text):
    applicant = factories.user("an@debrug.example")
    url = reverse("admin:mailtemplates_mailtemplate_preview", args=[receipt_text.pk])
    response = client_for(applicant).get(url)
    assert (response.status_code, response["Location"]) == (302, f"{reverse('admin:login')}?next={url}")


def test_restoring_the_default_puts_the_default_back_and_keeps_the_history(call_manager, receipt_text):
    response = client_for(call_manager).post(
        reverse("admin:mailtemplates_mailtemplate_changelist"),
        {"action": "restore_default", "_selected_action": [receipt_text.pk]},
    )
    receipt_text.refresh_from_db()
    assert (response.status_code, (receipt_text.subject, receipt_text.body), receipt_text.history.count()) == (
        302,
        default_text("receipt", language="nl-be"),
        2,
    )


def test_the_call_manager_can_add_a_text(call_manager, maasland_call):
    client_for(call_manager).post(
        reverse("admin:mailtemplates_mailtemplate_add"),
        {
            "kind": "reminders_digest",
            "call": maasland_call.pk,
            "subject": "Te doen {{ datum }}",
            "body": "{{ overzicht }}",
        },
    )
    assert list(MailTemplate.objects.values_list("kind", "call")) == [("reminders_digest", maasland_call.pk)]


@pytest.mark.parametrize("count", [5, 50])
def test_the_changelist_costs_the_same_queries_for_5_and_50_texts(
    superuser, maasland_call, count, django_assert_num_queries
):
    from challenges.models import Call

    calls = [maasland_call] + [other_call(Call.objects.get(pk=maasland_call.pk), f"oproep-{n}") for n in range(4)]
    pairs = [(None, key) for key in KINDS] + [
        (call, key) for call in calls for key, kind in KINDS.items() if kind.per_call
    ]
    for call, key in pairs[:count]:
        MailTemplate.objects.create(call=call, kind=key, subject=f"Onderwerp {key}", body="{{ portaal }}")
    client = client_for(superuser)
    with django_assert_num_queries(6):
        response = client.get(reverse("admin:mailtemplates_mailtemplate_changelist"))
    assert response.context["cl"].result_count == count
