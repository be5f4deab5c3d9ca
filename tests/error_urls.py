"""The portal's URLs plus one view per kind of failure, for tests/test_error_pages.py."""

from django.core.exceptions import PermissionDenied, SuspiciousOperation
from django.urls import include, path

from maasland.urls import handler500  # noqa: F401 (the portal's own, looked up on the root URLconf)


def bad_request(request):
    raise SuspiciousOperation("a tampered request")


def forbidden(request):
    raise PermissionDenied


def broken(request):
    raise RuntimeError("a bug")


urlpatterns = [
    path("fout/400/", bad_request),
    path("fout/403/", forbidden),
    path("fout/500/", broken),
    path("", include("maasland.urls")),
]


def failing_context(request):
    """A context processor that fails, as one does when the database is gone."""
    raise RuntimeError("the database is gone")
