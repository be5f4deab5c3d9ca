"""DOCX and ODT read as Word and LibreOffice will read them: every part unpacked as a stream under one byte budget
(the bytes that really come out count, not the sizes the archive declares), the parts counted and the documents
inside documents bounded, and what the parts say they do checked by content type and relationship, whatever they
are called.

Which links stay allowed: a hyperlink (a relationship of type `hyperlink`, or `text:a` in OpenDocument) to a web page
(http, https) or an e-mail address (mailto), because proposals cite web pages and a hyperlink is only followed when the
reader clicks it. Everything else that points outside the file is refused: a template loaded from elsewhere
(`attachedTemplate`, the template-injection attack), images, frames, objects or sub-documents fetched from a web
address when the document opens (the reader's address and Windows credentials leak, or a program runs), and any
reference to a file on a disk or a network share (`file:`, `\\\\host\\share`, a drive letter, a path next to the file).
"""

import itertools
import re
import struct
import tempfile
import zipfile
import zlib
from urllib.parse import urlsplit
from xml.parsers import expat

from django.conf import settings

from . import refusals

CHUNK = 64 * 1024
# Expat hands each element to Python: a part of millions of empty elements inside the byte budget would take minutes.
# A long report's content.xml holds some tens of thousands.
MAX_XML_ELEMENTS = 500_000
# The central directory zipfile reads whole before a part can be counted: at most this much per allowed part.
DIRECTORY_BYTES_PER_PART = 300
LOCAL_HEADER = struct.Struct("<4s5H3L2H")
LOCAL_HEADER_SIGNATURE = b"PK\x03\x04"
ENCRYPTED_FLAG = 0x1
UTF8_NAMES_FLAG = 0x800
ODF_MIMETYPE = b"application/vnd.oasis.opendocument."
ODT_MIMETYPE = b"application/vnd.oasis.opendocument.text"
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
XLINK_HREF = "http://www.w3.org/1999/xlink href"

# Parts that carry code by their name: Word's VBA and ActiveX, OpenDocument's Basic, scripts and dialogs.
DOCX_ACTIVE_PARTS = re.compile(r"(^|/)(vbaproject\.bin|vbadata\.xml)$|^word/activex/", re.IGNORECASE)
ODF_ACTIVE_PARTS = re.compile(r"^(basic|scripts|dialogs)/", re.IGNORECASE)
# Content types ([Content_Types].xml) and relationship types (*.rels) of macros, ActiveX controls, Excel 4 macro
# sheets, Word's macro key bindings and toolbars: the part holds code whatever it is called.
MACRO_CONTENT_TYPES = re.compile(
    r"macroEnabled|vbaProject|vbaData|activeX|macrosheet|keyMapCustomizations|attachedToolbars", re.IGNORECASE
)
MACRO_RELATIONSHIPS = re.compile(r"vba|activeX|macrosheet|keyMapCustomizations|attachedToolbars", re.IGNORECASE)
# Streams of an embedded OLE object (an old Office file or Windows' packager) that hold code: a VBA project, a
# packed file of any kind (Ole10Native: a program the reader double-clicks), Equation Editor 3.0 (CVE-2017-11882).
OLE_MACRO_MARKERS = ("_VBA_PROJECT".encode("utf-16-le"),)
OLE_PROGRAM_MARKERS = ("\x01Ole10Native".encode("utf-16-le"), "Equation Native".encode("utf-16-le"))
OLE_MARKER_LENGTH = max(len(marker) for marker in OLE_MACRO_MARKERS + OLE_PROGRAM_MARKERS)
WEB_SCHEMES = {"http", "https"}
LINK_SCHEMES = WEB_SCHEMES | {"mailto"}
FILE_SCHEMES = {"file", "smb", "nfs", "ftp", "sftp", "webdav", "dav"}
# OpenDocument's own way to name a part of the package.
ODF_PACKAGE_SCHEMES = {"vnd.sun.star.package"}
ODF_SCRIPT_URLS = ("vnd.sun.star.script:", "vnd.sun.star.basic:", "macro:")


