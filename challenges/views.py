from django.shortcuts import get_object_or_404, render
from django.template.response import TemplateResponse
from django.utils import timezone

from . import queries
from .call_page import extra_sections
from .models import Call, CallNote
from .page_cache import cached_page

# The home page shows first the calls one can apply to, then those about to open, then the rest.
PHASE_ORDER = {Call.Phase.INTAKE: 0, Call.Phase.ANNOUNCED: 1}


def call_list(request):
    now = timezone.now()
    calls = [(call, call.phase(now)) for call in queries.published_calls()]
    calls.sort(key=lambda row: PHASE_ORDER.get(row[1], len(PHASE_ORDER)))
    return render(request, "challenges/call_list.html", {"calls": calls, "intake": Call.Phase.INTAKE})


@cached_page
def call_detail(request, slug):
    now = timezone.now()
    call = get_object_or_404(queries.published_calls(), slug=slug)
    notes = list(call.notes.all())
    return TemplateResponse(
        request,
        "challenges/call_detail.html",
        {
            "call": call,
            "now": now,
            "phase": call.phase(now),
            "accepts_submissions": call.accepts_submissions(now),
            "time_left": call.time_left(now),
            "timeline": call.timeline(now),
            "challenges": queries.call_page_challenges(call),
            "personas": call.personas.all(),
            "service_types": queries.call_page_service_types(call),
            "partner_additions": [note for note in notes if note.kind == CallNote.Kind.PARTNER_ADDITION],
            "focus_reasons": [note for note in notes if note.kind == CallNote.Kind.FOCUS_REASON],
            "exclusions": [note for note in notes if note.kind == CallNote.Kind.EXCLUSION],
            "sections": extra_sections(call),
        },
    )


@cached_page
def challenge_detail(request, call_slug, number):
    call = get_object_or_404(queries.published_calls(), slug=call_slug)
    challenge = get_object_or_404(queries.call_page_challenges(call), number=number)
    return TemplateResponse(request, "challenges/challenge_detail.html", {"call": call, "challenge": challenge})


@cached_page
def persona_detail(request, call_slug, slug):
    call = get_object_or_404(queries.published_calls(), slug=call_slug)
    persona = get_object_or_404(call.personas, slug=slug)
    return TemplateResponse(
        request,
        "challenges/persona_detail.html",
        {
            "call": call,
            "persona": persona,
            "challenges": queries.persona_challenges(persona),
        },
    )
