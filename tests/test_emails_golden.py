"""Every e-mail the portal sends, triggered the way the portal triggers it, with fixed data and a fixed clock, and
compared with its golden file: subject, sender, recipients, attachments and body. A wrong recipient, text that
leaks from another mail, or English left over fails here.

Only what differs between databases or runs is normalised: ids in links, tokens, and the digest's hash. To write a
golden file again after a deliberate change, run with WRITE_GOLDEN=1 and read the diff before keeping it.
"""

import datetime
import io
import os
import re
import uuid
from decimal import Decimal
from pathlib import Path

import pytest
import time_machine
from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from candidacies import services as candidacy_services
from candidacies.models import Candidacy, Membership, Organisation
from demo.services import ensure_call_manager_group
from jury import communication, invitations, letters, scheduling
from jury import services as jury_services
from jury.models import JuryMember, PitchSlot
from maasland.clock import BRUSSELS
from mailtemplates.models import MailTemplate
from mailtemplates.rendering import default_text
from tests import factories

pytestmark = pytest.mark.sqlite_pass

GOLDEN = Path(__file__).resolve().parent / "golden"
HOST = "oproep.maasland.example"

SIGNING_UP = datetime.datetime(2023, 5, 10, 10, 0, tzinfo=BRUSSELS)
APPOINTING = datetime.datetime(2023, 5, 25, 10, 0, tzinfo=BRUSSELS)
SUBMITTING = datetime.datetime(2023, 5, 31, 14, 30, 15, tzinfo=BRUSSELS)
SHORTLISTING = datetime.datetime(2023, 6, 13, 9, 0, tzinfo=BRUSSELS)
PITCH_STARTS = datetime.datetime(2023, 6, 19, 9, 30, tzinfo=BRUSSELS)
DELIBERATING = datetime.datetime(2023, 6, 26, 14, 0, tzinfo=BRUSSELS)
EARLY_SENDING = datetime.datetime(2023, 6, 30, 10, 0, tzinfo=BRUSSELS)
REMINDING = datetime.datetime(2023, 7, 13, 7, 0, tzinfo=BRUSSELS)
SENDING = datetime.datetime(2023, 7, 14, 10, 30, tzinfo=BRUSSELS)
FILING = datetime.datetime(2023, 7, 20, 15, 0, tzinfo=BRUSSELS)
ASSESSING = datetime.datetime(2023, 7, 25, 11, 0, tzinfo=BRUSSELS)
REVISING = datetime.datetime(2023, 7, 26, 10, 0, tzinfo=BRUSSELS)

TOKENS = [
    (re.compile(r"/account/bevestigen/[^/\s]+/[^/\s]+/"), "/account/bevestigen/<uid>/<token>/"),
    (re.compile(r"/account/wachtwoord/nieuw/[^/\s]+/[^/\s]+/"), "/account/wachtwoord/nieuw/<uid>/<token>/"),
    (re.compile(r"/account/uitnodiging/[^/\s]+/[^/\s]+/"), "/account/uitnodiging/<uid>/<token>/"),
    (re.compile(r"/uitnodigingen/[0-9a-f-]{36}/"), "/uitnodigingen/<token>/"),
    (re.compile(r"%2Fuitnodigingen%2F[0-9a-f-]{36}%2F"), "%2Fuitnodigingen%2F<token>%2F"),
    (re.compile(r"(<herinnering\.[\w-]+\.\d{8}\.)[0-9a-f]+@"), r"\1<hash>@"),
]
URL = re.compile(r"https?://\S+")
ID_IN_URL = re.compile(r"(?<=/)\d+(?=/)|(?<=__exact=)\d+")
OUTBOX_MESSAGE_ID = re.compile(r"^(Message-ID: <[a-z]+-)\d+", re.MULTILINE)
"""The row's key in an outbox mail's Message-ID (mailtemplates.sending.outbox_message_id)."""


@pytest.fixture(autouse=True)
def portal(settings):
    settings.PORTAL_BASE_URL = f"https://{HOST}"
    settings.PORTAL_NAME = "Lokaal Partnerschap Maasland"
    settings.DEFAULT_FROM_EMAIL = "Lokaal Partnerschap Maasland <noreply@maasland.example>"
    settings.ALLOWED_HOSTS = [HOST]


