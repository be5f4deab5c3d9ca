from django.conf import settings
from django.utils import timezone
from django.utils.functional import SimpleLazyObject

from maasland import clock

from .models import Call, Municipality


def portal(request):
    """The partnership's name and its municipalities, shown in every page's header and footer."""
    return {
        "portal_name": settings.PORTAL_NAME,
        "portal_municipalities": Municipality.objects.filter(calls__is_demo=False).distinct().order_by("position"),
    }


def intake_deadline(request):
    """For logged-in applicants: the open call that closes first, so every page can show the time left. Looked up
    only when a page shows it: the pages with a time left of their own leave the banner out (and the query)."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated or user.is_staff:
        return {}
    now = timezone.now()
    return {"intake_call": SimpleLazyObject(lambda: _first_open_call(now)), "intake_now": now}


def _first_open_call(now):
    return (
        Call.objects.published()
        .filter(deadline__gte=now, launch_date__lte=clock.local_date(now))
        .order_by("deadline")
        .first()
    )
