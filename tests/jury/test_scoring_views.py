"""The jury's pages: a juror sees and scores only what is assigned to them, others' scores only after submitting,
the chair closes rounds and records decisions; everybody else gets a 404."""

import re
import uuid

import pytest
import time_machine
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from candidacies import services as candidacy_services
from candidacies.models import Candidacy
from jury import services
from jury.models import Conflict, Criterion, Decision, RoundClosure, Score, ScoreSheet
from tests import factories

from .conftest import DURING_INTAKE, PITCH_DAY, WRITTEN_ROUND, submitted_candidacy

pytestmark = pytest.mark.django_db


def client_for(user, **kwargs):
    client = Client(**kwargs)
    client.force_login(user)
    return client


def criteria(call, round="written"):
    return list(Criterion.objects.filter(call=call, round=round))


def sheet_url(candidacy, round="written"):
    return reverse("jury:score_sheet", kwargs={"pk": candidacy.pk, "round": round})


def sheet_data(call, value, intent="submit", comment="", round="written", overall=""):
    """What a browser posts: every score as typed, with a comment; `value` may be a per-criterion list."""
    data = {"overall_comment": overall, intent: "1"}
    items = criteria(call, round)
    values = value if isinstance(value, list) else [value] * len(items)
    for criterion, item in zip(items, values, strict=True):
        data[f"score_{criterion.pk}"] = "" if item is None else str(item)
        data[f"comment_{criterion.pk}"] = comment
    return data


def submit_through_service(member, candidacy, value, comment="", round="written", at=WRITTEN_ROUND):
    return services.save_sheet(
        member,
        candidacy,
        round,
        values={criterion.pk: (value, comment) for criterion in criteria(candidacy.call, round)},
        overall_comment=f"Algemeen oordeel van {member.user.full_name}.",
        submit=True,
        by=member.user,
        at=at,
    )


@pytest.fixture
def juror_client(jurors):
    return client_for(jurors[0].user)


@pytest.fixture
def chair_client(chair):
    return client_for(chair.user)


@pytest.fixture
def with_attachment(maasland_call):
    """A submitted candidacy with a PDF that was submitted and a DOCX added afterwards, not submitted."""
    applicant = factories.user()
    organisation = factories.organisation(applicant, name="Bijlagenhuis")
    candidacy = factories.candidacy(maasland_call, organisation)
    submitted = candidacy_services.add_attachment(
        candidacy, factories.pdf_file("plan.pdf"), by=applicant, at=DURING_INTAKE
    )
    candidacy.refresh_from_db()
    candidacy_services.submit(
        candidacy,
        factories.complete_content(maasland_call),
        lock_version=candidacy.lock_version,
        token=uuid.uuid4(),
        by=applicant,
        at=DURING_INTAKE,
    )
    later = candidacy_services.add_attachment(candidacy, factories.docx_file(), by=applicant, at=DURING_INTAKE)
    candidacy.refresh_from_db()
    return candidacy, submitted, later


# Who gets in


def jury_urls(candidacy, call):
    return [
        reverse("jury:dashboard"),
        reverse("jury:candidacy", args=[candidacy.pk]),
        sheet_url(candidacy),
        reverse("jury:rounds", args=[call.slug]),
        reverse("jury:decisions", args=[call.slug]),
    ]


@time_machine.travel(WRITTEN_ROUND, tick=False)
def test_an_applicant_opening_any_jury_page_gets_a_404(maasland_call, candidacies, jurors, chair):
    applicant = candidacies[0].organisation.members.first()
    client = client_for(applicant)
    statuses = [client.get(url).status_code for url in jury_urls(candidacies[0], maasland_call)]
    statuses.append(client.post(sheet_url(candidacies[0]), sheet_data(maasland_call, 10)).status_code)
    statuses.append(client.post(reverse("jury:conflict", args=[candidacies[0].pk]), {"reason": "x"}).status_code)
    statuses.append(
        client.post(
            reverse("jury:close_round", args=[maasland_call.slug, "written"]), {"written-confirm": "on"}
        ).status_code
    )
    assert (statuses, ScoreSheet.objects.count(), RoundClosure.objects.count()) == ([404] * 8, 0, 0)


@time_machine.travel(WRITTEN_ROUND, tick=False)
def test_a_call_manager_who_is_not_a_juror_gets_a_404_on_jury_pages(maasland_call, candidacies, manager):
    client = client_for(manager)
    assert [client.get(url).status_code for url in jury_urls(candidacies[0], maasland_call)] == [404] * 5


