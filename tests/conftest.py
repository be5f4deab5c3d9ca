import pytest
from django.core.management import call_command

from challenges.models import Call


@pytest.fixture(autouse=True)
def private_media(settings, tmp_path):
    """Uploads and letters made by tests go to a temporary folder, never to var/media."""
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    """Password hashing is slow on purpose; tests do not need that."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def maasland_call(db):
    """The real 2023 call, loaded from the fixture that holds the addendum."""
    call_command("loaddata", "maasland", verbosity=0)
    return Call.objects.get(slug="maasland-2023")


@pytest.fixture
def seeded_call(maasland_call):
    """The real call with a candidacy in every status, a jury, scores, slots, decisions and a weerwoord
    (tests/seeded.py)."""
    from tests.seeded import seed_call

    return seed_call(maasland_call)


@pytest.fixture(scope="module")
def seeded_module(django_db_setup, django_db_blocker, tmp_path_factory):
    """The seeded call built once per test module (for modules with many tests that each only read it)."""
    from tests.seeded import seeded_once

    with seeded_once(django_db_blocker, tmp_path_factory.mktemp("media")) as seeded:
        yield seeded


@pytest.fixture
def seeded_call_shared(seeded_module, db):
    """`seeded_call` from the module's one build; what the test changes is rolled back after it."""
    from tests.seeded import fresh_copy

    return fresh_copy(seeded_module)
