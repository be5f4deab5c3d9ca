"""A call after its deadline with a jury (a chair, three members) and submitted candidacies."""

import datetime

import pytest

from jury.models import JuryMember
from maasland.clock import BRUSSELS
from tests import factories

DURING_INTAKE = datetime.datetime(2023, 5, 31, 12, 0, tzinfo=BRUSSELS)
WRITTEN_ROUND = datetime.datetime(2023, 6, 7, 10, 0, tzinfo=BRUSSELS)
PITCH_DAY = datetime.datetime(2023, 6, 19, 10, 0, tzinfo=BRUSSELS)


@pytest.fixture(autouse=True)
def private_media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def submitted_candidacy(call, *, name):
    """A candidacy of a new organisation with one member, submitted during intake."""
    return factories.submitted_candidacy(call, name=name, at=DURING_INTAKE)


@pytest.fixture
def candidacies(maasland_call):
    return [submitted_candidacy(maasland_call, name=name) for name in ("Buddywerk", "Taalhuis", "De Sleutel")]


@pytest.fixture
def chair(maasland_call):
    user = factories.user("voorzitter@example.org", full_name="Vera Voorzitter")
    return JuryMember.objects.create(call=maasland_call, user=user, role=JuryMember.Role.CHAIR)


@pytest.fixture
def jurors(maasland_call):
    return [
        JuryMember.objects.create(
            call=maasland_call, user=factories.user(f"jurylid{n}@example.org", full_name=f"Jurylid {n}")
        )
        for n in (1, 2, 3)
    ]


@pytest.fixture
def manager(db):
    from demo.services import ensure_call_manager_group

    user = factories.user("beheerder@example.org", full_name="Liesbet Adams", is_staff=True)
    user.groups.add(ensure_call_manager_group())
    return user
