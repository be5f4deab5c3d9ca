"""The task list, the check page where a candidacy is submitted, and the submitted version as a page."""

import hashlib
import re
import uuid

import pytest
import time_machine
from django.urls import reverse

from candidacies import completeness, services
from challenges.models import AttachmentKind
from tests import factories

from .conftest import DURING_INTAKE


@pytest.fixture
def member_client(client, applicant):
    client.force_login(applicant)
    return client


@pytest.fixture
def complete_draft(draft, applicant):
    services.save_draft(
        draft, factories.complete_content(draft.call), lock_version=draft.lock_version, by=applicant, at=DURING_INTAKE
    )
    draft.refresh_from_db()
    return draft


def check_url(candidacy):
    return reverse("candidacies:candidacy_check", args=[candidacy.pk])


def statuses(page):
    """The task list as (part, status) pairs, in the page's order."""
    section = page.split('id="tasks-heading"', 1)[1].split("</ol>", 1)[0]
    items = re.findall(r'<li class="list-group-item.*?</li>', section, re.S)
    return [
        (
            re.sub(r"<[^>]+>", "", re.search(r'class="fw-semibold"[^>]*>(.*?)<', item, re.S).group(1)).strip(),
            re.search(r'task-status-\w+">(.*?)<', item).group(1),
        )
        for item in items
    ]


@time_machine.travel(DURING_INTAKE, tick=False)
def test_a_new_draft_lists_its_parts_with_their_status(member_client, draft):
    page = member_client.get(draft.get_absolute_url()).content.decode()
    assert statuses(page) == [
        ("Project", "Bezig"),
        ("Regio-uitdagingen en persona&#x27;s", "Nog niet begonnen"),
        ("Dienstverlening", "Nog niet begonnen"),
        ("Budget en looptijd", "Nog niet begonnen"),
        ("Samenwerking", "Nog niet begonnen"),
        ("Bijlagen", "Klaar"),
        ("Beschikbaarheid voor de pitch", "Later"),
    ]
    assert "Nog in te vullen: samenvatting, aanpak" in page
    assert f'href="{check_url(draft)}">Controleer en dien in' in page


@time_machine.travel(DURING_INTAKE, tick=False)
def test_a_required_document_of_the_call_is_missing_until_it_is_uploaded(member_client, complete_draft, applicant):
    budget = AttachmentKind.objects.create(call=complete_draft.call, name="Begroting", required=True)
    AttachmentKind.objects.create(call=complete_draft.call, name="CV", required=False, position=1)
    states = {state.key: state for state in completeness.part_states(complete_draft)}
    assert (states["attachments"].status, states["attachments"].missing) == ("not_started", ["Begroting"])

    services.add_attachment(
        complete_draft, factories.pdf_file("begroting.pdf"), by=applicant, at=DURING_INTAKE, requested_kind=budget
    )
    states = completeness.part_states(complete_draft)
    assert completeness.is_complete(states)


@time_machine.travel(DURING_INTAKE, tick=False)
def test_an_upload_in_the_form_records_which_document_of_the_call_it_is(member_client, complete_draft):
    cv = AttachmentKind.objects.create(call=complete_draft.call, name="CV", required=True)
    data = factories.complete_form_data(complete_draft.call, complete_draft)
    data.update({"upload": "1", "attachment": factories.pdf_file("cv.pdf"), "requested_kind": str(cv.pk)})
    member_client.post(reverse("candidacies:candidacy_update", args=[complete_draft.pk]), data)
    assert list(complete_draft.attachments.values_list("name", "requested_kind__name")) == [("cv.pdf", "CV")]


@time_machine.travel(DURING_INTAKE, tick=False)
def test_the_check_page_refuses_an_incomplete_candidacy_and_names_what_is_missing(member_client, complete_draft):
    AttachmentKind.objects.create(call=complete_draft.call, name="Samenwerkingsakkoord", required=True)
    response = member_client.post(
        check_url(complete_draft),
        {"lock_version": complete_draft.lock_version, "submission_token": str(uuid.uuid4()), "submit": "1"},
    )
    complete_draft.refresh_from_db()
    assert (response.status_code, complete_draft.status) == (400, "draft")
    assert "Bijlagen</a>: Samenwerkingsakkoord" in response.content.decode()


@time_machine.travel(DURING_INTAKE, tick=False)
def test_the_check_page_shows_what_will_be_submitted_with_a_change_link_per_part(
    member_client, complete_draft, applicant
):
    upload = factories.pdf_file("projectplan.pdf")
    digest = hashlib.sha256(upload.read()).hexdigest()
    upload.seek(0)
    services.add_attachment(complete_draft, upload, by=applicant, at=DURING_INTAKE)
    page = member_client.get(check_url(complete_draft)).content.decode()
    edit = reverse("candidacies:candidacy_update", args=[complete_draft.pk])
    for part in ["project", "challenges", "services", "budget", "collaboration", "attachments"]:
        assert f'href="{edit}#part-{part}">Wijzigen' in page
    assert "projectplan.pdf" in page and digest in page
    assert "Buddywerking en taalcoaching voor vrouwen in Maasmechelen." in page
    assert '<button type="submit" name="submit"' in page


