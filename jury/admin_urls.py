"""Admin pages of the jury app that are not a model's (admin_views.py); staff only, through the admin's login."""

from django.contrib import admin
from django.urls import path

from . import admin_views

app_name = "jury_admin"

urlpatterns = [
    path("coverage/<int:call_id>/", admin.site.admin_view(admin_views.coverage), name="coverage"),
    path("coverage/<int:call_id>/csv/", admin.site.admin_view(admin_views.coverage_csv), name="coverage_csv"),
]
