"""The procedure as one guarded machine (issue 13): random sequences of every move by every role over one call,
with the procedure's invariants checked after every step. Each rule calls the real service, by a role drawn from
the applicant (a member of the candidacy's organisation), another applicant, a juror, a juror with a conflict, the
chair and the call manager, at the machine's clock, which only moves forward. A refusal is fine, but then nothing
may have changed. The call is built once; each example runs in a savepoint rolled back at its end.

The CI run is derandomized and bounded; PROCEDURE_EXAMPLES=200 PROCEDURE_STEPS=25 make it a longer run.
"""

import contextlib
import datetime
import inspect
import os
import uuid
from unittest import mock

import pytest
from django.core.management import call_command
from django.db import connection, transaction
from django.db.models import Q
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import (
    RuleBasedStateMachine,
    initialize,
    invariant,
    precondition,
    rule,
    run_state_machine_as_test,
)

from candidacies import services as candidacy_services
from candidacies.models import Candidacy, ProcedureStep
from challenges.models import Call
from jury import communication, letters, ranking, scheduling
from jury import services as jury_services
from jury.models import (
    Conflict,
    Criterion,
    Decision,
    DecisionLetter,
    JuryMember,
    PitchSlot,
    Round,
    RoundClosure,
    Score,
    ScoreSheet,
    Weerwoord,
)
from maasland.clock import BRUSSELS
from maasland.refusals import Refusal
from tests import factories

pytestmark = pytest.mark.sqlite_pass

EXAMPLES = int(os.environ.get("PROCEDURE_EXAMPLES", "15"))
STEPS = int(os.environ.get("PROCEDURE_STEPS", "20"))
PROCEDURE = settings(
    max_examples=EXAMPLES,
    stateful_step_count=STEPS,
    derandomize=True,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much, HealthCheck.data_too_large],
)


def _moment(month, day, hour):
    return datetime.datetime(2023, month, day, hour, 0, tzinfo=BRUSSELS)


# The phases of the real 2023 call (deadline 1 June 23:59:59; pitch days 19, 21 and 23 June; decisions before 15
# July; a weerwoord window of 14 days after the communication), in order.
PHASES = {
    "during intake": _moment(5, 31, 12),
    "after the deadline": _moment(6, 7, 10),
    "on the first pitch day": _moment(6, 19, 8),
    "on the last pitch day": _moment(6, 23, 12),
    "after the pitches": _moment(6, 26, 10),
    "in the weerwoord window": _moment(7, 10, 10),
    "after the weerwoord window": _moment(8, 15, 10),
}
ROLES = ["applicant", "other applicant", "juror", "conflicted juror", "chair", "call manager"]
STARTS = ["during intake", "written round closed", "pitch round closed", "decisions sent"]
CANDIDACIES = 4  # three submitted during intake, one draft; the conflicted juror declared a conflict on the first


def roles(*likely):
    """Every role, the move's own drawn more often, so that sequences get deep into the procedure."""
    return st.sampled_from([*likely * 4, *ROLES])


candidacy_indexes = st.integers(0, 2 * CANDIDACIES - 1)  # from CANDIDACIES on: the one that moved last
slot_indexes = st.integers(0, 5)
rounds = st.sampled_from([Round.WRITTEN, Round.PITCH])
outcomes = st.sampled_from(list(Decision.Outcome.values))


# The world: built once for the module


def _build():
    from demo.services import ensure_call_manager_group

    call_command("loaddata", "maasland", verbosity=0)
    call = Call.objects.get(slug="maasland-2023")
    manager = factories.user("beheerder@example.org", full_name="Liesbet Adams", is_staff=True)
    manager.groups.add(ensure_call_manager_group())
    chair, juror, conflicted = (
        JuryMember.objects.create(call=call, user=factories.user(f"{name}@example.org"), role=role)
        for name, role in (("voorzitter", "chair"), ("jurylid", "member"), ("conflict", "member"))
    )
    applicants, candidacies = [], []
    for number in range(CANDIDACIES):
        member = factories.user(f"aanvrager{number}@example.org", full_name=f"Aanvrager {number}")
        organisation = factories.organisation(member, name=f"Organisatie {number} vzw")
        if number < CANDIDACIES - 1:
            candidacy = factories.submitted_candidacy(call, at=PHASES["during intake"], member=member, of=organisation)
        else:
            candidacy = factories.candidacy(call, organisation, title="Nog een kladversie")
        applicants.append(member.pk)
        candidacies.append(candidacy.pk)
    jury_services.declare_conflict(
        conflicted,
        Candidacy.objects.get(pk=candidacies[0]),
        reason="Ik ben er bestuurder.",
        by=conflicted.user,
        at=PHASES["during intake"],
    )
    return {
        "call": call.pk,
        "manager": manager.pk,
        "chair": chair.pk,
        "juror": juror.pk,
        "conflicted juror": conflicted.pk,
        "applicants": applicants,
        "candidacies": candidacies,
    }


