from django.conf import settings
from django.db import DatabaseError, connection
from django.http import HttpResponse, HttpResponseServerError, JsonResponse
from django.shortcuts import render
from django.template import loader
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import requires_csrf_token
from django.views.decorators.http import require_GET

from . import kept_input


@require_GET
@never_cache
def healthz(request):
    """For the load balancer: 200 when the database answers, 503 when it does not."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError:
        return JsonResponse({"status": "error", "database": "unavailable"}, status=503)
    return JsonResponse({"status": "ok", "database": "ok"})


@require_GET
def robots_txt(request):
    """For crawlers (templates/robots.txt): the public call pages, and none of the pages or files behind a login."""
    return HttpResponse(loader.render_to_string("robots.txt"), content_type="text/plain; charset=utf-8")


@requires_csrf_token
def csrf_failure(request, reason=""):
    """CSRF_FAILURE_VIEW: a Dutch page instead of Django's; the typed form is kept when it came from the portal and
    its page gives kept input back."""
    kept = (
        request.method == "POST"
        and kept_input.gives_input_back(request)
        and kept_input.from_this_site(request)
        and kept_input.keep(request)
    )
    return render(request, "403_csrf.html", {"kept": kept, "form_path": request.path}, status=403)


def server_error(request):
    """handler500: rendered without the request, its context processors or the database, which may be what failed."""
    template = loader.get_template("500.html")
    return HttpResponseServerError(template.render({"portal_name": settings.PORTAL_NAME}))
