from django.urls import path

from . import views

app_name = "challenges"

urlpatterns = [
    path("", views.call_list, name="call_list"),
    path("oproepen/<slug:slug>/", views.call_detail, name="call_detail"),
    path("oproepen/<slug:call_slug>/uitdagingen/<int:number>/", views.challenge_detail, name="challenge_detail"),
    path("oproepen/<slug:call_slug>/personas/<slug:slug>/", views.persona_detail, name="persona_detail"),
]
