"""A call with a candidacy in every status and everything around it, built through the services with instants in
each phase of the real 2023 call: the data the dashboard, the exports and the permission matrix are tested on.

Organisation A's candidacy went furthest with the most attached to it (an attachment, a pitch slot, scores of both
rounds, a not-selected decision with its letter, and a weerwoord); organisation B's was selected. Every other status
has an organisation and an applicant of its own. The chair has no conflict; one juror declared a conflict on
organisation A's candidacy.
"""

import copy
import datetime
import sys
import uuid
from contextlib import contextmanager
from dataclasses import dataclass, field
from unittest import mock

from django.core.management import call_command
from django.db import DEFAULT_DB_ALIAS, connections, transaction
from django.test import override_settings

from candidacies import services as candidacy_services
from candidacies.models import Attachment, Candidacy
from challenges.models import Call
from jury import communication, queries, scheduling
from jury import services as jury_services
from jury.models import Criterion, Decision, DecisionLetter, JuryMember, PitchSlot, Round, Weerwoord
from maasland.clock import BRUSSELS
from tests import factories

DURING_INTAKE = datetime.datetime(2023, 5, 31, 12, 0, tzinfo=BRUSSELS)
CONFLICT_DECLARED = datetime.datetime(2023, 6, 5, 9, 0, tzinfo=BRUSSELS)
WRITTEN_ROUND = datetime.datetime(2023, 6, 7, 10, 0, tzinfo=BRUSSELS)
WRITTEN_ROUND_CLOSED = datetime.datetime(2023, 6, 14, 17, 0, tzinfo=BRUSSELS)
SHORTLISTED_AT = datetime.datetime(2023, 6, 15, 9, 0, tzinfo=BRUSSELS)
PITCH_DAY = datetime.date(2023, 6, 19)
PITCHES_CLOSED = datetime.datetime(2023, 6, 23, 18, 0, tzinfo=BRUSSELS)
DECIDED_AT = datetime.datetime(2023, 6, 26, 10, 0, tzinfo=BRUSSELS)
SENT_AT = datetime.datetime(2023, 7, 10, 10, 0, tzinfo=BRUSSELS)
WEERWOORD_FILED_AT = datetime.datetime(2023, 7, 12, 14, 0, tzinfo=BRUSSELS)

STATUSES = [status.value for status in Candidacy.Status]
ORGANISATION_NAMES = {
    "draft": "Kladwerk vzw",
    "submitted": "Indiening vzw",
    "withdrawn": "Teruggetrokken vzw",
    "inadmissible": "Onontvankelijk vzw",
    "shortlisted": "Shortlist vzw",
    "pitched": "Pitchers vzw",
    "selected": "Organisatie B vzw",
    "not_selected": "Organisatie A vzw",
}
SHORTLIST = ["shortlisted", "pitched", "selected", "not_selected"]
PITCHED = ["pitched", "selected", "not_selected"]


@dataclass
class SeededCall:
    call: object
    manager: object
    superuser: object
    chair: JuryMember
    juror: JuryMember
    conflicted_juror: JuryMember
    candidacies: dict = field(default_factory=dict)  # status value -> Candidacy
    applicants: dict = field(default_factory=dict)  # status value -> the applicant of that candidacy's organisation
    media_root: object = None  # where the files are, when built once for a module (seeded_once)

    @property
    def candidacy_a(self):
        return self.candidacies["not_selected"]

    @property
    def candidacy_b(self):
        return self.candidacies["selected"]

    @property
    def organisation_a(self):
        return self.candidacy_a.organisation

    @property
    def organisation_b(self):
        return self.candidacy_b.organisation

    @property
    def applicant_a(self):
        return self.applicants["not_selected"]

    @property
    def applicant_b(self):
        return self.applicants["selected"]

    @property
    def attachment_a(self):
        return Attachment.objects.get(candidacy=self.candidacy_a)

    @property
    def slot_a(self):
        return PitchSlot.objects.get(candidacy=self.candidacy_a)

    @property
    def decision_a(self):
        return Decision.objects.get(candidacy=self.candidacy_a)

    @property
    def letter_a(self):
        return DecisionLetter.objects.get(decision__candidacy=self.candidacy_a)

    @property
    def weerwoord_a(self):
        return Weerwoord.objects.get(decision__candidacy=self.candidacy_a)

    def refresh(self):
        for candidacy in self.candidacies.values():
            candidacy.refresh_from_db()
        return self


