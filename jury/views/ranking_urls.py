from django.urls import path

from . import ranking

urlpatterns = [
    path("oproepen/<slug:call_slug>/ranking/<slug:round>/", ranking.ranking, name="ranking"),
    path("oproepen/<slug:call_slug>/ranking/<slug:round>.csv", ranking.ranking_csv, name="ranking_csv"),
    path(
        "oproepen/<slug:call_slug>/ranking/<slug:round>/shortlist/", ranking.ranking_shortlist, name="ranking_shortlist"
    ),
]
