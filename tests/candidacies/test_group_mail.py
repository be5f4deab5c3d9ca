"""Mail to a group (candidacies.group_mail and the candidacy list's action): the mail texts' own check and preview,
once per address however often the form is posted, through the portal's one way of sending, and kept with its
recipients."""

import smtplib
import uuid

import pytest
from django.contrib.messages import get_messages
from django.core import mail
from django.urls import reverse

from candidacies import group_mail
from candidacies.models import Candidacy, GroupMail, GroupMailRecipient, ProcedureStep
from demo.services import ensure_call_manager_group
from mailtemplates.rendering import default_text
from tests import factories

CANDIDACY_LIST = reverse("admin:candidacies_candidacy_changelist")
BODY = (
    "Dag,\n\nJe kandidatuur {{ titel }} ({{ organisatie }}) is nog een ontwerp tot {{ deadline }}.\n\n{{ contact }}\n"
)
SUBJECT = "Herinnering: {{ titel }}"


@pytest.fixture
def manager(db):
    user = factories.user("liesbet@maasmechelen.example", full_name="Liesbet Adams", is_staff=True)
    user.groups.add(ensure_call_manager_group())
    return user


@pytest.fixture
def manager_client(client, manager):
    client.force_login(manager)
    return client


def draft(call, name, *, contact_email=""):
    member = factories.user(f"lid@{name.lower()}.example")
    return factories.candidacy(
        call,
        factories.organisation(member, name=name),
        title=f"Project van {name}",
        contact_name="Contact",
        contact_email=contact_email,
    )


@pytest.fixture
def drafts(maasland_call):
    return [draft(maasland_call, "Brug", contact_email="info@brug.example"), draft(maasland_call, "Kompas")]


def send(candidacies, manager, *, token=None, subject=SUBJECT, body=BODY, capture=None):
    return group_mail.send_group_mail(
        candidacies,
        subject=subject,
        body=body,
        token=token or uuid.uuid4().hex,
        by=manager,
        at=candidacies[0].call.deadline,
    )


# The service