def _submit(call, candidacy, member):
    candidacy_services.submit(
        candidacy,
        factories.complete_content(call) | {"title": candidacy.title},
        lock_version=candidacy.lock_version,
        token=uuid.uuid4(),
        by=member,
        at=DURING_INTAKE,
    )
    candidacy.refresh_from_db()


def _score(call, member, round, at, statuses):
    criteria = list(Criterion.objects.filter(call=call, round=round).order_by("position"))
    for candidacy in queries.assigned_candidacies(member, round):
        if candidacy.status not in statuses:
            continue
        values = {criterion.pk: (6 + (number + candidacy.pk) % 3, "") for number, criterion in enumerate(criteria)}
        jury_services.save_sheet(
            member,
            candidacy,
            round,
            values=values,
            overall_comment="Degelijk voorstel.",
            submit=True,
            by=member.user,
            at=at,
        )


def seed_call(call):
    """Builds the whole story on `call` (the real 2023 call from the fixture) and returns who and what is in it."""
    from demo.services import ensure_call_manager_group

    manager = factories.user("beheerder@example.org", full_name="Liesbet Adams", is_staff=True)
    manager.groups.add(ensure_call_manager_group())
    superuser = factories.user("admin@example.org", full_name="Super Gebruiker", is_staff=True, is_superuser=True)

    seeded = SeededCall(
        call=call,
        manager=manager,
        superuser=superuser,
        chair=JuryMember.objects.create(
            call=call,
            user=factories.user("voorzitter@example.org", full_name="Vera Voorzitter"),
            role=JuryMember.Role.CHAIR,
        ),
        juror=JuryMember.objects.create(call=call, user=factories.user("jurylid@example.org", full_name="Jan Jurylid")),
        conflicted_juror=JuryMember.objects.create(
            call=call, user=factories.user("conflict@example.org", full_name="Carla Conflict")
        ),
    )

    for status in STATUSES:
        name = ORGANISATION_NAMES[status]
        member = factories.user(f"{status.replace('_', '-')}@example.org", full_name=f"Aanvrager {name}")
        organisation = factories.organisation(member, name=name)
        candidacy = factories.candidacy(call, organisation, title=f"Project van {name}")
        if status in ("not_selected", "selected"):
            candidacy_services.add_attachment(
                candidacy, factories.pdf_file("projectplan.pdf"), by=member, at=DURING_INTAKE
            )
        if status != "draft":
            _submit(call, candidacy, member)
        seeded.candidacies[status] = candidacy
        seeded.applicants[status] = member

    candidacies = seeded.candidacies
    candidacy_services.withdraw(candidacies["withdrawn"], by=seeded.applicants["withdrawn"], at=DURING_INTAKE)
    candidacy_services.mark_inadmissible(
        candidacies["inadmissible"], reason="Het voorstel valt buiten de oproep.", by=manager, at=WRITTEN_ROUND
    )
    jury_services.declare_conflict(
        seeded.conflicted_juror,
        candidacies["not_selected"],
        reason="Ik zit in de raad van bestuur van deze organisatie.",
        by=seeded.conflicted_juror.user,
        at=CONFLICT_DECLARED,
    )

    members = [seeded.chair, seeded.juror, seeded.conflicted_juror]
    for member in members:
        _score(call, member, Round.WRITTEN, WRITTEN_ROUND, {Candidacy.Status.SUBMITTED})
    jury_services.close_round(call, Round.WRITTEN, by=seeded.chair.user, at=WRITTEN_ROUND_CLOSED)

    for status in SHORTLIST:
        candidacy_services.shortlist(candidacies[status], by=manager, at=SHORTLISTED_AT)
    for number, status in enumerate(SHORTLIST):
        starts_at = datetime.datetime.combine(PITCH_DAY, datetime.time(9 + number, 0), tzinfo=BRUSSELS)
        slot = scheduling.create_slot(
            call,
            starts_at=starts_at,
            ends_at=starts_at + datetime.timedelta(minutes=45),
            place="Gemeentehuis Maasmechelen, raadzaal",
            by=manager,
            at=SHORTLISTED_AT,
        )
        scheduling.assign(slot, candidacies[status], by=manager, at=SHORTLISTED_AT)
    for status in PITCHED:
        candidacy_services.mark_pitched(candidacies[status], by=manager, at=PITCHES_CLOSED)
    for member in members:
        _score(call, member, Round.PITCH, PITCHES_CLOSED, {Candidacy.Status.PITCHED})
    jury_services.close_round(
        call, Round.PITCH, by=seeded.chair.user, at=PITCHES_CLOSED, reason="Shortlist vzw kwam niet pitchen."
    )

    for status, outcome in (("selected", "selected"), ("not_selected", "not_selected")):
        decision = jury_services.record_decision(
            candidacies[status],
            outcome=outcome,
            motivation="De jury motiveert haar beslissing met de scores van beide rondes.",
            by=seeded.chair.user,
            at=DECIDED_AT,
        )
        communication.send_decision(decision, by=manager, at=SENT_AT)
    communication.file_weerwoord(
        Decision.objects.get(candidacy=candidacies["not_selected"]),
        text="We vragen de jury onze samenwerking met het OCMW mee te wegen.",
        by=seeded.applicants["not_selected"],
        at=WEERWOORD_FILED_AT,
    )
    return seeded.refresh()