def normalise(text):
    for pattern, replacement in TOKENS:
        text = pattern.sub(replacement, text)
    text = OUTBOX_MESSAGE_ID.sub(r"\1<id>", text)
    return URL.sub(lambda match: ID_IN_URL.sub("<id>", match.group()), text)


def rendered(message):
    lines = [
        f"Subject: {message.subject}",
        f"From: {message.from_email}",
        f"To: {', '.join(message.to)}",
    ]
    if message.cc:
        lines.append(f"Cc: {', '.join(message.cc)}")
    if message.reply_to:
        lines.append(f"Reply-To: {', '.join(message.reply_to)}")
    lines += [f"{name}: {value}" for name, value in sorted(message.extra_headers.items())]
    lines += [f"Attachment: {name} ({mimetype})" for name, _content, mimetype in message.attachments]
    return normalise("\n".join(lines) + "\n\n" + message.body)


def assert_golden(name, message):
    path = GOLDEN / f"{name}.txt"
    text = rendered(message)
    if os.environ.get("WRITE_GOLDEN") == "1":
        path.write_text(text)
    assert text == path.read_text()


def one_message(mailoutbox):
    assert len(mailoutbox) == 1, [message.subject for message in mailoutbox]
    return mailoutbox[0]


@pytest.fixture
def browser():
    return Client(HTTP_HOST=HOST)


# Accounts


def test_the_sign_up_confirmation(browser, db, mailoutbox):
    with time_machine.travel(SIGNING_UP, tick=False):
        browser.post(
            reverse("accounts:signup"),
            {
                "email": "Nadia.Peeters@Example.org",
                "full_name": "Nadia Peeters",
                "password1": "Maasland-voorstel-2023",
                "password2": "Maasland-voorstel-2023",
            },
            secure=True,
        )
    assert_golden("signup_confirmation", one_message(mailoutbox))


def test_the_already_registered_mail(browser, db, mailoutbox):
    factories.user("nadia.peeters@example.org", full_name="Nadia Peeters")
    with time_machine.travel(SIGNING_UP, tick=False):
        browser.post(
            reverse("accounts:signup"),
            {
                "email": "nadia.peeters@example.org",
                "full_name": "Iemand Anders",
                "password1": "Maasland-voorstel-2023",
                "password2": "Maasland-voorstel-2023",
            },
            secure=True,
        )
    assert_golden("signup_already_registered", one_message(mailoutbox))


def test_the_password_reset(browser, db, mailoutbox):
    factories.user("nadia.peeters@example.org", full_name="Nadia Peeters")
    with time_machine.travel(SIGNING_UP, tick=False):
        browser.post(reverse("accounts:password_reset"), {"email": "nadia.peeters@example.org"}, secure=True)
    assert_golden("password_reset", one_message(mailoutbox))


# Organisations and candidacies


@pytest.fixture
def applicant(db):
    return factories.user("an.peeters@debrug.example", full_name="An Peeters")


@pytest.fixture
def organisation(applicant):
    organisation = Organisation.objects.create(
        name="vzw De Brug",
        enterprise_number="0123456749",
        street="Rijksweg 12",
        postal_code="3630",
        city="Maasmechelen",
        contact_name="An Peeters",
        contact_email="info@debrug.example",
    )
    Membership.objects.create(organisation=organisation, user=applicant)
    colleague = factories.user("bram.claes@debrug.example", full_name="Bram Claes")
    Membership.objects.create(organisation=organisation, user=colleague)
    return organisation


def test_the_organisation_invitation(browser, organisation, applicant, mailoutbox, django_capture_on_commit_callbacks):
    browser.force_login(applicant)
    with time_machine.travel(SIGNING_UP, tick=False), django_capture_on_commit_callbacks(execute=True):
        browser.post(
            reverse("candidacies:invitation_create", args=[organisation.pk]),
            {"email": "Sara.Janssens@DeBrug.example"},
            secure=True,
        )
    assert_golden("organisation_invitation", one_message(mailoutbox))


def content(call):
    return {
        **factories.complete_content(call),
        "title": "Samen naar werk in Maasland",
        "budget": Decimal("12500.00"),
        "contact_name": "Projectteam De Brug",
        "contact_email": "projecten@debrug.example",
    }


