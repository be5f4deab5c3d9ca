"""Where a login lands when no ?next= says where to go. accounts may not import the apps after it (the import order of
docs/architecture.md), so each app that has a better first page for some users registers a function here from its
AppConfig.ready(): `landing(user, at)` returns a URL, or None to leave the choice to the next one. Without an answer
the user lands on settings.LOGIN_REDIRECT_URL. jury/landing.py sends a juror of an open call to the jury page."""

from django.conf import settings
from django.contrib.auth import views as auth_views
from django.shortcuts import resolve_url
from django.utils import timezone

LANDINGS = []


def register_landing(landing):
    LANDINGS.append(landing)
    return landing


def landing_url(user, at):
    """The first page for this user after login, asked of the registered apps in the order they were loaded."""
    for landing in LANDINGS:
        url = landing(user, at)
        if url:
            return url
    return resolve_url(settings.LOGIN_REDIRECT_URL)


class LoginView(auth_views.LoginView):
    """Django's login, with the landing page chosen per user; a safe ?next= still wins (Django's own check)."""

    def get_default_redirect_url(self):
        user = self.request.user
        return landing_url(user, timezone.now()) if user.is_authenticated else super().get_default_redirect_url()
