"""Every file the portal keeps (attachments, decision letters, weerwoord attachments), copied out of its store into one
tar and back, through Django's storage API only: the back-up (scripts/backup.sh, scripts/restore.sh) then works the
same on the folder MEDIA_ROOT and on an object store (FILE_STORAGE_BACKEND=s3). The files are found from the rows
that refer to them, so a copy taken after the database dump holds the file of every row in the dump."""

import logging
import tarfile

from django.apps import apps
from django.core.files import File
from django.core.files.storage import default_storage
from django.db import models

logger = logging.getLogger(__name__)


class StoreNotEmpty(Exception):
    pass


def stored_names():
    """The name of every file a row refers to (any model's FileField, history rows included), each once, sorted."""
    names = set()
    for model in apps.get_models():
        for field in model._meta.concrete_fields:
            if isinstance(field, models.FileField):
                rows = model._default_manager.exclude(**{field.attname: ""}).exclude(
                    **{f"{field.attname}__isnull": True}
                )
                names.update(rows.values_list(field.attname, flat=True))
    return sorted(names)


def export_files(target):
    """Writes every stored file into `target` (a binary file object) as a tar, streamed from the store; returns the
    number written. A file a row refers to but the store lacks is logged and left out, so the rest is still saved."""
    written = 0
    with tarfile.open(fileobj=target, mode="w|") as archive:
        for name in stored_names():
            if not default_storage.exists(name):
                logger.error("A stored file is missing, it is not in the back-up: %s", name)
                continue
            with default_storage.open(name, "rb") as stored:
                entry = tarfile.TarInfo(name)
                entry.size = stored.size
                entry.mode = 0o640
                archive.addfile(entry, stored)
            written += 1
    return written


def check_empty():
    """A restore goes into an empty store only: nothing of the backed-up portal may mix with files already there."""
    try:
        folders, files = default_storage.listdir("")
    except FileNotFoundError:  # a MEDIA_ROOT not made yet
        return
    if folders or files:
        raise StoreNotEmpty("The file store (MEDIA_ROOT or the bucket) is not empty: restore into an empty one.")


def import_files(source):
    """Puts every file of the tar in `source` (a binary file object, made by export_files or by a tar of MEDIA_ROOT)
    into the empty store under its own name; returns the number put."""
    check_empty()
    put = 0
    with tarfile.open(fileobj=source, mode="r:") as archive:  # not a stream: each file can be read again (S3's retries)
        for entry in archive:
            if not entry.isfile():
                continue
            name = entry.name.removeprefix("./")
            saved = default_storage.save(name, File(archive.extractfile(entry), name=name))
            if saved != name:
                raise StoreNotEmpty(f"The store renamed {name} to {saved}: restore into an empty store.")
            put += 1
    return put
