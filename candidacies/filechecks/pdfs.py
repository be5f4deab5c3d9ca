"""PDFs read for what they do: every object pypdf finds (referenced or not, in object streams too) walked for
JavaScript, automatic actions, launch actions and embedded files, and the raw bytes outside the streams searched for
the same names, `#xx` escapes undone (`/J#61vaScript` is `/JavaScript`), for objects a broken cross-reference table
hides from pypdf but not from a forgiving reader.

Automatic actions: any additional-actions entry (`/AA`: on opening a page, on focus, on close...) is refused, and an
`/OpenAction` unless it only says where to open: a destination array (`[page /Fit]`, written by LibreOffice, LaTeX and
others into ordinary PDFs) or a plain `/GoTo` action. Actions a reader starts by clicking (`/URI` links, `/GoTo`) stay
allowed; `/Launch` is refused wherever it is, as are `/GoToE` and file attachments (embedded files)."""

import io
import re

from django.conf import settings

from . import refusals

# pypdf unpacks object streams (never page contents) to read the objects in them: 16 MB per stream is plenty.
DECODE_LIMIT = 16 * 1024 * 1024
# Where a PDF's end marker must be, as Acrobat requires: pypdf would look for it line by line from the end, which a
# file of millions of empty lines turns into minutes.
EOF_WINDOW = 1024
STREAM_START = re.compile(rb"(?<![A-Za-z])stream(?:\r\n|\n|\r)")
NAME = re.compile(rb"/[^\s/\[\]()<>{}%]*")
ESCAPE = re.compile(rb"#([0-9A-Fa-f]{2})")
RAW_NAMES = {
    b"/JS": refusals.pdf_javascript,
    b"/JavaScript": refusals.pdf_javascript,
    b"/Launch": refusals.pdf_launch,
    b"/EmbeddedFile": refusals.pdf_embedded_files,
    b"/EmbeddedFiles": refusals.pdf_embedded_files,
    b"/EF": refusals.pdf_embedded_files,
    b"/RichMedia": refusals.pdf_embedded_files,
    b"/AA": refusals.pdf_automatic_action,
}


def check_pdf(uploaded_file):
    """'pdf'; raises DocumentRefused for a PDF that does more than show pages, or can't be read. pypdf is imported
    here, not with the module: every process that imports the portal's services would pay for it otherwise."""
    import pypdf

    uploaded_file.seek(0)
    data = uploaded_file.read()
    uploaded_file.seek(0)
    if b"%%EOF" not in data[-EOF_WINDOW:]:
        raise refusals.unreadable()
    _scan_raw(data)
    try:
        with pypdf.apply_configuration(
            zlib_maximum_output_length=DECODE_LIMIT,
            lzw_maximum_output_length=DECODE_LIMIT,
            run_length_maximum_output_length=DECODE_LIMIT,
            array_based_stream_maximum_output_length=DECODE_LIMIT,
            stream_decoding_work_maximum_length=DECODE_LIMIT,
        ):
            reader = pypdf.PdfReader(io.BytesIO(data), strict=False)
            if reader.is_encrypted and not _opens_without_password(reader):
                raise refusals.encrypted()
            _walk(reader)
    except refusals.DocumentRefused:
        raise
    except Exception as error:  # pypdf on a hostile file can fail in any way: each one means "can't be read"
        raise refusals.unreadable() from error
    return "pdf"


def _scan_raw(data):
    """The names outside stream bodies, with `#xx` escapes undone; the first that does more than show pages
    refuses the file. Stream bodies are left out: compressed bytes would match by chance."""
    for piece in _outside_streams(data):
        for match in NAME.finditer(piece):
            name = ESCAPE.sub(lambda escape: bytes([int(escape[1], 16)]), match[0])
            if name in RAW_NAMES:
                raise RAW_NAMES[name]()


def _outside_streams(data):
    """The file's bytes between 'stream' and 'endstream' left out, in one pass (a stream never closed runs to the
    end of the file)."""
    position = 0
    while start := STREAM_START.search(data, position):
        yield data[position : start.start()]
        end = data.find(b"endstream", start.end())
        if end < 0:
            return
        position = end + len(b"endstream")
    yield data[position:]


def _opens_without_password(reader):
    """A PDF with only an owner password (restricted printing) opens for anyone; one with a user password can't
    be read by the jury either. AES needs a crypto package the portal does not install: refused as protected."""
    try:
        return bool(reader.decrypt(""))
    except Exception:  # pypdf's DependencyError for AES, or a broken encryption dictionary
        return False


def _walk(reader):
    """Every object once, from the trailer and from the cross-reference tables (so an object nothing points to is
    read too), at most ATTACHMENT_PDF_MAX_OBJECTS of them."""
    from pypdf.generic import ArrayObject, DictionaryObject, IndirectObject

    limit = settings.ATTACHMENT_PDF_MAX_OBJECTS
    listed = [(number, generation) for generation, numbers in reader.xref.items() for number in numbers]
    listed += [(number, 0) for number in reader.xref_objStm]
    if len(listed) > limit:
        raise refusals.pdf_too_complex()
    pending = [reader.trailer, *(IndirectObject(number, generation, reader) for number, generation in listed)]
    seen = set()
    steps = 0
    while pending:
        item = pending.pop()
        steps += 1
        if steps > 50 * limit:
            raise refusals.pdf_too_complex()
        if isinstance(item, IndirectObject):
            key = (item.idnum, item.generation)
            if key in seen:
                continue
            seen.add(key)
            if len(seen) > limit:
                raise refusals.pdf_too_complex()
            item = item.get_object()
        if isinstance(item, DictionaryObject):  # stream objects too: their dictionary, never their content
            _check_dictionary(item)
            pending.extend(dict.values(item))
        elif isinstance(item, ArrayObject):
            pending.extend(item)


def _check_dictionary(dictionary):
    keys = set(dictionary.keys())
    kind = dictionary.get("/S")
    if keys & {"/JS", "/JavaScript"} or kind == "/JavaScript":
        raise refusals.pdf_javascript()
    if kind == "/Launch":
        raise refusals.pdf_launch()
    if (
        keys & {"/EmbeddedFiles", "/EF"}
        or kind == "/GoToE"
        or dictionary.get("/Type") == "/EmbeddedFile"
        or dictionary.get("/Subtype") in ("/FileAttachment", "/RichMedia")
    ):
        raise refusals.pdf_embedded_files()
    if "/AA" in keys:
        raise refusals.pdf_automatic_action()
    if "/OpenAction" in keys and not _only_opens_at(dictionary["/OpenAction"]):
        raise refusals.pdf_automatic_action()


def _only_opens_at(action):
    """An open action that only picks the page and zoom to open at."""
    from pypdf.generic import ArrayObject, DictionaryObject

    if isinstance(action, ArrayObject):
        return True
    return isinstance(action, DictionaryObject) and action.get("/S") == "/GoTo" and "/Next" not in action
