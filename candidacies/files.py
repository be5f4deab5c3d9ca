"""Checks on uploaded documents: the type from the bytes, a safe name, the digest."""

import hashlib
import re
import unicodedata
import zipfile

PDF_MAGIC = b"%PDF-"
ZIP_MAGIC = b"PK\x03\x04"
ODT_MIMETYPE = b"application/vnd.oasis.opendocument.text"


def sniff_document_kind(uploaded_file):
    """'pdf', 'docx' or 'odt' read from the file's own bytes, or None; the name says nothing."""
    uploaded_file.seek(0)
    head = uploaded_file.read(8)
    uploaded_file.seek(0)
    if head.startswith(PDF_MAGIC):
        return "pdf"
    if not head.startswith(ZIP_MAGIC):
        return None
    try:
        with zipfile.ZipFile(uploaded_file) as archive:
            names = archive.namelist()
            if names and names[0] == "mimetype" and archive.read("mimetype").strip() == ODT_MIMETYPE:
                return "odt"
            if "[Content_Types].xml" in names and "word/document.xml" in names:
                return "docx"
    except (zipfile.BadZipFile, KeyError, OSError, RuntimeError, EOFError):
        return None
    finally:
        uploaded_file.seek(0)
    return None


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
