"""Every file the portal keeps (attachments, decision letters, weerwoord attachments) goes in and out through Django's
storage API only, so an object store shared by several app servers works without code: here a store with no local
path (tests/object_store.py) takes the uploads, the letters and the ZIP, and nothing lands in MEDIA_ROOT."""

import datetime
import io
import zipfile

import pytest
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from candidacies.models import Attachment
from jury import services
from jury.models import DecisionLetter, JuryMember, Weerwoord
from maasland.clock import BRUSSELS
from tests import factories, object_store

# The PDFs of letters and receipts are printed in the PostgreSQL pass (pyproject.toml: postgres_pass).
pytestmark = pytest.mark.postgres_pass

DURING_INTAKE = datetime.datetime(2023, 5, 31, 12, 0, tzinfo=BRUSSELS)
WRITTEN_ROUND = datetime.datetime(2023, 6, 7, 10, 0, tzinfo=BRUSSELS)
DELIBERATION = datetime.datetime(2023, 6, 26, 14, 0, tzinfo=BRUSSELS)
SENDING = datetime.datetime(2023, 7, 14, 10, 30, tzinfo=BRUSSELS)
IN_THE_WINDOW = datetime.datetime(2023, 7, 20, 15, 0, tzinfo=BRUSSELS)
# Over FILE_UPLOAD_MAX_MEMORY_SIZE: the upload is spooled to a temporary file on the app server before it is stored.
SPOOLED_SIZE = 3 * 1024 * 1024