@contextmanager
def built_once(django_db_blocker, media_root, build):
    """What `build()` returns, built once for a whole test module in a transaction rolled back when the module is
    done.

    Each test still runs in its own savepoint inside it (pytest-django's `db`), as Django's setUpTestData does, so
    what a test changes in the database is gone for the next one. Files go to `media_root` (when given) and password
    hashing is fast while the module runs. The tests of the module that do not use the build run before it is made (see
    `pytest_collection_modifyitems` in tests/conftest.py), so they still start from an empty database.
    """
    hashers = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    media = {"MEDIA_ROOT": media_root} if media_root is not None else {}
    with override_settings(PASSWORD_HASHERS=hashers, **media):
        with django_db_blocker.unblock():
            atomic = transaction.atomic()
            atomic.__enter__()
            try:
                built = build()
            except BaseException:
                atomic.__exit__(*sys.exc_info())
                raise
        # A streamed response's close() sends request_finished, whose close_old_connections closes a PostgreSQL
        # connection in a transaction, and with it the module's build; it is left open while the build is there (as
        # Django's test client does while it serves a request).
        try:
            with mock.patch.object(connections[DEFAULT_DB_ALIAS], "close_if_unusable_or_obsolete", lambda: None):
                yield built
        finally:
            with django_db_blocker.unblock():
                transaction.set_rollback(True)
                atomic.__exit__(None, None, None)


@contextmanager
def seeded_once(django_db_blocker, media_root, extend=None, *, load_call=True):
    """The seeded call built once for a whole test module (`built_once`), on the real call it loads (or, with
    `load_call=False`, that the module already loaded); `extend(seeded)` adds what a module needs more. Use
    `fresh_copy(seeded)` in each test, so no test sees another test's changes to the Python objects."""

    def build():
        if load_call:
            call_command("loaddata", "maasland", verbosity=0)
        seeded = seed_call(Call.objects.get(slug="maasland-2023"))
        if extend is not None:
            extend(seeded)
        seeded.media_root = media_root
        return seeded

    with built_once(django_db_blocker, media_root, build) as seeded:
        yield seeded


def fresh_copy(seeded):
    return copy.deepcopy(seeded)
