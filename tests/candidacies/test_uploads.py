"""Uploads: the size limit holds while the bytes arrive (a file over it never reaches memory or disk whole, and the
form says so at its field with every typed value kept); documents in disguise are refused from their bytes (what
documents do: tests/candidacies/test_hostile_files.py); files go through Django's storage API only."""

import io
import zipfile

import pytest
import time_machine
from django.core.files.uploadedfile import InMemoryUploadedFile, SimpleUploadedFile
from django.core.files.uploadhandler import FileUploadHandler
from django.test import RequestFactory
from django.urls import reverse

from candidacies import files, services
from candidacies.models import Attachment
from jury import communication
from maasland.uploads import RefusedUpload, SizeLimitUploadHandler
from tests import factories

from .conftest import DURING_INTAKE

LIMIT = 100_000
CHUNK = 64 * 1024  # Django's multipart parser hands files to the handlers in chunks of this size


class RecordingHandler(FileUploadHandler):
    """Keeps what it is handed, like Django's memory handler, and notes every chunk and whether its copy was closed."""

    instances = []

    def __init__(self, request=None):
        super().__init__(request)
        self.chunks = []
        RecordingHandler.instances.append(self)

    def new_file(self, *args, **kwargs):
        super().new_file(*args, **kwargs)
        self.file = io.BytesIO()

    def receive_data_chunk(self, raw_data, start):
        self.chunks.append(len(raw_data))
        self.file.write(raw_data)

    def file_complete(self, file_size):
        self.file.seek(0)
        return InMemoryUploadedFile(self.file, self.field_name, self.file_name, self.content_type, file_size, None)


@pytest.fixture
def recorded(settings):
    settings.ATTACHMENT_MAX_SIZE = LIMIT
    settings.FILE_UPLOAD_HANDLERS = [
        "maasland.uploads.SizeLimitUploadHandler",
        "tests.candidacies.test_uploads.RecordingHandler",
    ]
    RecordingHandler.instances = []
    return RecordingHandler.instances


def parsed_upload(size, **fields):
    """A real multipart request with the file first and a text field after it, read the way a view reads it."""
    upload = SimpleUploadedFile("plan.pdf", b"%PDF-1.4\n" + b"0" * (size - 9), content_type="application/pdf")
    request = RequestFactory().post("/", {"attachment": upload, "title": "Buddywerk", **fields})
    return request.FILES["attachment"], request.POST["title"]


def test_a_file_within_the_limit_passes_through_whole(recorded):
    upload, title = parsed_upload(LIMIT)
    assert (type(upload), upload.size, len(upload.read()), title) == (InMemoryUploadedFile, LIMIT, LIMIT, "Buddywerk")
    assert (len(recorded[0].chunks), sum(recorded[0].chunks)) == (2, LIMIT)


