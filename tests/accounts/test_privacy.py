"""The privacy statement and the download of everything the portal holds about a person."""

import datetime
import json
import uuid

import pytest
from django.core.serializers.json import DjangoJSONEncoder
from django.urls import reverse

from accounts import personal_data
from candidacies import services as candidacy_services
from candidacies.models import Attachment, Candidacy, CandidacyVersion
from jury.models import Conflict, Criterion, Decision, DecisionLetter, JuryMember, Round, Score, ScoreSheet, Weerwoord
from maasland.clock import BRUSSELS
from tests import factories

DURING_INTAKE = datetime.datetime(2023, 5, 31, 12, 0, tzinfo=BRUSSELS)
COMMUNICATED = datetime.datetime(2023, 7, 10, 9, 0, tzinfo=BRUSSELS)
SECTIONS = [
    "generated_at",
    "account",
    "two_factor",
    "login_attempts",
    "organisations",
    "invitations",
    "candidacies",
    "decisions",
    "weerwoorden",
    "jury",
]


@pytest.fixture
def seeded_call(seeded_call_shared):
    """The seeded call built once for the module: its tests only read it."""
    return seeded_call_shared


def download(client, user):
    client.force_login(user)
    response = client.get(reverse("accounts:my_data_download"))
    assert response.status_code == 200
    return response, json.loads(response.content)


def submitted(call, member, organisation, *, title):
    candidacy = factories.candidacy(call, organisation, title=title)
    content = {**factories.complete_content(call), "title": title}
    candidacy_services.submit(
        candidacy, content, lock_version=candidacy.lock_version, token=uuid.uuid4(), by=member, at=DURING_INTAKE
    )
    candidacy.refresh_from_db()
    return candidacy


def decision(candidacy, *, chair, communicated_at):
    result = Decision.objects.create(
        candidacy=candidacy,
        outcome=Decision.Outcome.SELECTED,
        motivation="Sterk partnerschap.",
        recorded_by=chair,
        recorded_at=COMMUNICATED - datetime.timedelta(days=3),
        communicated_at=communicated_at,
    )
    DecisionLetter.objects.create(
        decision=result,
        number=1,
        outcome=result.outcome,
        file="letters/x/y.pdf",
        sha256="a" * 64,
        created_at=COMMUNICATED,
        created_by=chair,
        sent_at=communicated_at,
    )
    return result


def sheet(juror, candidacy, *, comment):
    result = ScoreSheet.objects.create(
        jury_member=juror, candidacy=candidacy, round=Round.WRITTEN, overall_comment=comment, submitted_at=COMMUNICATED
    )
    criterion = Criterion.objects.filter(call=candidacy.call, round=Round.WRITTEN).order_by("position").first()
    Score.objects.create(sheet=result, criterion=criterion, value=8, comment=comment)
    return result


@pytest.fixture
def world(maasland_call):
    applicant = factories.user("an@aanvrager.example", full_name="An Aanvrager", phone="0470 12 34 56")
    organisation = factories.organisation(applicant, name="Buddywerk")
    candidacy = submitted(maasland_call, applicant, organisation, title="Samen sterker")
    candidacy_services.add_attachment(candidacy, factories.pdf_file("plan.pdf"), by=applicant, at=DURING_INTAKE)
    second = submitted(
        maasland_call, applicant, factories.organisation(applicant, name="Taalhuis"), title="Taal op het werk"
    )
    other_member = factories.user("ander@example.org", full_name="Ander Aanvrager")
    other = submitted(maasland_call, other_member, factories.organisation(other_member), title="Geheim project")
    chair = factories.user("voorzitter@example.org", full_name="Vera Voorzitter")
    JuryMember.objects.create(call=maasland_call, user=chair, role=JuryMember.Role.CHAIR)
    communicated = decision(candidacy, chair=chair, communicated_at=COMMUNICATED)
    decision(second, chair=chair, communicated_at=None)
    Weerwoord.objects.create(
        decision=communicated, text="Wij vragen een herziening.", filed_at=COMMUNICATED, filed_by=applicant
    )
    juror_user = factories.user("jurylid@example.org", full_name="Jan Jurylid")
    juror = JuryMember.objects.create(call=maasland_call, user=juror_user, enterprise_numbers="0202239951")
    other_juror = JuryMember.objects.create(call=maasland_call, user=factories.user(full_name="Kim Keurder"))
    sheet(juror, candidacy, comment="Mijn eigen oordeel.")
    sheet(other_juror, candidacy, comment="Oordeel van een ander.")
    Conflict.objects.create(
        jury_member=juror, candidacy=other, source=Conflict.Source.DECLARED, reason="Ex-collega", created_by=juror_user
    )
    return {
        "applicant": applicant,
        "candidacy": candidacy,
        "second": second,
        "other": other,
        "juror": juror_user,
    }