@pytest.fixture(autouse=True)
def store(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.STORAGES = {**settings.STORAGES, "default": {"BACKEND": object_store.BACKEND}}
    settings.PORTAL_BASE_URL = "https://oproep.maasland.example"
    return default_storage


@pytest.fixture
def applicant(db):
    return factories.user("an@example.org", full_name="An Aanvrager")


@pytest.fixture
def draft(maasland_call, applicant):
    return factories.candidacy(maasland_call, factories.organisation(applicant, name="Buddywerk Maasland"))


@pytest.fixture
def manager(db):
    from demo.services import ensure_call_manager_group

    user = factories.user("beheerder@example.org", full_name="Liesbet Adams", is_staff=True)
    user.groups.add(ensure_call_manager_group())
    return user


@pytest.fixture
def chair(maasland_call):
    user = factories.user("voorzitter@example.org", full_name="Vera Voorzitter")
    return JuryMember.objects.create(call=maasland_call, user=user, role=JuryMember.Role.CHAIR)


def client_for(user):
    client = Client()
    client.force_login(user)
    return client


def downloaded(response):
    assert response.status_code == 200
    return b"".join(response.streaming_content)


def nothing_in_media_root(settings):
    return not settings.MEDIA_ROOT.exists()


def upload_and_submit(client, candidacy, content, time_machine, capture_on_commit):
    """The applicant's browser: the file through the edit form's upload button, then the submission, whose receipt
    is mailed as the request ends."""
    time_machine.move_to(DURING_INTAKE, tick=False)
    url = reverse("candidacies:candidacy_update", args=[candidacy.pk])
    upload = SimpleUploadedFile("plan.pdf", content, content_type="application/pdf")
    data = factories.complete_form_data(candidacy.call, candidacy, upload="1", attachment=upload)
    assert client.post(url, data).status_code == 302
    candidacy.refresh_from_db()
    with capture_on_commit(execute=True):
        submitted = client.post(url, factories.complete_form_data(candidacy.call, candidacy, submit="1"))
    assert submitted.status_code == 302
    return Attachment.objects.get(candidacy=candidacy)


def test_an_upload_is_stored_and_downloaded_by_member_manager_and_juror_through_the_store(
    draft, applicant, manager, chair, store, settings, time_machine, mailoutbox, django_capture_on_commit_callbacks
):
    content = factories.pdf_bytes(note="plan")
    attachment = upload_and_submit(
        client_for(applicant), draft, content, time_machine, django_capture_on_commit_callbacks
    )
    with store.open(attachment.file.name) as stored:
        assert stored.read() == content
    url = reverse("candidacies:attachment_download", args=[draft.pk, attachment.pk])
    assert downloaded(client_for(applicant).get(url)) == content
    assert downloaded(client_for(manager).get(url)) == content
    time_machine.move_to(WRITTEN_ROUND, tick=False)
    juror_url = reverse("jury:attachment", args=[draft.pk, attachment.pk])
    assert downloaded(client_for(chair.user).get(juror_url)) == content
    assert [name for name, _body, _type in mailoutbox[0].attachments] == ["ontvangstbewijs-MAAS-2023-001-v1.pdf"]
    assert nothing_in_media_root(settings)


def test_an_upload_spooled_to_a_temporary_file_reaches_the_store_whole(
    draft, applicant, store, settings, time_machine, django_capture_on_commit_callbacks
):
    content = factories.pdf_bytes(note="groot", size=SPOOLED_SIZE)
    attachment = upload_and_submit(
        client_for(applicant), draft, content, time_machine, django_capture_on_commit_callbacks
    )
    with store.open(attachment.file.name) as stored:
        assert (attachment.size, stored.read() == content) == (SPOOLED_SIZE, True)
    assert nothing_in_media_root(settings)


def decided(candidacy, chair):
    factories.rounds_closed(candidacy.call, chair, at=DELIBERATION)
    return services.record_decision(
        candidacy, outcome="not_selected", motivation="Te weinig bereik.", by=chair.user, at=DELIBERATION
    )


def test_a_letter_is_printed_into_the_store_mailed_and_downloaded_from_it(
    maasland_call, manager, chair, store, settings, time_machine, mailoutbox, django_capture_on_commit_callbacks
):
    candidacy = factories.submitted_candidacy(maasland_call, name="Taalhuis", at=DURING_INTAKE)
    decision = decided(candidacy, chair)
    time_machine.move_to(SENDING, tick=False)
    with django_capture_on_commit_callbacks(execute=True):
        response = client_for(manager).post(
            reverse("admin:jury_decision_changelist"),
            {"action": "send_decisions", "_selected_action": [decision.pk], "apply_send": "yes"},
        )
    assert response.status_code == 302
    letter = DecisionLetter.objects.get(decision=decision)
    with store.open(letter.file.name) as stored:
        kept = stored.read()
    mailed = [body for mail in mailoutbox for _name, body, _type in mail.attachments]
    url = reverse("jury:letter_download", args=[candidacy.pk, letter.number])
    member = candidacy.organisation.members.get()
    assert (kept[:5], mailed, downloaded(client_for(member).get(url))) == (b"%PDF-", [kept], kept)
    assert nothing_in_media_root(settings)


def test_the_letters_zip_is_built_in_memory_without_a_file_system(
    maasland_call, manager, chair, settings, time_machine
):
    candidacies = [
        factories.submitted_candidacy(maasland_call, name=name, at=DURING_INTAKE) for name in ("Taalhuis", "Sleutel")
    ]
    factories.rounds_closed(maasland_call, chair, at=DELIBERATION)
    decisions = [
        services.record_decision(candidacy, outcome="not_selected", motivation="Nee.", by=chair.user, at=DELIBERATION)
        for candidacy in candidacies
    ]
    time_machine.move_to(SENDING, tick=False)
    response = client_for(manager).post(
        reverse("admin:jury_decision_changelist"),
        {"action": "download_letters_zip", "_selected_action": [decision.pk for decision in decisions]},
    )
    archive = zipfile.ZipFile(io.BytesIO(response.content))
    assert sorted(archive.namelist()) == sorted(f"{candidacy.reference}.pdf" for candidacy in candidacies)
    assert {archive.read(name)[:5] for name in archive.namelist()} == {b"%PDF-"}
    assert nothing_in_media_root(settings)


def test_a_weerwoord_attachment_is_stored_and_downloaded_through_the_store(
    maasland_call, manager, chair, store, settings, time_machine, django_capture_on_commit_callbacks
):
    from jury import communication

    candidacy = factories.submitted_candidacy(maasland_call, name="Taalhuis", at=DURING_INTAKE)
    decision = decided(candidacy, chair)
    with django_capture_on_commit_callbacks(execute=True):
        communication.send_decision(decision, by=manager, at=SENDING)
    time_machine.move_to(IN_THE_WINDOW, tick=False)
    member = candidacy.organisation.members.get()
    content = factories.pdf_bytes(note="weerwoord")
    upload = SimpleUploadedFile("weerwoord.pdf", content, content_type="application/pdf")
    with django_capture_on_commit_callbacks(execute=True):
        response = client_for(member).post(
            reverse("jury:weerwoord", args=[candidacy.pk]), {"text": "Wij bereiken Mo wel.", "attachment": upload}
        )
    assert response.status_code == 302
    weerwoord = Weerwoord.objects.get()
    with store.open(weerwoord.attachment.name) as stored:
        assert stored.read() == content
    url = reverse("jury:weerwoord_attachment", args=[candidacy.pk])
    assert (downloaded(client_for(member).get(url)), downloaded(client_for(manager).get(url))) == (content, content)
    assert nothing_in_media_root(settings)


def test_a_backup_of_the_files_goes_out_of_one_store_and_into_another(draft, applicant, settings):
    from candidacies import services as candidacy_services
    from maasland.stored_files import StoreNotEmpty, export_files, import_files

    contents = [factories.pdf_bytes(note=note) for note in ("plan", "begroting")]
    for number, content in enumerate(contents):
        upload = SimpleUploadedFile(f"bijlage-{number}.pdf", content, content_type="application/pdf")
        candidacy_services.add_attachment(draft, upload, by=applicant, at=DURING_INTAKE)
    backup = io.BytesIO()
    assert export_files(backup) == 2
    settings.STORAGES = {**settings.STORAGES, "default": {"BACKEND": object_store.BACKEND}}
    assert default_storage.listdir("") == ([], [])
    assert import_files(io.BytesIO(backup.getvalue())) == 2
    restored = []
    for attachment in Attachment.objects.order_by("pk"):
        with default_storage.open(attachment.file.name) as stored:
            restored.append(stored.read())
    assert restored == contents
    with pytest.raises(StoreNotEmpty):
        import_files(io.BytesIO(backup.getvalue()))
    assert nothing_in_media_root(settings)
