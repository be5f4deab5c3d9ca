"""Checks on uploaded documents: the type from the bytes, what the document does (candidacies/filechecks/: archives
unpacked as a stream under a byte budget, PDFs walked object by object), a safe name, the digest."""

import hashlib
import re
import unicodedata
import zipfile

from django.conf import settings
from django.utils.translation import gettext as _

from .filechecks import archives, pdfs
from .filechecks.refusals import DocumentRefused

__all__ = ["DocumentRefused", "check_document", "safe_file_name", "sha256_of", "size_refusal"]

PDF_MAGIC = b"%PDF-"
ZIP_MAGIC = b"PK\x03\x04"
KIND_LABELS = {"pdf": "PDF", "docx": "DOCX", "odt": "ODT"}


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
    type, a PDF with an archive in it, a file that can't be read, an archive that is no document or unpacks too
    large, a document that runs, fetches or unpacks something by itself (candidacies/filechecks/), or a `name`
    that claims one document type while the bytes are another."""
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
    return pdfs.check_pdf(uploaded_file)


def _check_archive(uploaded_file):
    kind = archives.check_package(uploaded_file)
    if kind is None:
        raise DocumentRefused(
            _("This file is a ZIP archive, not a PDF, DOCX or ODT document. Upload the document itself.")
        )
    return kind


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