@time_machine.travel(WRITTEN_ROUND, tick=False)
def test_a_visitor_is_sent_to_the_login_page(maasland_call, candidacies):
    response = Client().get(reverse("jury:dashboard"))
    assert (response.status_code, response.url.startswith(reverse("accounts:login"))) == (302, True)


@time_machine.travel(WRITTEN_ROUND, tick=False)
def test_a_juror_does_not_get_the_chairs_pages(maasland_call, juror_client):
    urls = [reverse("jury:rounds", args=[maasland_call.slug]), reverse("jury:decisions", args=[maasland_call.slug])]
    assert [juror_client.get(url).status_code for url in urls] == [404, 404]


@time_machine.travel(DURING_INTAKE, tick=False)
def test_before_the_deadline_a_juror_sees_no_candidacy(candidacies, juror_client):
    statuses = [
        juror_client.get(url).status_code
        for url in (reverse("jury:candidacy", args=[candidacies[0].pk]), sheet_url(candidacies[0]))
    ]
    assert statuses == [404, 404]


# The dashboard


@time_machine.travel(WRITTEN_ROUND, tick=False)
def test_the_dashboard_shows_each_assigned_candidacy_with_the_state_of_the_own_sheet(candidacies, jurors, juror_client):
    services.save_sheet(
        jurors[0],
        candidacies[1],
        "written",
        values={},
        overall_comment="",
        submit=False,
        by=jurors[0].user,
        at=WRITTEN_ROUND,
    )
    submit_through_service(jurors[0], candidacies[2], 6)
    submit_through_service(jurors[1], candidacies[0], 6)
    response = juror_client.get(reverse("jury:dashboard"))
    rows = response.context["calls"][0]["rounds"][0]["rows"]
    assert [(candidacy.reference, str(state)) for candidacy, state in rows] == [
        ("MAAS-2023-001", "Niet begonnen"),
        ("MAAS-2023-002", "Concept"),
        ("MAAS-2023-003", "Ingediend"),
    ]
    assert "Je hebt 1 van 3 scoreformulieren ingediend." in response.content.decode()


@time_machine.travel(WRITTEN_ROUND, tick=False)
def test_the_dashboard_leaves_out_a_conflicted_candidacy(candidacies, jurors, juror_client):
    Conflict.objects.create(
        jury_member=jurors[0], candidacy=candidacies[1], source="declared", created_by=jurors[0].user
    )
    rows = juror_client.get(reverse("jury:dashboard")).context["calls"][0]["rounds"][0]["rows"]
    assert [candidacy.pk for candidacy, _state in rows] == [candidacies[0].pk, candidacies[2].pk]


def submitted_rows(call, count, start):
    """`count` submitted candidacies, written straight to the database: the dashboard reads no versions."""
    for number in range(start, start + count):
        organisation = factories.organisation(factories.user(), name=f"Organisatie {number:03d}")
        factories.candidacy(call, organisation, status=Candidacy.Status.SUBMITTED, reference=f"MAAS-2023-{number:03d}")


def count_queries(client, url):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries)


@time_machine.travel(PITCH_DAY, tick=False)
def test_the_dashboard_costs_the_same_number_of_queries_for_5_and_50_candidacies(
    maasland_call, jurors, juror_client, manager
):
    submitted_rows(maasland_call, 5, start=1)
    for candidacy in Candidacy.objects.all()[:2]:
        candidacy_services.shortlist(candidacy, by=manager, at=WRITTEN_ROUND)
        submit_through_service(jurors[0], candidacy, 5)
    small = count_queries(juror_client, reverse("jury:dashboard"))
    submitted_rows(maasland_call, 45, start=6)
    for candidacy in Candidacy.objects.filter(status="submitted")[:20]:
        candidacy_services.shortlist(candidacy, by=manager, at=WRITTEN_ROUND)
        submit_through_service(jurors[0], candidacy, 5)
    large = count_queries(juror_client, reverse("jury:dashboard"))
    response = juror_client.get(reverse("jury:dashboard"))
    assigned = [round["assigned"] for round in response.context["calls"][0]["rounds"]]
    assert (small, large, assigned) == (10, 10, [50, 22])  # with the list of declared conflicts


