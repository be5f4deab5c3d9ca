import pytest
from django.core.management import call_command

from challenges.models import Call


@pytest.fixture
def maasland_call(db):
    """The real 2023 call, loaded from the fixture that holds the addendum."""
    call_command("loaddata", "maasland", verbosity=0)
    return Call.objects.get(slug="maasland-2023")
