"""The portal's URLs plus `/bench-bare/`, a view that returns a constant string: the yardstick of
bench/throughput.py, served by the same gunicorn through the same middleware. Never in production's URLconf."""

from django.http import HttpResponse
from django.urls import path

from maasland.urls import urlpatterns as portal_urlpatterns


def bare(request):
    return HttpResponse("ok", content_type="text/plain")


urlpatterns = [path("bench-bare/", bare), *portal_urlpatterns]
