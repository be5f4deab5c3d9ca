from django.conf import settings
from django.utils import timezone

from maasland import clock

from .models import Call, Municipality


def portal(request):
    """The partnership's name and its municipalities, shown in every page's header and footer."""
    return {
        "portal_name": settings.PORTAL_NAME,
        "portal_municipalities": Municipality.objects.filter(calls__is_demo=False).distinct().order_by("position"),
    }


def intake_deadline(request):
    """For logged-in applicants: the open call that closes first, so every page can show the time left."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated or user.is_staff:
        return {}
    now = timezone.now()
    call = (
        Call.objects.published()
        .filter(deadline__gte=now, launch_date__lte=clock.local_date(now))
        .order_by("deadline")
        .first()
    )
    return {"intake_call": call, "intake_now": now} if call else {}
