"""The jury's portal pages, grouped by stage of the procedure. The order matters where two patterns could match:
it is the order the stages had as separate URL modules."""

from django.urls import path, re_path

from .views import pitch_days, pitches, ranking, report, scoring, weerwoord, weerwoord_assessment

app_name = "jury"

urlpatterns = [
    # Jurors and the chair: assigned candidacies, conflicts, score sheets, closing rounds, decisions (views/scoring.py)
    path("jury/", scoring.dashboard, name="dashboard"),
    path("jury/kandidaturen/<int:pk>/", scoring.candidacy_detail, name="candidacy"),
    path("jury/kandidaturen/<int:pk>/belangenconflict/", scoring.conflict_declare, name="conflict"),
    path("jury/kandidaturen/<int:pk>/belangenconflict/intrekken/", scoring.conflict_withdraw, name="conflict_withdraw"),
    path("jury/kandidaturen/<int:pk>/bijlagen/<int:attachment_pk>/", scoring.attachment_download, name="attachment"),
    re_path(r"^jury/kandidaturen/(?P<pk>[0-9]+)/(?P<round>written|pitch)/$", scoring.score_sheet, name="score_sheet"),
    re_path(
        r"^jury/kandidaturen/(?P<pk>[0-9]+)/(?P<round>written|pitch)/heropenen/(?P<sheet_pk>[0-9]+)/$",
        scoring.reopen_sheet,
        name="reopen_sheet",
    ),
    path("jury/oproepen/<slug:call_slug>/rondes/", scoring.round_list, name="rounds"),
    path("jury/oproepen/<slug:call_slug>/rondes/<str:round>/afsluiten/", scoring.close_round, name="close_round"),
    path("jury/oproepen/<slug:call_slug>/beslissingen/", scoring.decision_list, name="decisions"),
    path(
        "jury/oproepen/<slug:call_slug>/weerwoorden/",
        weerwoord_assessment.assessment_list,
        name="weerwoord_assessments",
    ),
    # Chair and call manager: the ranking, its chart and its CSV (views/ranking.py)
    path("jury/oproepen/<slug:call_slug>/ranking/<slug:round>/", ranking.ranking, name="ranking"),
    path("jury/oproepen/<slug:call_slug>/ranking/<slug:round>.csv", ranking.ranking_csv, name="ranking_csv"),
    path(
        "jury/oproepen/<slug:call_slug>/ranking/<slug:round>/shortlist/",
        ranking.ranking_shortlist,
        name="ranking_shortlist",
    ),
    # Chair and call manager: the decision report as a PDF (views/report.py)
    path("jury/oproepen/<slug:call_slug>/beslissingsverslag.pdf", report.decision_report, name="decision_report"),
    # The pitch days of a call for its jury, and each juror's calendar feed (views/pitch_days.py)
    path("jury/oproepen/<slug:call_slug>/pitchdagen/", pitch_days.timetable, name="pitch_days"),
    path(
        "jury/oproepen/<slug:call_slug>/pitchdagen/agendalink/",
        pitch_days.calendar_feed_renew,
        name="calendar_feed_renew",
    ),
    path("jury/agenda/<int:feed_id>/<slug:token>/pitches.ics", pitch_days.calendar_feed, name="calendar_feed"),
    # Pitch scheduling: the applicant's availability and slot, the .ics (views/pitches.py)
    path("kandidaturen/<int:pk>/pitch/", pitches.pitch, name="pitch"),
    path("kandidaturen/<int:pk>/pitch.ics", pitches.pitch_ics, name="pitch_ics"),
    path(
        "kandidaturen/<int:pk>/pitch/onbeschikbaar/<int:unavailability_pk>/verwijderen/",
        pitches.unavailability_remove,
        name="pitch_unavailability_remove",
    ),
    # Applicants: the communicated decision's letters and the weerwoord (views/weerwoord.py)
    path("kandidaturen/<int:pk>/weerwoord/", weerwoord.weerwoord, name="weerwoord"),
    path("kandidaturen/<int:pk>/weerwoord/bijlage/", weerwoord.weerwoord_attachment, name="weerwoord_attachment"),
    path("kandidaturen/<int:pk>/beslissing/brieven/<int:number>/", weerwoord.letter_download, name="letter_download"),
]
