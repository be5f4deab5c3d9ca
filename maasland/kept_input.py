"""What a person typed survives an expired session or a CSRF failure.

The POSTed form is kept in the session, under the path of the page it was typed on, and given back once, unsaved,
when that page is next opened: after logging in again (Django's login keeps an anonymous session's data) or right
away when the CSRF token changed in another tab. Kept on the server rather than in the browser's sessionStorage so
that it works without JavaScript and the test client can prove it; a request that failed the CSRF check is kept only
when the browser says it came from the portal itself (Origin or Referer), so another site cannot fill in a form.
"""

from functools import wraps
from urllib.parse import urlsplit

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.http import JsonResponse, QueryDict
from django.urls import Resolver404, resolve
from django.utils.translation import gettext as _

SESSION_KEY = "kept_input"
NOT_KEPT = {"csrfmiddlewaretoken"}
# A candidacy form holds at most some 22,000 characters of text; anything much larger is not a person's typing.
MAX_CHARACTERS = 100_000


def keep(request):
    """Keeps the POSTed fields (not files) for this page; False when there is nothing to keep or it is too large."""
    data = {key: request.POST.getlist(key) for key in request.POST if key not in NOT_KEPT}
    if not data or sum(len(key) + sum(map(len, values)) for key, values in data.items()) > MAX_CHARACTERS:
        return False
    request.session[SESSION_KEY] = {"path": request.path, "data": data}
    return True


def take(request):
    """The form data kept for this page, once, as a QueryDict (a message says it is not saved yet); None if none."""
    kept = request.session.get(SESSION_KEY)
    if not kept or kept.get("path") != request.path:
        return None
    del request.session[SESSION_KEY]
    data = QueryDict(mutable=True)
    for key, values in kept["data"].items():
        data.setlist(key, values)
    messages.warning(
        request,
        _(
            "This is what you typed before your session ended or the form was refused; it has not been saved yet. "
            "Check it and save it."
        ),
    )
    return data


def from_this_site(request):
    """The browser says the request came from a page of the portal itself."""
    source = request.headers.get("Origin") or request.headers.get("Referer") or ""
    parts = urlsplit(source)
    return bool(parts.scheme) and f"{parts.scheme}://{parts.netloc}" == f"{request.scheme}://{request.get_host()}"


def login_required_keeping_input(view):
    """login_required that keeps a form POSTed after the session expired, and says so on the login page."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if request.user.is_authenticated:
            return view(request, *args, **kwargs)
        if request.method == "POST" and request.headers.get("Accept", "").startswith("application/json"):
            keep(request)
            return JsonResponse({"saved": False, "session_ended": True}, status=401)
        if request.method == "POST" and keep(request):
            messages.info(
                request,
                _("Your session had expired. Log in again: what you typed then comes back in the form."),
            )
        return redirect_to_login(request.get_full_path())

    wrapper.keeps_input = True
    return wrapper


def gives_input_back(request):
    """The page was posted to a view that gives kept input back (login_required_keeping_input): only such forms are
    kept, never a login or password form."""
    try:
        match = resolve(request.path_info)
    except Resolver404:
        return False
    return getattr(match.func, "keeps_input", False)
