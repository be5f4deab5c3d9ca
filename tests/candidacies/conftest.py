import datetime

import pytest

from maasland.clock import BRUSSELS
from tests import factories

DURING_INTAKE = datetime.datetime(2023, 5, 31, 12, 0, tzinfo=BRUSSELS)
LAST_SECOND = datetime.datetime(2023, 6, 1, 23, 59, 59, tzinfo=BRUSSELS)
FIRST_SECOND_LATE = datetime.datetime(2023, 6, 2, 0, 0, 0, tzinfo=BRUSSELS)


@pytest.fixture(autouse=True)
def private_media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def applicant(db):
    return factories.user("an@example.org", full_name="An Aanvrager")


@pytest.fixture
def other_applicant(db):
    return factories.user("bram@example.org", full_name="Bram Bouwer")


@pytest.fixture
def organisation(applicant):
    return factories.organisation(applicant, name="Buddywerk Maasland")


@pytest.fixture
def other_organisation(other_applicant):
    return factories.organisation(other_applicant, name="Taalhuis Lanaken")


@pytest.fixture
def draft(maasland_call, organisation):
    return factories.candidacy(maasland_call, organisation)