@pytest.fixture(scope="module")
def procedure_world(django_db_setup, django_db_blocker, tmp_path_factory):
    from tests.seeded import built_once

    media_root = tmp_path_factory.mktemp("media")
    with built_once(django_db_blocker, media_root, _build) as world:
        yield world | {"media_root": media_root}


# What the invariants read: one small function each, so that the integrator can point them at the stored round
# results and the transition log once those exist.


def closed_round_result(call, jury_round):
    """A closed round's result as the chair closed it: today computed by jury/ranking.py."""
    return tuple(
        (row.candidacy.pk, None if row.mean is None else round(float(row.mean), 6), row.jurors_counted, row.rank)
        for row in ranking.rank(call, jury_round).rows
    )


LOGGED = {
    "candidacy": Candidacy,
    "conflict": Conflict,
    "sheet": ScoreSheet,
    "score": Score,
    "slot": PitchSlot,
    "decision": Decision,
    "weerwoord": Weerwoord,
}


def log_sizes():
    """How many log rows each kind of state has (the django-simple-history rows), and the Logboek's steps
    (candidacies.ProcedureStep), in one query."""
    tables = [model.history.model._meta.db_table for model in LOGGED.values()] + [ProcedureStep._meta.db_table]
    counts = ", ".join(f"(SELECT COUNT(*) FROM {table})" for table in tables)
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {counts}")
        return dict(zip([*LOGGED, "logbook"], cursor.fetchone(), strict=True))


def statuses(candidacy_rows):
    return [row[CANDIDACY_FIELDS.index("status")] for row in candidacy_rows]


def revisions(decision):
    """The decision's revisions from its history: (outcome and motivation before, after) at each new revised_at."""
    rows = list(decision.history.order_by("history_id").values_list("outcome", "motivation", "revised_at"))
    return [(old[:2], new[:2]) for old, new in zip(rows, rows[1:], strict=False) if new[2] not in (None, old[2])]


CANDIDACY_FIELDS = ["pk", "status", "status_reason", "title", "reference", "submitted_at", "withdrawn_at"]
CANDIDACY_FIELDS += ["changed_since_submission", "extended_until", "extension_reason"]
DECISION_FIELDS = ["pk", "outcome", "motivation", "recorded_at", "communicated_at", "revised_at"]


def fingerprint(call_pk):
    """The call's state: rows per kind (closures and letters are only ever added: they are their own log)."""
    candidacies = Candidacy.objects.filter(call_id=call_pk).order_by("pk")
    return {
        "candidacy": tuple(candidacies.values_list(*CANDIDACY_FIELDS)),
        "conflict": tuple(Conflict.objects.order_by("pk").values_list("pk", "jury_member", "candidacy", "source")),
        "sheet": tuple(ScoreSheet.objects.order_by("pk").values_list("pk", "total", "submitted_at", "overall_comment")),
        "score": tuple(Score.objects.order_by("pk").values_list("pk", "value", "comment")),
        "slot": tuple(PitchSlot.objects.order_by("pk").values_list("pk", "starts_at", "ends_at", "candidacy")),
        "decision": tuple(Decision.objects.order_by("pk").values_list(*DECISION_FIELDS)),
        "weerwoord": tuple(Weerwoord.objects.order_by("pk").values_list("pk", "assessment", "assessed_at")),
        "closure": tuple(RoundClosure.objects.order_by("pk").values_list("pk", "round", "closed_at")),
        "letter": tuple(DecisionLetter.objects.order_by("pk").values_list("pk", "outcome")),
    }


def takes(function, name):
    return name in inspect.signature(function).parameters


def with_optional(function, *args, optional, **kwargs):
    """The service, with those keyword arguments of `optional` it takes (the chair's `reason=` of the guards)."""
    return function(*args, **kwargs, **{name: value for name, value in optional.items() if takes(function, name)})


