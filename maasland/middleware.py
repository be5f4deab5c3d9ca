import posixpath

from django.conf import settings
from django.shortcuts import render
from django.utils import translation
from django.utils.cache import patch_cache_control, patch_vary_headers
from whitenoise.middleware import WhiteNoiseMiddleware


class ChosenLanguageMiddleware:
    """Dutch for everyone, unless the visitor picked another language with the switch (a cookie).

    The browser's Accept-Language is not asked: a Flemish public portal speaks Dutch first.
    """

    def __init__(self, get_response):
        self.get_response = get_response
        self.supported = {code for code, _name in settings.LANGUAGES}

    def __call__(self, request):
        chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        language = chosen if chosen in self.supported else settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = translation.get_language()
        response = self.get_response(request)
        patch_vary_headers(response, ["Cookie"])
        response.headers.setdefault("Content-Language", request.LANGUAGE_CODE)
        return response


class StaticFilesMiddleware(WhiteNoiseMiddleware):
    """WhiteNoise without what collectstatic leaves beside the assets for developers and for Django itself: the source
    maps (Bootstrap's minified files mapped back to its sources) and the manifest `staticfiles.json` (every file's
    hashed name). No page needs either; asked for, they are the portal's 404. WHITENOISE_ALLOW_ALL_ORIGINS is off, so
    no file says other sites may read it."""

    @staticmethod
    def is_hidden(url):
        name = posixpath.basename(url)
        return name.endswith(".map") or name == "staticfiles.json"

    def add_file_to_dictionary(self, url, path, stat_cache=None):
        if not self.is_hidden(url):
            super().add_file_to_dictionary(url, path, stat_cache=stat_cache)

    def find_file(self, url):
        return None if self.is_hidden(url) else super().find_file(url)


class LoggedInNoStoreMiddleware:
    """Whatever a logged-in person is answered (a page, a file, an export, a refusal, a redirect) is kept by no cache:
    not by a proxy on the way, and not by the browser, from whose cache or history the next person at a shared
    computer could open it. Public pages answered to a visitor stay cacheable."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            patch_cache_control(response, no_store=True, private=True)
        return response


class RequestSizeLimitMiddleware:
    """A request whose body is larger than REQUEST_MAX_SIZE (its Content-Length says so) is answered 413 with a short
    Dutch page before a byte of the body is read: no view, form or upload handler runs.

    A body without a length (Transfer-Encoding: chunked) is bounded too: under WSGI (gunicorn, runserver) Django reads
    at most Content-Length bytes of a body, so none of such a body is read and the view sees an empty form. Under ASGI
    Django would read the whole body before any middleware runs; the portal is served over WSGI.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = 0  # as Django reads it: no body
        length_limit = settings.REQUEST_MAX_SIZE
        if length > length_limit:
            limits = {"request_max_size": length_limit, "attachment_max_size": settings.ATTACHMENT_MAX_SIZE}
            return render(request, "413.html", limits, status=413)
        return self.get_response(request)
