"""The daily reminder: what is due per call, to the call's contact and the call managers; nothing due, no mail."""

import datetime
import io

import pytest
from django.core.management import CommandError, call_command

from challenges.models import Call
from challenges.services import copy_call_shifted
from jury import communication, services
from jury.models import Decision
from maasland.clock import BRUSSELS
from office import reminders
from tests import factories

DELIBERATION = datetime.datetime(2023, 6, 26, 14, 0, tzinfo=BRUSSELS)
TWELVE_DAYS_BEFORE = datetime.datetime(2023, 7, 3, 7, 0, tzinfo=BRUSSELS)
SENDING = datetime.datetime(2023, 7, 14, 10, 30, tzinfo=BRUSSELS)
DECISIONS_DAY = datetime.datetime(2023, 7, 15, 0, 0, tzinfo=BRUSSELS)
IN_THE_WINDOW = datetime.datetime(2023, 7, 20, 15, 0, tzinfo=BRUSSELS)
# The window of a decision sent on 14 July ends on 28 July at 23:59:59.
TWO_DAYS_BEFORE_THE_END = datetime.datetime(2023, 7, 27, 7, 0, tzinfo=BRUSSELS)
THREE_DAYS_BEFORE_THE_END = datetime.datetime(2023, 7, 26, 7, 0, tzinfo=BRUSSELS)
CONTACT = "liesbet.adams@maasmechelen.be"


@pytest.fixture(autouse=True)
def portal(settings):
    settings.PORTAL_BASE_URL = "https://oproep.maasland.example"


def decide(candidacy, chair, outcome="not_selected"):
    factories.rounds_closed(candidacy.call, chair, at=DELIBERATION)
    reason = "Testgegevens zonder pitch." if outcome == "selected" else ""
    return services.record_decision(
        candidacy,
        outcome=outcome,
        motivation="Beraadslaagd.",
        without_pitch_reason=reason,
        by=chair.user,
        at=DELIBERATION,
    )


@pytest.fixture
def decisions(candidacies, chair):
    return [decide(candidacies[0], chair), decide(candidacies[1], chair, "selected"), decide(candidacies[2], chair)]


def send_all(decisions, manager, at=SENDING):
    for decision in decisions:
        communication.send_decision(decision, by=manager, at=at)
    return [Decision.objects.get(pk=decision.pk) for decision in decisions]


def run(at, *args):
    output = io.StringIO()
    call_command("send_reminders", "--now", at.isoformat(), *args, stdout=output)
    return output.getvalue()


def bodies_to(mailoutbox, recipient):
    return [message.body for message in mailoutbox if message.to == [recipient]]


def test_decisions_not_sent_are_listed_with_the_days_left(decisions, manager, mailoutbox):
    send_all(decisions[:1], manager, at=TWELVE_DAYS_BEFORE)
    run(TWELVE_DAYS_BEFORE)
    (body,) = bodies_to(mailoutbox, CONTACT)
    assert "2 beslissingen zijn vastgelegd maar nog niet verstuurd, nog 12 dagen tot 15 juli 2023:" in body
    assert [line for line in body.splitlines() if line.startswith("- ")] == [
        f"- {decisions[1].candidacy.reference} – Taalhuis (geselecteerd)",
        f"- {decisions[2].candidacy.reference} – De Sleutel (niet geselecteerd)",
    ]


def test_the_digest_goes_to_the_contact_and_each_active_staff_call_manager_once(decisions, manager, mailoutbox):
    group = manager.groups.get()
    factories.user("oud@example.org", is_staff=True, is_active=False).groups.add(group)
    factories.user("geen-staff@example.org").groups.add(group)
    factories.user(CONTACT.upper(), is_staff=True).groups.add(group)
    run(TWELVE_DAYS_BEFORE)
    assert sorted(message.to[0].lower() for message in mailoutbox) == [manager.email, CONTACT]


def test_nothing_due_sends_no_mail(decisions, manager, mailoutbox):
    send_all(decisions, manager)
    mailoutbox.clear()
    output = run(THREE_DAYS_BEFORE_THE_END - datetime.timedelta(days=5))
    assert (mailoutbox, output) == ([], "Nothing due.\n")


def test_a_window_closing_within_two_days_without_weerwoord_is_listed(decisions, manager, mailoutbox):
    send_all(decisions, manager)
    mailoutbox.clear()
    run(THREE_DAYS_BEFORE_THE_END)
    assert mailoutbox == []
    run(TWO_DAYS_BEFORE_THE_END)
    (body,) = bodies_to(mailoutbox, CONTACT)
    assert "3 weerwoordtermijnen lopen binnen twee dagen af en er is nog geen weerwoord ingediend:" in body
    assert f"- {decisions[0].candidacy.reference} – Buddywerk: tot 28 juli 2023 om 23:59" in body


def test_a_window_with_a_weerwoord_is_not_listed_but_the_weerwoord_to_assess_is(decisions, manager, mailoutbox):
    sent = send_all(decisions[:1], manager)
    applicant = sent[0].candidacy.organisation.members.get()
    weerwoord = communication.file_weerwoord(sent[0], text="Oneens.", by=applicant, at=IN_THE_WINDOW)
    mailoutbox.clear()
    run(TWO_DAYS_BEFORE_THE_END)
    (body,) = bodies_to(mailoutbox, CONTACT)
    assert "weerwoordtermijn" not in body
    assert "1 weerwoord wacht op een beoordeling:" in body
    assert f"https://oproep.maasland.example/admin/jury/weerwoord/{weerwoord.pk}/change/" in body


