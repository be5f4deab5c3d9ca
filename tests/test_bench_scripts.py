"""The benchmark scripts under bench/ still run: each one's setup and measuring code on tiny numbers.

Nothing here asserts a figure (benchmarks are never asserted); the tests only keep the scripts from rotting. They run
once per CI, in the SQLite pass (the `sqlite_pass` marker; .ci/run deselects it in the PostgreSQL pass).
"""

import argparse
import importlib.util
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.test import override_settings
from django.utils import timezone
from pytest_django.live_server_helper import LiveServer

from candidacies import services as candidacy_services
from candidacies.files import check_document
from candidacies.models import Candidacy
from challenges.models import Call
from tests import factories

pytestmark = pytest.mark.sqlite_pass

BENCH_DIR = Path(__file__).resolve().parent.parent / "bench"


def bench_module(name):
    """A bench script imported from its file, as `python bench/<name>.py` would run it."""
    if str(BENCH_DIR) not in sys.path:
        sys.path.insert(0, str(BENCH_DIR))
    spec = importlib.util.spec_from_file_location(f"bench_{name}", BENCH_DIR / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture
def maasland_call(db):
    """The real call loaded by each test: some tests here commit (transactional_db), so it cannot be loaded once
    per module in a transaction (tests/conftest.py)."""
    call_command("loaddata", "maasland", verbosity=0)
    return Call.objects.get(slug="maasland-2023")


@pytest.fixture(scope="module")
def live_server():
    """pytest-django's live server with a MEDIA_URL on another host: Django's LiveServerThread cannot start with the
    portal's MEDIA_URL = None (as in tests/e2e/conftest.py)."""
    with override_settings(MEDIA_URL="http://media.invalid/"):
        server = LiveServer("localhost")
    yield server
    server.stop()


@pytest.fixture
def live_port(live_server, settings):
    """The live server's port; the bench client talks to 127.0.0.1 as if behind the production proxy."""
    settings.ALLOWED_HOSTS = ["127.0.0.1", "localhost", "testserver"]
    return int(live_server.url.rsplit(":", 1)[1])


def test_the_rush_pdf_is_a_pdf_of_its_own_per_applicant():
    rush = bench_module("rush")
    first, second = rush.small_pdf(1), rush.small_pdf(2)
    assert (check_document(SimpleUploadedFile("a.pdf", first), name="a.pdf"), first == second) == ("pdf", False)


def test_the_rush_journey_is_taken_before_the_deadline_and_refused_after_it(
    transactional_db, maasland_call, live_port, settings
):
    settings.RECEIPT_MAIL = "queued"
    rush = bench_module("rush")
    call, applicants = rush.build(2, late_share=0.5, seed=1)
    on_time, late = sorted(applicants, key=lambda applicant: applicant.late)
    choices, pattern = rush.form_choices(call), rush.success_pattern()
    journeys = [rush.Journey(applicant, live_port, choices, pattern) for applicant in (on_time, late)]
    rush.set_deadline(call, 3600)
    for journey in journeys:
        journey.prepare()
        journey.reopen()
    journeys[0].submit()
    time.sleep(1.1)  # the on-time submission's second is then at or before the new deadline, the late one after it
    deadline = rush.set_deadline(call, -1)
    journeys[1].submit()

    counts, problems = rush.verify(call, applicants, deadline)

    assert (on_time.outcome, late.outcome, problems) == ("taken", "refused", [])
    assert (counts["lost"], counts["versions"], counts["taken after deadline"]) == (0, 1, 0)
    assert [kind for kind, _status, _seconds in on_time.requests] == [
        "form",
        "draft",
        "form",
        "upload",
        "form",
        "submit",
        "result",
    ]
    receipts = rush.send_receipts_after(call)
    assert (receipts["receipts mailed after"], receipts["receipts owed"]) == (1, 0)


def test_the_rush_check_counts_a_submission_whose_file_is_gone_as_lost(db, maasland_call):
    rush = bench_module("rush")
    call, (applicant,) = rush.build(1, late_share=0, seed=1)
    deadline = rush.set_deadline(call, 3600)
    candidacy = Candidacy.objects.get(pk=applicant.candidacy_pk)
    member = candidacy.organisation.members.get()
    at = timezone.now()
    attachment = candidacy_services.add_attachment(
        candidacy, SimpleUploadedFile("plan.pdf", applicant.pdf), by=member, at=at
    )
    version = candidacy_services.submit(
        candidacy,
        factories.complete_content(call),
        lock_version=candidacy.lock_version,
        token=factories.complete_form_data(call, candidacy)["submission_token"],
        by=member,
        at=at,
    )
    applicant.outcome, applicant.token, applicant.reference = (
        "taken",
        str(version.submission_token),
        version.candidacy.reference,
    )
    intact = rush.verify(call, [applicant], deadline)[0]["lost"]
    default_storage.delete(attachment.file.name)

    assert (intact, rush.verify(call, [applicant], deadline)[0]["lost"]) == (0, 1)


def test_the_throughput_targets_answer_and_wrk_is_read(transactional_db, maasland_call, live_port, settings):
    throughput = bench_module("throughput")
    targets = throughput.build(rows=2)
    settings.ROOT_URLCONF = "bare_urls"
    throughput.check_targets(live_port, targets)
    arguments = argparse.Namespace(threads=1, connections=1, duration=1)

    result = throughput.run_wrk(live_port, "/bench-bare/", None, arguments)

    assert ([label for label, _path, _session in targets][0], result["non_ok"]) == ("bare Django view", 0)


def test_the_profile_bench_serves_each_page_and_prints_its_functions(db, maasland_call, settings, capsys):
    profile_pages = bench_module("profile_pages")
    targets = bench_module("throughput").build(rows=1)
    settings.ROOT_URLCONF = "bare_urls"
    for label, path, session_key in targets[:4]:
        mean, stats = profile_pages.profile(path, session_key, requests=1, warmup=1)
        profile_pages.print_profile(label, path, mean, stats, requests=1, top=3)
    printed = capsys.readouterr().out
    assert (printed.count("### by tottime"), printed.count("### by cumulative")) == (4, 4)


def test_the_query_count_table_is_measured_for_each_list_page(db, maasland_call):
    queries = bench_module("queries")

    results = queries.measure(queries.Story(), [1, 2])

    assert results["my candidacies"][0][1:] + results["my candidacies"][1][1:] == (1, 2)
    assert len(results) == 9


def test_the_letters_bench_times_every_decision_both_ways(db, maasland_call):
    letters = bench_module("letters")
    letters.create_data(2)

    count, pipeline, bare = letters.measure(repeat=1)

    assert (count, len(pipeline), len(bare)) == (2, 2, 2)


def test_the_report_bench_times_a_report(db, maasland_call):
    report = bench_module("report")

    html_seconds, pdf_seconds, pages, size = report.measure(maasland_call, repeat=1)

    assert (pages > 0, size > 0) == (True, True)


def test_the_assignment_bench_times_a_distribution(db, maasland_call):
    assignment = bench_module("assignment")

    (wall, cpu), (fewest, highest, average) = assignment.measure(maasland_call, 4, 4, 1, repeat=1)

    assert (fewest, highest <= average + 1, average) == (3, True, 3.0)


def test_the_ranking_bench_runs_on_tiny_numbers():
    started = time.monotonic()
    completed = subprocess.run(
        [sys.executable, str(BENCH_DIR / "ranking.py"), "--candidacies", "3", "--jurors", "2", "--criteria", "2"]
        + ["--runs", "1"],
        capture_output=True,
        text=True,
        check=False,
        cwd=BENCH_DIR.parent,
        timeout=600,
    )
    assert (completed.returncode, "ranked rows" in completed.stdout) == (0, True), (
        completed.stderr[-2000:],
        time.monotonic() - started,
    )


def test_the_hostile_files_bench_checks_each_file_in_this_process():
    hostile = bench_module("hostile_files")
    row = hostile.measure("PDF with JavaScript", repeat=1)
    assert (row["label"], row["outcome"].startswith("Deze PDF bevat JavaScript.")) == ("PDF with JavaScript", True)
    assert set(row) == {"label", "size", "seconds", "traced_peak", "max_rss", "rss_added", "outcome"}
    assert "| PDF with JavaScript |" in hostile.table([row])