@time_machine.travel(DURING_INTAKE, tick=False)
def test_submitting_on_the_check_page_twice_with_one_token_gives_one_version(member_client, complete_draft):
    data = {"lock_version": complete_draft.lock_version, "submission_token": str(uuid.uuid4()), "submit": "1"}
    first = member_client.post(check_url(complete_draft), data)
    second = member_client.post(check_url(complete_draft), data)
    complete_draft.refresh_from_db()
    assert (first.status_code, second.status_code) == (302, 302)
    assert (complete_draft.status, complete_draft.versions.count()) == ("submitted", 1)


@time_machine.travel(DURING_INTAKE, tick=False)
def test_a_check_page_opened_before_another_save_does_not_submit(member_client, complete_draft, applicant):
    opened_with = complete_draft.lock_version
    services.save_draft(
        complete_draft, {"summary": "Gewijzigd."}, lock_version=opened_with, by=applicant, at=DURING_INTAKE
    )
    response = member_client.post(
        check_url(complete_draft),
        {"lock_version": opened_with, "submission_token": str(uuid.uuid4()), "submit": "1"},
    )
    complete_draft.refresh_from_db()
    assert (response.status_code, complete_draft.status) == (409, "draft")
    assert "Gewijzigd." in response.content.decode()


@time_machine.travel(DURING_INTAKE, tick=False)
def test_the_submitted_version_is_a_page_with_a_print_stylesheet(member_client, complete_draft, applicant):
    data = {"lock_version": complete_draft.lock_version, "submission_token": str(uuid.uuid4()), "submit": "1"}
    member_client.post(check_url(complete_draft), data)
    services.save_draft(
        complete_draft,
        {"summary": "Later gewijzigd."},
        lock_version=complete_draft.lock_version + 1,
        by=applicant,
        at=DURING_INTAKE,
    )
    url = reverse("candidacies:version_detail", args=[complete_draft.pk, 1])
    assert url in member_client.get(complete_draft.get_absolute_url()).content.decode()
    page = member_client.get(url).content.decode()
    assert "Buddywerking en taalcoaching voor vrouwen in Maasmechelen." in page
    assert "Later gewijzigd." not in page
    assert 'href="/static/css/print.css" media="print"' in page


@time_machine.travel(DURING_INTAKE, tick=False)
def test_another_applicant_cannot_open_the_check_page_or_a_version(complete_draft, other_applicant, client):
    client.force_login(other_applicant)
    assert client.get(check_url(complete_draft)).status_code == 404
    assert client.get(reverse("candidacies:version_detail", args=[complete_draft.pk, 1])).status_code == 404


@time_machine.travel(DURING_INTAKE, tick=False)
def test_each_challenge_choice_shows_its_questions_and_personas(member_client, draft):
    page = member_client.get(reverse("candidacies:candidacy_update", args=[draft.pk])).content.decode()
    challenge = draft.call.challenges.get(number=1)
    label = page.split('for="id_challenges_0"', 1)[1].split("</label>", 1)[0]
    assert challenge.question_list()[0] in label.replace("&#x27;", "'")
    for persona in challenge.personas.all():
        assert persona.name in label


@time_machine.travel(DURING_INTAKE, tick=False)
def test_the_sub_points_are_grouped_under_their_type_of_service_without_list_punctuation(member_client, draft):
    page = member_client.get(reverse("candidacies:candidacy_update", args=[draft.pk])).content.decode()
    points = page.split('id="div_id_service_points"', 1)[1].split("</fieldset>", 1)[0]
    for service_type in draft.call.service_types.all():
        if service_type.points.exists():
            assert f"<strong>{service_type.name}</strong>" in points
    labels = re.findall(r'class="form-check-label">\s*(.*?)\s*</label>', points, re.S)
    assert labels and not any(label.endswith(";") for label in labels)


@time_machine.travel(DURING_INTAKE, tick=False)
def test_the_edit_form_does_not_submit_without_a_required_document_and_keeps_the_typing(member_client, draft):
    AttachmentKind.objects.create(call=draft.call, name="Begroting", required=True)
    data = factories.complete_form_data(draft.call, draft)
    data["submit"] = "1"
    response = member_client.post(reverse("candidacies:candidacy_update", args=[draft.pk]), data)
    draft.refresh_from_db()
    assert (response.status_code, draft.status) == (400, "draft")
    assert response.context["form"].errors["attachment"] == ["Voeg deze documenten toe voor je indient: Begroting."]
    assert "Buddywerking en taalcoaching voor vrouwen in Maasmechelen." in response.content.decode()
