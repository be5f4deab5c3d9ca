"""Deleting a person never erases the history: a juror who scored cannot be deleted, their scores and the
scores' history stay and keep naming them; anonymisation is the way to remove their personal data."""

import io

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.db.models import ProtectedError
from django.urls import reverse

from candidacies.models import Candidacy, Organisation
from jury import services
from jury.models import Criterion, Round, Score, ScoreSheet
from tests import factories
from tests.jury.conftest import WRITTEN_ROUND

User = get_user_model()


@pytest.fixture
def scored(candidacies, jurors):
    """The first juror scored and submitted the first candidacy's written round."""
    juror = jurors[0]
    candidacy = candidacies[0]
    criteria = Criterion.objects.filter(call=candidacy.call, round=Round.WRITTEN).order_by("position")
    sheet = services.save_sheet(
        juror,
        candidacy,
        Round.WRITTEN,
        values={criterion.pk: (6 + index % 3, f"Opmerking {index}") for index, criterion in enumerate(criteria)},
        overall_comment="Degelijk voorstel.",
        submit=True,
        by=juror.user,
        at=WRITTEN_ROUND,
    )
    return juror, sheet


@pytest.fixture
def superuser_client(client, db):
    client.force_login(factories.user("admin@example.org", is_staff=True, is_superuser=True))
    return client


def _trail(sheet):
    return (
        list(Score.objects.filter(sheet=sheet).order_by("criterion__position").values_list("value", "comment")),
        list(
            ScoreSheet.history.filter(id=sheet.pk).order_by("history_id").values_list("history_user_id", "submitted_at")
        ),
        Score.history.filter(sheet_id=sheet.pk).count(),
    )


def test_deleting_a_juror_who_scored_is_refused_and_the_scores_and_their_history_stay(scored):
    juror, sheet = scored
    before = _trail(sheet)
    with pytest.raises(ProtectedError):
        juror.user.delete()
    assert User.objects.filter(pk=juror.user_id).exists() is True
    assert _trail(sheet) == before
    assert [user_id for user_id, _submitted in before[1]] == [None, juror.user_id]
    assert before[2] == 6


def test_the_admin_refuses_to_delete_a_juror_and_points_to_anonymisation(superuser_client, scored):
    juror, sheet = scored
    before = _trail(sheet)
    url = reverse("admin:accounts_user_delete", args=[juror.user_id])
    response = superuser_client.post(url, {"post": "yes"})
    assert response.status_code == 200
    page = response.content.decode()
    assert "Wie aan een oproep heeft deelgenomen, kan niet verwijderd worden" in page
    assert User.objects.filter(pk=juror.user_id).exists() is True
    assert _trail(sheet) == before


def test_the_admins_bulk_delete_refuses_a_juror_too(superuser_client, scored):
    juror, _sheet = scored
    response = superuser_client.post(
        reverse("admin:accounts_user_changelist"),
        {"action": "delete_selected", "_selected_action": [juror.user_id], "post": "yes"},
    )
    assert response.status_code == 200
    assert "Wie aan een oproep heeft deelgenomen, kan niet verwijderd worden" in response.content.decode()
    assert User.objects.filter(pk=juror.user_id).exists() is True


def test_an_account_that_never_acted_can_be_deleted_in_the_admin(superuser_client):
    unused = factories.user("nooit@example.org")
    response = superuser_client.post(reverse("admin:accounts_user_delete", args=[unused.pk]), {"post": "yes"})
    assert response.status_code == 302
    assert User.objects.filter(pk=unused.pk).exists() is False


def test_a_user_named_in_any_history_row_cannot_be_deleted(db):
    founder = factories.user("stichter@example.org")
    organisation = Organisation(
        name="Buddywerk",
        enterprise_number=factories.enterprise_number(901),
        street="Kerkstraat 1",
        postal_code="3630",
        city="Maasmechelen",
        contact_name="Stichter",
        contact_email="stichter@example.org",
    )
    organisation._history_user = founder
    organisation.save()
    with pytest.raises(ProtectedError):
        founder.delete()
    assert list(Organisation.history.filter(id=organisation.pk).values_list("history_user_id", flat=True)) == [
        founder.pk
    ]


def test_a_submitted_candidacy_cannot_be_deleted_with_its_versions(candidacies):
    candidacy = candidacies[0]
    with pytest.raises(ProtectedError):
        candidacy.delete()
    assert Candidacy.objects.get(pk=candidacy.pk).versions.count() == 1


def test_a_score_sheet_cannot_be_deleted_with_its_scores(scored):
    _juror, sheet = scored
    with pytest.raises(ProtectedError):
        sheet.delete()
    assert Score.objects.filter(sheet=sheet).count() == 6


def test_after_anonymisation_the_scores_and_their_history_still_name_the_same_juror(scored):
    juror, sheet = scored
    before = _trail(sheet)
    call_command("anonymise_call", juror.call.slug, "--force", stdout=io.StringIO())
    user = User.objects.get(pk=juror.user_id)
    assert (user.full_name, user.email) == (f"Geanonimiseerd {user.pk}", f"anonymised-{user.pk}@invalid.example")
    assert _trail(sheet) == before
    assert ScoreSheet.history.filter(id=sheet.pk).first().history_user == user
    assert ScoreSheet.objects.get(pk=sheet.pk).jury_member.user == user
