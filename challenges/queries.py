"""Reusable querysets of the challenges app, each with a fixed number of queries."""

from django.db.models import Prefetch

from .models import Call, Challenge, Persona, ServiceType


def published_calls():
    return Call.objects.published().select_related("region").prefetch_related("pitch_days", "municipalities")


def call_page_challenges(call):
    return call.challenges.prefetch_related(
        Prefetch("personas", queryset=Persona.objects.select_related("call").order_by("position"))
    )


def call_page_service_types(call):
    return ServiceType.objects.filter(call=call).prefetch_related("points")


def persona_challenges(persona):
    return Challenge.objects.filter(personas=persona).order_by("number")
