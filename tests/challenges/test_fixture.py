"""The fixture holds the addendum: counts, order, shares, dates, and the text word for word."""

import datetime
import re
from pathlib import Path

import pytest

from challenges.models import CallNote, Municipality, ServiceTypePoint
from maasland.clock import BRUSSELS

ADDENDUM = Path(__file__).resolve().parents[2] / "fixtures" / "source" / "addendum-maasland.txt"
EXTRACTION_NOISE = {"Capacity Building Lokale Partnerschappen", "3", "4"}


def normalised(text):
    return re.sub(r"\s+", " ", text).strip()


@pytest.fixture(scope="module")
def addendum_text():
    lines = [line for line in ADDENDUM.read_text().splitlines() if line.strip() not in EXTRACTION_NOISE]
    return normalised(" ".join(lines))


def test_fixture_holds_four_challenges_in_order(maasland_call):
    challenges = list(maasland_call.challenges.all())
    assert [challenge.number for challenge in challenges] == [1, 2, 3, 4]
    assert [challenge.title for challenge in challenges] == [f"Regio-uitdaging {n}" for n in (1, 2, 3, 4)]


def test_fixture_holds_seven_personas_in_the_addendums_order(maasland_call):
    names = [persona.name for persona in maasland_call.personas.all()]
    assert names == ["Chadia", "Mo", "Marcel", "Jordy", "Roy", "Nassim", "Rayan"]


def test_every_persona_description_is_marked_as_derived(maasland_call):
    assert all(persona.description_is_derived for persona in maasland_call.personas.all())
    assert all(len(persona.description) > 100 for persona in maasland_call.personas.all())


def test_each_challenge_is_based_on_the_personas_the_addendum_names(maasland_call):
    personas = {
        challenge.number: [persona.name for persona in challenge.personas.order_by("position")]
        for challenge in maasland_call.challenges.all()
    }
    assert personas == {1: ["Chadia"], 2: ["Mo"], 3: ["Marcel", "Jordy", "Roy"], 4: ["Nassim", "Rayan"]}


def test_fixture_holds_the_five_municipalities_of_maasland(maasland_call):
    names = list(Municipality.objects.filter(region__name="Maasland").values_list("name", flat=True))
    assert names == ["Maasmechelen", "Kinrooi", "Maaseik", "Dilsen-Stokkem", "Lanaken"]
    assert maasland_call.municipalities.count() == 5
    assert maasland_call.region.province == "Limburg"


def test_every_challenges_recognition_shares_add_up_to_100(maasland_call):
    assert [challenge.share_total() for challenge in maasland_call.challenges.all()] == [100, 100, 100, 100]


def test_recognition_shares_are_those_of_the_enrichment_session_in_scale_order(maasland_call):
    """niet → minder → herkenbaar → meer → zeer: a scale, not the order in which the addendum happens to list them."""
    challenges = maasland_call.challenges.all()
    keys = {tuple(share["key"] for share in challenge.shares()) for challenge in challenges}
    shares = [[share["value"] for share in challenge.shares()] for challenge in challenges]
    assert keys == {("not_recognisable", "less_recognisable", "recognisable", "more_recognisable", "very_recognisable")}
    assert shares == [[0, 5, 48, 9, 38], [0, 0, 50, 10, 40], [0, 0, 62, 0, 38], [0, 14, 43, 9, 34]]


def test_fixture_holds_every_date_of_the_timeline(maasland_call):
    call = maasland_call
    assert call.launch_date == datetime.date(2023, 4, 21)
    assert call.deadline.astimezone(BRUSSELS) == datetime.datetime(2023, 6, 1, 23, 59, 59, tzinfo=BRUSSELS)
    assert (call.assessment_starts_on, call.assessment_ends_on) == (
        datetime.date(2023, 6, 5),
        datetime.date(2023, 6, 16),
    )
    assert call.pitch_dates == [datetime.date(2023, 6, 19), datetime.date(2023, 6, 21), datetime.date(2023, 6, 23)]
    assert call.decisions_before == datetime.date(2023, 7, 15)
    assert call.weerwoord_days == 14


def test_the_local_contact_is_liesbet_adams_as_the_addendum_names_her(maasland_call):
    """The addendum gives her name, address and number, and no organisation: the portal adds none."""
    call = maasland_call
    assert (call.contact_name, call.contact_organisation, call.contact_email, call.contact_phone) == (
        "Liesbet Adams",
        "",
        "liesbet.adams@maasmechelen.be",
        "089/76.98.75",
    )


def test_fixture_holds_every_service_type_and_sub_point(maasland_call):
    service_types = list(maasland_call.service_types.prefetch_related("points"))
    assert [service_type.points.count() for service_type in service_types] == [5, 7, 0, 0, 3]


def test_fixture_holds_the_local_input_of_the_addendum(maasland_call):
    counts = {kind: maasland_call.notes.filter(kind=kind).count() for kind in CallNote.Kind.values}
    assert counts == {"addition": 6, "reason": 11, "exclusion": 3}


def test_fixture_texts_stand_word_for_word_in_the_addendum(maasland_call, addendum_text):
    call = maasland_call
    texts = [call.intro, call.enrichment_intro, call.enrichment_question, call.arena_intro, call.personas_intro]
    texts += [challenge.questions for challenge in call.challenges.all()]
    texts += [service_type.description for service_type in call.service_types.all()]
    texts += [point.text for point in ServiceTypePoint.objects.filter(service_type__call=call)]
    texts += [note.text for note in call.notes.all()]
    missing = [text for text in texts if normalised(text) not in addendum_text]
    assert missing == []
    assert len(texts) == 5 + 4 + 5 + 15 + 20


# What each question of a challenge asks, in the words a description must carry for every persona of the challenge.
SHARED_LINES = {
    3: ["psychologische ondersteuning", "verslaving", "detentieverleden", "competenties", "dak boven", "mobiliteit"]
    + ["op hun tempo", "sociaal netwerk"],
    4: ["Nederlands", "analfabeet", "stabiel netwerk", "competenties", "cultuurkloof", "trauma", "veilig dak"]
    + ["verplaatsen"],
}


@pytest.mark.parametrize("number", [3, 4])
def test_a_line_a_challenge_shares_between_personas_is_in_the_description_of_each(maasland_call, number):
    """The addendum says a challenge's questions of the whole group (regio-uitdaging 3: Marcel, Jordy and Roy; 4:
    Nassim and Rayan); without their persona sheets nothing supports giving one of them a line and not another."""
    personas = maasland_call.challenges.get(number=number).personas.order_by("position")
    missing = {
        persona.name: [line for line in SHARED_LINES[number] if line not in persona.description] for persona in personas
    }
    assert missing == {persona.name: [] for persona in personas}


def test_the_call_texts_hold_no_remark_about_the_document_they_came_from(maasland_call):
    call = maasland_call
    texts = [call.intro, call.personas_intro, *(persona.description for persona in call.personas.all())]
    assert [text for text in texts if "dit document" in text or "fiche" in text] == []
