"""The weerwoord page counts as the server does: a line break is one character, a longer text is kept whole."""

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from jury import communication, services
from jury.models import Weerwoord
from maasland.clock import BRUSSELS
from tests import factories, hostile_files

DELIBERATION = datetime.datetime(2023, 6, 26, 14, 0, tzinfo=BRUSSELS)
SENDING = datetime.datetime(2023, 7, 14, 10, 30, tzinfo=BRUSSELS)


@pytest.fixture
def sent(candidacies, chair, manager, django_capture_on_commit_callbacks, time_machine):
    factories.rounds_closed(candidacies[0].call, chair, at=DELIBERATION)
    decision = services.record_decision(
        candidacies[0], outcome="not_selected", motivation="Te weinig bereik.", by=chair.user, at=DELIBERATION
    )
    with django_capture_on_commit_callbacks(execute=True):
        communication.send_decision(decision, by=manager, at=SENDING)
    time_machine.move_to(SENDING + datetime.timedelta(days=1), tick=False)
    return decision


@pytest.fixture
def applicant_client(sent):
    client = Client()
    client.force_login(sent.candidacy.organisation.members.get())
    return client


def url(decision):
    return reverse("jury:weerwoord", args=[decision.candidacy.pk])


def test_a_weerwoord_of_5000_characters_with_line_breaks_is_taken_as_5000(sent, applicant_client):
    text = (("w" * 99 + "\n") * 50).replace("\n", "\r\n")
    assert len(text) == 5050
    response = applicant_client.post(url(sent), {"text": text.rstrip("\r\n") + "!"})
    assert response.status_code == 302
    stored = Weerwoord.objects.get().text
    assert (len(stored), "\r" in stored) == (5000, False)


def test_a_weerwoord_over_5000_characters_is_refused_and_comes_back_whole(sent, applicant_client):
    text = "w" * 5048
    response = applicant_client.post(url(sent), {"text": text})
    assert response.status_code == 400
    assert response.context["form"].errors["text"] == [
        "Zorg dat deze waarde niet meer dan 5000 tekens bevat (het zijn er nu 5048)."
    ]
    assert f">\n{text}</textarea>" in response.content.decode()
    assert Weerwoord.objects.count() == 0


def test_the_weerwoord_field_has_a_counter_and_no_cutting_maxlength(sent, applicant_client):
    page = applicant_client.get(url(sent)).content.decode()
    tag = page.split('<textarea name="text"', 1)[1].split(">", 1)[0]
    assert "maxlength" not in tag and 'data-limit="5000"' in tag


def test_a_weerwoord_typed_in_an_expired_session_comes_back_after_logging_in(sent):
    client = Client()
    response = client.post(url(sent), {"text": "Wij bereiken wel degelijk Mo."})
    assert (response.status_code, response.url.startswith(reverse("accounts:login"))) == (302, True)
    client.force_login(sent.candidacy.organisation.members.get())
    assert ">\nWij bereiken wel degelijk Mo.</textarea>" in client.get(url(sent)).content.decode()
    assert Weerwoord.objects.count() == 0


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (
            hostile_files.encrypted_odt,
            "Dit bestand is met een wachtwoord beveiligd of versleuteld, zodat het niet gelezen kan worden. "
            "Bewaar het zonder wachtwoord en laad het opnieuw op.",
        ),
        (
            hostile_files.corrupt_odt,
            "Dit bestand kan niet gelezen worden: het is beschadigd of onvolledig. "
            "Bewaar het opnieuw (als PDF, DOCX of ODT) en laad het opnieuw op.",
        ),
    ],
    ids=["encrypted", "corrupt"],
)
def test_a_crafted_odt_with_the_weerwoord_is_refused_at_its_field_and_the_text_comes_back(
    sent, applicant_client, content, message
):
    upload = SimpleUploadedFile("weerwoord.odt", content())
    response = applicant_client.post(url(sent), {"text": "Wij bereiken wel degelijk Mo.", "attachment": upload})
    assert response.status_code == 400
    assert response.context["form"].errors["attachment"] == [message]
    assert ">\nWij bereiken wel degelijk Mo.</textarea>" in response.content.decode()
    assert Weerwoord.objects.count() == 0
