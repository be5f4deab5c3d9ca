"""Checks on uploaded documents: the type from the bytes, archives looked at through their directory only (never
unpacked), a safe name, the digest."""

import hashlib
import re
import unicodedata
import zipfile

from django.conf import settings
from django.utils.translation import gettext as _

PDF_MAGIC = b"%PDF-"
ZIP_MAGIC = b"PK\x03\x04"
ODT_MIMETYPE = b"application/vnd.oasis.opendocument.text"
KIND_LABELS = {"pdf": "PDF", "docx": "DOCX", "odt": "ODT"}
# Parts that carry code: Word's VBA macros and ActiveX controls, OpenDocument's Basic macros and scripts.
DOCX_ACTIVE_PARTS = re.compile(r"(^|/)(vbaproject\.bin|vbadata\.xml)$|^word/activex/", re.IGNORECASE)
ODT_ACTIVE_PARTS = re.compile(r"^(basic|scripts)/", re.IGNORECASE)


class DocumentRefused(Exception):
    """The upload is not a document the portal accepts; `message` says why, in the reader's language."""

    def __init__(self, message):
        super().__init__(message)
        self.message = message


def shown_name(name):
    """The name as the person chose it (last path part, no control characters), to say which file was refused."""
    name = unicodedata.normalize("NFKC", str(name or "")).rsplit("/", 1)[-1].rsplit("\\", 1)[-1]
    return "".join(character for character in name if unicodedata.category(character)[0] != "C")[:150]


def size_refusal(uploaded_file):
    """The Dutch message for a file that is too large or empty, naming it; None when its size is fine."""
    limit = settings.ATTACHMENT_MAX_SIZE
    name = shown_name(uploaded_file.name)
    if uploaded_file.size > limit:
        return _("%(name)s is %(size)s MB; an attachment can be at most %(limit)s MB.") % {
            "name": name,
            "size": f"{uploaded_file.size / 1024 / 1024:.1f}".replace(".", ","),
            "limit": limit // (1024 * 1024),
        }
    if uploaded_file.size == 0:
        return _("%(name)s is empty.") % {"name": name}
    return None


def check_document(uploaded_file, *, name=""):
    """'pdf', 'docx' or 'odt' read from the file's own bytes; raises DocumentRefused for anything else: another
    type, a PDF with an archive in it, an archive that is no document or would unpack too large, a document with
    macros or scripts, or a `name` that claims one document type while the bytes are another."""
    if getattr(uploaded_file, "too_large", False):
        raise DocumentRefused(_("This file is too large to be checked."))
    uploaded_file.seek(0)
    head = uploaded_file.read(8)
    uploaded_file.seek(0)
    if head.startswith(PDF_MAGIC):
        kind = _check_pdf(uploaded_file)
    elif head.startswith(ZIP_MAGIC):
        kind = _check_archive(uploaded_file)
    else:
        raise DocumentRefused(not_a_document_message())
    named = str(name or "").rsplit(".", 1)[-1].lower() if "." in str(name or "") else ""
    if named in KIND_LABELS and named != kind:
        raise DocumentRefused(
            _(
                "The name of this file says %(named)s, but its content is a %(kind)s document. "
                "Give it the right extension or save it again as %(named)s."
            )
            % {"named": KIND_LABELS[named], "kind": KIND_LABELS[kind]}
        )
    return kind


def not_a_document_message():
    return _("This file is not a PDF, DOCX or ODT document (checked from its content, not its name).")


def _check_pdf(uploaded_file):
    """A PDF that is also a ZIP archive (an archive glued after it) is a disguise, not a document."""
    try:
        is_archive = zipfile.is_zipfile(uploaded_file)
    finally:
        uploaded_file.seek(0)
    if is_archive:
        raise DocumentRefused(
            _("This PDF has an archive hidden in it. Save the document again as PDF and upload that file.")
        )
    return "pdf"


def _check_archive(uploaded_file):
    """DOCX or ODT from the archive's directory; nothing is unpacked but ODT's tiny `mimetype` entry."""
    try:
        with zipfile.ZipFile(uploaded_file) as archive:
            members = archive.infolist()
            unpacked = sum(member.file_size for member in members)
            if len(members) > settings.ATTACHMENT_MAX_MEMBERS or unpacked > settings.ATTACHMENT_MAX_UNPACKED_SIZE:
                raise DocumentRefused(
                    _(
                        "This document would unpack to more than %(limit)s MB or holds more than %(count)s parts, "
                        "so it cannot be checked safely. Save it again as PDF."
                    )
                    % {
                        "limit": settings.ATTACHMENT_MAX_UNPACKED_SIZE // (1024 * 1024),
                        "count": settings.ATTACHMENT_MAX_MEMBERS,
                    }
                )
            names = [member.filename for member in members]
            first = members[0] if members else None
            if first is not None and first.filename == "mimetype" and first.file_size <= len(ODT_MIMETYPE) + 2:
                with archive.open(first) as entry:
                    if entry.read(len(ODT_MIMETYPE) + 2).strip() == ODT_MIMETYPE:
                        if any(ODT_ACTIVE_PARTS.search(name) for name in names):
                            raise DocumentRefused(macro_message())
                        return "odt"
            if "[Content_Types].xml" in names and "word/document.xml" in names:
                if any(DOCX_ACTIVE_PARTS.search(name) for name in names):
                    raise DocumentRefused(macro_message())
                return "docx"
    except (zipfile.BadZipFile, zipfile.LargeZipFile, NotImplementedError, KeyError, OSError, EOFError) as error:
        raise DocumentRefused(not_a_document_message()) from error
    finally:
        uploaded_file.seek(0)
    raise DocumentRefused(_("This file is a ZIP archive, not a PDF, DOCX or ODT document. Upload the document itself."))


def macro_message():
    return _(
        "This document contains macros or scripts. Save it without them (as DOCX, ODT or PDF) and upload it again."
    )


def safe_file_name(name, kind, max_length=100):
    """The name's last path part, without control characters or path tricks, ending in the detected type."""
    name = unicodedata.normalize("NFKC", str(name or ""))
    name = re.split(r"[\\/]", name)[-1]
    name = "".join(character for character in name if unicodedata.category(character)[0] != "C")
    stem = name.rsplit(".", 1)[0] if "." in name else name
    stem = re.sub(r"[^\w\-. ()]+", "_", stem).strip(" ._-")
    stem = re.sub(r"_+", "_", stem)[: max_length - len(kind) - 1] or "bijlage"
    return f"{stem}.{kind}"


def sha256_of(uploaded_file):
    digest = hashlib.sha256()
    uploaded_file.seek(0)
    for chunk in uploaded_file.chunks():
        digest.update(chunk)
    uploaded_file.seek(0)
    return digest.hexdigest()
