"""Two transitions at the same moment, each on a PostgreSQL connection of its own: one wins, the other waits or is
refused; never a lost update, never two contradictory letters (issue 13, "Lost updates").

The race is forced, not timed: the first transition runs in its thread until it reaches a chosen point (a model
signal in that thread, after it has read, and locked, what it decides on); the second then runs in another thread
until it returns or waits for a row lock the first holds (seen in pg_stat_activity); then the first goes on.

The threads see only committed rows, so the rows are committed: the real call once for the module, and each test's own
rows on it, each built on a connection of its own (`committed`); the test's connection only reads, and each test reads
only the rows it built. One flush empties the database when the module is done (a transactional test's flush costs
seconds on PostgreSQL, once per test).
"""

import datetime
import threading
import time
import uuid

import pytest
from django.core.mail.backends.locmem import EmailBackend
from django.core.management import call_command
from django.db import connection, connections
from django.db.models.signals import post_init, pre_save
from django.test import Client
from django.urls import reverse

from candidacies import services as candidacy_services
from candidacies.models import Candidacy, CandidacyVersion, Membership, ProcedureStep
from challenges.models import Call
from jury import communication, services, tasks
from jury.models import Decision, DecisionLetter, JuryMember, Weerwoord
from maasland.clock import BRUSSELS
from tests import factories

pytestmark = [
    pytest.mark.postgres_pass,
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="two connections at once need a database server: the test database of SQLite is one connection",
    ),
    pytest.mark.django_db,
]

DURING_INTAKE = datetime.datetime(2023, 5, 31, 12, 0, tzinfo=BRUSSELS)
EXTENDED_UNTIL = datetime.datetime(2023, 6, 9, 23, 59, 59, tzinfo=BRUSSELS)
DELIBERATION = datetime.datetime(2023, 6, 26, 14, 0, tzinfo=BRUSSELS)
SENDING = datetime.datetime(2023, 7, 14, 10, 30, tzinfo=BRUSSELS)
ASSESSING = datetime.datetime(2023, 7, 24, 9, 0, tzinfo=BRUSSELS)
WEERWOORD_DAY = datetime.datetime(2023, 7, 20, 16, 0, tzinfo=BRUSSELS)
WAIT = 60  # seconds before a stuck race fails the test instead of hanging it


class Outcome:
    """What a transition in a thread returned, or the exception it raised."""

    def __init__(self):
        self.value = self.error = None

    def refusal(self):
        return None if self.error is None else getattr(self.error, "message", repr(self.error))


def _run(function, outcome, *, started=None, pid=None, done):
    try:
        if pid is not None:
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_backend_pid()")
                pid.append(cursor.fetchone()[0])
        if started is not None:
            started.set()
        outcome.value = function()
    except Exception as error:  # the refusal (or failure) is the outcome the test asserts
        outcome.error = error
    finally:
        connections.close_all()
        done.set()


def _waits_for_a_lock(pid):
    with connection.cursor() as cursor:
        cursor.execute("SELECT wait_event_type FROM pg_stat_activity WHERE pid = %s", [pid])
        row = cursor.fetchone()
    return row is not None and row[0] == "Lock"


def _wait_until(condition, what):
    deadline = time.monotonic() + WAIT
    while not condition():
        assert time.monotonic() < deadline, f"{what} did not happen within {WAIT} s"
        time.sleep(0.005)


