"""The size limit of uploads, enforced while the bytes arrive rather than after the whole file is kept.

Installed first in FILE_UPLOAD_HANDLERS. A file that passes ATTACHMENT_MAX_SIZE stops being handed to the handlers
that keep it (memory or a temporary file), whose partial copy is dropped at once; the rest of its bytes are read
and thrown away, so the other fields of the form still arrive. The form then gets a `RefusedUpload` with the file's
name and real size and no content, and refuses it at its field with the usual Dutch "too large" message: nothing
typed is lost and no 413 page appears. A request whose Content-Length already says it cannot fit is refused from
its first byte.
"""

import io

from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.core.files.uploadhandler import FileUploadHandler


class RefusedUpload(UploadedFile):
    """A file dropped for its size while it arrived: its name and size are known, its bytes were not kept."""

    too_large = True

    def __init__(self, name, content_type, size, charset=None, content_type_extra=None):
        super().__init__(io.BytesIO(), name, content_type, size, charset, content_type_extra)


class SizeLimitUploadHandler(FileUploadHandler):
    def __init__(self, request=None):
        super().__init__(request)
        self.limit = settings.ATTACHMENT_MAX_SIZE
        self.request_too_large = False
        self.received = 0
        self.too_large = False

    def handle_raw_input(self, input_data, META, content_length, boundary, encoding=None):
        """One form's fields and one file at most: a body larger than that cannot hold a file within the limit."""
        self.request_too_large = content_length > self.limit + settings.DATA_UPLOAD_MAX_MEMORY_SIZE

    def new_file(self, *args, **kwargs):
        super().new_file(*args, **kwargs)
        self.received = 0
        self.too_large = self.request_too_large or (self.content_length or 0) > self.limit

    def receive_data_chunk(self, raw_data, start):
        self.received += len(raw_data)
        if not self.too_large and self.received > self.limit:
            self.too_large = True
            self.drop_partial_copies()
        return None if self.too_large else raw_data

    def file_complete(self, file_size):
        if not self.too_large:
            return None
        self.drop_partial_copies()
        return RefusedUpload(self.file_name, self.content_type, file_size, self.charset, self.content_type_extra)

    def drop_partial_copies(self):
        """Closes what the handlers after this one kept of the file so far: memory freed, temporary file deleted."""
        handlers = getattr(self.request, "upload_handlers", None) or []
        for handler in handlers:
            if handler is not self and getattr(handler, "file", None) is not None:
                handler.file.close()
