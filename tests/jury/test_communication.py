"""Sending decisions and the weerwoord: window edges, one per decision, only the organisation, history kept."""

import datetime

import pytest
from django.test import Client
from django.urls import reverse

from candidacies.models import Candidacy
from jury import communication, services
from jury.models import Decision, DecisionLetter, Weerwoord
from maasland.clock import BRUSSELS
from tests import factories

DELIBERATION = datetime.datetime(2023, 6, 26, 14, 0, tzinfo=BRUSSELS)
SENDING = datetime.datetime(2023, 7, 14, 10, 30, tzinfo=BRUSSELS)
LAST_SECOND = datetime.datetime(2023, 7, 28, 23, 59, 59, tzinfo=BRUSSELS)
ONE_SECOND_LATE = datetime.datetime(2023, 7, 29, 0, 0, 0, tzinfo=BRUSSELS)


@pytest.fixture
def decision(candidacies, chair):
    factories.rounds_closed(candidacies[0].call, chair, at=DELIBERATION)
    return services.record_decision(
        candidacies[0],
        outcome="not_selected",
        motivation="Te weinig bereik van de persona.",
        by=chair.user,
        at=DELIBERATION,
    )


@pytest.fixture
def sent(decision, manager, mailoutbox, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        communication.send_decision(decision, by=manager, at=SENDING)
    decision.refresh_from_db()
    return decision


@pytest.fixture
def applicant(decision):
    return decision.candidacy.organisation.members.get()


def test_sending_marks_the_decision_communicated_and_mails_the_letter(sent, mailoutbox, applicant):
    sent.candidacy.refresh_from_db()
    assert (sent.communicated_at, sent.candidacy.status) == (SENDING, "not_selected")
    assert [message.to for message in mailoutbox] == [[applicant.email, "an@example.org"]]
    assert mailoutbox[0].attachments[0][0].endswith(".pdf")


def test_sending_twice_sends_once(sent, manager, mailoutbox, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        again = communication.send_decision(sent, by=manager, at=SENDING + datetime.timedelta(hours=1))
    assert (again, len(mailoutbox), DecisionLetter.objects.count()) == (None, 1, 1)


def test_a_decision_without_motivation_cannot_be_sent(decision, manager, mailoutbox):
    Decision.objects.filter(pk=decision.pk).update(motivation="")
    decision.refresh_from_db()
    with pytest.raises(communication.CommunicationError, match="motivering"):
        communication.send_decision(decision, by=manager, at=SENDING)
    decision.refresh_from_db()
    assert (decision.communicated_at, DecisionLetter.objects.count(), len(mailoutbox)) == (None, 0, 0)


def test_a_decision_not_recorded_by_the_chair_cannot_be_sent(candidacies, jurors, manager):
    decision = Decision.objects.create(
        candidacy=candidacies[1],
        outcome="selected",
        motivation="Goed",
        recorded_by=jurors[0].user,
        recorded_at=DELIBERATION,
    )
    with pytest.raises(communication.CommunicationError):
        communication.send_decision(decision, by=manager, at=SENDING)
    assert DecisionLetter.objects.count() == 0


def test_only_the_call_manager_sends(decision, chair):
    with pytest.raises(communication.CommunicationError):
        communication.send_decision(decision, by=chair.user, at=SENDING)


def test_a_weerwoord_on_day_14_at_235959_is_taken(sent, applicant):
    weerwoord = communication.file_weerwoord(sent, text="Wij bereiken wel degelijk Mo.", by=applicant, at=LAST_SECOND)
    assert weerwoord.filed_at == LAST_SECOND


def test_a_weerwoord_one_second_after_its_window_is_refused_and_names_the_window(sent, applicant):
    with pytest.raises(communication.CommunicationError, match="28 juli 2023 om 23:59"):
        communication.file_weerwoord(sent, text="Te laat", by=applicant, at=ONE_SECOND_LATE)
    assert Weerwoord.objects.count() == 0


def test_a_weerwoord_on_an_uncommunicated_decision_is_refused(decision, applicant):
    with pytest.raises(communication.CommunicationError, match="nog niet gecommuniceerd"):
        communication.file_weerwoord(decision, text="Waarom?", by=applicant, at=SENDING)
    assert Weerwoord.objects.count() == 0


def test_a_second_weerwoord_is_refused(sent, applicant):
    communication.file_weerwoord(sent, text="Eerste", by=applicant, at=SENDING)
    with pytest.raises(communication.CommunicationError, match="al een weerwoord"):
        communication.file_weerwoord(sent, text="Tweede", by=applicant, at=SENDING)
    assert list(Weerwoord.objects.values_list("text", flat=True)) == ["Eerste"]


def test_someone_elses_decision_is_refused(sent):
    outsider = factories.user()
    with pytest.raises(communication.CommunicationError):
        communication.file_weerwoord(sent, text="Ik ook", by=outsider, at=SENDING)
    assert Weerwoord.objects.count() == 0


def test_a_weerwoord_attachment_is_checked_from_its_bytes(sent, applicant):
    with pytest.raises(communication.CommunicationError, match="geen PDF-, DOCX- of ODT-document"):
        communication.file_weerwoord(sent, text="Zie bijlage", upload=factories.exe_file(), by=applicant, at=SENDING)
    assert Weerwoord.objects.count() == 0


def test_a_founded_weerwoord_lets_the_decision_be_revised_with_a_new_letter_and_keeps_the_first(
    sent, applicant, manager, django_capture_on_commit_callbacks, mailoutbox
):
    weerwoord = communication.file_weerwoord(sent, text="Wij bereiken wel Mo.", by=applicant, at=SENDING)
    factories.assessed(weerwoord, assessment="founded", motivation="Klopt.", by=manager, at=LAST_SECOND)
    with django_capture_on_commit_callbacks(execute=True):
        communication.revise_decision(
            sent, outcome="selected", motivation="Na weerwoord geselecteerd.", by=manager, at=LAST_SECOND
        )
    sent.refresh_from_db()
    sent.candidacy.refresh_from_db()
    assert (sent.outcome, sent.candidacy.status) == ("selected", "selected")
    assert list(sent.letters.values_list("number", "outcome")) == [(1, "not_selected"), (2, "selected")]
    assert list(sent.history.values_list("outcome", flat=True).order_by("history_id"))[:1] == ["not_selected"]


def test_the_candidacys_log_holds_the_decision_the_weerwoord_and_the_revision_with_who(sent, applicant, manager, chair):
    weerwoord = communication.file_weerwoord(sent, text="Wij bereiken wel Mo.", by=applicant, at=SENDING)
    factories.assessed(weerwoord, assessment="founded", motivation="Klopt.", by=manager, at=LAST_SECOND)
    communication.revise_decision(sent, outcome="selected", motivation="Na weerwoord.", by=manager, at=LAST_SECOND)
    steps = sent.candidacy.procedure_steps.exclude(action="submit").order_by("at", "pk")
    assert list(steps.values_list("action", "from_status", "to_status", "by", "reason")) == [
        ("record_decision", "", "", chair.user.pk, "Niet geselecteerd"),
        ("send_decision", "submitted", "not_selected", manager.pk, ""),
        ("file_weerwoord", "", "", applicant.pk, ""),
        ("prepare_assessment", "", "", manager.pk, "Gegrond: Klopt."),
        ("confirm_assessment", "", "", chair.user.pk, "Gegrond: Klopt."),
        ("revise_decision", "not_selected", "selected", manager.pk, ""),
    ]


def test_sending_the_decision_of_a_candidacy_withdrawn_meanwhile_is_refused_in_dutch_and_writes_nothing(
    decision, manager, mailoutbox, django_capture_on_commit_callbacks
):
    Candidacy.objects.filter(pk=decision.candidacy_id).update(status=Candidacy.Status.WITHDRAWN)
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(communication.CommunicationError) as refusal:
        communication.send_decision(decision, by=manager, at=SENDING)
    decision.refresh_from_db()
    assert refusal.value.message == "Een beslissing versturen kan niet: deze kandidatuur is ingetrokken."
    assert (decision.communicated_at, decision.letters.count(), mailoutbox) == (None, 0, [])


def test_an_unfounded_weerwoord_does_not_allow_a_revision(sent, applicant, manager):
    weerwoord = communication.file_weerwoord(sent, text="Oneens", by=applicant, at=SENDING)
    factories.assessed(weerwoord, assessment="unfounded", motivation="Nee.", by=manager, at=LAST_SECOND)
    with pytest.raises(communication.CommunicationError):
        communication.revise_decision(sent, outcome="selected", motivation="x", by=manager, at=LAST_SECOND)
    sent.refresh_from_db()
    assert sent.outcome == "not_selected"


def test_the_applicant_files_through_the_page_and_another_applicant_gets_404(sent, applicant, time_machine):
    time_machine.move_to(SENDING + datetime.timedelta(days=1), tick=False)
    client = Client()
    client.force_login(applicant)
    url = reverse("jury:weerwoord", args=[sent.candidacy.pk])
    empty = client.post(url, {"text": ""})
    filed = client.post(url, {"text": "Wij bereiken wel degelijk Mo."})
    outsider = Client()
    outsider.force_login(factories.user())
    assert (empty.status_code, filed.status_code, outsider.get(url).status_code) == (400, 302, 404)
    assert Weerwoord.objects.get().text == "Wij bereiken wel degelijk Mo."


def test_before_the_communication_the_applicant_sees_no_decision(decision, applicant):
    client = Client()
    client.force_login(applicant)
    page = client.get(decision.candidacy.get_absolute_url()).content.decode()
    assert "Te weinig bereik" not in page
    assert client.get(reverse("jury:weerwoord", args=[decision.candidacy.pk])).status_code == 404