@pytest.fixture
def candidacy(maasland_call, organisation, applicant, django_capture_on_commit_callbacks):
    """Submitted during intake; the receipt mail is cleared by the tests that are not about it."""
    candidacy = Candidacy.objects.create(
        call=maasland_call, organisation=organisation, created_by=applicant, title="Samen naar werk in Maasland"
    )
    with time_machine.travel(SUBMITTING, tick=False), django_capture_on_commit_callbacks(execute=True):
        candidacy_services.submit(
            candidacy,
            content(maasland_call),
            lock_version=candidacy.lock_version,
            token=uuid.uuid4(),
            by=applicant,
            at=SUBMITTING,
        )
    candidacy.refresh_from_db()
    return candidacy


def test_the_receipt(candidacy, mailoutbox):
    assert_golden("receipt", one_message(mailoutbox))


def test_the_extension_mail(candidacy, manager, mailoutbox, django_capture_on_commit_callbacks):
    mailoutbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        candidacy_services.grant_extension(
            candidacy,
            until=datetime.datetime(2023, 6, 8, 23, 59, 59, tzinfo=BRUSSELS),
            reason="Overstroming in het kantoor op 1 juni.",
            by=manager,
            at=datetime.datetime(2023, 6, 2, 9, 0, tzinfo=BRUSSELS),
        )
    assert_golden("extension_granted", one_message(mailoutbox))


def test_the_withdrawal_confirmation(candidacy, applicant, mailoutbox, django_capture_on_commit_callbacks):
    mailoutbox.clear()
    withdrawing = datetime.datetime(2023, 6, 1, 11, 15, tzinfo=BRUSSELS)
    with time_machine.travel(withdrawing, tick=False), django_capture_on_commit_callbacks(execute=True):
        candidacy_services.withdraw(candidacy, by=applicant, at=withdrawing)
    assert_golden("withdrawal_confirmed", one_message(mailoutbox))


def test_the_inadmissible_mail_gives_the_reason_and_how_to_object(
    candidacy, manager, mailoutbox, django_capture_on_commit_callbacks
):
    mailoutbox.clear()
    with time_machine.travel(SHORTLISTING, tick=False), django_capture_on_commit_callbacks(execute=True):
        candidacy_services.mark_inadmissible(
            candidacy,
            reason="De organisatie heeft geen zetel of werking in de werkingsregio Maasland.",
            by=manager,
            at=SHORTLISTING,
        )
    assert_golden("candidacy_inadmissible", one_message(mailoutbox))


# The jury


@pytest.fixture
def manager(db):
    user = factories.user("beheer@maasland.example", full_name="Liesbet Adams", is_staff=True)
    user.groups.add(ensure_call_manager_group())
    return user


def test_the_jury_invitation_with_a_password_link(
    maasland_call, manager, mailoutbox, django_capture_on_commit_callbacks
):
    with time_machine.travel(APPOINTING, tick=False), django_capture_on_commit_callbacks(execute=True):
        invitations.appoint(
            maasland_call,
            email="vera.voorzitter@example.org",
            full_name="Vera Voorzitter",
            role=JuryMember.Role.CHAIR,
            by=manager,
            at=APPOINTING,
        )
    assert_golden("jury_invitation_new_account", one_message(mailoutbox))


def test_the_jury_invitation_for_an_existing_account(
    maasland_call, manager, mailoutbox, django_capture_on_commit_callbacks
):
    factories.user("jan.jurylid@example.org", full_name="Jan Jurylid")
    with time_machine.travel(APPOINTING, tick=False), django_capture_on_commit_callbacks(execute=True):
        invitations.appoint(
            maasland_call,
            email="jan.jurylid@example.org",
            full_name="Jan Jurylid",
            role=JuryMember.Role.MEMBER,
            by=manager,
            at=APPOINTING,
        )
    assert_golden("jury_invitation_existing_account", one_message(mailoutbox))


