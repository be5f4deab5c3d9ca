import pytest
from django.conf import settings
from django.contrib.auth import user_logged_in
from django.core.cache import cache, caches
from django.core.management import call_command
from django.http import HttpRequest
from django.test import override_settings

from accounts import two_factor
from challenges.models import Call
from tests import factories

# Tests marked `second_factor` pass the second factor themselves (tests/accounts/test_two_factor.py).
_test_logins_pass_the_second_factor = {"on": True}


def _pass_the_second_factor_at_a_test_login(sender, request, user, **kwargs):
    """Client.force_login and Client.login log in through a bare HttpRequest (a real login is a WSGIRequest): when
    the user must pass the second factor (staff, or who set one up), the session passes it with the user's
    authenticator, so tests about other things log staff in as before."""
    if not _test_logins_pass_the_second_factor["on"] or type(request) is not HttpRequest:
        return
    if two_factor.is_required(user) or request.session.get(two_factor.ASKED):
        factories.pass_second_factor(request.session, user)


user_logged_in.connect(_pass_the_second_factor_at_a_test_login, dispatch_uid="tests_pass_the_second_factor")


@pytest.fixture(autouse=True)
def second_factor_at_test_logins(request):
    """Off for the tests marked `second_factor`: their force_login leaves the session as a password login does."""
    _test_logins_pass_the_second_factor["on"] = request.node.get_closest_marker("second_factor") is None
    yield
    _test_logins_pass_the_second_factor["on"] = True


@pytest.fixture(autouse=True)
def private_media(settings, tmp_path):
    """Uploads and letters made by tests go to a temporary folder, never to var/media."""
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    """Password hashing is slow on purpose; tests do not need that."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True, scope="session")
def page_cache_in_memory():
    """The public pages are kept in each test process's own memory: the folder of PAGE_CACHE_URL's default is shared
    by the processes of one checkout, whose databases differ."""
    memory = {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "pages"}
    with override_settings(CACHES={**settings.CACHES, "pages": memory}):
        yield


@pytest.fixture(autouse=True)
def default_language():
    """Each test starts in the portal's language: a test that switches to another (a page in English, the admin in
    both languages) leaves the thread's active language behind otherwise, and later tests of its worker read English."""
    from django.conf import settings
    from django.utils import translation

    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.activate(settings.LANGUAGE_CODE)


@pytest.fixture(autouse=True)
def empty_cache(page_cache_in_memory):
    """Each test starts with empty caches: the mail limits (maasland/mail_limits.py) count in the default one, and a
    kept public page (challenges/page_cache.py) would outlive the test's rolled-back data."""
    for kept in (cache, caches["pages"]):
        kept.clear()
    yield
    for kept in (cache, caches["pages"]):
        kept.clear()


def load_maasland():
    call_command("loaddata", "maasland", verbosity=0)


@pytest.fixture(scope="module")
def maasland_module(django_db_setup, django_db_blocker):
    """The real call's fixture loaded once per test module (tests/seeded.py, `built_once`)."""
    from tests.seeded import built_once

    with built_once(django_db_blocker, None, load_maasland):
        yield


@pytest.fixture
def maasland_call(request, maasland_module, db):
    """The real 2023 call, loaded from the fixture that holds the addendum: once per module, and what a test changes
    is rolled back after it. A test on a committed database (transactional_db, a live server) loads it itself."""
    if {"transactional_db", "live_server"} & set(request.fixturenames):
        pytest.fail("maasland_call is loaded once per module, in a transaction: use call_command('loaddata', ...)")
    return Call.objects.get(slug="maasland-2023")


@pytest.fixture
def seeded_call(maasland_call):
    """The real call with a candidacy in every status, a jury, scores, slots, decisions and a weerwoord
    (tests/seeded.py)."""
    from tests.seeded import seed_call

    return seed_call(maasland_call)


@pytest.fixture(scope="module")
def seeded_module(maasland_module, django_db_blocker, tmp_path_factory):
    """The seeded call built once per test module (for modules with many tests that each only read it), on the
    module's real call."""
    from tests.seeded import seeded_once

    with seeded_once(django_db_blocker, tmp_path_factory.mktemp("media"), load_call=False) as seeded:
        yield seeded


@pytest.fixture
def seeded_call_shared(seeded_module, db, settings):
    """`seeded_call` from the module's one build; what the test changes is rolled back after it."""
    from tests.seeded import fresh_copy

    settings.MEDIA_ROOT = seeded_module.media_root
    return fresh_copy(seeded_module)


def _module_builds(item):
    """The data built once per module that the test asks for, directly or not: module-scoped fixtures that open the
    database themselves (tests/seeded.py, `built_once`)."""
    info = getattr(item, "_fixtureinfo", None)
    if info is None:
        return frozenset()
    builds = set()
    for name in info.names_closure:
        definitions = info.name2fixturedefs.get(name, ())
        if definitions and definitions[-1].scope == "module" and "django_db_blocker" in definitions[-1].argnames:
            builds.add(name)
    return frozenset(builds)


