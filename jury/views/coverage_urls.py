from django.urls import path

from . import coverage

urlpatterns = [
    path("oproepen/<slug:call_slug>/dekking/", coverage.coverage, name="coverage"),
    path("oproepen/<slug:call_slug>/dekking.csv", coverage.coverage_csv, name="coverage_csv"),
]
