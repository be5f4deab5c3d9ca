"""FILE_STORAGE_BACKEND=s3: the portal's files in an S3 bucket through django-storages, here against moto's S3 in
the test process (no network): an upload through the form lands in the bucket under AWS_LOCATION, comes back
through the download view, and the back-up copies the files out of the bucket and into an empty one."""

import datetime
import io

import boto3
import pytest
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from moto import mock_aws

from candidacies.models import Attachment
from maasland.clock import BRUSSELS
from maasland.stored_files import StoreNotEmpty, export_files, import_files
from tests import factories

# Files, not the database, are under test: once per CI, in the SQLite pass.
pytestmark = pytest.mark.sqlite_pass

DURING_INTAKE = datetime.datetime(2023, 5, 31, 12, 0, tzinfo=BRUSSELS)
REGION = "eu-west-1"


def use_bucket(settings, name):
    """What maasland/settings.py makes of FILE_STORAGE_BACKEND=s3, AWS_STORAGE_BUCKET_NAME=name, AWS_LOCATION=oproep."""
    options = {"bucket_name": name, "region_name": REGION, "location": "oproep", "file_overwrite": False}
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {"BACKEND": settings.FILE_STORAGE_BACKENDS["s3"], "OPTIONS": options},
    }


@pytest.fixture
def s3(settings, monkeypatch, tmp_path):
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "testing")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "testing")
    settings.MEDIA_ROOT = tmp_path / "media"
    with mock_aws():
        client = boto3.client("s3", region_name=REGION)
        for name in ("maasland-bijlagen", "maasland-herstel"):
            client.create_bucket(Bucket=name, CreateBucketConfiguration={"LocationConstraint": REGION})
        use_bucket(settings, "maasland-bijlagen")
        yield client


def objects_in(client, bucket):
    return [item["Key"] for item in client.list_objects_v2(Bucket=bucket).get("Contents", [])]


def body_of(client, bucket, key):
    return client.get_object(Bucket=bucket, Key=key)["Body"].read()


def test_an_upload_lands_in_the_bucket_and_downloads_from_it(s3, client, maasland_call, time_machine, settings):
    applicant = factories.user("an@example.org", full_name="An Aanvrager")
    draft = factories.candidacy(maasland_call, factories.organisation(applicant, name="Buddywerk Maasland"))
    client.force_login(applicant)
    time_machine.move_to(DURING_INTAKE, tick=False)
    content = factories.pdf_bytes(note="plan")
    upload = SimpleUploadedFile("plan.pdf", content, content_type="application/pdf")
    data = factories.complete_form_data(maasland_call, draft, upload="1", attachment=upload)
    assert client.post(reverse("candidacies:candidacy_update", args=[draft.pk]), data).status_code == 302
    attachment = Attachment.objects.get()
    key = f"oproep/{attachment.file.name}"
    assert (objects_in(s3, "maasland-bijlagen"), body_of(s3, "maasland-bijlagen", key)) == ([key], content)
    response = client.get(reverse("candidacies:attachment_download", args=[draft.pk, attachment.pk]))
    assert (response.status_code, b"".join(response.streaming_content)) == (200, content)
    assert not settings.MEDIA_ROOT.exists()


def test_the_files_are_backed_up_out_of_one_bucket_and_into_an_empty_one(s3, maasland_call, settings):
    from candidacies import services

    applicant = factories.user("an@example.org", full_name="An Aanvrager")
    draft = factories.candidacy(maasland_call, factories.organisation(applicant, name="Buddywerk Maasland"))
    contents = [factories.pdf_bytes(note=note) for note in ("plan", "begroting")]
    for number, content in enumerate(contents):
        upload = SimpleUploadedFile(f"bijlage-{number}.pdf", content, content_type="application/pdf")
        services.add_attachment(draft, upload, by=applicant, at=DURING_INTAKE)
    backup = io.BytesIO()
    assert export_files(backup) == 2
    use_bucket(settings, "maasland-herstel")
    assert import_files(io.BytesIO(backup.getvalue())) == 2
    names = [f"oproep/{attachment.file.name}" for attachment in Attachment.objects.order_by("pk")]
    assert [body_of(s3, "maasland-herstel", name) for name in names] == contents
    with pytest.raises(StoreNotEmpty):
        import_files(io.BytesIO(backup.getvalue()))
    assert (default_storage.bucket_name, not settings.MEDIA_ROOT.exists()) == ("maasland-herstel", True)
