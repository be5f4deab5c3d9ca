from django.urls import path, re_path

from . import scoring

urlpatterns = [
    path("", scoring.dashboard, name="dashboard"),
    path("kandidaturen/<int:pk>/", scoring.candidacy_detail, name="candidacy"),
    path("kandidaturen/<int:pk>/belangenconflict/", scoring.conflict_declare, name="conflict"),
    path("kandidaturen/<int:pk>/bijlagen/<int:attachment_pk>/", scoring.attachment_download, name="attachment"),
    re_path(r"^kandidaturen/(?P<pk>[0-9]+)/(?P<round>written|pitch)/$", scoring.score_sheet, name="score_sheet"),
    path("oproepen/<slug:call_slug>/rondes/", scoring.round_list, name="rounds"),
    path("oproepen/<slug:call_slug>/rondes/<str:round>/afsluiten/", scoring.close_round, name="close_round"),
    path("oproepen/<slug:call_slug>/beslissingen/", scoring.decision_list, name="decisions"),
]
