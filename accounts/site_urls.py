"""The account pages every visitor reaches from the footer, outside the `accounts` namespace."""

from django.urls import path

from .views import privacy

urlpatterns = [
    path("privacyverklaring/", privacy, name="privacy"),
]
