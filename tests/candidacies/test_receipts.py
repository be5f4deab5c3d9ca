"""Each submission mails one receipt: a PDF of exactly what was submitted, in Dutch, in Brussels time."""

import datetime
import hashlib
import io
from decimal import Decimal
from pathlib import Path
from uuid import uuid4

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from pypdf import PdfReader

from candidacies import services
from candidacies.models import Candidacy, Membership, Organisation
from candidacies.receipts import render_receipt_html, render_receipt_pdf
from maasland.clock import BRUSSELS
from tests import factories

pytestmark = pytest.mark.postgres_pass

UPLOADED_AT = datetime.datetime(2023, 5, 31, 12, 0, tzinfo=BRUSSELS)
SUBMITTED_AT = datetime.datetime(2023, 5, 31, 14, 30, 15, tzinfo=BRUSSELS)
SUBMITTED_AGAIN_AT = datetime.datetime(2023, 6, 1, 23, 59, 59, tzinfo=BRUSSELS)
AFTER_THE_DEADLINE = datetime.datetime(2023, 6, 2, 0, 0, 0, tzinfo=BRUSSELS)
GOLDEN = Path(__file__).resolve().parent / "golden"

PLAN = factories.pdf_bytes("Projectplan Samen naar werk", size=1546)
BUDGET = factories.pdf_bytes("Begroting", size=1_500_028)


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    settings.PORTAL_BASE_URL = "https://oproep.maasland.example"


@pytest.fixture
def applicant(db):
    return get_user_model().objects.create_user("an.peeters@debrug.example", full_name="An Peeters")


@pytest.fixture
def organisation(applicant):
    organisation = Organisation.objects.create(
        name="vzw De Brug",
        enterprise_number="0123456749",
        street="Rijksweg 12",
        postal_code="3630",
        city="Maasmechelen",
        contact_name="An Peeters",
        contact_email="info@debrug.example",
    )
    Membership.objects.create(organisation=organisation, user=applicant)
    return organisation


@pytest.fixture
def candidacy(maasland_call, organisation, applicant):
    """A filled-in draft with two attachments; its primary key is fixed because the mail links to its page."""
    candidacy = Candidacy.objects.create(
        pk=7,
        call=maasland_call,
        organisation=organisation,
        created_by=applicant,
        title="Samen naar werk in Maasland",
        summary="Trajectbegeleiding op maat voor wie ver van de arbeidsmarkt staat.",
        approach="We werken outreachend.\n\nWe bouwen aan het netwerk van elke deelnemer.",
        collaboration="Met het OCMW van Maasmechelen en Lanaken.",
        expected_participants=1200,
        duration_months=18,
        budget=Decimal("12500.00"),
        budget_breakdown="Loonkosten en werkingskosten.",
        team="Twee trajectbegeleiders en een jobcoach.",
        contact_name="Bram Claes",
        contact_email="bram.claes@debrug.example",
        contact_phone="089 12 34 56",
    )
    candidacy.challenges.set(maasland_call.challenges.filter(number__in=[1, 3]))
    candidacy.personas.set(maasland_call.personas.filter(name__in=["Chadia", "Marcel"]))
    candidacy.service_types.set(maasland_call.service_types.filter(position=1))
    candidacy.service_points.set(maasland_call.service_types.get(position=1).points.filter(position__in=[1, 2]))
    candidacy.municipalities.set(maasland_call.municipalities.filter(name__in=["Maasmechelen", "Lanaken"]))
    for name, data in (("Projectplan.pdf", PLAN), ("Begroting 2023.pdf", BUDGET)):
        upload = SimpleUploadedFile(name, data, content_type="application/pdf")
        services.add_attachment(candidacy, upload, by=applicant, at=UPLOADED_AT)
    return candidacy


def submit(candidacy, by, at):
    candidacy.refresh_from_db()
    return services.submit(candidacy, {}, lock_version=candidacy.lock_version, token=uuid4(), by=by, at=at)


