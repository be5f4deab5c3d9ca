"""Organisations, their members and invitations. (Being written.)"""

from django.http import Http404


def organisation_create(request):
    raise Http404


def organisation_detail(request, pk):
    raise Http404


def organisation_update(request, pk):
    raise Http404


def invitation_create(request, pk):
    raise Http404


def invitation_accept(request, token):
    raise Http404
