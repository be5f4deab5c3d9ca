"""The call manager sends decisions, prints their letters and assesses weerwoorden in Django admin, always through
jury.communication; the admin index counts what is still to be communicated."""

import datetime
import io
import itertools
import zipfile

import pytest
from django.contrib.auth.models import Permission
from django.contrib.messages import get_messages
from django.urls import reverse
from django.utils import timezone, translation

from candidacies.models import Candidacy
from challenges.models import Call
from jury import communication, services
from jury.models import Decision, DecisionLetter, Weerwoord
from maasland.clock import BRUSSELS
from tests import factories

DELIBERATION = datetime.datetime(2023, 6, 26, 14, 0, tzinfo=BRUSSELS)
TWELVE_DAYS_BEFORE = datetime.datetime(2023, 7, 3, 9, 0, tzinfo=BRUSSELS)
SENDING = datetime.datetime(2023, 7, 14, 10, 30, tzinfo=BRUSSELS)
IN_THE_WINDOW = datetime.datetime(2023, 7, 20, 15, 0, tzinfo=BRUSSELS)
DECISION_LIST = reverse("admin:jury_decision_changelist")
WEERWOORD_LIST = reverse("admin:jury_weerwoord_changelist")
LETTER_LIST = reverse("admin:jury_decisionletter_changelist")
REFERENCES = itertools.count(1)
# Measured with 5 rows: session, user, two for permissions, the call filter's choices, the counts (filtered and
# total), the rows with their letter count and weerwoord state.
DECISION_LIST_QUERIES = 8
WEERWOORD_LIST_QUERIES = 8
LETTER_LIST_QUERIES = 8
# Session, user, permissions (two), the admin log, and per call in the communication period: the calls, then the
# decisions not sent, the candidacies without decision, the weerwoorden to assess and the closing windows; and the
# call dashboard's five (tests/office/test_dashboard.py).
INDEX_QUERIES = 15


@pytest.fixture(autouse=True)
def portal(settings):
    settings.PORTAL_BASE_URL = "https://oproep.maasland.example"


@pytest.fixture
def manager_client(client, manager):
    client.force_login(manager)
    return client


def dutch(message, **params):
    with translation.override("nl-be"):
        text = translation.gettext(message)
    return text % params if params else text


def messages_of(response):
    return [message.message for message in get_messages(response.wsgi_request)]


def action_post(rows, action, **data):
    return {"action": action, "_selected_action": [row.pk for row in rows], **data}


def decide(candidacy, chair, outcome="not_selected", motivation="Te weinig bereik van de persona."):
    factories.rounds_closed(candidacy.call, chair, at=DELIBERATION)
    return services.record_decision(
        candidacy,
        outcome=outcome,
        motivation=motivation,
        without_pitch_reason="Testgegevens zonder pitch." if outcome == "selected" else "",
        by=chair.user,
        at=DELIBERATION,
    )


@pytest.fixture
def decisions(candidacies, chair):
    return [
        decide(candidacies[0], chair),
        decide(candidacies[1], chair, "selected", "Sterk voorstel."),
        decide(candidacies[2], chair),
    ]


def send(decision, manager, django_capture_on_commit_callbacks, at=SENDING):
    with django_capture_on_commit_callbacks(execute=True):
        communication.send_decision(decision, by=manager, at=at)
    decision.refresh_from_db()
    return decision