def test_each_address_gets_its_own_mail_filled_with_its_own_candidacy(
    drafts, manager, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        sending, created = send(drafts, manager)
    assert created is True
    assert sorted((message.to, message.subject) for message in mailoutbox) == [
        (["info@brug.example"], "Herinnering: Project van Brug"),
        (["lid@brug.example"], "Herinnering: Project van Brug"),
        (["lid@kompas.example"], "Herinnering: Project van Kompas"),
    ]
    kompas = next(message for message in mailoutbox if message.to == ["lid@kompas.example"])
    assert "Je kandidatuur Project van Kompas (Kompas) is nog een ontwerp tot 1 juni 2023 om 23:59:59." in kompas.body
    assert kompas.reply_to == [drafts[0].call.contact_email]
    assert list(sending.recipients.order_by("email").values_list("email", flat=True)) == [
        "info@brug.example",
        "lid@brug.example",
        "lid@kompas.example",
    ]
    assert GroupMailRecipient.objects.filter(delivered_at__isnull=True).count() == 0


def test_the_same_form_sent_twice_mails_each_address_once(
    drafts, manager, mailoutbox, django_capture_on_commit_callbacks
):
    token = uuid.uuid4().hex
    with django_capture_on_commit_callbacks(execute=True):
        first, created_first = send(drafts, manager, token=token)
    with django_capture_on_commit_callbacks(execute=True):
        second, created_second = send(drafts, manager, token=token)
    assert (first.pk, created_first, created_second) == (second.pk, True, False)
    assert (len(mailoutbox), GroupMail.objects.count(), GroupMailRecipient.objects.count()) == (3, 1, 3)


def test_a_second_delivery_mails_nobody_again(drafts, manager, mailoutbox, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        sending, _created = send(drafts, manager)
    assert (group_mail.deliver(sending), len(mailoutbox)) == (0, 3)


def test_each_address_has_a_message_id_of_its_row_the_same_when_mailed_again(
    drafts, manager, mailoutbox, settings, django_capture_on_commit_callbacks
):
    settings.PORTAL_BASE_URL = "https://oproep.maasland.example"
    with django_capture_on_commit_callbacks(execute=True):
        sending, _created = send(drafts, manager)
    rows = list(GroupMailRecipient.objects.filter(group_mail=sending).order_by("pk"))
    GroupMailRecipient.objects.filter(pk=rows[0].pk).update(delivered_at=None)  # as a crash after the "250"
    assert group_mail.deliver(sending) == 1
    expected = [f"<groupmail-{row.pk}@oproep.maasland.example>" for row in rows]
    assert sorted(email.message()["Message-ID"] for email in mailoutbox) == sorted([*expected, expected[0]])


def test_an_address_the_mail_server_refused_stays_in_the_outbox_for_the_next_delivery(
    drafts, manager, mailoutbox, monkeypatch, django_capture_on_commit_callbacks
):
    def refuse(self, *args, **kwargs):
        raise smtplib.SMTPServerDisconnected("down")

    with monkeypatch.context() as patch:
        patch.setattr(mail.backends.locmem.EmailBackend, "send_messages", refuse)
        with django_capture_on_commit_callbacks(execute=True):
            sending, _created = send(drafts[1:], manager)
    waiting = GroupMailRecipient.objects.filter(group_mail=sending, delivered_at__isnull=True).count()
    assert (waiting, len(mailoutbox)) == (1, 0)
    assert (group_mail.deliver(sending), [message.to for message in mailoutbox]) == (1, [["lid@kompas.example"]])


def test_the_sending_is_logged_in_the_calls_logbook(drafts, manager):
    send(drafts, manager)
    step = ProcedureStep.objects.get(action=ProcedureStep.Action.SEND_GROUP_MAIL)
    assert (step.call_id, step.candidacy_id, step.by, step.reason) == (
        drafts[0].call_id,
        None,
        manager,
        "“Herinnering: {{ titel }}” aan 3 adressen",
    )


@pytest.mark.parametrize(
    ("subject", "body", "field", "message"),
    [
        (
            SUBJECT,
            "Dag {{ rekeningnummer }},",
            "body",
            "{{ rekeningnummer }} is geen plaatshouder van deze e-mail. Je kunt gebruiken: {{ titel }}, "
            "{{ organisatie }}, {{ referentie }}, {{ oproep }}, {{ deadline }}, {{ kandidatuur_link }}, "
            "{{ contact }}, {{ portaal }}.",
        ),
        (
            "{% if x %}",
            BODY,
            "subject",
            "Sjablooncode zoals {% … %} of {# … #} is niet toegestaan: gebruik alleen plaatshouders.",
        ),
    ],
)
def test_a_text_the_mail_texts_check_refuses_is_refused_with_its_words_and_nothing_is_sent(
    drafts, manager, mailoutbox, subject, body, field, message
):
    with pytest.raises(group_mail.GroupMailRefused) as refusal:
        send(drafts, manager, subject=subject, body=body)
    assert (refusal.value.field, refusal.value.message) == (field, message)
    assert (GroupMail.objects.count(), len(mailoutbox)) == (0, 0)


def test_the_text_it_started_from_is_not_sent(drafts, manager):
    subject, body = default_text("group_mail", language="nl-be")
    with pytest.raises(group_mail.GroupMailRefused) as refusal:
        send(drafts, manager, subject=subject, body=body)
    assert refusal.value.message == "Schrijf je bericht: de tekst is nog die waarmee je begon."


def test_only_the_call_manager_sends_a_group_mail(drafts):
    staff = factories.user("staf@example.org", is_staff=True)
    with pytest.raises(group_mail.GroupMailRefused) as refusal:
        send(drafts, staff)
    assert (refusal.value.message, GroupMail.objects.count()) == (
        "Alleen de oproepbeheerder verstuurt een groepsmail.",
        0,
    )


def test_candidacies_of_two_calls_are_refused(drafts, manager, maasland_call):
    from challenges.services import copy_call_shifted

    other_call = copy_call_shifted(maasland_call, slug="andere", subtitle="Andere", reference_prefix="AND", days=365)
    with pytest.raises(group_mail.GroupMailRefused) as refusal:
        send([drafts[0], draft(other_call, "Ander")], manager)
    assert refusal.value.message == "Kies kandidaturen van één oproep: een groepsmail hoort bij één oproep."


# The action on the candidacy list


def action_post(candidacies, **data):
    return {"action": "send_group_mail", "_selected_action": [str(c.pk) for c in candidacies], **data}


def test_the_action_starts_from_the_default_text_and_lists_recipients_and_placeholders(drafts, manager_client):
    response = manager_client.post(CANDIDACY_LIST, action_post(drafts))
    page = response.content.decode()
    form = response.context["form"]
    assert response.status_code == 200
    assert (form["subject"].value(), form["body"].value()) == default_text("group_mail", language="nl-be")
    assert len(form["token"].value()) == 32
    assert ("lid@brug.example, info@brug.example" in page, "{{ kandidatuur_link }}" in page) == (True, True)


@pytest.mark.parametrize("count", [1, 3])
def test_the_action_page_costs_the_same_queries_for_one_and_three_candidacies(
    maasland_call, manager_client, count, django_assert_num_queries
):
    candidacies = [
        draft(maasland_call, f"Org{number}", contact_email=f"c{number}@x.example") for number in range(count)
    ]
    # The changelist the action is posted to (session, user, permissions, the count, filter choices), the selected
    # candidacies, the call's stored text and the members of their organisations: the same for 1 and 3.
    with django_assert_num_queries(18):
        response = manager_client.post(CANDIDACY_LIST, action_post(candidacies))
    assert len(response.context["rows"]) == count


def test_an_unknown_placeholder_comes_back_at_the_field_with_the_text_kept(drafts, manager_client, mailoutbox):
    data = action_post(drafts, token=uuid.uuid4().hex, subject=SUBJECT, body="Dag {{ iban }}", group_mail_preview="1")
    response = manager_client.post(CANDIDACY_LIST, data)
    form = response.context["form"]
    assert form.errors["body"][0].startswith("{{ iban }} is geen plaatshouder van deze e-mail.")
    assert (form["body"].value(), response.context["preview"], GroupMail.objects.count()) == ("Dag {{ iban }}", None, 0)


def test_preview_then_send_twice_mails_once_and_shows_the_log(
    drafts, manager_client, mailoutbox, django_capture_on_commit_callbacks
):
    data = action_post(drafts, token=uuid.uuid4().hex, subject=SUBJECT, body=BODY)
    preview = manager_client.post(CANDIDACY_LIST, {**data, "group_mail_preview": "1"})
    assert preview.context["preview"][0] == "Herinnering: Project van Brug"
    assert "Je kandidatuur Project van Brug (Brug) is nog een ontwerp" in preview.content.decode()
    assert (GroupMail.objects.count(), len(mailoutbox)) == (0, 0)
    with django_capture_on_commit_callbacks(execute=True):
        sent = manager_client.post(CANDIDACY_LIST, {**data, "group_mail_send": "1"})
        again = manager_client.post(CANDIDACY_LIST, {**data, "group_mail_send": "1"})
    sending = GroupMail.objects.get()
    log_url = reverse("admin:candidacies_groupmail_change", args=[sending.pk])
    assert (sent.url, again.url, len(mailoutbox)) == (log_url, log_url, 3)
    assert [str(message) for message in get_messages(again.wsgi_request)] == [
        "De groepsmail is verstuurd naar 3 adressen.",
        "Deze groepsmail is al verstuurd: hij gaat geen tweede keer weg.",
    ]
    log = manager_client.get(log_url).content.decode()
    assert ("lid@kompas.example" in log, "Liesbet Adams" in log, "Herinnering: {{ titel }}" in log) == (True,) * 3


def test_the_log_is_read_only(drafts, manager, manager_client):
    sending, _created = send(drafts, manager)
    url = reverse("admin:candidacies_groupmail_change", args=[sending.pk])
    assert manager_client.post(url, {"subject": "Anders"}).status_code == 403
    assert manager_client.get(reverse("admin:candidacies_groupmail_add")).status_code == 403
    assert GroupMail.objects.get().subject == SUBJECT


@pytest.mark.parametrize("count", [1, 3])
def test_the_log_list_costs_the_same_queries_for_one_and_three_sendings(
    drafts, manager, manager_client, count, django_assert_num_queries
):
    for _number in range(count):
        send(drafts, manager)
    with django_assert_num_queries(8):
        response = manager_client.get(reverse("admin:candidacies_groupmail_changelist"))
    assert len(response.context["cl"].result_list) == count


def test_a_draft_two_days_before_the_deadline_is_found_by_the_status_filter(drafts, manager_client, maasland_call):
    response = manager_client.get(
        CANDIDACY_LIST, {"status__exact": Candidacy.Status.DRAFT, "call__id__exact": maasland_call.pk}
    )
    assert {candidacy.pk for candidacy in response.context["cl"].result_list} == {drafts[0].pk, drafts[1].pk}
