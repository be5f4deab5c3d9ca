"""The public pages every visitor reaches from the footer, outside the `challenges` namespace."""

from django.urls import path

from .accessibility import AccessibilityStatementView

urlpatterns = [
    path("toegankelijkheid/", AccessibilityStatementView.as_view(), name="accessibility"),
]
