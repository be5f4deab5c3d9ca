"""The jury part of the demo: jurors and a chair, a conflict, scores of both rounds, pitch slots and decisions.

Every step goes through the jury's and the candidacies' services with an instant inside its phase, and is skipped
when it was done before, so `seed()` can run on every start.
"""

import datetime
import random

from candidacies import services as candidacy_services
from candidacies.models import Candidacy
from jury import queries, ranking, scheduling
from jury import services as jury_services
from jury.invitations import appoint
from jury.models import Conflict, Criterion, Decision, JuryMember, Round, RoundClosure, ScoreSheet
from maasland import clock

MANAGER = "beheerder@demo.example"
CHAIR = "voorzitter@demo.example"
MEMBERS = ["jurylid1@demo.example", "jurylid2@demo.example", "jurylid3@demo.example"]
CONFLICTED_MEMBER = "jurylid3@demo.example"
# A strict and a lenient juror, so the ranking's normalised scores differ from the raw ones.
LENIENCY = {"jurylid1@demo.example": 0, "jurylid2@demo.example": -2, "jurylid3@demo.example": 1, CHAIR: 0}
SHORTLIST_SIZE = 2
PITCH_PLACE = "Gemeentehuis Maasmechelen, raadzaal"
PITCH_DAY_START = datetime.time(9, 30)
PITCH_DAY_END = datetime.time(12, 0)
PITCH_LENGTH = datetime.timedelta(minutes=45)
PITCH_PAUSE = datetime.timedelta(minutes=15)

OVERALL_COMMENTS = [
    (7, "Sterk voorstel: sluit goed aan bij de regio-uitdagingen en bereikt de persona's."),
    (5, "Degelijk voorstel; de samenwerking met de lokale besturen en VDAB kan concreter."),
    (0, "Het voorstel blijft vaag over het bereik van de persona's en over de haalbaarheid."),
]
LOW_SCORE_COMMENT = "Hier verwachten we meer uitleg."
MOTIVATIONS = {
    "selected": "De jury selecteert dit voorstel: het sluit sterk aan bij de regio-uitdagingen, werkt outreachend "
    "en overtuigde tijdens de pitch met een haalbaar plan samen met de lokale besturen.",
    "pitched": "Een degelijk voorstel dat tijdens de pitch minder overtuigde dan het geselecteerde project, vooral "
    "wat de haalbaarheid en de samenwerking met de lokale besturen betreft.",
    "written": "Het schriftelijke voorstel scoorde lager dan de voorstellen die voor de pitches werden geselecteerd.",
}


def copy_criteria(source, calls):
    """Demo calls are copies made by the challenges app, which does not know the jury: they get the criteria here."""
    criteria = list(source.criteria.all())
    for call in calls:
        if call.pk == source.pk or call.criteria.exists():
            continue
        for criterion in criteria:
            Criterion.objects.create(
                call=call,
                round=criterion.round,
                position=criterion.position,
                name=criterion.name,
                description=criterion.description,
                weight=criterion.weight,
                scale_min=criterion.scale_min,
                scale_max=criterion.scale_max,
            )


def appoint_jury(call, users):
    at = call.deadline - datetime.timedelta(days=7)
    roles = [*((email, JuryMember.Role.MEMBER) for email in MEMBERS), (CHAIR, JuryMember.Role.CHAIR)]
    return [
        appoint(call, email=email, full_name=users[email].full_name, role=role, by=users[MANAGER], at=at)
        for email, role in roles
    ]


def declare_demo_conflict(call, members, candidacies):
    member = next(member for member in members if member.user.email == CONFLICTED_MEMBER)
    if not candidacies or Conflict.objects.filter(jury_member=member).exists():
        return
    jury_services.declare_conflict(
        member,
        candidacies[0],
        reason="Ik zit in de raad van bestuur van deze organisatie.",
        by=member.user,
        at=clock.at_brussels(call.assessment_starts_on, datetime.time(8)),
    )


def sheet_content(call, member, candidacy, round, criteria):
    """Deterministic scores: a quality per candidacy and round, a juror's leniency, a little noise."""
    quality = random.Random(f"{call.slug}/{candidacy.organisation.enterprise_number}/{round}").randint(4, 8)
    noise = random.Random(f"{call.slug}/{candidacy.organisation.enterprise_number}/{round}/{member.user.email}")
    values = {}
    for criterion in criteria:
        value = quality + LENIENCY.get(member.user.email, 0) + noise.randint(-1, 1)
        values[criterion.pk] = min(max(value, criterion.scale_min), criterion.scale_max)
    lowest = min(values, key=values.get)
    comment = next(text for threshold, text in OVERALL_COMMENTS if quality >= threshold)
    return {pk: (value, LOW_SCORE_COMMENT if pk == lowest else "") for pk, value in values.items()}, comment