def overlap(first, second, *, pause, sender):
    """Runs `first` until `pause` (a model signal) fires for `sender` in its thread, then `second` until it returns or
    waits for a lock, then lets `first` finish; returns both outcomes."""
    outcomes = Outcome(), Outcome()
    reached, release = threading.Event(), threading.Event()
    first_done, second_started, second_done = threading.Event(), threading.Event(), threading.Event()
    pid = []
    first_thread = threading.Thread(target=_run, args=(first, outcomes[0]), kwargs={"done": first_done})

    def hold(**kwargs):
        if threading.current_thread() is first_thread and not reached.is_set():
            reached.set()
            release.wait(WAIT)

    pause.connect(hold, sender=sender, weak=False, dispatch_uid="concurrency-pause")
    second_thread = threading.Thread(
        target=_run, args=(second, outcomes[1]), kwargs={"started": second_started, "pid": pid, "done": second_done}
    )
    try:
        first_thread.start()
        _wait_until(lambda: reached.is_set() or first_done.is_set(), "the first transition's pause")
        assert reached.is_set(), f"the first transition ended before its pause: {outcomes[0].error!r}"
        second_thread.start()
        second_started.wait(WAIT)
        _wait_until(lambda: second_done.is_set() or _waits_for_a_lock(pid[0]), "the second transition's end or wait")
    finally:
        release.set()
        pause.disconnect(sender=sender, dispatch_uid="concurrency-pause")
        first_thread.join(WAIT)
        if second_thread.is_alive() or second_started.is_set():
            second_thread.join(WAIT)
    return outcomes


