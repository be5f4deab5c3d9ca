"""'Mijn kandidaturen' says for each candidacy what comes next and when."""

import datetime

import time_machine
from django.urls import reverse

from candidacies.next_step import next_step
from maasland.clock import BRUSSELS
from tests.seeded import SENT_AT

AFTER_SENDING = SENT_AT + datetime.timedelta(days=1)
DURING_PITCHES = datetime.datetime(2023, 6, 19, 8, 0, tzinfo=BRUSSELS)


def steps(seeded, at):
    return {
        status: (str(step.label), step.moment)
        for status, candidacy in seeded.candidacies.items()
        for step in [next_step(candidacy.__class__.objects.get(pk=candidacy.pk), at)]
    }


def test_each_status_has_its_next_step_and_date(seeded_call_shared):
    seeded = seeded_call_shared
    call = seeded.call
    after = steps(seeded, AFTER_SENDING)
    weerwoord_until = call.weerwoord_deadline(SENT_AT)
    assert after["selected"] == ("Lees de beslissing; een weerwoord is mogelijk tot", weerwoord_until)
    assert after["not_selected"] == ("Lees de beslissing; een weerwoord is mogelijk tot", weerwoord_until)
    assert after["draft"] == ("Niet ingediend vóór de deadline", None)
    assert after["withdrawn"] == ("Geen volgende stap", None)
    during = steps(seeded, DURING_PITCHES)
    slot = seeded.candidacies["shortlisted"].pitch_slot
    assert during["shortlisted"] == ("Je pitch", slot.starts_at)
    assert during["pitched"] == ("De beslissing wordt meegedeeld vóór", call.decisions_before)


def test_my_candidacies_shows_the_pitch_slot_as_the_next_step(seeded_call_shared, client):
    seeded = seeded_call_shared
    client.force_login(seeded.applicants["shortlisted"])
    with time_machine.travel(DURING_PITCHES, tick=False):
        page = client.get(reverse("candidacies:candidacy_list")).content.decode()
    assert "Je pitch: <strong>19 juni 2023 om 09:00</strong>" in page