def score_round(call, members, round, *, moment):
    """Every juror submits a sheet for every candidacy assigned to them (none where they have a conflict)."""
    if jury_services.round_is_closed(call, round):
        return
    criteria = list(Criterion.objects.filter(call=call, round=round))
    done = set(
        ScoreSheet.objects.filter(jury_member__call=call, round=round, submitted_at__isnull=False).values_list(
            "jury_member_id", "candidacy_id"
        )
    )
    for member in members:
        for candidacy in queries.assigned_candidacies(member, round):
            if (member.pk, candidacy.pk) in done:
                continue
            values, comment = sheet_content(call, member, candidacy, round, criteria)
            jury_services.save_sheet(
                member,
                candidacy,
                round,
                values=values,
                overall_comment=comment,
                submit=True,
                by=member.user,
                at=moment(candidacy),
            )


def ranked(call, round, statuses):
    """The candidacies with these statuses in the order of the round's ranking (jury/ranking.py), best first."""
    return [
        row.candidacy
        for row in ranking.rank(call, round).rows
        if row.rank is not None and row.candidacy.status in statuses
    ]


def close(call, round, chair, at):
    if not RoundClosure.objects.filter(call=call, round=round).exists():
        jury_services.close_round(call, round, by=chair.user, at=at)


def shortlist_best(call, manager, at):
    later = [Candidacy.Status.SHORTLISTED, Candidacy.Status.PITCHED, Candidacy.Status.SELECTED]
    if call.candidacies.filter(status__in=[*later, Candidacy.Status.NOT_SELECTED]).exists():
        return
    for candidacy in ranked(call, Round.WRITTEN, [Candidacy.Status.SUBMITTED])[:SHORTLIST_SIZE]:
        candidacy_services.shortlist(candidacy, by=manager, at=at)


def place_shortlisted(call, manager, at):
    """Slots on each pitch day, then the planner puts the shortlisted candidacies in them (and invites them)."""
    if call.pitch_slots.exists():
        return
    scheduling.generate_slots(
        call,
        day_start=PITCH_DAY_START,
        day_end=PITCH_DAY_END,
        length=PITCH_LENGTH,
        pause=PITCH_PAUSE,
        place=PITCH_PLACE,
        by=manager,
        at=at,
    )
    scheduling.plan(call, by=manager, at=at)


def hold_pitches(call, members, manager):
    """The pitches took place: the jury scores each after its slot, and the manager marks it pitched."""
    ends = dict(call.pitch_slots.filter(candidacy__isnull=False).values_list("candidacy_id", "ends_at"))
    last_pitch_end = clock.at_brussels(call.pitch_dates[-1], datetime.time(17))
    score_round(call, members, Round.PITCH, moment=lambda candidacy: ends.get(candidacy.pk, last_pitch_end))
    for candidacy in call.candidacies.filter(status=Candidacy.Status.SHORTLISTED):
        candidacy_services.mark_pitched(candidacy, by=manager, at=ends.get(candidacy.pk, last_pitch_end))


def record_decisions(call, chair, at):
    pitched = ranked(call, Round.PITCH, [Candidacy.Status.PITCHED])
    outcomes = {
        candidacy.pk: ("selected", "selected") if number == 0 else ("not_selected", "pitched")
        for number, candidacy in enumerate(pitched)
    }
    decided = set(Decision.objects.filter(candidacy__call=call).values_list("candidacy_id", flat=True))
    for candidacy in call.candidacies.filter(status__in=jury_services.DECIDABLE).order_by("reference"):
        if candidacy.pk in decided:
            continue
        outcome, motivation = outcomes.get(candidacy.pk, ("not_selected", "written"))
        jury_services.record_decision(
            candidacy, outcome=outcome, motivation=MOTIVATIONS[motivation], by=chair.user, at=at
        )


def seed_jury(calls, users, *, now):
    """The jury of every call whose deadline has passed, as far as the call's phase at `now` goes."""
    real_call, *demo_calls = calls
    copy_criteria(real_call, demo_calls)
    manager = users[MANAGER]
    for call in calls:
        if now <= call.deadline:
            continue
        members = appoint_jury(call, users)
        chair = members[-1]
        submitted = list(call.candidacies.filter(status=Candidacy.Status.SUBMITTED).order_by("reference"))
        declare_demo_conflict(call, members, submitted)
        assessment_start = clock.at_brussels(call.assessment_starts_on, datetime.time(9))
        assessment_end = clock.at_brussels(call.assessment_ends_on, datetime.time(16))
        score_round(call, members, Round.WRITTEN, moment=lambda candidacy, start=assessment_start: start)
        if now <= assessment_end:
            continue
        close(call, Round.WRITTEN, chair, assessment_end)
        shortlist_best(call, manager, assessment_end + datetime.timedelta(hours=1))
        place_shortlisted(call, manager, assessment_end + datetime.timedelta(hours=2))
        last_pitch_day = call.pitch_dates[-1]
        if now <= clock.day_end(last_pitch_day):
            continue
        hold_pitches(call, members, manager)
        close(call, Round.PITCH, chair, clock.at_brussels(last_pitch_day, datetime.time(18)))
        record_decisions(call, chair, clock.at_brussels(last_pitch_day + datetime.timedelta(days=1), datetime.time(10)))
