from django.urls import path

from . import pitches

urlpatterns = [
    path("kandidaturen/<int:pk>/pitch/", pitches.pitch, name="pitch"),
    path("kandidaturen/<int:pk>/pitch.ics", pitches.pitch_ics, name="pitch_ics"),
    path(
        "kandidaturen/<int:pk>/pitch/onbeschikbaar/<int:unavailability_pk>/verwijderen/",
        pitches.unavailability_remove,
        name="pitch_unavailability_remove",
    ),
]
