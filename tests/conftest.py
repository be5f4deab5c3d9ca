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
def seeded_call_shared(seeded_module, db, settings):
    """`seeded_call` from the module's one build; what the test changes is rolled back after it."""
    from tests.seeded import fresh_copy

    settings.MEDIA_ROOT = seeded_module.media_root
    return fresh_copy(seeded_module)


def _uses_a_module_build(item):
    """Whether the test asks, directly or not, for data built once per module: a module-scoped fixture that opens the
    database itself (tests/seeded.py, `built_once`)."""
    info = getattr(item, "_fixtureinfo", None)
    if info is None:
        return False
    for name in info.names_closure:
        definitions = info.name2fixturedefs.get(name, ())
        if definitions and definitions[-1].scope == "module" and "django_db_blocker" in definitions[-1].argnames:
            return True
    return False


def pytest_collection_modifyitems(items):
    """In each module, the tests that use a module's one build run after those that do not: the build stays in the
    database until the module is done, and the others must start from an empty one. Modules keep their order."""
    modules = {}
    for item in items:
        modules.setdefault(item.nodeid.split("::", 1)[0], len(modules))
    items.sort(key=lambda item: (modules[item.nodeid.split("::", 1)[0]], _uses_a_module_build(item)))
