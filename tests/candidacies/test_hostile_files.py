"""Uploads are checked for what they do, not what they claim: archives unpacked as a stream under a byte budget
(the real size counts), macros, external templates and links found by content type and relationship whatever the
part is called, PDFs walked for JavaScript, automatic and launch actions and embedded files, and every malformed file
refused with a Dutch message at its field, never a 500, with what was typed kept. The files are built in memory
(tests/hostile_files.py)."""

import io
import tracemalloc
import zipfile

import pypdf
import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from candidacies import files
from candidacies.filechecks import archives
from candidacies.models import Attachment
from tests import factories
from tests import hostile_files as hostile

from .conftest import DURING_INTAKE

UNREADABLE = (
    "Dit bestand kan niet gelezen worden: het is beschadigd of onvolledig. "
    "Bewaar het opnieuw (als PDF, DOCX of ODT) en laad het opnieuw op."
)
ENCRYPTED = (
    "Dit bestand is met een wachtwoord beveiligd of versleuteld, zodat het niet gelezen kan worden. "
    "Bewaar het zonder wachtwoord en laad het opnieuw op."
)
BOMB = "Dit document is uitgepakt groter dan 100 MB, zodat het niet veilig na te kijken is. Bewaar het opnieuw als PDF."
MACROS = "Dit document bevat macro's of scripts. Bewaar het zonder (als DOCX, ODT of PDF) en laad het opnieuw op."
NESTED = (
    "In dit document zitten documenten in documenten, meer dan 2 niveaus diep, zodat het niet veilig na te kijken "
    "is. Bewaar het opnieuw als PDF."
)
HIDDEN_PROGRAM = (
    "Dit document bevat een ingevoegd object waarin een programma kan zitten (een ingepakt bestand of een oude "
    "vergelijking). Voeg de inhoud in als tekst of afbeelding, of bewaar het document als PDF, en laad het opnieuw op."
)
PDF_JAVASCRIPT = (
    "Deze PDF bevat JavaScript. Bewaar of druk het document opnieuw af als PDF zonder scripts en laad dat bestand op."
)
PDF_AUTOMATIC = (
    "Deze PDF start vanzelf een actie wanneer hij geopend of doorgebladerd wordt. "
    "Bewaar of druk het document opnieuw af als PDF en laad dat bestand op."
)
PDF_LAUNCH = (
    "Deze PDF kan een programma starten of een ander bestand openen (een startactie). "
    "Bewaar of druk het document opnieuw af als PDF en laad dat bestand op."
)
PDF_EMBEDDED = "In deze PDF zitten bestanden ingebed. Laad elk document apart op, als PDF, DOCX of ODT."


def template_message(target):
    return (
        f"Dit document laadt bij het openen een sjabloon van buiten het bestand ({target}). Haal de koppeling met "
        "het sjabloon weg (in Word: Ontwikkelaars, Documentsjabloon) of bewaar het als PDF, en laad het opnieuw op."
    )


def fetch_message(target):
    return (
        f"Dit document haalt bij het openen inhoud van het internet ({target}). Voeg afbeeldingen en objecten in het "
        "document zelf in in plaats van ernaar te linken, en laad het opnieuw op."
    )


def file_message(target):
    return (
        f"Dit document verwijst naar een bestand op een computer of netwerk ({target}). Voeg afbeeldingen en "
        "objecten in het document zelf in, link alleen naar webpagina's of e-mailadressen en laad het opnieuw op."
    )


def link_message(target):
    return (
        f"Dit document bevat een link van een soort die niet toegelaten is ({target}): een link mag alleen naar een "
        "webpagina (http of https) of een e-mailadres (mailto) gaan. Haal hem weg en laad het document opnieuw op."
    )


def refusal(content, name):
    """The Dutch message check_document refuses the bytes with, or the kind it accepts them as."""
    try:
        return files.check_document(SimpleUploadedFile(name, content), name=name)
    except files.DocumentRefused as refused:
        return refused.message


# Zip bombs: the real size counts


@pytest.fixture(scope="module")
def bomb():
    return hostile.zip_bomb()