def many_decisions(call, chair, count, *, with_letters_and_weerwoorden=True):
    """Decisions on fresh candidacies, every other one sent with a letter and every third with a weerwoord; the
    rows are written directly, as only the list is under test."""
    owner = factories.user()
    made = []
    for index in range(count):
        number = next(REFERENCES)
        candidacy = factories.candidacy(
            call,
            factories.organisation(owner),
            status=Candidacy.Status.PITCHED,
            reference=f"LIST-{number:03d}",
            title=f"P{number}",
        )
        sent = with_letters_and_weerwoorden and index % 2 == 0
        decision = Decision.objects.create(
            candidacy=candidacy,
            outcome="not_selected",
            motivation="Beraadslaagd.",
            recorded_by=chair.user,
            recorded_at=DELIBERATION,
            communicated_at=SENDING if sent else None,
        )
        if sent:
            DecisionLetter.objects.create(
                decision=decision,
                number=1,
                outcome=decision.outcome,
                file="letters/x.pdf",
                sha256="0" * 64,
                created_at=SENDING,
                created_by=chair.user,
                sent_at=SENDING,
            )
            if index % 3 == 0:
                Weerwoord.objects.create(decision=decision, text="Oneens.", filed_at=IN_THE_WINDOW, filed_by=owner)
        made.append(decision)
    return made


# The decision list


@pytest.mark.parametrize("rows", [5, 50])
def test_the_decision_list_costs_the_same_queries_for_5_and_50_rows(
    manager_client, maasland_call, chair, rows, django_assert_num_queries
):
    many_decisions(maasland_call, chair, rows)
    with django_assert_num_queries(DECISION_LIST_QUERIES):
        response = manager_client.get(DECISION_LIST)
    assert response.status_code == 200
    assert len(response.context["cl"].result_list) == rows


def test_the_decision_list_shows_reference_organisation_letters_and_weerwoord_state(
    manager_client, maasland_call, chair
):
    sent_with_weerwoord, unsent = many_decisions(maasland_call, chair, 2)
    response = manager_client.get(DECISION_LIST)
    rows = {decision.candidacy.reference: decision for decision in response.context["cl"].result_list}
    first, second = rows[sent_with_weerwoord.candidacy.reference], rows[unsent.candidacy.reference]
    assert (first.letter_count, first.weerwoord_state, second.letter_count, second.weerwoord_state) == (
        1,
        "to_assess",
        0,
        "none",
    )
    page = response.content.decode()
    assert sent_with_weerwoord.candidacy.organisation.name in page
    assert dutch("To assess") in page


def test_the_not_sent_filter_lists_only_decisions_not_communicated(manager_client, maasland_call, chair):
    sent, unsent = many_decisions(maasland_call, chair, 2)
    response = manager_client.get(DECISION_LIST, {"candidacy__call__id__exact": maasland_call.pk, "communicated": "no"})
    assert [decision.pk for decision in response.context["cl"].result_list] == [unsent.pk]


def test_the_weerwoord_filter_lists_the_decisions_with_a_weerwoord_to_assess(manager_client, maasland_call, chair):
    with_weerwoord, _unsent = many_decisions(maasland_call, chair, 2)
    response = manager_client.get(DECISION_LIST, {"weerwoord": "to_assess"})
    assert [decision.pk for decision in response.context["cl"].result_list] == [with_weerwoord.pk]


# The change page: letters, preview, weerwoord


def test_the_change_page_links_each_letter_and_the_preview(
    manager_client, decisions, manager, django_capture_on_commit_callbacks
):
    decision = send(decisions[0], manager, django_capture_on_commit_callbacks)
    page = manager_client.get(reverse("admin:jury_decision_change", args=[decision.pk])).content.decode()
    letter_url = reverse("jury:letter_download", args=[decision.candidacy_id, 1])
    preview_url = reverse("admin:jury_decision_preview", args=[decision.pk])
    assert (letter_url in page, preview_url in page) == (True, True)
    download = manager_client.get(letter_url)
    download.close()
    assert (download.status_code, download["Content-Type"]) == (200, "application/pdf")


def test_the_preview_prints_the_letter_as_an_attachment(manager_client, decisions):
    response = manager_client.get(reverse("admin:jury_decision_preview", args=[decisions[0].pk]))
    reference = decisions[0].candidacy.reference
    assert (response.status_code, response["Content-Type"]) == (200, "application/pdf")
    assert response["Content-Disposition"] == f'attachment; filename="voorbeeld-{reference}.pdf"'
    assert response.content.startswith(b"%PDF-")
    assert DecisionLetter.objects.count() == 0


