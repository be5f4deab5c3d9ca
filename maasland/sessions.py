"""Staff sessions are short: they end when the browser closes, after a while without a request, and a working day
after logging in at the latest. Staff see every proposal and score, so a forgotten session must not stay open."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout, user_logged_in
from django.contrib.auth.views import redirect_to_login
from django.dispatch import receiver
from django.utils import timezone
from django.utils.translation import gettext as _

STARTED = "staff_session_started"
SEEN = "staff_session_seen"
# The last request is written down at most once a minute, so that a page full of requests costs no extra writes.
SEEN_GRANULARITY = 60


@receiver(user_logged_in, dispatch_uid="maasland_staff_session_stamp")
def stamp_staff_session(sender, request, user, **kwargs):
    """Marks a staff login in its session; the middleware then ends it on time."""
    if not user.is_staff or not hasattr(request, "session"):
        return
    now = int(timezone.now().timestamp())
    request.session[STARTED] = now
    request.session[SEEN] = now
    request.session.set_expiry(0)


def session_has_ended(session, now):
    started = session.get(STARTED)
    if started is None:
        return False
    seen = session.get(SEEN, started)
    return now - started > settings.STAFF_SESSION_AGE or now - seen > settings.STAFF_SESSION_IDLE


class StaffSessionMiddleware:
    """Logs a staff member out once STAFF_SESSION_AGE has passed since the login or STAFF_SESSION_IDLE since the last
    request, and sends them to the login page with a message. Only sessions stamped at a staff login are looked at."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        session = request.session
        if session.get(STARTED) is not None:
            now = int(timezone.now().timestamp())
            if session_has_ended(session, now):
                logout(request)
                messages.info(request, _("Your session has ended for your safety. Log in again to continue."))
                return redirect_to_login(request.get_full_path())
            if now - session.get(SEEN, now) >= SEEN_GRANULARITY:
                session[SEEN] = now
        return self.get_response(request)


def seconds_left(request, now):
    """How long the session lasts from this request on, for the warning before it ends (static/js/session.js): a
    staff session's idle or total limit, whichever comes first; otherwise the session's own age."""
    session = request.session
    started = session.get(STARTED)
    if started is None:
        return session.get_expiry_age()
    stamp = int(now.timestamp())
    return max(0, min(settings.STAFF_SESSION_AGE - (stamp - started), settings.STAFF_SESSION_IDLE))
