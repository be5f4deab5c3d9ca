"""A request body over REQUEST_MAX_SIZE is answered 413 with a short Dutch page before a byte of it is read, so no
view runs; a body within it reaches the view (a file over the attachment limit then gets its message at the field)."""

import io

import pytest
from django.test import Client
from django.test.client import BOUNDARY, MULTIPART_CONTENT, encode_multipart
from django.urls import reverse

from tests import factories

pytestmark = pytest.mark.django_db

PASSWORD = "a-Strong-passw0rd"  # tests/factories.py gives every user this one


class WatchedBody(io.BytesIO):
    """A request body that counts how often it was read."""

    reads = 0

    def read(self, *args):
        self.reads += 1
        return super().read(*args)

    def readline(self, *args):
        self.reads += 1
        return super().readline(*args)


@pytest.fixture
def login(db):
    """A login form, posted as multipart (as a form with a file is): the view logs in whoever it reads."""
    user = factories.user("an@example.org")
    return encode_multipart(BOUNDARY, {"username": user.email, "password": PASSWORD})


def post(body, *, length, **extra):
    client = Client()
    watched = WatchedBody(body)
    response = client.generic(
        "POST",
        reverse("accounts:login"),
        body,
        content_type=MULTIPART_CONTENT,
        CONTENT_LENGTH=str(length),
        **{"wsgi.input": watched},
        **extra,
    )
    return response, watched.reads, "_auth_user_id" in client.session


def test_a_body_announced_over_the_limit_is_refused_with_413_before_it_is_read(login, settings):
    settings.REQUEST_MAX_SIZE = 30 * 1024 * 1024
    response, reads, logged_in = post(login, length=settings.REQUEST_MAX_SIZE + 1)
    page = response.content.decode()
    assert (response.status_code, reads, logged_in) == (413, 0, False)
    assert "Wat je verstuurde is te groot" in page
    assert "hoogstens 30,0\xa0MB per keer" in page  # filesizeformat keeps number and unit together
    assert response["Content-Language"] == "nl-be"


def test_a_body_at_the_limit_reaches_the_view(login, settings):
    settings.REQUEST_MAX_SIZE = len(login)
    response, reads, logged_in = post(login, length=len(login))
    assert (response.status_code, reads > 0, logged_in) == (302, True, True)


def test_a_body_without_a_length_is_never_read(login, settings):
    """A chunked body (no Content-Length) is not read at all by Django under WSGI: the view sees an empty form."""
    client = Client()
    watched = WatchedBody(login)
    response = client.generic(
        "POST",
        reverse("accounts:login"),
        b"",
        content_type=MULTIPART_CONTENT,
        HTTP_TRANSFER_ENCODING="chunked",
        **{"wsgi.input": watched},
    )
    assert (response.status_code, watched.reads, "_auth_user_id" in client.session) == (200, 0, False)


def test_the_default_limit_leaves_room_for_a_file_twice_the_attachment_limit(settings):
    """Such a file still reaches its form, which says at the field that it is too large and keeps what was typed."""
    assert settings.REQUEST_MAX_SIZE >= 2 * settings.ATTACHMENT_MAX_SIZE + settings.DATA_UPLOAD_MAX_MEMORY_SIZE