def test_the_privacy_statement_is_public_and_names_the_contact(client, db, settings):
    settings.PRIVACY_CONTACT_EMAIL = "dpo@maasmechelen.example"
    response = client.get("/privacyverklaring/")
    assert response.status_code == 200
    page = response.content.decode()
    assert "<h1>Privacyverklaring</h1>" in page
    assert 'href="mailto:dpo@maasmechelen.example"' in page
    assert "plus 5 jaar" in page


def test_every_page_links_the_privacy_statement_in_its_footer(client, maasland_call):
    page = client.get(reverse("challenges:call_list")).content.decode()
    footer = page[page.index("<footer") :]
    assert '<a href="/privacyverklaring/">Privacyverklaring</a>' in footer


def test_my_data_needs_a_login(client, db):
    response = client.get(reverse("accounts:my_data_download"))
    assert (response.status_code, response["Location"]) == (302, "/account/inloggen/?next=/account/gegevens/download/")


def test_my_data_page_links_the_download(client, world):
    client.force_login(world["applicant"])
    page = client.get(reverse("accounts:my_data")).content.decode()
    assert 'href="/account/gegevens/download/"' in page


def test_the_download_is_a_json_attachment_with_every_section(client, world, time_machine):
    time_machine.move_to(datetime.datetime(2023, 8, 1, 10, 0, tzinfo=BRUSSELS), tick=False)
    response, data = download(client, world["applicant"])
    assert response["Content-Type"] == "application/json"
    assert response["Content-Disposition"] == 'attachment; filename="mijn-gegevens-2023-08-01.json"'
    assert response["Cache-Control"] == "no-store, private"
    assert list(data) == SECTIONS
    assert personal_data.section_names() == SECTIONS[1:]
    assert data["generated_at"] == "2023-08-01T08:00:00Z"


def test_the_download_holds_the_account_and_organisations(client, world):
    _response, data = download(client, world["applicant"])
    assert {key: data["account"][key] for key in ["email", "full_name", "phone", "is_staff", "groups"]} == {
        "email": "an@aanvrager.example",
        "full_name": "An Aanvrager",
        "phone": "0470 12 34 56",
        "is_staff": False,
        "groups": [],
    }
    assert [organisation["name"] for organisation in data["organisations"]] == ["Buddywerk", "Taalhuis"]


def test_the_download_holds_every_field_of_the_candidacies_with_iso_dates_and_decimal_strings(client, world):
    _response, data = download(client, world["applicant"])
    assert [candidacy["title"] for candidacy in data["candidacies"]] == ["Samen sterker", "Taal op het werk"]
    first = data["candidacies"][0]
    candidacy = world["candidacy"]
    assert {key: first[key] for key in ["reference", "status", "budget", "submitted_at", "contact_email", "call"]} == {
        "reference": candidacy.reference,
        "status": "submitted",
        "budget": "45000.50",
        "submitted_at": "2023-05-31T10:00:00Z",
        "contact_email": "an@example.org",
        "call": {"slug": "maasland-2023", "title": str(candidacy.call)},
    }
    model_fields = {field.name for field in Candidacy._meta.concrete_fields}
    users = {"created_by", "extension_granted_by"}
    assert model_fields - users - {"lock_version"} <= set(first)
    attachment = Attachment.objects.get(candidacy=candidacy)
    assert first["attachments"] == [
        {
            "name": "plan.pdf",
            "kind": "pdf",
            "size": attachment.size,
            "sha256": attachment.sha256,
            "uploaded_at": DjangoJSONEncoder().default(attachment.uploaded_at),
            "removed_at": None,
        }
    ]
    assert [version["number"] for version in first["versions"]] == [1]
    assert first["versions"][0]["content"] == CandidacyVersion.objects.get(candidacy=candidacy).content


