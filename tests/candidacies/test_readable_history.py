"""The history screens of admin are readable: Dutch field names and choice labels, Brussels times, "—" for nothing
(not "EXTENDED_UNTIL", "not_selected", "None" or UTC); and the seeded call's Logboek holds its whole story."""

import datetime

import pytest
from django.urls import reverse

from candidacies import services
from candidacies.models import ProcedureStep
from jury.models import Decision
from maasland.clock import BRUSSELS
from tests.seeded import WRITTEN_ROUND

UNTIL = datetime.datetime(2023, 6, 20, 23, 59, 59, tzinfo=BRUSSELS)


@pytest.fixture
def seeded(seeded_call_shared):
    return seeded_call_shared


@pytest.fixture
def admin_client(client, seeded):
    client.force_login(seeded.superuser)
    return client


def test_a_candidacys_history_reads_in_dutch_with_brussels_times(seeded, admin_client):
    draft = seeded.candidacies["draft"]
    services.grant_extension(draft, until=UNTIL, reason="Overmacht: brand", by=seeded.manager, at=WRITTEN_ROUND)
    page = admin_client.get(reverse("admin:candidacies_candidacy_history", args=[draft.pk])).content.decode()
    assert "Uitstel tot" in page and "20-06-2023 23:59:59" in page and "uitstel toegekend" in page
    assert "Concept" in page and "Liesbet Adams" in page
    for raw in ("extended_until", "EXTENDED_UNTIL", "None", "+00:00", "21:59:59"):
        assert raw not in page


def test_a_decided_candidacys_and_its_decisions_history_show_labels_not_stored_values(seeded, admin_client):
    candidacy = seeded.candidacies["not_selected"]
    decision = Decision.objects.get(candidacy=candidacy)
    pages = [
        admin_client.get(reverse("admin:candidacies_candidacy_history", args=[candidacy.pk])).content.decode(),
        admin_client.get(reverse("admin:jury_decision_history", args=[decision.pk])).content.decode(),
    ]
    for page in pages:
        assert "Niet geselecteerd" in page and "not_selected" not in page and ">None<" not in page
    assert "10-07-2023 10:00" in pages[1] and "meegedeeld" in pages[1]


def test_the_seeded_calls_log_holds_every_step_of_its_story(seeded):
    actions = set(ProcedureStep.objects.filter(call=seeded.call).values_list("action", flat=True))
    Action = ProcedureStep.Action
    # The seeded drafts are made by the test factory, not by start_candidacy: no "started" step.
    assert actions == {
        Action.SUBMIT,
        Action.WITHDRAW,
        Action.MARK_INADMISSIBLE,
        Action.DECLARE_CONFLICT,
        Action.CLOSE_ROUND,
        Action.SHORTLIST,
        Action.ASSIGN_SLOT,
        Action.MARK_PITCHED,
        Action.RECORD_DECISION,
        Action.SEND_DECISION,
        Action.FILE_WEERWOORD,
    }