# The candidacy page and its attachments


@time_machine.travel(WRITTEN_ROUND, tick=False)
def test_a_juror_reads_what_was_submitted_not_what_was_changed_afterwards(maasland_call, jurors, juror_client):
    candidacy = submitted_candidacy(maasland_call, name="Nadenkers")
    applicant = candidacy.organisation.members.first()
    changed = {**factories.complete_content(maasland_call), "summary": "Een latere, niet ingediende samenvatting."}
    candidacy_services.save_draft(
        candidacy, changed, lock_version=candidacy.lock_version, by=applicant, at=DURING_INTAKE
    )
    page = juror_client.get(reverse("jury:candidacy", args=[candidacy.pk])).content.decode()
    assert (
        "Buddywerking en taalcoaching voor vrouwen in Maasmechelen." in page,
        "Een latere, niet ingediende samenvatting." in page,
    ) == (True, False)


@time_machine.travel(WRITTEN_ROUND, tick=False)
def test_a_juror_downloads_a_submitted_attachment_as_a_file(with_attachment, jurors, juror_client):
    candidacy, submitted, _later = with_attachment
    response = juror_client.get(reverse("jury:attachment", args=[candidacy.pk, submitted.pk]))
    body = b"".join(response.streaming_content)
    assert (response.status_code, response["Content-Type"], response["X-Content-Type-Options"]) == (
        200,
        "application/pdf",
        "nosniff",
    )
    assert (response["Content-Disposition"], body.startswith(b"%PDF")) == ('attachment; filename="plan.pdf"', True)


@time_machine.travel(WRITTEN_ROUND, tick=False)
def test_an_attachment_that_was_not_submitted_is_not_served_to_the_jury(with_attachment, juror_client):
    candidacy, _submitted, later = with_attachment
    assert juror_client.get(reverse("jury:attachment", args=[candidacy.pk, later.pk])).status_code == 404


@time_machine.travel(WRITTEN_ROUND, tick=False)
def test_the_candidacy_page_links_the_submitted_attachment_only(with_attachment, juror_client):
    candidacy, submitted, later = with_attachment
    page = juror_client.get(reverse("jury:candidacy", args=[candidacy.pk])).content.decode()
    assert (
        reverse("jury:attachment", args=[candidacy.pk, submitted.pk]) in page,
        reverse("jury:attachment", args=[candidacy.pk, later.pk]) in page,
    ) == (True, False)


@time_machine.travel(WRITTEN_ROUND, tick=False)
def test_a_conflicted_juror_gets_a_404_on_the_candidacy_its_sheet_and_its_attachments(with_attachment, jurors):
    candidacy, submitted, _later = with_attachment
    services.declare_conflict(jurors[0], candidacy, reason="Bestuurslid.", by=jurors[0].user, at=WRITTEN_ROUND)
    client = client_for(jurors[0].user)
    urls = [
        reverse("jury:candidacy", args=[candidacy.pk]),
        sheet_url(candidacy),
        reverse("jury:attachment", args=[candidacy.pk, submitted.pk]),
    ]
    statuses = [client.get(url).status_code for url in urls]
    statuses.append(client.post(sheet_url(candidacy), sheet_data(candidacy.call, 8)).status_code)
    assert (statuses, ScoreSheet.objects.count()) == ([404, 404, 404, 404], 0)


@time_machine.travel(WRITTEN_ROUND, tick=False)
def test_a_juror_who_is_a_member_of_the_applying_organisation_gets_a_404(candidacies, jurors):
    member = candidacies[0].organisation.members.first()
    jurors[0].user = member
    jurors[0].save()
    client = client_for(member)
    assert client.get(reverse("jury:candidacy", args=[candidacies[0].pk])).status_code == 404


@time_machine.travel(WRITTEN_ROUND, tick=False)
def test_a_juror_declares_a_conflict_and_no_longer_sees_the_candidacy(candidacies, jurors, juror_client):
    url = reverse("jury:conflict", args=[candidacies[0].pk])
    response = juror_client.post(url, {"reason": "Ik zetel in hun raad van bestuur.", "confirm": "on"})
    conflict = Conflict.objects.get()
    assert (response.status_code, response.url) == (302, reverse("jury:dashboard"))
    assert (conflict.jury_member, conflict.source, conflict.reason) == (
        jurors[0],
        "declared",
        "Ik zetel in hun raad van bestuur.",
    )
    assert juror_client.get(reverse("jury:candidacy", args=[candidacies[0].pk])).status_code == 404