@pytest.fixture
def slot(maasland_call, candidacy, manager, mailoutbox, django_capture_on_commit_callbacks):
    """The candidacy is shortlisted and placed in a slot on the first pitch day (which mails the invitation)."""
    with time_machine.travel(SHORTLISTING, tick=False), django_capture_on_commit_callbacks(execute=True):
        candidacy_services.shortlist(candidacy, by=manager, at=SHORTLISTING)
        slot = scheduling.create_slot(
            maasland_call,
            starts_at=PITCH_STARTS,
            ends_at=PITCH_STARTS + datetime.timedelta(minutes=45),
            place="Gemeentehuis Maasmechelen, raadzaal",
            by=manager,
            at=SHORTLISTING,
        )
        mailoutbox.clear()
        candidacy.refresh_from_db()
        scheduling.assign(slot, candidacy, by=manager, at=SHORTLISTING)
    return PitchSlot.objects.get(pk=slot.pk)


def test_the_pitch_invitation(slot, mailoutbox):
    assert_golden("pitch_invitation", one_message(mailoutbox))


def test_the_pitch_update(slot, manager, mailoutbox, django_capture_on_commit_callbacks):
    mailoutbox.clear()
    later = PITCH_STARTS + datetime.timedelta(hours=1)
    with time_machine.travel(SHORTLISTING, tick=False), django_capture_on_commit_callbacks(execute=True):
        scheduling.reschedule(
            slot,
            starts_at=later,
            ends_at=later + datetime.timedelta(minutes=45),
            place="Gemeentehuis Maasmechelen, trouwzaal",
            video_link="",
            by=manager,
            at=SHORTLISTING,
        )
    assert_golden("pitch_update", one_message(mailoutbox))


def test_the_pitch_cancellation(slot, manager, mailoutbox, django_capture_on_commit_callbacks):
    mailoutbox.clear()
    with time_machine.travel(SHORTLISTING, tick=False), django_capture_on_commit_callbacks(execute=True):
        scheduling.release(slot, by=manager, at=SHORTLISTING)
    assert_golden("pitch_cancellation", one_message(mailoutbox))


# Decisions and weerwoorden


@pytest.fixture
def chair(maasland_call):
    user = factories.user("vera.voorzitter@example.org", full_name="Vera Voorzitter")
    return JuryMember.objects.create(call=maasland_call, user=user, role=JuryMember.Role.CHAIR)


@pytest.fixture
def decision(candidacy, chair, mailoutbox):
    mailoutbox.clear()
    factories.rounds_closed(candidacy.call, chair, at=DELIBERATING)
    return jury_services.record_decision(
        candidacy,
        outcome="not_selected",
        motivation="Het voorstel beschrijft de doelgroep goed, maar de aanpak blijft algemeen.",
        by=chair.user,
        at=DELIBERATING,
    )


@pytest.fixture
def sent(decision, manager, mailoutbox, django_capture_on_commit_callbacks):
    with time_machine.travel(SENDING, tick=False), django_capture_on_commit_callbacks(execute=True):
        communication.send_decision(decision, by=manager, at=SENDING)
    decision.refresh_from_db()
    return decision


def test_the_decision_letter_mail(sent, mailoutbox):
    assert_golden("decision_letter", one_message(mailoutbox))


def test_the_decision_mail_its_preview_and_the_letter_name_the_call_alike(sent, manager, browser, mailoutbox):
    """`{{ oproep }}` is the call's full name wherever it is filled in, as the letter prints it."""
    name = "Capacity Building Lokale Partnerschappen – Lokaal Addendum – werkingsregio Maasland"
    sentence = f"De jury van de oproep {name} heeft beslist over je kandidatuur MAAS-2023-001"
    call = sent.candidacy.call
    subject, body = default_text("decision_letter", language="nl-be")
    text, _created = MailTemplate.objects.get_or_create(
        call=call, kind="decision_letter", defaults={"subject": subject, "body": body}
    )
    browser.force_login(manager)
    preview = browser.get(reverse("admin:mailtemplates_mailtemplate_preview", args=[text.pk]), secure=True)
    letter = letters.render_letter_html(sent)
    assert (
        sentence in one_message(mailoutbox).body,
        sentence in preview.context["body"],
        f"<td>{name}</td>" in letter,
    ) == (
        True,
        True,
        True,
    )


@pytest.fixture
def weerwoord(sent, applicant, mailoutbox, django_capture_on_commit_callbacks):
    mailoutbox.clear()
    with time_machine.travel(FILING, tick=False), django_capture_on_commit_callbacks(execute=True):
        return communication.file_weerwoord(
            sent, text="Wij bereiken wel degelijk Chadia, zie bijlage 2.", by=applicant, at=FILING
        )


