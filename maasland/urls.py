from django.contrib import admin
from django.urls import include, path
from django.views.decorators.csrf import csrf_exempt
from django.views.i18n import set_language

from . import views

urlpatterns = [
    path("healthz", views.healthz, name="healthz"),
    path("robots.txt", views.robots_txt, name="robots_txt"),
    # Django's language switch without the CSRF check: choosing a language changes nothing but the visitor's language
    # cookie, and so the public pages, whose only form it is, carry no token and are kept whole for every visitor
    # (challenges/page_cache.py) without making each visitor a CSRF secret.
    path("i18n/setlang/", csrf_exempt(set_language), name="set_language"),
    # Every admin page that is no model's (office/admin_urls.py), before the admin's own URLs.
    path("admin/office/", include("office.admin_urls")),
    path("admin/", admin.site.urls),
    path("account/", include("accounts.urls")),
    # The privacy and accessibility statements, linked from every page's footer.
    path("", include("accounts.site_urls")),
    path("", include("challenges.site_urls")),
    # The public pages, the most visited, before the pages of applicants and the jury: fewer patterns tried for each.
    path("", include("challenges.urls")),
    path("", include("candidacies.urls")),
    path("", include("jury.urls")),
    # The call manager's office in the portal: the chair's coverage of the needs (office/urls.py).
    path("", include("office.urls")),
]

# A 500 is rendered without the request's context processors: the database may be what failed (maasland/views.py).
handler500 = "maasland.views.server_error"