@pytest.fixture
def version(candidacy, applicant, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        return submit(candidacy, applicant, SUBMITTED_AT)


@pytest.fixture
def receipt_text(version):
    reader = PdfReader(io.BytesIO(render_receipt_pdf(version)))
    return "\n".join(page.extract_text() for page in reader.pages)


def test_the_receipt_shows_the_reference_title_and_enterprise_number(receipt_text):
    assert "MAAS-2023-001" in receipt_text
    assert "Samen naar werk in Maasland" in receipt_text
    assert "0123.456.749" in receipt_text


def test_the_receipt_lists_each_attachment_with_its_full_sha256_digest(receipt_text):
    for name, data in (("Projectplan.pdf", PLAN), ("Begroting 2023.pdf", BUDGET)):
        assert name in receipt_text
        assert hashlib.sha256(data).hexdigest() in receipt_text


def test_the_receipt_shows_attachment_sizes_readable_and_exact(receipt_text):
    assert "1,4\xa0MB (1.500.028 bytes)" in receipt_text


def test_the_receipt_shows_the_submission_moment_in_dutch_brussels_time(receipt_text):
    assert "31 mei 2023 om 14:30:15" in receipt_text


def test_the_receipt_shows_the_budget_in_belgian_euro(receipt_text):
    assert "€ 12.500,00" in receipt_text


def test_the_receipt_numbers_its_pages(receipt_text):
    assert "pagina 1 van 2" in receipt_text


def test_the_receipt_is_a4_with_its_reference_in_the_pdf_title(version):
    reader = PdfReader(io.BytesIO(render_receipt_pdf(version)))
    assert reader.metadata.title == "Ontvangstbewijs kandidatuur MAAS-2023-001"
    assert {(round(page.mediabox.width), round(page.mediabox.height)) for page in reader.pages} == {(595, 842)}


def test_the_receipt_refers_to_no_other_host(version):
    assert "://" not in render_receipt_html(version)


def test_submitting_mails_one_receipt_to_the_submitter_with_the_contact_in_copy(version):
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["an.peeters@debrug.example"]
    assert mail.outbox[0].cc == ["bram.claes@debrug.example"]


def test_the_receipt_mail_carries_the_pdf_under_its_reference_and_version(version):
    assert [(name, mimetype) for name, _content, mimetype in mail.outbox[0].attachments] == [
        ("ontvangstbewijs-MAAS-2023-001-v1.pdf", "application/pdf")
    ]


def test_the_mailed_pdf_is_the_receipt_of_the_submitted_version(version):
    assert mail.outbox[0].attachments[0][1] == render_receipt_pdf(version)


def test_the_contact_is_not_copied_when_they_submitted_themselves(
    candidacy, applicant, django_capture_on_commit_callbacks
):
    Candidacy.objects.filter(pk=candidacy.pk).update(contact_email="AN.PEETERS@debrug.example")
    with django_capture_on_commit_callbacks(execute=True):
        submit(candidacy, applicant, SUBMITTED_AT)
    assert mail.outbox[0].cc == []


def test_the_receipt_mail_subject_is_the_golden_one(version):
    assert mail.outbox[0].subject == (GOLDEN / "receipt_subject.txt").read_text().rstrip("\n")


def test_the_receipt_mail_body_is_the_golden_one(version):
    assert mail.outbox[0].body == (GOLDEN / "receipt_body.txt").read_text()


def test_a_second_submission_mails_a_second_receipt_for_version_2(
    version, candidacy, applicant, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        submit(candidacy, applicant, SUBMITTED_AGAIN_AT)
    assert [message.attachments[0][0] for message in mail.outbox] == [
        "ontvangstbewijs-MAAS-2023-001-v1.pdf",
        "ontvangstbewijs-MAAS-2023-001-v2.pdf",
    ]


def test_no_receipt_is_mailed_when_the_submission_comes_after_the_deadline(
    candidacy, applicant, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(services.DeadlinePassed):
        submit(candidacy, applicant, AFTER_THE_DEADLINE)
    assert mail.outbox == []


def pdf_fonts(reader):
    """The base names of the fonts the PDF embeds, without their subset prefix (ABCDEF+DejaVuSans -> DejaVuSans)."""
    names = set()
    for page in reader.pages:
        for font in page["/Resources"]["/Font"].values():
            names.add(str(font.get_object()["/BaseFont"]).lstrip("/").split("+")[-1])
    return names


def test_an_emoji_in_the_title_prints_through_the_fallback_font_not_as_an_empty_box(candidacy, applicant):
    """DejaVu and Liberation have no emoji: the receipt's fonts name Symbola (Debian's fonts-symbola) after them,
    so the glyph is drawn and copied back as the same character."""
    Candidacy.objects.filter(pk=candidacy.pk).update(title="Samen naar werk 🌍 in Maasland ✅")
    version = submit(candidacy, applicant, SUBMITTED_AT)
    reader = PdfReader(io.BytesIO(render_receipt_pdf(version)))
    text = "\n".join(page.extract_text() for page in reader.pages)
    assert (any(name.startswith("Symbola") for name in pdf_fonts(reader)), "🌍" in text, "✅" in text) == (
        True,
        True,
        True,
    )
