from django.urls import path

from . import weerwoord

urlpatterns = [
    path("kandidaturen/<int:pk>/weerwoord/", weerwoord.weerwoord, name="weerwoord"),
    path("kandidaturen/<int:pk>/weerwoord/bijlage/", weerwoord.weerwoord_attachment, name="weerwoord_attachment"),
    path("kandidaturen/<int:pk>/beslissing/brieven/<int:number>/", weerwoord.letter_download, name="letter_download"),
]