def test_the_preview_of_an_unknown_decision_is_404(manager_client, db):
    assert manager_client.get(reverse("admin:jury_decision_preview", args=[999])).status_code == 404


def test_an_applicant_cannot_open_the_preview(client, decisions):
    client.force_login(decisions[0].candidacy.organisation.members.get())
    response = client.get(reverse("admin:jury_decision_preview", args=[decisions[0].pk]))
    assert response.status_code == 302
    assert response.url.startswith(reverse("admin:login"))


# Sending


def test_the_send_action_asks_for_confirmation_and_sends_nothing_yet(manager_client, decisions, mailoutbox):
    response = manager_client.post(DECISION_LIST, action_post(decisions, "send_decisions"))
    assert response.status_code == 200
    assert [decision.pk for decision in response.context["decisions"]] == [decision.pk for decision in decisions]
    assert (mailoutbox, DecisionLetter.objects.count()) == ([], 0)


def test_the_send_action_sends_each_decision_with_its_letter(
    manager_client, decisions, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = manager_client.post(DECISION_LIST, action_post(decisions, "send_decisions", apply_send="yes"))
    assert response.status_code == 302
    assert messages_of(response) == ["3 beslissingen worden verstuurd."]
    assert Decision.objects.filter(communicated_at__isnull=False).count() == 3
    assert [len(message.attachments) for message in mailoutbox] == [1, 1, 1]


def test_sending_twice_does_not_send_twice_and_says_already_sent(
    manager_client, decisions, mailoutbox, django_capture_on_commit_callbacks
):
    data = action_post(decisions[:1], "send_decisions", apply_send="yes")
    with django_capture_on_commit_callbacks(execute=True):
        manager_client.post(DECISION_LIST, data)
    with django_capture_on_commit_callbacks(execute=True):
        again = manager_client.post(DECISION_LIST, data)
    assert messages_of(again)[-2:] == [
        f"{decisions[0].candidacy}: al verstuurd",
        "0 beslissingen worden verstuurd.",
    ]
    assert (len(mailoutbox), DecisionLetter.objects.count()) == (1, 1)


def test_a_refused_decision_is_reported_in_dutch_and_the_others_are_sent(
    manager_client, decisions, mailoutbox, django_capture_on_commit_callbacks
):
    Decision.objects.filter(pk=decisions[0].pk).update(motivation="  ")
    with django_capture_on_commit_callbacks(execute=True):
        response = manager_client.post(DECISION_LIST, action_post(decisions, "send_decisions", apply_send="yes"))
    assert messages_of(response) == [
        f"{decisions[0].candidacy}: {dutch('This decision has no motivation: it cannot be sent.')}",
        "2 beslissingen worden verstuurd.",
    ]
    decisions[0].refresh_from_db()
    assert (decisions[0].communicated_at, len(mailoutbox)) == (None, 2)


def test_only_users_who_may_change_decisions_see_the_send_action(client, decisions):
    viewer = factories.user("kijker@example.org", is_staff=True)
    viewer.user_permissions.add(
        *Permission.objects.filter(
            codename__in=["view_decision", "view_candidacy"], content_type__app_label__in=["jury", "candidacies"]
        )
    )
    client.force_login(viewer)
    choices = [value for value, _label in client.get(DECISION_LIST).context["action_form"].fields["action"].choices]
    response = client.post(DECISION_LIST, action_post(decisions, "send_decisions", apply_send="yes"))
    assert ("send_decisions" in choices, "download_letters_zip" in choices) == (False, True)
    assert (response.status_code, Decision.objects.filter(communicated_at__isnull=False).count()) == (302, 0)


def test_the_manager_sees_the_send_action(manager_client, decisions):
    choices = [
        value for value, _label in manager_client.get(DECISION_LIST).context["action_form"].fields["action"].choices
    ]
    assert "send_decisions" in choices


# The ZIP


def test_the_zip_action_downloads_a_letter_per_decision_named_by_reference(manager_client, decisions, time_machine):
    time_machine.move_to(SENDING, tick=False)
    response = manager_client.post(DECISION_LIST, action_post(decisions, "download_letters_zip"))
    assert response["Content-Type"] == "application/zip"
    assert response["Content-Disposition"] == 'attachment; filename="brieven-maasland-2023-2023-07-14.zip"'
    names = zipfile.ZipFile(io.BytesIO(response.content)).namelist()
    assert names == sorted(f"{decision.candidacy.reference}.pdf" for decision in decisions)
    assert DecisionLetter.objects.count() == 0


# The admin index


def test_the_admin_index_counts_what_is_still_to_be_communicated_and_the_days_left(
    manager_client, decisions, manager, candidacies, django_capture_on_commit_callbacks, time_machine
):
    send(decisions[0], manager, django_capture_on_commit_callbacks, at=TWELVE_DAYS_BEFORE)
    Decision.objects.filter(pk=decisions[2].pk).delete()
    time_machine.move_to(TWELVE_DAYS_BEFORE, tick=False)
    response = manager_client.get(reverse("admin:index"))
    (summary,) = response.context["summaries"]
    assert (len(summary.unsent), summary.undecided_count, summary.days_left_text) == (
        1,
        1,
        "nog 12 dagen tot 15 juli 2023",
    )
    page = response.content.decode()
    assert "nog 12 dagen tot 15 juli 2023" in page
    assert summary.unsent_admin_url.replace("&", "&amp;") in page
    unsent = manager_client.get(summary.unsent_admin_url).context["cl"].result_list
    undecided = manager_client.get(summary.undecided_admin_url).context["cl"].result_list
    assert ([decision.pk for decision in unsent], [candidacy.pk for candidacy in undecided]) == (
        [decisions[1].pk],
        [candidacies[2].pk],
    )


def test_after_the_decisions_date_the_index_shows_no_count(manager_client, decisions, time_machine):
    time_machine.move_to(datetime.datetime(2023, 7, 15, 0, 0, tzinfo=BRUSSELS), tick=False)
    response = manager_client.get(reverse("admin:index"))
    assert response.context["summaries"] == []
    assert "nog " not in response.content.decode()


@pytest.mark.parametrize("rows", [5, 50])
def test_the_admin_index_costs_the_same_queries_for_5_and_50_decisions(
    manager_client, maasland_call, chair, rows, time_machine, django_assert_num_queries
):
    many_decisions(maasland_call, chair, rows)
    time_machine.move_to(TWELVE_DAYS_BEFORE, tick=False)
    with django_assert_num_queries(INDEX_QUERIES):
        response = manager_client.get(reverse("admin:index"))
    assert len(response.context["summaries"][0].unsent) == rows // 2


# Weerwoorden


@pytest.fixture
def weerwoord(decisions, manager, django_capture_on_commit_callbacks):
    decision = send(decisions[0], manager, django_capture_on_commit_callbacks)
    applicant = decision.candidacy.organisation.members.get()
    return communication.file_weerwoord(
        decision,
        text="Wij bereiken wel degelijk Mo.",
        upload=factories.pdf_file("bewijs.pdf"),
        by=applicant,
        at=IN_THE_WINDOW,
    )


@pytest.mark.parametrize("rows", [5, 50])
def test_the_weerwoord_list_costs_the_same_queries_for_5_and_50_rows(
    manager_client, maasland_call, chair, rows, django_assert_num_queries
):
    owner = factories.user()
    for decision in many_decisions(maasland_call, chair, rows, with_letters_and_weerwoorden=False):
        Weerwoord.objects.create(decision=decision, text="Oneens.", filed_at=IN_THE_WINDOW, filed_by=owner)
    with django_assert_num_queries(WEERWOORD_LIST_QUERIES):
        response = manager_client.get(WEERWOORD_LIST)
    assert len(response.context["cl"].result_list) == rows


def test_the_weerwoord_list_filters_on_assessed(manager_client, weerwoord):
    to_assess = manager_client.get(WEERWOORD_LIST, {"assessed": "no"}).context["cl"].result_list
    assessed = manager_client.get(WEERWOORD_LIST, {"assessed": "yes"}).context["cl"].result_list
    assert ([item.pk for item in to_assess], list(assessed)) == ([weerwoord.pk], [])


def test_the_weerwoord_page_is_read_only_and_links_the_attachment_and_the_assessment(manager_client, weerwoord):
    url = reverse("admin:jury_weerwoord_change", args=[weerwoord.pk])
    page = manager_client.get(url).content.decode()
    attachment_url = reverse("jury:weerwoord_attachment", args=[weerwoord.decision.candidacy_id])
    assert (attachment_url in page, reverse("admin:jury_weerwoord_assess", args=[weerwoord.pk]) in page) == (True, True)
    assert manager_client.post(url, {"text": "Anders"}).status_code == 403
    attachment = manager_client.get(attachment_url)
    content = b"".join(attachment.streaming_content)
    assert (attachment.status_code, content[:5]) == (200, b"%PDF-")
    weerwoord.refresh_from_db()
    assert weerwoord.text == "Wij bereiken wel degelijk Mo."


def test_assessing_without_a_motivation_shows_the_dutch_refusal_at_the_field(manager_client, weerwoord):
    url = reverse("admin:jury_weerwoord_assess", args=[weerwoord.pk])
    response = manager_client.post(url, {"assessment": "unfounded", "assessment_motivation": " "})
    assert response.status_code == 200
    assert response.context["form"].errors == {"assessment_motivation": [dutch("Motivate the assessment.")]}
    assert response.context["form"]["assessment"].value() == "unfounded"
    weerwoord.refresh_from_db()
    assert weerwoord.assessment == ""


def test_assessing_prepares_the_assessment_for_the_chair_through_the_service(manager_client, weerwoord, manager):
    url = reverse("admin:jury_weerwoord_assess", args=[weerwoord.pk])
    response = manager_client.post(url, {"assessment": "unfounded", "assessment_motivation": "De jury las het."})
    weerwoord.refresh_from_db()
    assert response.url == reverse("admin:jury_weerwoord_change", args=[weerwoord.pk])
    assert (weerwoord.proposed_assessment, weerwoord.proposed_motivation, weerwoord.proposed_by) == (
        "unfounded",
        "De jury las het.",
        manager,
    )
    assert (weerwoord.assessment, weerwoord.assessed_by) == ("", None)


def test_in_a_call_of_one_step_assessing_records_the_assessment_through_the_service(manager_client, weerwoord, manager):
    Call.objects.filter(pk=weerwoord.decision.candidacy.call_id).update(weerwoord_assessment="one_step")
    url = reverse("admin:jury_weerwoord_assess", args=[weerwoord.pk])
    response = manager_client.post(url, {"assessment": "unfounded", "assessment_motivation": "De jury las het."})
    weerwoord.refresh_from_db()
    assert response.url == reverse("admin:jury_weerwoord_change", args=[weerwoord.pk])
    assert (weerwoord.assessment, weerwoord.assessment_motivation, weerwoord.assessed_by) == (
        "unfounded",
        "De jury las het.",
        manager,
    )


def test_an_unfounded_weerwoord_cannot_revise_the_decision(manager_client, weerwoord, manager, mailoutbox):
    factories.assessed(weerwoord, assessment="unfounded", motivation="Nee.", by=manager, at=IN_THE_WINDOW)
    url = reverse("admin:jury_weerwoord_revise", args=[weerwoord.pk])
    response = manager_client.post(url, {"outcome": "selected", "motivation": "Toch wel."}, follow=True)
    assert [str(message) for message in response.context["messages"]] == [
        dutch("A decision can only be revised after a founded weerwoord.")
    ]
    assert (DecisionLetter.objects.count(), len(mailoutbox)) == (1, 1)


def test_a_founded_weerwoord_revises_the_decision_with_a_new_letter_and_keeps_the_history(
    manager_client, weerwoord, manager, chair, mailoutbox, django_capture_on_commit_callbacks
):
    manager_client.post(
        reverse("admin:jury_weerwoord_assess", args=[weerwoord.pk]),
        {"assessment": "founded", "assessment_motivation": "Het bereik van Mo werd over het hoofd gezien."},
    )
    communication.confirm_assessment(Weerwoord.objects.get(pk=weerwoord.pk), by=chair.user, at=timezone.now())
    change_page = manager_client.get(reverse("admin:jury_weerwoord_change", args=[weerwoord.pk])).content.decode()
    assert reverse("admin:jury_weerwoord_revise", args=[weerwoord.pk]) in change_page
    revision = {"outcome": "selected", "motivation": "Na het weerwoord geselecteerd."}
    preview = manager_client.post(reverse("admin:jury_weerwoord_revise", args=[weerwoord.pk]), revision)
    assert (preview.status_code, DecisionLetter.objects.count()) == (200, 1)
    with django_capture_on_commit_callbacks(execute=True):
        response = manager_client.post(
            reverse("admin:jury_weerwoord_revise", args=[weerwoord.pk]), {**revision, "confirm": "1"}
        )
    decision = Decision.objects.get(pk=weerwoord.decision_id)
    assert response.url == reverse("admin:jury_decision_change", args=[decision.pk])
    assert list(decision.letters.values_list("number", "outcome")) == [(1, "not_selected"), (2, "selected")]
    assert [message.subject for message in mailoutbox][
        -1
    ] == f"Herziene beslissing over je kandidatuur {decision.candidacy.reference}"
    history = manager_client.get(reverse("admin:jury_decision_history", args=[decision.pk]))
    assert history.status_code == 200
    assert [row.outcome for row in history.context["page_obj"].object_list][:2] == ["selected", "not_selected"]
    page = manager_client.get(reverse("admin:jury_decision_change", args=[decision.pk])).content.decode()
    assert reverse("jury:letter_download", args=[decision.candidacy_id, 2]) in page


def test_a_revision_without_motivation_shows_the_dutch_refusal_at_the_field(manager_client, weerwoord, manager):
    factories.assessed(weerwoord, assessment="founded", motivation="Klopt.", by=manager, at=IN_THE_WINDOW)
    response = manager_client.post(
        reverse("admin:jury_weerwoord_revise", args=[weerwoord.pk]), {"outcome": "selected", "motivation": ""}
    )
    assert response.context["form"].errors == {"motivation": [dutch("A decision needs a motivation.")]}
    weerwoord.decision.refresh_from_db()
    assert weerwoord.decision.outcome == "not_selected"


def test_every_decision_and_weerwoord_page_opens(manager_client, weerwoord):
    decision, letter = weerwoord.decision, DecisionLetter.objects.get()
    urls = [
        DECISION_LIST,
        WEERWOORD_LIST,
        LETTER_LIST,
        reverse("admin:jury_decision_change", args=[decision.pk]),
        reverse("admin:jury_decision_history", args=[decision.pk]),
        reverse("admin:jury_weerwoord_change", args=[weerwoord.pk]),
        reverse("admin:jury_weerwoord_history", args=[weerwoord.pk]),
        reverse("admin:jury_weerwoord_assess", args=[weerwoord.pk]),
        reverse("admin:jury_decisionletter_change", args=[letter.pk]),
    ]
    assert {url: manager_client.get(url).status_code for url in urls} == dict.fromkeys(urls, 200)


# Letters


@pytest.mark.parametrize("rows", [5, 50])
def test_the_letter_list_is_read_only_and_costs_the_same_queries_for_5_and_50_rows(
    manager_client, maasland_call, chair, rows, django_assert_num_queries
):
    many_decisions(maasland_call, chair, rows * 2)
    with django_assert_num_queries(LETTER_LIST_QUERIES):
        response = manager_client.get(LETTER_LIST)
    assert len(response.context["cl"].result_list) == rows
    assert response.context["has_add_permission"] is False
