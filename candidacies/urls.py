from django.urls import path

from .views import candidacies, check, organisations

app_name = "candidacies"

urlpatterns = [
    # Organisations and their members (views/organisations.py)
    path("organisaties/nieuw/", organisations.organisation_create, name="organisation_create"),
    path("organisaties/<int:pk>/", organisations.organisation_detail, name="organisation_detail"),
    path("organisaties/<int:pk>/bewerken/", organisations.organisation_update, name="organisation_update"),
    path("organisaties/<int:pk>/uitnodigen/", organisations.invitation_create, name="invitation_create"),
    path("uitnodigingen/<uuid:token>/", organisations.invitation_accept, name="invitation_accept"),
    # Candidacies (views/candidacies.py)
    path("kandidaturen/", candidacies.candidacy_list, name="candidacy_list"),
    path("oproepen/<slug:call_slug>/kandidatuur/nieuw/", candidacies.candidacy_create, name="candidacy_create"),
    path("kandidaturen/<int:pk>/", candidacies.candidacy_detail, name="candidacy_detail"),
    path("kandidaturen/<int:pk>/bewerken/", candidacies.candidacy_update, name="candidacy_update"),
    path("kandidaturen/<int:pk>/controleren/", check.candidacy_check, name="candidacy_check"),
    path("kandidaturen/<int:pk>/versies/<int:number>/", check.version_detail, name="version_detail"),
    path("kandidaturen/<int:pk>/intrekken/", candidacies.candidacy_withdraw, name="candidacy_withdraw"),
    path(
        "kandidaturen/<int:pk>/bijlagen/<int:attachment_pk>/",
        candidacies.attachment_download,
        name="attachment_download",
    ),
    path(
        "kandidaturen/<int:pk>/ontvangstbewijs/<int:number>/",
        candidacies.receipt_download,
        name="receipt_download",
    ),
]
