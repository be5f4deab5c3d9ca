from django.urls import include, path

app_name = "jury"

urlpatterns = [
    # Jurors and the chair: assigned candidacies, conflicts, score sheets, closing rounds, decisions (views/scoring.py)
    path("jury/", include("jury.views.scoring_urls")),
    # Chair and call manager: the ranking, its chart and its CSV (views/ranking.py)
    path("jury/", include("jury.views.ranking_urls")),
    # Pitch scheduling: the applicant's availability and slot, the .ics (views/pitches.py)
    path("", include("jury.views.pitches_urls")),
    # Applicants: the communicated decision's letters and the weerwoord (views/weerwoord.py)
    path("", include("jury.views.weerwoord_urls")),
]