def test_a_1_mb_docx_that_unpacks_to_1_gib_while_declaring_1_byte_is_refused_at_the_budget(bomb):
    assert len(bomb) < 1.1 * hostile.MiB
    assert refusal(bomb, "begroting.docx") == BOMB


def test_the_bomb_is_unpacked_a_chunk_at_a_time_never_whole(bomb, settings):
    settings.ATTACHMENT_MAX_UNPACKED_SIZE = 8 * hostile.MiB  # the same path as the default's 100 MB, sooner
    upload = SimpleUploadedFile("begroting.docx", bomb)
    tracemalloc.start()
    try:
        with pytest.raises(files.DocumentRefused, match="groter dan 8 MB"):
            files.check_document(upload, name=upload.name)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert peak < hostile.MiB


def test_a_part_that_unpacks_to_another_size_than_it_declares_is_unreadable():
    part = hostile.deflated("word/media/image1.png", b"\0" * 5000)
    lying = (*part[:4], 10, 0)
    entries = [hostile.deflated(name, content.encode()) for name, content in hostile.docx_parts()]
    assert refusal(hostile.raw_zip([*entries, lying]), "begroting.docx") == UNREADABLE


def test_two_parts_of_one_name_are_unreadable():
    parts = [hostile.deflated(name, content.encode()) for name, content in hostile.docx_parts()]
    assert refusal(hostile.raw_zip([*parts, parts[2]]), "begroting.docx") == UNREADABLE


def test_the_part_count_is_read_from_the_end_record_before_zipfile_reads_the_directory(monkeypatch):
    many = hostile.raw_zip([hostile.stored(f"{number}.xml", b"") for number in range(1001)])

    def refuse_to_read(*_arguments, **_options):
        raise AssertionError("zipfile read the directory")

    monkeypatch.setattr(zipfile.ZipFile, "_RealGetContents", refuse_to_read)
    assert refusal(many, "begroting.docx") == (
        "Dit document bestaat uit meer dan 1000 delen, zodat het niet veilig na te kijken is. "
        "Bewaar het opnieuw als PDF."
    )


def test_a_part_of_more_xml_elements_than_can_be_read_quickly_is_refused(monkeypatch):
    monkeypatch.setattr(archives, "MAX_XML_ELEMENTS", 20)
    many = hostile.relationship("hyperlink", "https://www.vdab.be/") * 20
    assert refusal(hostile.docx(relationships=many), "begroting.docx") == (
        "De opbouw van dit document is te groot om veilig na te kijken. Bewaar het opnieuw als PDF."
    )


def test_documents_nested_deeper_than_the_limit_are_refused():
    inner = hostile.docx()
    for _level in range(3):
        inner = hostile.docx(extra=[("word/embeddings/Document.docx", inner)])
    assert refusal(inner, "begroting.docx") == NESTED


def test_a_chart_workbook_embedded_in_a_docx_is_checked_and_accepted():
    workbook = hostile.zipped(hostile.docx_parts())  # any clean package will do
    assert refusal(hostile.docx(extra=[("word/embeddings/Microsoft_Excel_Worksheet.xlsx", workbook)]), "a.docx") == (
        "docx"
    )


def test_macros_in_an_embedded_workbook_are_found():
    workbook = hostile.renamed_macros()
    assert refusal(hostile.docx(extra=[("word/embeddings/Werkblad.xlsm", workbook)]), "a.docx") == MACROS


# Macros, whatever the part is called


def test_a_docx_with_its_macro_part_renamed_word_macros_bin_is_refused():
    assert refusal(hostile.renamed_macros(), "begroting.docx") == MACROS


@pytest.mark.parametrize(
    "options",
    [
        {"content_types": f'<Override PartName="/word/macros.bin" ContentType="{hostile.VBA_TYPE}"/>'},
        {"content_types": f'<Default Extension="bin" ContentType="{hostile.VBA_TYPE}"/>'},
        {"document_type": hostile.MACRO_DOCUMENT_TYPE},
        {"relationships": hostile.relationship("vbaProject", "macros.bin", external=False)},
        {"extra": [("word/macros.bin", hostile.OLE_VBA_PROJECT)]},
        {"extra": [("word/embeddings/oleObject1.bin", hostile.OLE_VBA_PROJECT)]},
    ],
    ids=["content-type", "default-content-type", "macro-enabled-document", "relationship", "ole-content", "embedded"],
)
def test_each_sign_of_a_macro_alone_refuses_the_docx(options):
    assert refusal(hostile.docx(**options), "begroting.docx") == MACROS