def at_once(*functions):
    """Runs each function in a thread of its own, all released by one barrier; returns their outcomes."""
    barrier = threading.Barrier(len(functions))
    outcomes = [Outcome() for _function in functions]

    def after_barrier(function):
        def run():
            barrier.wait(WAIT)
            return function()

        return run

    threads = [
        threading.Thread(target=_run, args=(after_barrier(function), outcome), kwargs={"done": threading.Event()})
        for function, outcome in zip(functions, outcomes, strict=True)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(WAIT)
    return outcomes


def committed(function):
    """What `function()` returns, run and committed on a connection of its own: the test's connection is in a
    transaction that the racing threads cannot see into."""
    outcome = Outcome()
    thread = threading.Thread(target=_run, args=(function, outcome), kwargs={"done": threading.Event()})
    thread.start()
    thread.join(WAIT)
    if outcome.error is not None:
        raise outcome.error
    return outcome.value


@pytest.fixture(scope="module")
def call(django_db_setup, django_db_blocker):
    """The real call, committed for the module, and one flush when the module is done."""
    with django_db_blocker.unblock():
        call_command("loaddata", "maasland", verbosity=0)
        try:
            yield Call.objects.get(slug="maasland-2023")
        finally:
            call_command("flush", interactive=False, verbosity=0)


def new_manager():
    from demo.services import ensure_call_manager_group

    user = factories.user(full_name="Liesbet Adams", is_staff=True)
    user.groups.add(ensure_call_manager_group())
    return user


@pytest.fixture
def manager(call):
    return committed(new_manager)


@pytest.fixture
def chair(call):
    """The call's one chair (a call has one: jury_one_chair_per_call), made by the first test that needs her."""
    return committed(
        lambda: (
            JuryMember.objects.filter(call=call, role=JuryMember.Role.CHAIR).first()
            or JuryMember.objects.create(
                call=call, user=factories.user(full_name="Vera Voorzitter"), role=JuryMember.Role.CHAIR
            )
        )
    )


@pytest.fixture
def draft(call):
    """A draft of an organisation with two members (two people, two tabs)."""
    return committed(lambda: factories.candidacy(call, factories.organisation(factories.user(), factories.user())))


@pytest.fixture
def decision(call, chair):
    def record():
        submitted = factories.submitted_candidacy(call, at=DURING_INTAKE)
        factories.rounds_closed(call, chair, at=DELIBERATION)
        return services.record_decision(
            submitted,
            outcome="selected",
            motivation="Sterk bereik van de persona.",
            without_pitch_reason="Testgegevens zonder pitch.",
            by=chair.user,
            at=DELIBERATION,
        )

    return committed(record)


@pytest.fixture
def sent(decision, manager):
    committed(lambda: communication.send_decision(decision, by=manager, at=SENDING))
    return Decision.objects.get(pk=decision.pk)


def record_again(candidacy, chair):
    return lambda: services.record_decision(
        Candidacy.objects.get(pk=candidacy.pk),
        outcome="not_selected",
        motivation="Na herberaadslaging: te weinig bereik.",
        by=chair.user,
        at=SENDING,
    )


def send(decision, manager, at=SENDING):
    return lambda: communication.send_decision(Decision.objects.get(pk=decision.pk), by=manager, at=at)


# a. The chair re-records a decision while the call manager sends it.


def test_a_decision_re_recorded_while_it_is_being_sent_is_refused_and_one_letter_goes_out(
    decision, chair, manager, mailoutbox
):
    mailoutbox.clear()
    sending, recording = overlap(
        send(decision, manager), record_again(decision.candidacy, chair), pause=pre_save, sender=Decision
    )
    again = committed(send(decision, manager, at=SENDING + datetime.timedelta(hours=1)))

    stored = Decision.objects.get(pk=decision.pk)
    assert (sending.error, recording.refusal()) == (
        None,
        "Deze beslissing is al gecommuniceerd; ze kan alleen na een weerwoord herzien worden.",
    )
    assert (stored.outcome, stored.communicated_at, stored.candidacy.status) == ("selected", SENDING, "selected")
    assert (again, list(decision.letters.values_list("outcome", flat=True)), len(mailoutbox)) == (
        None,
        ["selected"],
        1,
    )


def test_a_decision_sent_while_the_chair_re_records_it_goes_out_with_the_outcome_recorded_last(
    decision, chair, manager, mailoutbox
):
    mailoutbox.clear()
    recording, sending = overlap(
        record_again(decision.candidacy, chair), send(decision, manager), pause=pre_save, sender=Decision
    )

    stored = Decision.objects.get(pk=decision.pk)
    assert (recording.error, sending.error) == (None, None)
    assert (stored.outcome, stored.communicated_at, stored.candidacy.status) == (
        "not_selected",
        SENDING,
        "not_selected",
    )
    assert (list(decision.letters.values_list("outcome", flat=True)), len(mailoutbox)) == (["not_selected"], 1)


# b. An applicant's draft save against the call manager's extension; a withdrawal against a draft save.


def test_a_draft_saved_while_the_manager_grants_an_extension_keeps_the_extension(draft, manager):
    applicant = draft.organisation.members.first()

    def save():
        stored = Candidacy.objects.get(pk=draft.pk)  # as the edit view reads it
        return candidacy_services.save_draft(
            stored, {"summary": "Bewaard"}, lock_version=draft.lock_version, by=applicant, at=DURING_INTAKE
        )

    def extend():
        return candidacy_services.grant_extension(
            Candidacy.objects.get(pk=draft.pk), until=EXTENDED_UNTIL, reason="Brand", by=manager, at=DURING_INTAKE
        )

    saving, extending = overlap(save, extend, pause=post_init, sender=Candidacy)

    stored = Candidacy.objects.get(pk=draft.pk)
    assert (saving.error, extending.error) == (None, None)
    assert (stored.summary, stored.extended_until, stored.extension_reason) == ("Bewaard", EXTENDED_UNTIL, "Brand")


def test_a_withdrawal_while_a_member_saves_the_draft_keeps_what_was_saved(draft):
    first, second = draft.organisation.members.order_by("pk")

    def withdraw():
        return candidacy_services.withdraw(Candidacy.objects.get(pk=draft.pk), by=first, at=DURING_INTAKE)

    def save():
        return candidacy_services.save_draft(
            Candidacy.objects.get(pk=draft.pk),
            {"title": "Nieuwe titel"},
            lock_version=draft.lock_version,
            by=second,
            at=DURING_INTAKE,
        )

    withdrawing, saving = overlap(withdraw, save, pause=post_init, sender=Candidacy)

    stored = Candidacy.objects.get(pk=draft.pk)
    assert (withdrawing.error, saving.error) == (None, None)
    assert (stored.status, stored.title, stored.lock_version) == ("withdrawn", "Nieuwe titel", draft.lock_version + 2)


# c. Two submits of one candidacy at the same moment, by two members in two tabs.


def test_two_submits_of_one_candidacy_at_once_give_one_version_and_an_edit_conflict_never_a_500(draft, settings):
    import time_machine

    settings.RECEIPT_MAIL = "queued"
    members = list(draft.organisation.members.order_by("pk"))
    url = reverse("candidacies:candidacy_update", kwargs={"pk": draft.pk})
    browsers = [Client(raise_request_exception=False) for _member in members]
    for browser, member in zip(browsers, members, strict=True):
        committed(lambda browser=browser, member=member: browser.force_login(member))

    def post(browser):
        data = factories.complete_form_data(draft.call, draft, submission_token=str(uuid.uuid4()), submit="")
        return lambda: browser.post(url, data)

    with time_machine.travel(DURING_INTAKE, tick=True):
        first, second = overlap(post(browsers[0]), post(browsers[1]), pause=pre_save, sender=CandidacyVersion)

    statuses = sorted([first.value.status_code, second.value.status_code])
    refused = first.value if first.value.status_code == 409 else second.value
    assert (first.error, second.error, statuses) == (None, None, [302, 409])
    assert "Iemand anders heeft deze kandidatuur bewaard nadat jij ze opende" in refused.content.decode()
    assert list(CandidacyVersion.objects.filter(candidacy=draft).values_list("number", flat=True)) == [1]


def test_two_submits_of_one_candidacy_released_together_number_their_versions_without_a_gap(draft):
    members = list(draft.organisation.members.order_by("pk"))
    content = factories.complete_content(draft.call)

    def submit(member):
        return lambda: candidacy_services.submit(
            Candidacy.objects.get(pk=draft.pk),
            content,
            lock_version=draft.lock_version,
            token=uuid.uuid4(),
            by=member,
            at=DURING_INTAKE,
        )

    outcomes = at_once(*(submit(member) for member in members))

    taken = [outcome for outcome in outcomes if outcome.error is None]
    refused = [type(outcome.error).__name__ for outcome in outcomes if outcome.error is not None]
    assert (len(taken), refused) == (1, ["EditConflict"])
    assert list(CandidacyVersion.objects.filter(candidacy=draft).values_list("number", flat=True)) == [1]


# d. Two weerwoorden on one decision at once.


def test_two_weerwoorden_on_one_decision_at_once_store_one_and_refuse_the_other_with_one_set_of_mails(sent, mailoutbox):
    organisation = sent.candidacy.organisation
    committed(lambda: Membership.objects.create(organisation=organisation, user=factories.user()))
    members = list(organisation.members.order_by("pk"))
    mailoutbox.clear()

    def file(member, text):
        return lambda: communication.file_weerwoord(
            Decision.objects.get(pk=sent.pk), text=text, by=member, at=WEERWOORD_DAY
        )

    first, second = overlap(
        file(members[0], "Eerste weerwoord."), file(members[1], "Tweede weerwoord."), pause=pre_save, sender=Weerwoord
    )

    assert (first.error, second.refusal()) == (
        None,
        "Er is al een weerwoord op deze beslissing ingediend; er is er één per beslissing.",
    )
    stored = list(Weerwoord.objects.filter(decision=sent).values_list("text", flat=True))
    mailed = [message.to for message in mailoutbox]  # the applicant's confirmation, the contact person's notice
    assert (stored, mailed) == (["Eerste weerwoord."], [[members[0].email], [sent.candidacy.call.contact_email]])


# The weerwoord's assessment against the revision it allows.


def assessed_in(steps, call):
    """The module's committed call set to assess weerwoorden in `steps` ("one_step" or "two_steps")."""
    committed(lambda: Call.objects.filter(pk=call.pk).update(weerwoord_assessment=steps))
    call.weerwoord_assessment = steps


def test_a_revision_while_the_weerwoord_is_reassessed_unfounded_is_refused(sent, chair, manager, mailoutbox):
    # The chair assesses alone: a call of one step (the default is two, jury.communication.confirm_assessment).
    assessed_in("one_step", sent.candidacy.call)
    applicant = sent.candidacy.organisation.members.get()
    weerwoord = committed(
        lambda: communication.file_weerwoord(sent, text="Ons bereik is groter.", by=applicant, at=WEERWOORD_DAY)
    )
    committed(
        lambda: communication.assess_weerwoord(
            weerwoord, assessment="founded", motivation="Klopt.", by=chair.user, at=ASSESSING
        )
    )
    mailoutbox.clear()

    def reassess():
        return communication.assess_weerwoord(
            Weerwoord.objects.get(pk=weerwoord.pk),
            assessment="unfounded",
            motivation="Bij nader inzien niet.",
            by=chair.user,
            at=ASSESSING,
        )

    def revise():
        return communication.revise_decision(
            Decision.objects.get(pk=sent.pk), outcome="not_selected", motivation="Herzien.", by=manager, at=ASSESSING
        )

    assessing, revising = overlap(reassess, revise, pause=pre_save, sender=Weerwoord)

    stored = Decision.objects.get(pk=sent.pk)
    assert (assessing.error, revising.refusal()) == (
        None,
        "Een beslissing kan alleen herzien worden na een gegrond weerwoord.",
    )
    assert (stored.outcome, stored.revised_at, stored.letters.count()) == ("selected", None, 1)
    # The one mail tells the applicant of the new assessment (unfounded); no revised letter goes out.
    assert [("Herziene beslissing" in message.subject, applicant.email in message.to) for message in mailoutbox] == [
        (False, True)
    ]


def test_of_two_confirmations_of_an_assessment_at_once_the_second_is_refused_and_one_mail_goes_out(
    sent, chair, manager, mailoutbox
):
    assessed_in("two_steps", sent.candidacy.call)  # the module's call is committed: another test may have changed it
    applicant = sent.candidacy.organisation.members.get()
    weerwoord = committed(
        lambda: communication.file_weerwoord(sent, text="Ons bereik is groter.", by=applicant, at=WEERWOORD_DAY)
    )
    committed(
        lambda: communication.prepare_assessment(
            weerwoord, assessment="founded", motivation="Klopt.", by=manager, at=ASSESSING
        )
    )
    mailoutbox.clear()

    def confirm():
        return communication.confirm_assessment(Weerwoord.objects.get(pk=weerwoord.pk), by=chair.user, at=ASSESSING)

    first, second = overlap(confirm, confirm, pause=pre_save, sender=Weerwoord)

    stored = Weerwoord.objects.get(pk=weerwoord.pk)
    assert (first.error, second.refusal()) == (None, "Deze beoordeling is al bevestigd.")
    assert (stored.assessment, stored.assessed_by, len(mailoutbox)) == ("founded", chair.user, 1)
    assert ProcedureStep.objects.filter(action="confirm_assessment").count() == 1


# f. Two workers take the same letter's mail (a task handed out again while its first run still sends).


def test_two_workers_mailing_one_letter_at_once_mail_it_once(sent, monkeypatch):
    letter = committed(
        lambda: (
            DecisionLetter.objects.filter(decision=sent).update(mailed_at=None)
            and DecisionLetter.objects.get(decision=sent)
        )
    )
    sending, release, delivered = threading.Event(), threading.Event(), []

    def hold_while_sending(backend, messages):
        sending.set()
        release.wait(WAIT)
        delivered.extend(messages)
        return len(messages)

    monkeypatch.setattr(EmailBackend, "send_messages", hold_while_sending)
    first, second = Outcome(), Outcome()
    first_thread = threading.Thread(
        target=_run, args=(lambda: tasks.mail_letter(letter.pk), first), kwargs={"done": threading.Event()}
    )
    second_thread = threading.Thread(
        target=_run, args=(lambda: tasks.mail_letter(letter.pk), second), kwargs={"done": threading.Event()}
    )
    try:
        first_thread.start()
        _wait_until(sending.is_set, "the first worker's mail")
        second_thread.start()
        second_thread.join(WAIT)  # the letter is locked by the first: the second skips it at once
    finally:
        release.set()
        first_thread.join(WAIT)
    assert (first.value, second.value, second.error, len(delivered)) == (1, 0, None, 1)
    assert DecisionLetter.objects.get(pk=letter.pk).mailed_at is not None