def fake_pdf(html, *, identifier, **options):
    """Letters are printed by WeasyPrint, which takes a second; the machine checks the procedure, not the PDF."""
    return f"%PDF-1.4 {identifier} {len(html)}".encode()


class Procedure(RuleBasedStateMachine):
    def __init__(self, world):
        super().__init__()
        self.world = world
        self.now = PHASES["during intake"]
        self.results = {}  # round -> its result when closed
        self.pitched = set()  # candidacies marked as pitched
        self.moved, self.current, self.starting = 0, None, False  # the candidacy that moved last; the rule's
        self.counts = {kind: len(rows) for kind, rows in fingerprint(world["call"]).items()}
        self.reasoned = set()  # candidacies decided without a pitch, with the chair's reason
        self.savepoint = transaction.atomic()
        self.savepoint.__enter__()

    def teardown(self):
        transaction.set_rollback(True)
        self.savepoint.__exit__(None, None, None)

    # Who and what

    @property
    def call(self):
        return Call.objects.get(pk=self.world["call"])

    def which(self, index):
        """The candidacy a rule acts on: one of them, or the one that moved last, so that sequences go deep."""
        self.current = index if index < CANDIDACIES else self.moved
        return self.world["candidacies"][self.current]

    def candidacy(self, index):
        return Candidacy.objects.select_related("call", "organisation").get(pk=self.which(index))

    def user(self, role, index):
        from django.contrib.auth import get_user_model

        User = get_user_model()
        applicants, index = self.world["applicants"], index if index < CANDIDACIES else self.moved
        if role == "applicant":
            return User.objects.get(pk=applicants[index])
        if role == "other applicant":
            return User.objects.get(pk=applicants[(index + 1) % len(applicants)])
        if role == "call manager":
            return User.objects.get(pk=self.world["manager"])
        return JuryMember.objects.select_related("user").get(pk=self.world[role]).user

    def jury_member(self, role):
        """The role's own jury membership; for a role outside the jury, the juror's (whom the role then acts for)."""
        name = role if role in {"juror", "conflicted juror", "chair"} else "juror"
        return JuryMember.objects.select_related("user", "call").get(pk=self.world[name])

    def slot(self, index):
        slots = list(PitchSlot.objects.filter(call_id=self.world["call"]).order_by("starts_at", "place", "pk"))
        return slots[index] if index < len(slots) else None

    def decision(self, index):
        return (
            Decision.objects.select_related("candidacy__call", "candidacy__organisation")
            .filter(candidacy_id=self.which(index))
            .first()
        )

    def attempt(self, move, *args, **kwargs):
        """Runs one move at the machine's clock: what it returns, or None when refused (then nothing changed)."""
        at, self.now = self.now, self.now + datetime.timedelta(minutes=1)
        if self.starting:  # the legal path to the starting point, checked by the invariants once it is there
            with contextlib.suppress(Refusal):
                return move(*args, **kwargs, at=at)
            return None
        before, logged = fingerprint(self.world["call"]), log_sizes()
        try:
            result = move(*args, **kwargs, at=at)
        except Refusal:
            assert fingerprint(self.world["call"]) == before, f"{move.__name__} was refused but changed the call"
            assert log_sizes() == logged, f"{move.__name__} was refused but wrote to the log"
            return None
        self.check_logged(before, logged)
        self.moved = self.current if self.current is not None else self.moved
        return result

    def check_logged(self, before, logged):
        after, sizes = fingerprint(self.world["call"]), log_sizes()
        self.counts = {kind: len(rows) for kind, rows in after.items()}
        unlogged = [kind for kind in LOGGED if after[kind] != before[kind] and sizes[kind] <= logged[kind]]
        assert not unlogged, f"changed without a log entry: {unlogged}"
        moved = statuses(after["candidacy"]) != statuses(before["candidacy"])
        assert not moved or sizes["logbook"] > logged["logbook"], "a candidacy moved without a step in the Logboek"

    # Time

    @rule(phase=st.sampled_from(list(PHASES)))
    def advance(self, phase):
        self.now = max(self.now, PHASES[phase])

    @initialize(start=st.sampled_from(STARTS))
    def start(self, start):
        """Where the sequence starts: during intake, or further on along the legal path, through the services."""
        stage, self.starting = STARTS.index(start), True
        if stage >= 1:
            self.advance("after the deadline")
            for role in ("juror", "chair", "conflicted juror"):
                for index in range(CANDIDACIES - 1):
                    self.save_sheet(index, role, Round.WRITTEN, score=index + 3, complete=True, submit=True)
            self.close_round(Round.WRITTEN, "chair", with_reason=False)
        if stage >= 2:
            for index in (1, 2):
                self.shortlist(index, "call manager")
            self.generate_slots("call manager")
            self.assign_slot(0, 1, "call manager")
            self.assign_slot(1, 2, "call manager")
            self.advance("after the pitches")
            for index in (1, 2):
                self.mark_pitched(index, "call manager")
                for role in ("juror", "chair", "conflicted juror"):
                    self.save_sheet(index, role, Round.PITCH, score=index, complete=True, submit=True)
            self.close_round(Round.PITCH, "chair", with_reason=False)
        if stage >= 3:
            for index, outcome in ((1, "selected"), (2, "not_selected")):
                self.record_decision(index, "chair", outcome, with_reason=False)
                self.send_decision(index, "call manager")
            self.advance("in the weerwoord window")
        self.moved, self.starting = 1, False
        self.counts = {kind: len(rows) for kind, rows in fingerprint(self.world["call"]).items()}

    # Intake

    @rule(index=candidacy_indexes, role=roles("applicant"))
    def submit(self, index, role):
        candidacy = self.candidacy(index)
        content = factories.complete_content(candidacy.call) | {"title": candidacy.title}
        self.attempt(
            candidacy_services.submit,
            candidacy,
            content,
            lock_version=candidacy.lock_version,
            token=uuid.uuid4(),
            by=self.user(role, index),
        )

    @rule(index=candidacy_indexes, role=roles("applicant"))
    def withdraw(self, index, role):
        self.attempt(candidacy_services.withdraw, self.candidacy(index), by=self.user(role, index))

    @rule(index=candidacy_indexes, role=roles("applicant"), title=st.sampled_from(["Samen sterker", "Taalhuis"]))
    def save_draft(self, index, role, title):
        candidacy = self.candidacy(index)
        self.attempt(
            candidacy_services.save_draft,
            candidacy,
            {"title": title},
            lock_version=candidacy.lock_version,
            by=self.user(role, index),
        )

    @rule(index=candidacy_indexes, role=roles("call manager"), days=st.sampled_from([-1, 1, 3, 30]))
    def grant_extension(self, index, role, days):
        self.attempt(
            candidacy_services.grant_extension,
            self.candidacy(index),
            until=self.now + datetime.timedelta(days=days),
            reason="Ziekte van de coördinator.",
            by=self.user(role, index),
        )

    @rule(index=candidacy_indexes, role=roles("call manager"))
    def declare_inadmissible(self, index, role):
        self.attempt(
            candidacy_services.mark_inadmissible,
            self.candidacy(index),
            reason="Buiten de oproep.",
            by=self.user(role, index),
        )

    @rule(index=candidacy_indexes, role=roles("call manager"))
    def shortlist(self, index, role):
        self.attempt(candidacy_services.shortlist, self.candidacy(index), by=self.user(role, index))

    # The jury

    @rule(index=candidacy_indexes, role=roles("juror", "call manager"))
    def declare_conflict(self, index, role):
        self.attempt(
            jury_services.declare_conflict,
            self.jury_member(role),
            self.candidacy(index),
            reason="Ik ken hen.",
            by=self.user(role, index),
        )

    @rule(
        index=candidacy_indexes,
        role=roles("juror", "chair", "conflicted juror"),
        round=rounds,
        score=st.integers(0, 10),
        complete=st.booleans(),
        submit=st.booleans(),
    )
    def save_sheet(self, index, role, round, score, complete, submit):
        criteria = list(Criterion.objects.filter(call_id=self.world["call"], round=round).order_by("position"))
        values = {item.pk: (item.scale_min + (score + n) % (item.scale_max - item.scale_min + 1), "") for n, item in
                  enumerate(criteria)}  # fmt: skip
        if not complete:
            values[criteria[0].pk] = (None, "")
        self.attempt(
            jury_services.save_sheet,
            self.jury_member(role),
            self.candidacy(index),
            round,
            values=values,
            overall_comment="Degelijk.",
            submit=submit,
            by=self.user(role, index),
        )

    @rule(round=rounds, role=roles("chair"), with_reason=st.booleans())
    def close_round(self, round, role, with_reason):
        optional = {"reason": "De jury heeft genoeg gezien."} if with_reason else {}
        self.attempt(
            with_optional, jury_services.close_round, self.call, round, optional=optional, by=self.user(role, 0)
        )

    # Pitches

    @rule(role=roles("call manager"))
    def generate_slots(self, role):
        self.attempt(
            scheduling.generate_slots,
            self.call,
            day_start=datetime.time(9, 0),
            day_end=datetime.time(10, 0),
            length=datetime.timedelta(minutes=30),
            pause=datetime.timedelta(0),
            place="Raadzaal",
            by=self.user(role, 0),
        )

    @precondition(lambda self: self.counts["slot"])
    @rule(slot=slot_indexes, index=candidacy_indexes, role=roles("call manager"))
    def assign_slot(self, slot, index, role):
        slot = self.slot(slot)
        if slot is not None:
            self.attempt(scheduling.assign, slot, self.candidacy(index), by=self.user(role, index))

    @precondition(lambda self: self.counts["slot"])
    @rule(slot=slot_indexes, index=candidacy_indexes, role=roles("call manager"))
    def move_to_slot(self, slot, index, role):
        slot = self.slot(slot)
        if slot is not None:
            self.attempt(scheduling.move, self.candidacy(index), slot, by=self.user(role, index))

    @precondition(lambda self: self.counts["slot"])
    @rule(slot=slot_indexes, role=roles("call manager"))
    def release_slot(self, slot, role):
        slot = self.slot(slot)
        if slot is not None:
            self.attempt(scheduling.release, slot, by=self.user(role, 0))

    @rule(index=candidacy_indexes, role=roles("call manager"))
    def mark_pitched(self, index, role):
        if self.attempt(candidacy_services.mark_pitched, self.candidacy(index), by=self.user(role, index)):
            self.pitched.add(self.which(index))

    # Decisions, letters and the weerwoord

    @rule(index=candidacy_indexes, role=roles("chair"), outcome=outcomes, with_reason=st.booleans())
    def record_decision(self, index, role, outcome, with_reason):
        optional = {"without_pitch_reason": "Uitzonderlijk sterk dossier."} if with_reason else {}
        decision = self.attempt(
            with_optional,
            jury_services.record_decision,
            self.candidacy(index),
            outcome=outcome,
            motivation=f"De jury besliste: {outcome}.",
            optional=optional,
            by=self.user(role, 0),
        )
        if decision is not None and with_reason and takes(jury_services.record_decision, "without_pitch_reason"):
            self.reasoned.add(decision.candidacy_id)

    @precondition(lambda self: self.counts["decision"])
    @rule(index=candidacy_indexes, role=roles("call manager"))
    def send_decision(self, index, role):
        decision = self.decision(index)
        if decision is not None:
            self.attempt(communication.send_decision, decision, by=self.user(role, index))

    @precondition(lambda self: self.counts["decision"])
    @rule(index=candidacy_indexes, role=roles("applicant"))
    def file_weerwoord(self, index, role):
        decision = self.decision(index)
        if decision is not None:
            self.attempt(
                communication.file_weerwoord, decision, text="Weeg onze samenwerking mee.", by=self.user(role, index)
            )

    @precondition(lambda self: self.counts["weerwoord"])
    @rule(index=candidacy_indexes, role=roles("chair", "call manager"), founded=st.booleans())
    def assess_weerwoord(self, index, role, founded):
        weerwoord = Weerwoord.objects.filter(decision__candidacy_id=self.which(index)).first()
        if weerwoord is not None:
            assessment = Weerwoord.Assessment.FOUNDED if founded else Weerwoord.Assessment.UNFOUNDED
            self.attempt(
                communication.assess_weerwoord,
                weerwoord,
                assessment=assessment,
                motivation="Na overleg.",
                by=self.user(role, index),
            )

    @precondition(lambda self: self.counts["weerwoord"])
    @rule(index=candidacy_indexes, role=roles("call manager", "chair"), founded=st.booleans())
    def prepare_assessment(self, index, role, founded):
        weerwoord = Weerwoord.objects.filter(decision__candidacy_id=self.which(index)).first()
        if weerwoord is not None:
            assessment = Weerwoord.Assessment.FOUNDED if founded else Weerwoord.Assessment.UNFOUNDED
            self.attempt(
                communication.prepare_assessment,
                weerwoord,
                assessment=assessment,
                motivation="Voorbereid.",
                by=self.user(role, index),
            )

    @precondition(lambda self: self.counts["weerwoord"])
    @rule(index=candidacy_indexes, role=roles("chair", "call manager"))
    def confirm_assessment(self, index, role):
        weerwoord = Weerwoord.objects.filter(decision__candidacy_id=self.which(index)).first()
        if weerwoord is not None:
            self.attempt(communication.confirm_assessment, weerwoord, by=self.user(role, index))

    @precondition(lambda self: self.counts["weerwoord"])
    @rule(index=candidacy_indexes, role=roles("chair", "call manager"), outcome=outcomes, changed=st.booleans())
    def revise_decision(self, index, role, outcome, changed):
        decision = self.decision(index)
        if decision is not None:
            motivation = "Herzien na het weerwoord." if changed else decision.motivation
            self.attempt(
                communication.revise_decision,
                decision,
                outcome=outcome,
                motivation=motivation,
                by=self.user(role, index),
            )

    # Invariants

    @invariant()
    def no_future_slot_for_a_decided_or_not_shortlisted_candidacy(self):
        wrong = list(
            PitchSlot.objects.filter(call_id=self.world["call"], starts_at__gt=self.now, candidacy__isnull=False)
            .filter(~Q(candidacy__status=Candidacy.Status.SHORTLISTED) | Q(candidacy__decision__isnull=False))
            .values_list("candidacy__reference", "candidacy__status", "candidacy__decision__outcome")
        )
        assert not wrong, f"a future pitch slot holds a decided or not shortlisted candidacy: {wrong}"

    @invariant()
    def one_letter_per_communication_and_per_revision(self):
        for decision in Decision.objects.filter(candidacy__call_id=self.world["call"]):
            revised = revisions(decision)
            assert all(old != new for old, new in revised), "a revision that changed neither outcome nor motivation"
            expected = (decision.communicated_at is not None) + len(revised)
            count = decision.letters.count()
            assert count == expected, f"{count} letters for a decision communicated and revised {expected} times"

    @invariant()
    def no_contradicting_letters_without_a_founded_weerwoord_between_them(self):
        for decision in Decision.objects.filter(candidacy__call_id=self.world["call"]):
            sent = list(decision.letters.order_by("number"))
            founded = [
                row.assessed_at
                for row in Weerwoord.history.filter(decision_id=decision.pk, assessment=Weerwoord.Assessment.FOUNDED)
            ]
            for first, then in zip(sent, sent[1:], strict=False):
                if first.outcome != then.outcome:
                    between = [at for at in founded if first.created_at < at <= then.created_at]
                    assert between, f"letter {then.number} says {then.outcome}, letter {first.number} {first.outcome}"
            revised = sum(1 for first, then in zip(sent, sent[1:], strict=False) if first.outcome != then.outcome)
            assert revised <= len(set(founded)), "more changed letters than founded weerwoord assessments"

    @invariant()
    def a_decision_only_after_the_pitch_round_for_a_candidacy_that_pitched(self):
        closure = RoundClosure.objects.filter(call_id=self.world["call"], round=Round.PITCH).first()
        for decision in Decision.objects.filter(candidacy__call_id=self.world["call"]):
            assert closure is not None and closure.closed_at <= decision.recorded_at, "decided before the pitch round"
            pitched = decision.candidacy_id in self.pitched
            reasoned = decision.outcome == Decision.Outcome.SELECTED and decision.candidacy_id in self.reasoned
            assert pitched or reasoned, f"a decision ({decision.outcome}) for a candidacy that never pitched"

    @invariant()
    def a_closed_round_never_changes(self):
        call = self.call
        for round in RoundClosure.objects.filter(call=call).values_list("round", flat=True):
            result = closed_round_result(call, round)
            closed = self.results.setdefault(round, result)
            assert result == closed, f"the closed {round} round changed from {closed} to {result}"


@pytest.mark.django_db
def test_the_procedure_keeps_its_invariants_whatever_the_moves_and_whoever_makes_them(procedure_world, settings):
    settings.MEDIA_ROOT = procedure_world["media_root"]
    with mock.patch.object(letters, "html_to_pdf", fake_pdf):
        run_state_machine_as_test(lambda: Procedure(procedure_world), settings=PROCEDURE)