def test_the_download_shows_only_decisions_that_were_sent_and_the_own_weerwoord(client, world):
    _response, data = download(client, world["applicant"])
    assert [(item["candidacy"], item["outcome"]) for item in data["decisions"]] == [
        (world["candidacy"].reference, "selected")
    ]
    assert [letter["number"] for letter in data["decisions"][0]["letters"]] == [1]
    assert [item["text"] for item in data["weerwoorden"]] == ["Wij vragen een herziening."]
    assert data["jury"] == {"memberships": [], "conflicts": [], "score_sheets": []}


def test_the_download_holds_nothing_of_other_organisations(client, world):
    response, _data = download(client, world["applicant"])
    body = response.content.decode()
    assert ("Geheim project" in body, world["other"].reference in body, "Oordeel van een ander" in body) == (
        False,
        False,
        False,
    )


def test_a_jurors_download_holds_their_own_scores_and_conflicts_only(client, world):
    response, data = download(client, world["juror"])
    assert data["jury"]["memberships"] == [
        {"call": "maasland-2023", "role": "member", "enterprise_numbers": ["0202239951"], "invited_at": None}
    ]
    assert [(item["candidacy"], item["reason"]) for item in data["jury"]["conflicts"]] == [
        (world["other"].reference, "Ex-collega")
    ]
    sheets = data["jury"]["score_sheets"]
    assert [(item["candidacy"], item["overall_comment"]) for item in sheets] == [
        (world["candidacy"].reference, "Mijn eigen oordeel.")
    ]
    assert [(score["value"], score["comment"]) for score in sheets[0]["scores"]] == [(8, "Mijn eigen oordeel.")]
    assert "Oordeel van een ander" not in response.content.decode()
    assert data["candidacies"] == []


@pytest.mark.parametrize("rows", [5, 50])
def test_the_download_costs_the_same_queries_for_5_and_50_rows(client, maasland_call, django_assert_num_queries, rows):
    person = factories.user("veel@example.org", full_name="Veel Werk")
    juror = JuryMember.objects.create(call=maasland_call, user=person)
    challenge = maasland_call.challenges.first()
    for number in range(rows):
        organisation = factories.organisation(person, name=f"Organisatie {number:03d}")
        candidacy = factories.candidacy(maasland_call, organisation, reference=f"MAAS-2023-{number:03d}")
        candidacy.challenges.add(challenge)
        Attachment.objects.create(
            candidacy=candidacy,
            file="a/b.pdf",
            name="plan.pdf",
            kind="pdf",
            size=10,
            sha256="b" * 64,
            uploaded_by=person,
        )
        CandidacyVersion.objects.create(
            candidacy=candidacy,
            number=1,
            submitted_at=DURING_INTAKE,
            submitted_by=person,
            submission_token=uuid.uuid4(),
            content={"title": "x"},
        )
        decision(candidacy, chair=person, communicated_at=COMMUNICATED)
        sheet(juror, candidacy, comment="Goed.")
        Conflict.objects.create(jury_member=juror, candidacy=candidacy, source="declared", created_by=person)
    client.force_login(person)
    with django_assert_num_queries(24):  # the two of the second factor (accounts/personal_data.py)
        response = client.get(reverse("accounts:my_data_download"))
    data = json.loads(response.content)
    assert (len(data["candidacies"]), len(data["decisions"]), len(data["jury"]["score_sheets"])) == (rows, rows, rows)


def test_on_the_seeded_call_each_applicants_download_names_no_other_organisation(client, seeded_call):
    found = {}
    for status, applicant in seeded_call.applicants.items():
        response, data = download(client, applicant)
        body = response.content.decode()
        others = [candidacy for other, candidacy in seeded_call.candidacies.items() if other != status]
        found[status] = (
            [candidacy["title"] for candidacy in data["candidacies"]],
            [candidacy.organisation.name for candidacy in others if candidacy.organisation.name in body],
            [candidacy.title for candidacy in others if candidacy.title in body],
        )
    assert found == {status: ([candidacy.title], [], []) for status, candidacy in seeded_call.candidacies.items()}


def test_on_the_seeded_call_a_jurors_download_holds_their_own_sheets_only(client, seeded_call):
    for member in (seeded_call.juror, seeded_call.conflicted_juror, seeded_call.chair):
        _response, data = download(client, member.user)
        own = ScoreSheet.objects.filter(jury_member=member).values_list("candidacy__reference", "round")
        assert sorted((sheet["candidacy"], sheet["round"]) for sheet in data["jury"]["score_sheets"]) == sorted(own)
        assert ScoreSheet.objects.exclude(jury_member=member).exists() is True