class Budget:
    """What may still come out of the archive and its nested documents: bytes unpacked and parts."""

    def __init__(self):
        self.bytes_left = settings.ATTACHMENT_MAX_UNPACKED_SIZE
        self.parts_left = settings.ATTACHMENT_MAX_MEMBERS
        self.elements_left = MAX_XML_ELEMENTS

    def spend_bytes(self, count):
        self.bytes_left -= count
        if self.bytes_left < 0:
            raise refusals.too_large_unpacked()

    def spend_element(self):
        self.elements_left -= 1
        if self.elements_left < 0:
            raise refusals.too_complex()

    def spend_parts(self, count):
        self.parts_left -= count
        if self.parts_left < 0:
            raise refusals.too_many_parts()


def check_package(uploaded_file):
    """'docx', 'odt', or None for an archive that is no such document; raises DocumentRefused for one that may not
    be opened by a juror, or can't be read at all."""
    try:
        return Package(uploaded_file, Budget(), depth=0).check()
    except refusals.DocumentRefused:
        raise
    except (
        zipfile.BadZipFile,
        zipfile.LargeZipFile,
        zlib.error,
        expat.ExpatError,
        struct.error,
        EOFError,
        OSError,
        OverflowError,
        ValueError,
        KeyError,
        IndexError,
    ) as error:
        raise refusals.unreadable() from error
    finally:
        uploaded_file.seek(0)


