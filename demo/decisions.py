"""The decisions part of the demo: the real 2023 call communicated its decisions on 14 July 2023 and assessed the one
weerwoord it got; the weerwoord demo call sent its decisions five days ago and has a weerwoord waiting.

Every step goes through jury.communication with an instant inside its window and is skipped when it was done
before (or lies in the future), so `seed()` can run on every start.
"""

import datetime

from django.utils import timezone

from jury import communication
from jury.models import Decision, Weerwoord
from maasland import clock

from .jury import CHAIR, MANAGER

REAL_SENT_AT = datetime.datetime(2023, 7, 14, 10, 0)
REAL_WEERWOORD_AFTER = datetime.timedelta(days=6, hours=5)  # 20 July 2023 15:00
REAL_ASSESSED_AFTER = datetime.timedelta(days=19)  # 2 August 2023 10:00, after the window closed
WEERWOORD_CALL_SLUG = "maasland-demo-weerwoord"
DEMO_WEERWOORD_AFTER = datetime.timedelta(days=2, hours=4)  # two days after the sending, 14:00
SENT_TIME = datetime.time(10, 0)

WEERWOORD_TEXT = (
    "We begrijpen de beslissing, maar de jury hield geen rekening met onze samenwerking met het OCMW: sinds januari "
    "begeleiden we samen twaalf deelnemers naar werk. Die cijfers staan in bijlage 2 van ons projectplan. We vragen "
    "de jury de beslissing te herbekijken."
)
ASSESSMENT_MOTIVATION = (
    "Ongegrond. De jury heeft de samenwerking met het OCMW bij de beoordeling gelezen en meegewogen. De rangschikking "
    "blijft ongewijzigd: het geselecteerde voorstel sloot beter aan bij de regio-uitdagingen."
)


def communicate(call, manager, at):
    """Sends every decision of the call that is not sent yet (the service sends each once)."""
    undelivered = Decision.objects.filter(candidacy__call=call, communicated_at__isnull=True).select_related(
        "candidacy__call"
    )
    for decision in undelivered.order_by("candidacy__reference"):
        communication.send_decision(decision, by=manager, at=at)


def file_weerwoord(call, at):
    """One weerwoord per call, on its first not-selected decision, by a member of that organisation."""
    existing = Weerwoord.objects.filter(decision__candidacy__call=call).first()
    if existing is not None:
        return existing
    decision = (
        Decision.objects.filter(
            candidacy__call=call, outcome=Decision.Outcome.NOT_SELECTED, communicated_at__isnull=False
        )
        .select_related("candidacy__organisation", "candidacy__call")
        .order_by("candidacy__reference")
        .first()
    )
    if decision is None or not decision.accepts_weerwoord(at):
        return None
    member = decision.candidacy.organisation.members.order_by("email").first()
    return communication.file_weerwoord(decision, text=WEERWOORD_TEXT, by=member, at=at)


def seed_decisions(calls, users, *, today, now):
    """The real call: sent, one weerwoord, assessed unfounded (prepared by the call manager, confirmed by the
    chair). The weerwoord demo call: sent five days ago, one weerwoord waiting for its assessment."""
    real_call, *demo_calls = calls
    manager = users[MANAGER]
    real_sent_at = timezone.make_aware(REAL_SENT_AT)
    if real_sent_at <= now:
        communicate(real_call, manager, real_sent_at)
        weerwoord = file_weerwoord(real_call, real_sent_at + REAL_WEERWOORD_AFTER)
        assessed_at = real_sent_at + REAL_ASSESSED_AFTER
        if weerwoord is not None and not weerwoord.assessment and assessed_at <= now:
            # In two steps, the call's default: the call manager prepares, the chair confirms.
            communication.prepare_assessment(
                weerwoord,
                assessment=Weerwoord.Assessment.UNFOUNDED,
                motivation=ASSESSMENT_MOTIVATION,
                by=manager,
                at=assessed_at,
            )
            communication.confirm_assessment(weerwoord, by=users[CHAIR], at=assessed_at)
    for call in demo_calls:
        if call.slug != WEERWOORD_CALL_SLUG:
            continue
        sent_at = clock.at_brussels(today - datetime.timedelta(days=5), SENT_TIME)
        if sent_at > now:
            continue
        communicate(call, manager, sent_at)
        filed_at = sent_at + DEMO_WEERWOORD_AFTER
        if filed_at <= now:
            file_weerwoord(call, filed_at)