@time_machine.travel(WRITTEN_ROUND, tick=False)
def test_a_conflict_without_reason_or_confirmation_is_refused_and_the_reason_kept(candidacies, juror_client):
    response = juror_client.post(reverse("jury:conflict", args=[candidacies[0].pk]), {"reason": "Mijn zus werkt er."})
    page = response.content.decode()
    assert (response.status_code, Conflict.objects.count()) == (400, 0)
    assert ("Mijn zus werkt er." in page, "Vink het vakje aan" in page) == (True, True)


# The score sheet


@time_machine.travel(WRITTEN_ROUND, tick=False)
def test_the_sheet_shows_every_criterion_with_its_scale(maasland_call, candidacies, juror_client):
    response = juror_client.get(sheet_url(candidacies[0]))
    page = response.content.decode()
    for criterion in criteria(maasland_call):
        assert f'name="score_{criterion.pk}"' in page
        assert f'name="comment_{criterion.pk}"' in page
    # A text field (a number field would drop "7,5" on redisplay) with the scale for the live total.
    assert (response.status_code, page.count(' data-min="0"'), page.count(' data-max="10"')) == (200, 6, 6)
    assert page.count("Score van 0 tot 10") == 6
    assert ("Opslaan als concept" in page, "Indienen" in page, "js/sheet.js" in page) == (True, True, True)


@time_machine.travel(WRITTEN_ROUND, tick=False)
def test_saving_a_draft_keeps_the_scores_without_submitting(maasland_call, candidacies, jurors, juror_client):
    values = [7, 8, None, None, 5, 6]
    response = juror_client.post(sheet_url(candidacies[0]), sheet_data(maasland_call, values, intent="draft"))
    sheet = ScoreSheet.objects.get()
    stored = [score.value for score in sheet.scores.order_by("criterion__position")]
    assert (response.status_code, sheet.jury_member, sheet.submitted_at, stored) == (302, jurors[0], None, values)


@time_machine.travel(WRITTEN_ROUND, tick=False)
def test_submitting_the_sheet_stores_it_as_submitted(maasland_call, candidacies, juror_client):
    juror_client.post(sheet_url(candidacies[0]), sheet_data(maasland_call, 9, comment="Sterk.", overall="Top."))
    sheet = ScoreSheet.objects.get()
    assert (sheet.submitted_at, sheet.overall_comment, set(sheet.scores.values_list("value", "comment"))) == (
        WRITTEN_ROUND,
        "Top.",
        {(9, "Sterk.")},
    )


@pytest.mark.parametrize("typed", ["11", "-1", "abc", "7,5"])
@time_machine.travel(WRITTEN_ROUND, tick=False)
def test_a_wrong_score_gets_a_dutch_message_at_its_field_and_nothing_is_stored(
    maasland_call, candidacies, juror_client, typed
):
    first = criteria(maasland_call)[0]
    data = sheet_data(maasland_call, 6, comment="Mijn toelichting.", overall="Mijn oordeel.")
    data[f"score_{first.pk}"] = typed
    response = juror_client.post(sheet_url(candidacies[0]), data)
    page = response.content.decode()
    assert (response.status_code, ScoreSheet.objects.count(), Score.objects.count()) == (400, 0, 0)
    assert response.context["form"].errors[f"score_{first.pk}"] == [
        f"Geef “{first.name}” een geheel getal van 0 tot 10."
    ]
    assert (f'href="#id_score_{first.pk}"' in page, f'value="{typed}"' in page) == (True, True)
    assert ("Mijn toelichting." in page, "Mijn oordeel." in page, page.count('value="6"')) == (True, True, 5)


@time_machine.travel(WRITTEN_ROUND, tick=False)
def test_submitting_with_missing_scores_is_refused_at_each_empty_field(maasland_call, candidacies, juror_client):
    items = criteria(maasland_call)
    response = juror_client.post(sheet_url(candidacies[0]), sheet_data(maasland_call, [5, None, 5, 5, None, 5]))
    errors = response.context["form"].errors
    assert (response.status_code, ScoreSheet.objects.count()) == (400, 0)
    assert sorted(errors) == sorted([f"score_{items[1].pk}", f"score_{items[4].pk}"])
    assert errors[f"score_{items[1].pk}"] == ["Geef “Werkingsprincipes” een score voor je het formulier indient."]


