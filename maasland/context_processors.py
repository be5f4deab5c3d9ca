from django.conf import settings

from challenges.models import Municipality


def portal(request):
    """The partnership's name and its municipalities, shown in every page's header and footer."""
    return {
        "portal_name": settings.PORTAL_NAME,
        "portal_municipalities": Municipality.objects.filter(calls__is_demo=False).distinct().order_by("position"),
    }