def test_an_assessed_weerwoord_is_no_longer_due(decisions, manager, mailoutbox):
    sent = send_all(decisions, manager)
    applicant = sent[0].candidacy.organisation.members.get()
    weerwoord = communication.file_weerwoord(sent[0], text="Oneens.", by=applicant, at=IN_THE_WINDOW)
    factories.assessed(weerwoord, assessment="unfounded", motivation="Nee.", by=manager, at=IN_THE_WINDOW)
    mailoutbox.clear()
    run(THREE_DAYS_BEFORE_THE_END)
    assert mailoutbox == []


def test_decisions_not_sent_are_listed_only_until_the_decisions_date(decisions, mailoutbox):
    run(DECISIONS_DAY - datetime.timedelta(seconds=1))
    assert len(bodies_to(mailoutbox, CONTACT)) == 1
    mailoutbox.clear()
    run(DECISIONS_DAY)
    assert mailoutbox == []


def test_candidacies_without_decision_are_due_once_the_pitches_are_over(candidacies, chair, mailoutbox):
    decide(candidacies[0], chair)
    run(datetime.datetime(2023, 6, 23, 12, 0, tzinfo=BRUSSELS))
    (on_the_last_pitch_day,) = bodies_to(mailoutbox, CONTACT)
    mailoutbox.clear()
    run(TWELVE_DAYS_BEFORE)
    (after_the_pitches,) = bodies_to(mailoutbox, CONTACT)
    line = "2 kandidaturen hebben nog geen beslissing, nog 12 dagen tot 15 juli 2023."
    assert (line in after_the_pitches, "kandidaturen hebben nog geen beslissing" in on_the_last_pitch_day) == (
        True,
        False,
    )


def test_running_twice_the_same_day_with_the_same_state_sends_nothing_the_second_time(decisions, manager, mailoutbox):
    run(TWELVE_DAYS_BEFORE)
    first = [(message.to, message.extra_headers["Message-ID"]) for message in mailoutbox]
    run(TWELVE_DAYS_BEFORE + datetime.timedelta(hours=10))
    assert (len(first), len(mailoutbox)) == (2, 2)


def test_a_change_of_state_or_of_day_gives_a_new_message(decisions, manager, mailoutbox):
    run(TWELVE_DAYS_BEFORE)
    send_all(decisions[:1], manager, at=TWELVE_DAYS_BEFORE + datetime.timedelta(hours=1))
    mailoutbox.clear()
    run(TWELVE_DAYS_BEFORE + datetime.timedelta(hours=2))
    run(TWELVE_DAYS_BEFORE + datetime.timedelta(hours=2))
    run(TWELVE_DAYS_BEFORE + datetime.timedelta(days=1))
    ids = [message.extra_headers["Message-ID"] for message in mailoutbox if message.to == [CONTACT]]
    assert (len(ids), len(set(ids))) == (2, 2)


def test_the_message_id_names_the_call_and_the_day(decisions, mailoutbox):
    run(TWELVE_DAYS_BEFORE)
    message_id = mailoutbox[0].extra_headers["Message-ID"]
    assert message_id.startswith("<herinnering.maasland-2023.20230703.")
    assert message_id.endswith("@oproep.maasland.example>")


def test_a_dry_run_sends_nothing_and_names_the_recipients(decisions, manager, mailoutbox):
    output = run(TWELVE_DAYS_BEFORE, "--dry-run")
    assert (mailoutbox, output) == ([], f"maasland-2023: would mail {CONTACT}, {manager.email}\n")


def test_demo_copies_are_left_out_unless_asked(maasland_call, decisions, mailoutbox):
    copy_call_shifted(maasland_call, slug="maasland-demo", subtitle="Demo", reference_prefix="DEMO", days=0)
    Call.objects.filter(slug="maasland-2023").update(is_demo=True)
    run(TWELVE_DAYS_BEFORE)
    assert mailoutbox == []
    run(TWELVE_DAYS_BEFORE, "--include-demo")
    assert len(mailoutbox) == 1


def test_a_now_without_offset_is_brussels_time(decisions, mailoutbox):
    call_command("send_reminders", "--now", "2023-07-14T23:59:59", stdout=io.StringIO())
    call_command("send_reminders", "--now", "2023-07-15T00:00:00", stdout=io.StringIO())
    assert len(mailoutbox) == 1


def test_a_wrong_now_is_refused(db):
    with pytest.raises(CommandError, match="not an ISO 8601 moment"):
        call_command("send_reminders", "--now", "gisteren")


def test_the_summary_costs_the_same_queries_for_one_and_many_decisions(
    maasland_call, candidacies, chair, django_assert_num_queries
):
    decide(candidacies[0], chair)
    with django_assert_num_queries(4):
        one = reminders.due_summary(maasland_call, TWELVE_DAYS_BEFORE)
    decide(candidacies[1], chair)
    decide(candidacies[2], chair)
    with django_assert_num_queries(4):
        three = reminders.due_summary(maasland_call, TWELVE_DAYS_BEFORE)
    assert (len(one.unsent), len(three.unsent)) == (1, 3)
