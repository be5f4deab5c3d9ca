"""The office's pages in the portal (views.py): the chair's coverage of the region's needs, under /jury/ as the ranking
it sits next to. Its admin pages are in admin_urls.py."""

from django.urls import path

from . import views

app_name = "office_portal"

urlpatterns = [
    path("jury/oproepen/<slug:call_slug>/dekking/", views.coverage, name="coverage"),
    path("jury/oproepen/<slug:call_slug>/dekking.csv", views.coverage_csv, name="coverage_csv"),
]