# The modules that take longest (measured per test with process and wall time, SQLite pass), slowest first. pytest-xdist
# hands out whole modules in the order of collection (--dist loadfile --no-loadscope-reorder in pyproject.toml), so
# these start first and no worker is left running one of them alone at the end; the others follow, most tests first.
SLOWEST_MODULES = [
    "tests/test_topology.py",
    "tests/security/test_permission_matrix.py",
    "tests/test_procedure_stateful.py",
    "tests/test_bench_scripts.py",
    "tests/e2e/test_applicant_journey.py",
    "tests/e2e/test_way_through.py",
    "tests/jury/test_decisions_admin.py",
    "tests/test_migrations.py",
    "tests/test_concurrency.py",
    "tests/test_backup_restore.py",
    "tests/security/test_hostile_input.py",
    "tests/test_admin_in_dutch.py",
    "tests/office/test_coverage.py",
    "tests/jury/test_scoring_views.py",
    "tests/e2e/test_jury_scoring.py",
    "tests/e2e/test_manager_dashboard.py",
    "tests/e2e/test_chair_journey.py",
    "tests/e2e/test_manager_journey.py",
    "tests/e2e/test_visitor_journey.py",
    "tests/mailtemplates/test_stored_defaults.py",
    "tests/test_demo.py",
    "tests/office/test_dashboard.py",
    "tests/test_admin_changelists.py",
    "tests/e2e/test_group_mail_and_weerwoord_confirmation.py",
    "tests/jury/test_ranking.py",
    "tests/jury/test_report.py",
    "tests/candidacies/test_admin.py",
    "tests/jury/test_admin.py",
    "tests/e2e/test_keeping_words.py",
    "tests/e2e/test_weerwoord_journey.py",
    "tests/test_emails_golden.py",
    "tests/e2e/test_mail_templates_admin.py",
    "tests/e2e/test_tablet_sheet.py",
    "tests/e2e/test_two_factor_journey.py",
    "tests/e2e/test_juror_pitch_days.py",
    "tests/e2e/test_manager_pitch_days_and_report.py",
    "tests/e2e/test_chair_coverage.py",
    "tests/e2e/test_ranking_print.py",
    "tests/jury/test_pitch_days.py",
    "tests/jury/test_guard_table.py",
    "tests/test_settings.py",
]


# A test that asks for none of these never opens a database: what it checks is the same on SQLite and PostgreSQL.
DATABASE_FIXTURES = {"db", "transactional_db", "django_db_setup", "live_server"}


def _mark_the_tests_without_a_database(items):
    """A test that never opens the database runs in one pass of .ci/run only (the SQLite pass, marker sqlite_pass);
    `make test` alone runs it as any other."""
    for item in items:
        if item.get_closest_marker("django_db") or item.get_closest_marker("postgres_pass"):
            continue
        if not DATABASE_FIXTURES & set(getattr(item, "fixturenames", ())):
            item.add_marker(pytest.mark.sqlite_pass)


def _module_of(item):
    return item.nodeid.split("::", 1)[0]


@pytest.hookimpl(tryfirst=True)  # before pytest's own -m selection, which reads the markers set here
def pytest_collection_modifyitems(items):
    """Modules in the order of SLOWEST_MODULES, then by their number of tests. A module's build stays in the
    database until the module is done, so in each module the tests run from the fewest builds to the most: first
    those on an empty database, then e.g. those on the real call (maasland_module), then those on the seeded call
    built on it (seeded_module). The builds of one module must stack (each test's builds include those of the tests
    before it), or a test would see data it did not ask for."""
    _mark_the_tests_without_a_database(items)
    counts, builds = {}, {}
    for item in items:
        counts[_module_of(item)] = counts.get(_module_of(item), 0) + 1
        builds[item] = _module_builds(item)
    slowest = {module: rank for rank, module in enumerate(SLOWEST_MODULES)}
    ranks = {module: (slowest.get(module, len(slowest)), -count, module) for module, count in counts.items()}
    items.sort(key=lambda item: (ranks[_module_of(item)], len(builds[item])))
    previous = {}
    for item in items:
        module = _module_of(item)
        if not previous.get(module, frozenset()) <= builds[item]:
            raise pytest.UsageError(
                f"{item.nodeid} runs after tests built on {sorted(previous[module])} but does not build on them: "
                "the module builds of one test module must stack"
            )
        previous[module] = builds[item]


@pytest.fixture(scope="session")
def django_db_modify_db_settings(django_db_modify_db_settings_parallel_suffix):
    """On PostgreSQL the test databases do not wait for each commit to reach the disk (synchronous_commit off): a
    test database is thrown away, and its migrations and flushes commit often. Nothing else changes."""
    from django.conf import settings

    database = settings.DATABASES["default"]
    if database["ENGINE"] == "django.db.backends.postgresql":
        options = database.setdefault("OPTIONS", {})
        options["options"] = f"{options.get('options', '')} -c synchronous_commit=off".strip()