def test_a_packed_program_in_an_embedded_object_is_refused():
    packager = hostile.OLE_VBA_PROJECT.replace(
        "_VBA_PROJECT".encode("utf-16-le"), "\x01Ole10Native".encode("utf-16-le")
    )
    assert refusal(hostile.docx(extra=[("word/embeddings/oleObject1.bin", packager)]), "a.docx") == HIDDEN_PROGRAM


# What a DOCX fetches from outside


def test_an_external_template_on_a_foreign_host_is_refused():
    assert refusal(hostile.external_template(), "plan.docx") == template_message(
        "https://templates.evil.example/briefpapier.dotm"
    )


def test_an_image_linked_to_a_file_url_is_refused():
    assert refusal(hostile.file_image(), "plan.docx") == file_message("file://evil.example/share/logo.png")


@pytest.mark.parametrize(
    ("kind", "target", "message"),
    [
        ("image", r"\\evil.example\share\logo.png", file_message(r"\\evil.example\share\logo.png")),
        ("image", "https://evil.example/pixel.png", fetch_message("https://evil.example/pixel.png")),
        ("oleObject", "http://evil.example/x.html!", fetch_message("http://evil.example/x.html!")),
        ("frame", "mhtml:http://evil.example/x", link_message("mhtml:http://evil.example/x")),
        ("hyperlink", "file:///C:/Users/an/begroting.xlsx", file_message("file:///C:/Users/an/begroting.xlsx")),
        ("hyperlink", "javascript:alert(1)", link_message("javascript:alert(1)")),
        ("hyperlink", "https://www.vdab.be/lokale-partnerschappen", "docx"),
        ("hyperlink", "mailto:liesbet.adams@maasmechelen.be", "docx"),
    ],
    ids=["unc-image", "web-image", "ole-link", "other-scheme", "file-link", "script-link", "web-link", "mail-link"],
)
def test_only_hyperlinks_to_web_pages_and_mail_addresses_may_point_outside(kind, target, message):
    assert refusal(hostile.docx(relationships=hostile.relationship(kind, target)), "plan.docx") == message


def test_an_internal_relationship_climbing_the_packages_folders_is_no_link():
    internal = hostile.relationship("customXml", "../customXml/item1.xml", external=False)
    assert refusal(hostile.docx(relationships=internal), "plan.docx") == "docx"


# OpenDocument


@pytest.mark.parametrize(
    ("scripts", "body", "message"),
    [
        (
            '<office:event-listeners><script:event-listener script:language="ooo:script" script:event-name="dom:load"'
            ' xlink:href="vnd.sun.star.script:Standard.Module1.Main?language=Basic&amp;location=document"/>'
            "</office:event-listeners>",
            "",
            MACROS,
        ),
        (
            "",
            '<draw:image xlink:href="https://evil.example/pixel.png"/>',
            fetch_message("https://evil.example/pixel.png"),
        ),
        ("", '<draw:image xlink:href="../geheim/logo.png"/>', file_message("../geheim/logo.png")),
        ("", '<text:a xlink:href="https://www.vdab.be/">VDAB</text:a>', "odt"),
        ("", '<draw:image xlink:href="Pictures/logo.png"/>', "odt"),
    ],
    ids=["macro-on-load", "web-image", "file-image", "web-link", "internal-image"],
)
def test_an_odt_is_read_for_its_scripts_and_links(scripts, body, message):
    assert refusal(hostile.odt(scripts=scripts, body=body), "plan.odt") == message


def test_an_xml_part_with_a_document_type_declaration_is_unreadable():
    laughs = '<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "aaaaaaaaaa">]><x>&a;</x>'
    content = hostile.zipped([("mimetype", hostile.ODT_MIMETYPE), ("content.xml", laughs)])
    assert refusal(content, "plan.odt") == UNREADABLE


def test_an_odt_flagged_encrypted_is_refused_as_protected():
    assert refusal(hostile.encrypted_odt(), "plan.odt") == ENCRYPTED