@time_machine.travel(WRITTEN_ROUND, tick=False)
def test_posting_as_one_juror_never_changes_another_jurors_sheet(maasland_call, candidacies, jurors, juror_client):
    other = submit_through_service(jurors[1], candidacies[0], 3, comment="Zwak.")
    juror_client.post(sheet_url(candidacies[0]), sheet_data(maasland_call, 10, comment="Schitterend."))
    other.refresh_from_db()
    assert set(other.scores.values_list("value", "comment")) == {(3, "Zwak.")}
    assert ScoreSheet.objects.get(jury_member=jurors[0]).scores.filter(value=10).count() == 6


@time_machine.travel(WRITTEN_ROUND, tick=False)
def test_a_post_without_csrf_token_is_refused(maasland_call, candidacies, jurors):
    client = client_for(jurors[0].user, enforce_csrf_checks=True)
    response = client.post(sheet_url(candidacies[0]), sheet_data(maasland_call, 8))
    assert (response.status_code, ScoreSheet.objects.count()) == (403, 0)


@time_machine.travel(WRITTEN_ROUND, tick=False)
def test_a_submitted_sheet_can_only_be_submitted_again_and_stays_complete(
    maasland_call, candidacies, jurors, juror_client
):
    submit_through_service(jurors[0], candidacies[0], 4)
    response = juror_client.post(
        sheet_url(candidacies[0]), sheet_data(maasland_call, [None, 4, 4, 4, 4, 4], intent="draft")
    )
    sheet = ScoreSheet.objects.get()
    assert (response.status_code, sheet.scores.filter(value=4).count()) == (400, 6)
    assert "Opslaan als concept" not in response.content.decode()


# Other jurors' scores


@time_machine.travel(WRITTEN_ROUND, tick=False)
def test_other_jurors_scores_are_hidden_until_the_own_sheet_is_submitted(
    maasland_call, candidacies, jurors, juror_client
):
    submit_through_service(jurors[1], candidacies[0], 3, comment="Opmerking van jurylid twee.")
    before = juror_client.get(sheet_url(candidacies[0]))
    juror_client.post(sheet_url(candidacies[0]), sheet_data(maasland_call, 7, intent="draft"))
    as_draft = juror_client.get(sheet_url(candidacies[0]))
    for response in (before, as_draft):
        page = response.content.decode()
        assert (response.context["others"], "Jurylid 2" in page, "Opmerking van jurylid twee." in page) == (
            [],
            False,
            False,
        )
        assert "zodra je je eigen scoreformulier hebt ingediend" in page


@time_machine.travel(WRITTEN_ROUND, tick=False)
def test_other_jurors_scores_are_shown_once_the_own_sheet_is_submitted(
    maasland_call, candidacies, jurors, juror_client
):
    submit_through_service(jurors[1], candidacies[0], 3, comment="Opmerking van jurylid twee.")
    juror_client.post(sheet_url(candidacies[0]), sheet_data(maasland_call, 7))
    response = juror_client.get(sheet_url(candidacies[0]))
    page = response.content.decode()
    assert [other["juror"] for other in response.context["others"]] == [jurors[1].user]
    assert ("Jurylid 2" in page, page.count("Opmerking van jurylid twee."), "30,0 / 100" in page) == (True, 6, True)


@time_machine.travel(WRITTEN_ROUND, tick=False)
def test_a_draft_of_another_juror_is_never_shown(maasland_call, candidacies, jurors, juror_client):
    services.save_sheet(
        jurors[1],
        candidacies[0],
        "written",
        values={criteria(maasland_call)[0].pk: (2, "Concept van twee.")},
        overall_comment="",
        submit=False,
        by=jurors[1].user,
        at=WRITTEN_ROUND,
    )
    submit_through_service(jurors[0], candidacies[0], 7)
    response = juror_client.get(sheet_url(candidacies[0]))
    assert (response.context["others"], "Concept van twee." in response.content.decode()) == ([], False)