class Package:
    """One ZIP package, read part by part, in the order of its directory."""

    def __init__(self, file, budget, *, depth):
        self.file = file
        self.budget = budget
        self.depth = depth
        self.spans = []

    def check(self):
        self._check_directory_size()
        self.file.seek(0)
        with zipfile.ZipFile(self.file) as archive:
            members = archive.infolist()
            directory_start = archive.start_dir
        self.budget.spend_parts(len(members))
        names = [member.filename for member in members]
        if len(set(names)) != len(names):
            raise refusals.unreadable()  # two parts of one name: readers differ on which one counts
        mimetype, rest = b"", members
        if members and names[0] == "mimetype":
            mimetype, rest = self._mimetype(members[0], directory_start), members[1:]
        odf = mimetype.startswith(ODF_MIMETYPE)
        ooxml = "[Content_Types].xml" in names
        for member in rest:
            self._check_part(member, directory_start, ooxml=ooxml, odf=odf)
        self._check_no_overlap()
        if odf and mimetype == ODT_MIMETYPE:
            return "odt"
        if ooxml and "word/document.xml" in names:
            return "docx"
        return None

    def _check_directory_size(self):
        """The part count and directory size from the end record, as zipfile finds it (`_EndRecData`, ZIP64
        included), before zipfile builds an object for each of up to hundreds of thousands of entries."""
        end = zipfile._EndRecData(self.file)
        if end is None:
            raise refusals.unreadable()
        if end[zipfile._ECD_ENTRIES_TOTAL] > self.budget.parts_left:
            raise refusals.too_many_parts()
        if end[zipfile._ECD_SIZE] > settings.ATTACHMENT_MAX_MEMBERS * DIRECTORY_BYTES_PER_PART:
            raise refusals.unreadable()

    def _mimetype(self, member, directory_start):
        """An OpenDocument package's first part names its type; anything longer than a type is not one."""
        content = b""
        for chunk in self._chunks(member, directory_start):
            content += chunk[: 200 - len(content)]
        return content.strip() if len(content) < len(ODF_MIMETYPE) + 60 else b""

    def _check_part(self, member, directory_start, *, ooxml, odf):
        name = member.filename
        lower = name.lower()
        if (ooxml and DOCX_ACTIVE_PARTS.search(name)) or (odf and ODF_ACTIVE_PARTS.search(name)):
            raise refusals.macros()
        chunks = self._chunks(member, directory_start)
        if ooxml and name == "[Content_Types].xml":
            self._parse(chunks, _content_type)
        elif ooxml and lower.endswith(".rels"):
            self._parse(chunks, _relationship)
        elif odf and lower.endswith(".xml"):
            self._parse(chunks, _odf_element)
        else:
            self._check_content(chunks)

    def _parse(self, chunks, on_element):
        """Feeds the part to expat as it unpacks; `on_element(name, attributes)` sees each element, names as
        'namespace local'. A document type declaration (entities, the billion laughs) has no place in these parts."""
        parser = expat.ParserCreate(namespace_separator=" ")

        def on_start(name, attributes):
            self.budget.spend_element()
            on_element(name, attributes)

        def refuse_declarations(*_arguments):
            raise refusals.unreadable()

        parser.StartElementHandler = on_start
        parser.StartDoctypeDeclHandler = refuse_declarations
        parser.EntityDeclHandler = refuse_declarations
        for chunk in chunks:
            parser.Parse(chunk, False)
        parser.Parse(b"", True)

    def _check_content(self, chunks):
        """A part that is itself an archive (an embedded workbook or document) is checked as a document of its
        own; an embedded OLE object is searched for code; any other part is only counted."""
        first = next(chunks, b"")
        if first.startswith(LOCAL_HEADER_SIGNATURE):
            self._check_nested(first, chunks)
        elif first.startswith(OLE_MAGIC):
            _scan_ole(first, chunks)
        else:
            for _chunk in chunks:
                pass

    def _check_nested(self, first, chunks):
        if self.depth + 1 > settings.ATTACHMENT_MAX_NESTING:
            raise refusals.nested_too_deep()
        with tempfile.SpooledTemporaryFile(max_size=16 * CHUNK) as nested:
            nested.write(first)
            for chunk in chunks:
                nested.write(chunk)
            Package(nested, self.budget, depth=self.depth + 1).check()

    def _chunks(self, member, directory_start):
        """The part's bytes as they really unpack, CHUNK at most at a time, each counted against the budget before
        it is handed on; the part's stream must end where the directory says and match its size and checksum."""
        if member.flag_bits & ENCRYPTED_FLAG:
            raise refusals.encrypted()
        if member.compress_type not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED):
            raise refusals.unreadable()  # Word and LibreOffice read stored and deflated parts only
        start = self._data_start(member)
        end = start + member.compress_size
        if end > directory_start:
            raise refusals.unreadable()
        self.spans.append((member.header_offset, end))
        inflater = zlib.decompressobj(-zlib.MAX_WBITS) if member.compress_type == zipfile.ZIP_DEFLATED else None
        left, size, checksum = member.compress_size, 0, 0
        while left:
            self.file.seek(end - left)
            data = self.file.read(min(CHUNK, left))
            if not data:
                raise refusals.unreadable()
            left -= len(data)
            for out in _inflated(inflater, data) if inflater else (data,):
                self.budget.spend_bytes(len(out))
                size += len(out)
                checksum = zlib.crc32(out, checksum)
                yield out
            if inflater is not None and inflater.eof:
                break
        if (inflater is not None and not inflater.eof) or size != member.file_size or checksum != member.CRC:
            raise refusals.unreadable()

    def _data_start(self, member):
        """Where the part's data begins, after its local header; that header must name the same part and flag the
        same encryption as the directory (a reader that goes by the local headers must see what we saw)."""
        self.file.seek(member.header_offset)
        header = self.file.read(LOCAL_HEADER.size)
        if len(header) != LOCAL_HEADER.size:
            raise refusals.unreadable()
        signature, _version, flags, _method, _time, _date, _crc, _packed, _size, name_length, extra_length = (
            LOCAL_HEADER.unpack(header)
        )
        if signature != LOCAL_HEADER_SIGNATURE:
            raise refusals.unreadable()
        if flags & ENCRYPTED_FLAG:
            raise refusals.encrypted()
        name = self.file.read(name_length).decode("utf-8" if flags & UTF8_NAMES_FLAG else "cp437")
        if name != member.orig_filename:
            raise refusals.unreadable()
        return member.header_offset + LOCAL_HEADER.size + name_length + extra_length

    def _check_no_overlap(self):
        """Parts that share bytes are the trick of the densest zip bombs; no office program writes them."""
        spans = sorted(self.spans)
        if any(end > next_start for (_start, end), (next_start, _end) in zip(spans, spans[1:], strict=False)):
            raise refusals.unreadable()


