from django.contrib import admin
from django.urls import include, path

from . import views

urlpatterns = [
    path("healthz", views.healthz, name="healthz"),
    path("i18n/", include("django.conf.urls.i18n")),
    # The jury app's admin pages that are no model's (the coverage of the needs), before the admin's own URLs.
    path("admin/jury/", include("jury.admin_urls")),
    # The call manager's exports of a call (jury/views/exports.py).
    path("admin/jury/exports/", include("jury.views.exports_urls")),
    path("admin/", admin.site.urls),
    path("account/", include("accounts.urls")),
    # The privacy and accessibility statements, linked from every page's footer.
    path("", include("accounts.site_urls")),
    path("", include("challenges.site_urls")),
    path("", include("candidacies.urls")),
    path("", include("jury.urls")),
    path("", include("challenges.urls")),
]