@time_machine.travel(WRITTEN_ROUND, tick=False)
def test_the_scores_of_a_juror_who_declared_a_conflict_afterwards_are_not_shown(candidacies, jurors, juror_client):
    submit_through_service(jurors[1], candidacies[0], 3, comment="Voor het conflict.")
    services.declare_conflict(jurors[1], candidacies[0], reason="Later gezien.", by=jurors[1].user, at=WRITTEN_ROUND)
    submit_through_service(jurors[2], candidacies[0], 6)
    submit_through_service(jurors[0], candidacies[0], 7)
    response = juror_client.get(sheet_url(candidacies[0]))
    assert [other["juror"] for other in response.context["others"]] == [jurors[2].user]


@time_machine.travel(WRITTEN_ROUND, tick=False)
def test_the_chair_sees_the_submitted_scores_without_scoring(candidacies, jurors, chair_client):
    submit_through_service(jurors[1], candidacies[0], 3, comment="Opmerking van jurylid twee.")
    response = chair_client.get(sheet_url(candidacies[0]))
    assert (
        [other["juror"] for other in response.context["others"]],
        "Opmerking van jurylid twee." in response.content.decode(),
    ) == ([jurors[1].user], True)


@time_machine.travel(WRITTEN_ROUND, tick=False)
def test_a_conflicted_chair_gets_a_404_on_that_candidacys_scores(candidacies, chair, chair_client):
    services.declare_conflict(chair, candidacies[0], reason="Oud-collega.", by=chair.user, at=WRITTEN_ROUND)
    assert chair_client.get(sheet_url(candidacies[0])).status_code == 404


# The pitch round


@time_machine.travel(PITCH_DAY, tick=False)
def test_a_shortlisted_candidacy_is_scored_on_a_pitch_day(maasland_call, candidacies, jurors, juror_client, manager):
    candidacy_services.shortlist(candidacies[0], by=manager, at=WRITTEN_ROUND)
    response = juror_client.post(sheet_url(candidacies[0], "pitch"), sheet_data(maasland_call, 8, round="pitch"))
    sheet = ScoreSheet.objects.get()
    assert (response.status_code, sheet.round, sheet.submitted_at) == (302, "pitch", PITCH_DAY)


@time_machine.travel(PITCH_DAY, tick=False)
def test_a_candidacy_that_is_not_shortlisted_has_no_pitch_sheet(candidacies, juror_client):
    assert juror_client.get(sheet_url(candidacies[0], "pitch")).status_code == 404


@time_machine.travel(WRITTEN_ROUND, tick=False)
def test_before_the_first_pitch_day_the_pitch_sheet_is_read_only(candidacies, juror_client, manager):
    candidacy_services.shortlist(candidacies[0], by=manager, at=WRITTEN_ROUND)
    page = juror_client.get(sheet_url(candidacies[0], "pitch")).content.decode()
    assert ("nog niet begonnen" in page, page.count(" disabled"), "Indienen" in page) == (True, 13, False)


# Closing a round


@time_machine.travel(WRITTEN_ROUND, tick=False)
def test_the_chair_sees_how_many_sheets_are_submitted_of_those_assigned(
    maasland_call, candidacies, jurors, chair, chair_client
):
    submit_through_service(jurors[0], candidacies[0], 5)
    submit_through_service(jurors[1], candidacies[0], 5)
    services.declare_conflict(jurors[2], candidacies[2], reason="Buur.", by=jurors[2].user, at=WRITTEN_ROUND)
    response = chair_client.get(reverse("jury:rounds", args=[maasland_call.slug]))
    written = response.context["rows"][0]
    assert (written["submitted"], written["assigned"]) == (2, 11)
    assert "2 van 11 scoreformulieren ingediend" in response.content.decode()


@time_machine.travel(WRITTEN_ROUND, tick=False)
def test_closing_a_round_needs_the_confirmation_box(maasland_call, chair_client):
    response = chair_client.post(reverse("jury:close_round", args=[maasland_call.slug, "written"]), {})
    assert (response.status_code, RoundClosure.objects.count()) == (400, 0)
    assert "Vink het vakje aan om te bevestigen dat je de ronde afsluit." in response.content.decode()


