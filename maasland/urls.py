from django.contrib import admin
from django.urls import include, path

from . import views

urlpatterns = [
    path("healthz", views.healthz, name="healthz"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
    path("account/", include("accounts.urls")),
    path("", include("candidacies.urls")),
    path("", include("jury.urls")),
    path("", include("challenges.urls")),
]