def _inflated(inflater, data):
    """What a deflated piece unpacks to, CHUNK at most at a time, so a bomb never lands in memory at once."""
    while True:
        out = inflater.decompress(data, CHUNK)
        data = inflater.unconsumed_tail
        if out:
            yield out
        if inflater.eof or not (out or data):
            return


def _content_type(_name, attributes):
    if MACRO_CONTENT_TYPES.search(attributes.get("ContentType", "")):
        raise refusals.macros()


def _relationship(name, attributes):
    if not name.endswith("Relationship"):
        return
    kind = attributes.get("Type", "").rstrip("/").rsplit("/", 1)[-1]
    target = attributes.get("Target", "")
    if MACRO_RELATIONSHIPS.search(kind):
        raise refusals.macros()
    if attributes.get("TargetMode", "").strip().lower() != "external" and not _outside(target):
        return  # a part of the package itself
    if kind.lower() == "attachedtemplate":
        raise refusals.external_template(target)
    if kind.lower() == "hyperlink":
        _check_hyperlink(target)
    else:
        _check_fetched(target)


def _odf_element(name, attributes):
    namespace, _space, local = name.rpartition(" ")
    if local == "event-listener" or (local == "script" and namespace.endswith(":office:1.0")):
        raise refusals.macros()  # an event bound to a macro, in the document or installed with LibreOffice
    if any(value.strip().lower().startswith(ODF_SCRIPT_URLS) for value in attributes.values()):
        raise refusals.macros()
    target = attributes.get(XLINK_HREF)
    if target is None:
        return
    if local == "a":
        if not target.strip().startswith("#"):
            _check_hyperlink(target)
    elif _outside(target, odf=True):
        _check_fetched(target)


def _scheme(target):
    """The target's scheme, '' for a path; a Windows drive letter or UNC path counts as 'file'."""
    target = target.strip()
    if target.startswith(("\\\\", "//")) or re.match(r"^[A-Za-z]:[\\/]", target):
        return "file"
    try:
        return urlsplit(target).scheme.lower()
    except ValueError:
        return "invalid"


def _outside(target, *, odf=False):
    """Whether a target named inside a package points outside it: a scheme of its own, a network or drive path;
    in OpenDocument also a path that leaves the package ('../', '/'): an OOXML part name is absolute, and '../' in
    it climbs the package's own folders."""
    scheme = _scheme(target)
    if scheme in ODF_PACKAGE_SCHEMES:
        return False
    path = target.strip().replace("\\", "/")
    return bool(scheme) or (odf and path.startswith(("../", "/")))


def _check_hyperlink(target):
    scheme = _scheme(target)
    if scheme in LINK_SCHEMES:
        return
    if scheme in FILE_SCHEMES or not scheme:
        raise refusals.refers_to_a_file(target)
    raise refusals.link_not_allowed(target)


def _check_fetched(target):
    scheme = _scheme(target)
    if scheme in WEB_SCHEMES:
        raise refusals.fetches_from_internet(target)
    if scheme in FILE_SCHEMES or not scheme:
        raise refusals.refers_to_a_file(target)
    raise refusals.link_not_allowed(target)


def _scan_ole(first, chunks):
    """Searches an embedded OLE object's stream names (UTF-16, uncompressed in its directory) for code."""
    tail = b""
    for chunk in itertools.chain([first], chunks):
        window = tail + chunk
        if any(marker in window for marker in OLE_MACRO_MARKERS):
            raise refusals.macros()
        if any(marker in window for marker in OLE_PROGRAM_MARKERS):
            raise refusals.hidden_program()
        tail = window[-(OLE_MARKER_LENGTH - 1) :]