@time_machine.travel(WRITTEN_ROUND, tick=False)
def test_after_the_chair_closed_the_round_the_sheet_is_read_only_and_a_save_is_refused(
    maasland_call, candidacies, jurors, chair_client, juror_client
):
    submit_through_service(jurors[0], candidacies[0], 5)
    response = chair_client.post(
        reverse("jury:close_round", args=[maasland_call.slug, "written"]),
        {"written-confirm": "on", "written-reason": "Zo beslist."},
    )
    assert (response.status_code, RoundClosure.objects.get().closed_at) == (302, WRITTEN_ROUND)
    page = juror_client.get(sheet_url(candidacies[0])).content.decode()
    assert ("afgesloten" in page, page.count(" disabled"), "Opnieuw indienen" in page) == (True, 13, False)
    refused = juror_client.post(sheet_url(candidacies[0]), sheet_data(maasland_call, 9))
    assert refused.status_code == 400
    assert "De voorzitter heeft deze ronde afgesloten: scores kunnen niet meer veranderen." in refused.content.decode()
    assert set(Score.objects.values_list("value", flat=True)) == {5}


@time_machine.travel(WRITTEN_ROUND, tick=False)
def test_a_juror_cannot_close_a_round(maasland_call, juror_client):
    response = juror_client.post(
        reverse("jury:close_round", args=[maasland_call.slug, "written"]), {"written-confirm": "on"}
    )
    assert (response.status_code, RoundClosure.objects.count()) == (404, 0)


# Decisions


@time_machine.travel(PITCH_DAY, tick=False)
def test_the_chair_records_a_decision_that_is_not_yet_communicated(maasland_call, candidacies, chair, chair_client):
    factories.rounds_closed(maasland_call, chair, at=PITCH_DAY)
    url = reverse("jury:decisions", args=[maasland_call.slug])
    prefix = f"decision-{candidacies[1].pk}"
    response = chair_client.post(
        url,
        {
            "candidacy": candidacies[1].pk,
            f"{prefix}-outcome": "selected",
            f"{prefix}-motivation": "Sterk.",
            f"{prefix}-without_pitch_reason": "Sterkste schriftelijke voorstel.",
        },
    )
    decision = Decision.objects.get()
    assert (response.status_code, response.url) == (302, f"{url}#{prefix}")
    assert (decision.candidacy, decision.outcome, decision.motivation, decision.communicated_at) == (
        candidacies[1],
        "selected",
        "Sterk.",
        None,
    )
    assert "nog niet gecommuniceerd" in chair_client.get(url).content.decode()


@time_machine.travel(PITCH_DAY, tick=False)
def test_a_decision_without_motivation_is_refused_and_the_choice_kept(maasland_call, candidacies, chair_client):
    prefix = f"decision-{candidacies[0].pk}"
    response = chair_client.post(
        reverse("jury:decisions", args=[maasland_call.slug]),
        {"candidacy": candidacies[0].pk, f"{prefix}-outcome": "not_selected", f"{prefix}-motivation": "  "},
    )
    page = response.content.decode()
    assert (response.status_code, Decision.objects.count()) == (400, 0)
    assert "Een beslissing heeft een motivering nodig." in page
    assert re.search(rf'value="not_selected"\s+id="id_{prefix}-outcome_1"\s+required\s+checked', page) is not None


@time_machine.travel(PITCH_DAY, tick=False)
def test_the_decisions_page_lists_only_decidable_candidacies(maasland_call, candidacies, chair_client, manager):
    candidacy_services.shortlist(candidacies[1], by=manager, at=WRITTEN_ROUND)
    Candidacy.objects.filter(pk=candidacies[2].pk).update(status=Candidacy.Status.INADMISSIBLE)
    response = chair_client.get(reverse("jury:decisions", args=[maasland_call.slug]))
    assert [row["candidacy"] for row in response.context["rows"]] == candidacies[:2]


@time_machine.travel(PITCH_DAY, tick=False)
def test_the_decisions_page_costs_the_same_number_of_queries_for_5_and_50_candidacies(
    maasland_call, chair, chair_client
):
    url = reverse("jury:decisions", args=[maasland_call.slug])
    submitted_rows(maasland_call, 5, start=1)
    first = Candidacy.objects.order_by("reference").first()
    factories.rounds_closed(maasland_call, chair, at=PITCH_DAY)
    services.record_decision(
        first, outcome="selected", motivation="Goed.", without_pitch_reason="Test.", by=chair.user, at=PITCH_DAY
    )
    small = count_queries(chair_client, url)
    submitted_rows(maasland_call, 45, start=6)
    for candidacy in Candidacy.objects.order_by("reference")[1:20]:
        services.record_decision(candidacy, outcome="not_selected", motivation="Minder.", by=chair.user, at=PITCH_DAY)
    large = count_queries(chair_client, url)
    assert (small, large) == (7, 7)