def test_an_odt_with_a_corrupt_deflate_stream_is_unreadable():
    assert refusal(hostile.corrupt_odt(), "plan.odt") == UNREADABLE


# PDFs


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (hostile.pdf_javascript, PDF_JAVASCRIPT),
        (hostile.pdf_open_action, PDF_AUTOMATIC),
        (hostile.pdf_launch, PDF_LAUNCH),
        (hostile.pdf_embedded_file, PDF_EMBEDDED),
        (hostile.pdf_hidden_escaped_javascript, PDF_JAVASCRIPT),
        (lambda: hostile.pdf(page="/AA << /O << /S /URI /URI (https://evil.example/) >> >>"), PDF_AUTOMATIC),
        (lambda: hostile.pdf(catalog="/OpenAction [3 0 R /Fit]"), "pdf"),
        (lambda: hostile.pdf(catalog="/OpenAction << /S /GoTo /D [3 0 R /Fit] >>"), "pdf"),
        (
            lambda: hostile.pdf(
                page="/Annots [<< /Subtype /Link /Rect [0 0 9 9] /A << /S /URI /URI (https://vdab.be) >> >>]"
            ),
            "pdf",
        ),
        (lambda: b"%PDF-1.7\n1 0 obj << /Type /Catalog /Pages 2 0 R >>\nendobj\n", UNREADABLE),
        (lambda: b"%PDF-1.4\n" + b"[" * 100_000, UNREADABLE),
    ],
    ids=[
        "javascript",
        "open-action",
        "launch",
        "embedded-file",
        "escaped-unlisted-javascript",
        "page-action",
        "opens-at-a-page",
        "opens-with-goto",
        "web-link",
        "no-trailer",
        "deep-nesting",
    ],
)
def test_a_pdf_is_read_for_what_it_does(content, message):
    assert refusal(content(), "plan.pdf") == message


def test_a_pdf_of_more_objects_than_the_limit_is_refused_unread(settings):
    settings.ATTACHMENT_PDF_MAX_OBJECTS = 5
    assert refusal(hostile.pdf(objects=["<< >>"] * 3), "plan.pdf") == (
        "Deze PDF bestaat uit meer dan 5 objecten, zodat hij niet veilig na te kijken is. "
        "Bewaar of druk hem opnieuw af als PDF."
    )


def test_a_pdf_whose_end_marker_is_not_at_its_end_is_unreadable():
    """pypdf would search millions of empty lines for it, one at a time."""
    assert refusal(hostile.pdf(after=b"\n" * 2000), "plan.pdf") == UNREADABLE


def encrypted_pdf(user_password, owner_password):
    writer = pypdf.PdfWriter()
    writer.add_blank_page(595, 842)
    writer.encrypt(user_password, owner_password, algorithm="RC4-128")
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


def test_a_pdf_that_needs_a_password_is_refused_and_one_only_restricted_is_read():
    assert refusal(encrypted_pdf("geheim", "eigenaar"), "plan.pdf") == ENCRYPTED
    assert refusal(encrypted_pdf("", "eigenaar"), "plan.pdf") == "pdf"


# Through the real forms: never a 500, the message at the field, what was typed kept


@pytest.mark.parametrize(
    ("content", "message"),
    [(hostile.encrypted_odt, ENCRYPTED), (hostile.corrupt_odt, UNREADABLE)],
    ids=["encrypted", "corrupt"],
)
@time_machine.travel(DURING_INTAKE, tick=False)
def test_a_crafted_odt_on_the_candidacy_form_is_refused_at_its_field_keeping_the_text(
    client, applicant, draft, content, message
):
    client.force_login(applicant)
    data = factories.complete_form_data(draft.call, draft, summary="Wat we typten blijft staan.")
    data["attachment"] = SimpleUploadedFile("projectplan.odt", content())
    data["draft"] = "1"
    response = client.post(reverse("candidacies:candidacy_update", args=[draft.pk]), data)
    assert response.status_code == 400
    assert response.context["form"].errors["attachment"] == [message]
    assert "Wat we typten blijft staan." in response.content.decode()
    assert Attachment.objects.count() == 0