def test_a_file_over_the_limit_stops_being_kept_at_the_chunk_that_passes_it(recorded, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 10 * LIMIT  # the Content-Length alone does not give it away
    upload, title = parsed_upload(3 * LIMIT)
    assert (type(upload), upload.name, upload.size, upload.read(), title) == (
        RefusedUpload,
        "plan.pdf",
        3 * LIMIT,
        b"",
        "Buddywerk",
    )
    kept = recorded[0].chunks
    assert (len(kept), sum(kept) <= CHUNK, recorded[0].file.closed) == (1, True, True)


def test_a_request_whose_length_cannot_fit_is_refused_before_a_byte_is_kept(recorded, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1000
    upload, title = parsed_upload(2 * LIMIT)
    assert (type(upload), upload.size, title) == (RefusedUpload, 2 * LIMIT, "Buddywerk")
    assert (recorded[0].chunks, recorded[0].file.closed) == ([], True)


def test_the_size_handler_comes_before_the_handlers_that_keep_files(settings):
    assert settings.FILE_UPLOAD_HANDLERS == [
        "maasland.uploads.SizeLimitUploadHandler",
        "django.core.files.uploadhandler.MemoryFileUploadHandler",
        "django.core.files.uploadhandler.TemporaryFileUploadHandler",
    ]


def test_the_handler_alone_counts_the_bytes_and_keeps_none_over_the_limit(settings):
    settings.ATTACHMENT_MAX_SIZE = 10
    handler = SizeLimitUploadHandler()
    handler.handle_raw_input(None, {}, 500, b"boundary")
    handler.new_file("attachment", "plan.pdf", "application/pdf", None)
    passed = [handler.receive_data_chunk(chunk, 0) for chunk in (b"%PDF-1", b"1234", b"5", b"67")]
    refused = handler.file_complete(13)
    assert passed == [b"%PDF-1", b"1234", None, None]
    assert (refused.name, refused.size, refused.too_large) == ("plan.pdf", 13, True)


# The form


@pytest.fixture
def member_client(client, applicant):
    client.force_login(applicant)
    return client


@time_machine.travel(DURING_INTAKE, tick=False)
def test_a_too_large_upload_gets_the_dutch_message_at_its_field_and_keeps_what_was_typed(
    member_client, draft, settings, recorded
):
    settings.ATTACHMENT_MAX_SIZE = 1024 * 1024
    data = factories.complete_form_data(draft.call, draft, summary="Wat we typten blijft staan.")
    data["attachment"] = factories.pdf_file("projectplan.pdf", size=3 * 1024 * 1024 // 2)
    data["draft"] = "1"
    response = member_client.post(reverse("candidacies:candidacy_update", args=[draft.pk]), data)
    page = response.content.decode()
    assert response.status_code == 400
    assert response.context["form"].errors["attachment"] == [
        "projectplan.pdf is 1,5 MB; een bijlage mag hoogstens 1 MB zijn."
    ]
    assert "Wat we typten blijft staan." in page
    assert Attachment.objects.count() == 0
    assert sum(recorded[0].chunks) <= settings.ATTACHMENT_MAX_SIZE


def test_a_too_large_weerwoord_attachment_is_refused_at_its_field(settings):
    settings.ATTACHMENT_MAX_SIZE = 1000
    with pytest.raises(communication.CommunicationError) as refusal:
        communication.check_weerwoord_attachment(RefusedUpload("weerwoord.pdf", "application/pdf", 5000))
    assert (refusal.value.field, refusal.value.message) == (
        "attachment",
        "weerwoord.pdf is 0,0 MB; een bijlage mag hoogstens 0 MB zijn.",
    )


# Documents in disguise


def archive(name, members, *, compression=zipfile.ZIP_DEFLATED):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=compression) as packed:
        for member, content in members:
            packed.writestr(member, content)
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="application/octet-stream")


DOCX = [("[Content_Types].xml", "<Types/>"), ("word/document.xml", "<document/>")]
ODT = [("mimetype", "application/vnd.oasis.opendocument.text"), ("content.xml", factories.ODT_CONTENT)]
UNREADABLE = (
    "Dit bestand kan niet gelezen worden: het is beschadigd of onvolledig. "
    "Bewaar het opnieuw (als PDF, DOCX of ODT) en laad het opnieuw op."
)
ZIP = "Dit bestand is een ZIP-archief, geen PDF-, DOCX- of ODT-document. Laad het document zelf op."
MACROS = "Dit document bevat macro's of scripts. Bewaar het zonder (als DOCX, ODT of PDF) en laad het opnieuw op."


def pdf_with_zip_behind_it():
    return SimpleUploadedFile(
        "plan.pdf", factories.pdf_file().read() + archive("x.zip", [("payload.exe", b"MZ")]).read()
    )


def bomb():
    return archive("begroting.docx", [*DOCX, ("word/media/filler.bin", b"\0" * (2 * 1024 * 1024))])


@pytest.mark.parametrize(
    ("upload", "message"),
    [
        (lambda: archive("plan.pdf", [("plan.txt", "tekst")]), ZIP),
        (lambda: archive("begroting.docx", [("[Content_Types].xml", "<Types/>"), ("docProps/app.xml", "<x/>")]), ZIP),
        (lambda: archive("begroting.docx", [*DOCX, ("word/vbaProject.bin", b"VBA")]), MACROS),
        (lambda: archive("begroting.docx", [*DOCX, ("word/activeX/activeX1.xml", "<ax/>")]), MACROS),
        (lambda: archive("plan.odt", [*ODT, ("Basic/Standard/Module1.xml", "<script/>")]), MACROS),
        (lambda: archive("plan.odt", [*ODT, ("Scripts/python/start.py", "import os")]), MACROS),
        (lambda: archive("plan.odt", [("mimetype", "application/vnd.oasis.opendocument.text" + " " * 500)]), ZIP),
        (lambda: SimpleUploadedFile("plan.pdf", b"PK\x03\x04 broken"), UNREADABLE),
        (
            pdf_with_zip_behind_it,
            "In deze PDF zit een archief verstopt. Bewaar het document opnieuw als PDF en laad dat bestand op.",
        ),
        (
            lambda: archive("plan.pdf", DOCX),
            "De naam van dit bestand zegt PDF, maar de inhoud is een DOCX-document. "
            "Geef het de juiste extensie of bewaar het opnieuw als PDF.",
        ),
        (
            lambda: factories.pdf_file("plan.odt"),
            "De naam van dit bestand zegt ODT, maar de inhoud is een PDF-document. "
            "Geef het de juiste extensie of bewaar het opnieuw als ODT.",
        ),
    ],
    ids=[
        "zip-named-pdf",
        "zip-without-document-named-docx",
        "docx-with-vba-macros",
        "docx-with-activex",
        "odt-with-basic-macros",
        "odt-with-scripts",
        "odt-with-oversized-mimetype",
        "broken-zip",
        "pdf-with-zip-appended",
        "docx-named-pdf",
        "pdf-named-odt",
    ],
)
def test_a_document_in_disguise_is_refused_with_a_clear_message_and_nothing_is_stored(
    draft, applicant, upload, message
):
    with pytest.raises(services.CandidacyError) as refusal:
        services.add_attachment(draft, upload(), by=applicant, at=DURING_INTAKE)
    assert (refusal.value.field, refusal.value.message) == ("file", message)
    assert Attachment.objects.count() == 0


def test_an_archive_that_unpacks_too_large_is_refused(draft, applicant, settings):
    settings.ATTACHMENT_MAX_UNPACKED_SIZE = 1024 * 1024
    with pytest.raises(services.CandidacyError) as refusal:
        services.add_attachment(draft, bomb(), by=applicant, at=DURING_INTAKE)
    assert refusal.value.message == (
        "Dit document is uitgepakt groter dan 1 MB, zodat het niet veilig na te kijken is. Bewaar het opnieuw als PDF."
    )


def test_an_archive_with_too_many_parts_is_refused(draft, applicant, settings):
    settings.ATTACHMENT_MAX_MEMBERS = 10
    many = archive("begroting.docx", [*DOCX, *((f"word/media/{number}.xml", "<x/>") for number in range(9))])
    with pytest.raises(services.CandidacyError, match="meer dan 10 delen"):
        services.add_attachment(draft, many, by=applicant, at=DURING_INTAKE)
    assert Attachment.objects.count() == 0


def test_a_weerwoord_attachment_in_disguise_is_refused_the_same_way():
    upload = archive("weerwoord.docx", [*DOCX, ("word/vbaProject.bin", b"VBA")])
    with pytest.raises(communication.CommunicationError) as refusal:
        communication.check_weerwoord_attachment(upload)
    assert (refusal.value.field, refusal.value.message) == ("attachment", MACROS)


@pytest.mark.parametrize("make_file", [factories.pdf_file, factories.docx_file, factories.odt_file])
def test_plain_documents_are_still_accepted(make_file):
    upload = make_file()
    assert files.check_document(upload, name=upload.name) == upload.name.rsplit(".", 1)[1]


# Storage


@time_machine.travel(DURING_INTAKE, tick=False)
def test_attachments_go_through_the_storage_api_so_another_backend_needs_no_code(
    member_client, draft, settings, tmp_path
):
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {"BACKEND": "django.core.files.storage.InMemoryStorage"},
    }
    data = factories.complete_form_data(draft.call, draft)
    data["attachment"] = factories.pdf_file("projectplan.pdf")
    data["draft"] = "1"
    member_client.post(reverse("candidacies:candidacy_update", args=[draft.pk]), data)
    attachment = Attachment.objects.get()
    download = member_client.get(attachment.get_absolute_url())
    content = b"".join(download.streaming_content)
    download.close()
    assert (content, download["Content-Disposition"]) == (
        factories.pdf_file().read(),
        'attachment; filename="projectplan.pdf"',
    )
    assert list((tmp_path / "media").rglob("*.pdf")) == []
