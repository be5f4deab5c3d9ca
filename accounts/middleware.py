from django.contrib import messages
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _

from . import two_factor


def second_factor_redirect(request):
    """To the page that asks the code, or to setting one up for a user who has none; back to this page after."""
    target = "accounts:two_factor_verify" if two_factor.has_second_factor(request.user) else "accounts:two_factor_setup"
    url = reverse(target)
    if request.method == "GET":
        url += "?" + urlencode({"next": request.get_full_path()})
    return redirect(url)


class SecondFactorMiddleware:
    """Sends a session that must pass the second factor (accounts/two_factor.py) to it before any page but the
    second factor's own, logging out and choosing a language. Pages that need it only for some (a jury whose call
    asks for it) raise SecondFactorNeeded, answered here the same way."""

    def __init__(self, get_response):
        self.get_response = get_response
        self._open_paths = None

    def open_paths(self):
        if self._open_paths is None:
            self._open_paths = (
                reverse("accounts:two_factor_verify").rsplit("/", 2)[0] + "/",
                reverse("accounts:logout"),
                reverse("admin:logout"),
                reverse("set_language"),
                reverse("healthz"),
            )
        return self._open_paths

    def __call__(self, request):
        if two_factor.must_verify(request) and not request.path_info.startswith(self.open_paths()):
            return second_factor_redirect(request)
        return self.get_response(request)

    def process_exception(self, request, exception):
        if isinstance(exception, two_factor.SecondFactorNeeded):
            messages.info(
                request,
                _("The jury pages of this call ask for a second step after your password: a code from your app."),
            )
            return second_factor_redirect(request)
        return None