def test_the_weerwoord_received_mail(weerwoord, mailoutbox):
    (received,) = [message for message in mailoutbox if message.to == ["an.peeters@debrug.example"]]
    assert_golden("weerwoord_received", received)


def test_the_weerwoord_to_assess_mail(weerwoord, mailoutbox):
    (to_assess,) = [message for message in mailoutbox if message.to != ["an.peeters@debrug.example"]]
    assert (len(mailoutbox), to_assess.to) == (2, ["liesbet.adams@maasmechelen.be"])
    assert_golden("weerwoord_to_assess", to_assess)


@pytest.mark.parametrize("assessment", ["founded", "unfounded"])
def test_the_weerwoord_assessed_mail_says_founded_or_not_with_the_motivation(
    weerwoord, manager, assessment, mailoutbox, django_capture_on_commit_callbacks
):
    mailoutbox.clear()
    motivation = {
        "founded": "Het bereik werd over het hoofd gezien.",
        "unfounded": "De bijlage toont geen bereik in de werkingsregio.",
    }[assessment]
    with time_machine.travel(ASSESSING, tick=False), django_capture_on_commit_callbacks(execute=True):
        factories.assessed(weerwoord, assessment=assessment, motivation=motivation, by=manager, at=ASSESSING)
    assert_golden(f"weerwoord_assessed_{assessment}", one_message(mailoutbox))


def test_the_revised_decision_letter_mail(weerwoord, manager, mailoutbox, django_capture_on_commit_callbacks):
    factories.assessed(
        weerwoord, assessment="founded", motivation="Het bereik werd over het hoofd gezien.", by=manager, at=ASSESSING
    )
    mailoutbox.clear()
    with time_machine.travel(REVISING, tick=False), django_capture_on_commit_callbacks(execute=True):
        communication.revise_decision(
            weerwoord.decision,
            outcome="selected",
            motivation="Na het weerwoord selecteert de jury dit voorstel.",
            by=manager,
            at=REVISING,
        )
    assert_golden("decision_letter_revised", one_message(mailoutbox))


# The reminder


def test_the_reminder_digest(maasland_call, candidacy, chair, manager, applicant, mailoutbox):
    """On 13 July: one decision not sent, one candidacy without decision, one window closing the next day, one
    weerwoord to assess."""
    others = []
    for number, name in enumerate(["Taalhuis Lanaken vzw", "De Sleutel Maasland", "Werkkracht Kinrooi"], start=1):
        member = factories.user(f"lid{number}@example.org", full_name=f"Lid {number}")
        other = Candidacy.objects.create(
            call=maasland_call,
            organisation=factories.organisation(member, name=name),
            created_by=member,
            title=f"Project {number}",
        )
        candidacy_services.submit(
            other, content(maasland_call), lock_version=other.lock_version, token=uuid.uuid4(), by=member, at=SUBMITTING
        )
        other.refresh_from_db()
        others.append(other)
    decide = jury_services.record_decision
    factories.rounds_closed(maasland_call, chair, at=DELIBERATING)
    with_weerwoord = decide(candidacy, outcome="not_selected", motivation="Algemeen.", by=chair.user, at=DELIBERATING)
    closing = decide(others[0], outcome="not_selected", motivation="Vaag.", by=chair.user, at=DELIBERATING)
    decide(
        others[1], outcome="selected", motivation="Sterk.", without_pitch_reason="Test.", by=chair.user, at=DELIBERATING
    )
    for decision in (with_weerwoord, closing):
        communication.send_decision(decision, by=manager, at=EARLY_SENDING)
    with_weerwoord.refresh_from_db()
    communication.file_weerwoord(with_weerwoord, text="Oneens.", by=applicant, at=EARLY_SENDING)
    mailoutbox.clear()
    call_command("send_reminders", "--now", REMINDING.isoformat(), stdout=io.StringIO())
    assert [message.to for message in mailoutbox] == [["liesbet.adams@maasmechelen.be"], ["beheer@maasland.example"]]
    assert mailoutbox[0].body == mailoutbox[1].body
    assert_golden("reminders_digest", mailoutbox[1])
