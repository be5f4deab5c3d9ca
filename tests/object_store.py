"""An object store for tests: files kept in memory and reached through Django's storage API only, with no local path
and no URL, as in S3 through django-storages. Code that opens a stored file by its path, or writes beside
MEDIA_ROOT, fails with it."""

from django.core.files.base import ContentFile
from django.core.files.storage import Storage

BACKEND = "tests.object_store.ObjectStore"


class ObjectStore(Storage):
    def __init__(self):
        self.objects = {}

    def _open(self, name, mode="rb"):
        if name not in self.objects:
            raise FileNotFoundError(name)
        return ContentFile(self.objects[name], name=name)

    def _save(self, name, content):
        self.objects[name] = b"".join(content.chunks())
        return name

    def exists(self, name):
        return name in self.objects

    def delete(self, name):
        self.objects.pop(name, None)

    def size(self, name):
        return len(self.objects[name])

    def listdir(self, path):
        """Like a bucket: the "folders" and objects directly under `path`."""
        prefix = f"{path.rstrip('/')}/" if path else ""
        below = [name[len(prefix) :] for name in self.objects if name.startswith(prefix)]
        folders = sorted({part.split("/", 1)[0] for part in below if "/" in part})
        return folders, sorted(part for part in below if "/" not in part)
