"""The production topology runs as deploy/ describes it: bench/topology.py, small, in a subprocess (nginx, two gunicorn
instances, the Celery worker and beat, PostgreSQL and Redis; the rush through nginx; the worker killed with SIGKILL
in the middle of a batch of letters), and the deploy/ files it is made of.

It runs once per CI, in the SQLite pass (the `sqlite_pass` marker; it makes its own PostgreSQL database). It needs
Debian's nginx and the Redis server (.ci/run installs both) and fails, never skips, without them.
"""

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings

pytestmark = pytest.mark.sqlite_pass

ROOT = Path(__file__).resolve().parent.parent
LETTERS = 8
"""Enough for some letters to be mailed before the SIGKILL (0.3 s after the third of them) and some after it."""
SMALL = [
    "--database",
    f"test_topology_{os.getpid()}",  # one of its own: a concurrent run drops its database (DROP ... WITH FORCE)
    "--redis-db",
    os.environ.get("TOPOLOGY_REDIS_DB", "10"),  # the cache here, the broker in the next; runs here wait for each other
    "--applicants",
    "20",
    "--letters",
    str(LETTERS),
    "--workers",
    "1",
    "--prepare",
    "2",
    "--lead",
    "8",
    "--window",
    "5",
    "--margin",
    "2",
    "--settle",
    "2",
    "--timeout",
    "90",
    "--visibility-timeout",
    "6",
    "--skip-static",
    "--no-migrations",
]


def topology_module():
    sys.path.insert(0, str(ROOT / "bench"))
    import topology

    return topology


def check_value(output, label):
    """The value of a row of a printed check table."""
    found = re.search(rf"^\| {re.escape(label)}\s*\|\s*(.*?)\s*\|$", output, re.MULTILINE)
    assert found, f"no row {label!r} in:\n{output}"
    return found[1]


def test_the_topology_serves_the_rush_through_nginx_and_mails_every_letter_once_after_the_workers_sigkill():
    topology = topology_module()
    try:
        topology.nginx_binary()
    except SystemExit as missing:
        pytest.fail(str(missing))
    environment = {key: value for key, value in os.environ.items() if key != "DJANGO_SETTINGS_MODULE"}

    run = subprocess.run(
        [sys.executable, str(ROOT / "bench" / "topology.py"), *SMALL],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        timeout=300,
    )

    output = run.stdout
    print(output)  # the figures, shown with pytest -rP
    assert run.returncode == 0, f"{output}\n{run.stderr[-4000:]}"
    assert (
        check_value(output, "lost submissions (must be 0)"),
        check_value(output, "5xx responses (must be 0)"),
        check_value(output, "receipts mailed exactly once").endswith("(missing 0, duplicates 0)"),
        check_value(output, "letters mailed once after SIGKILL (their one Message-ID)"),
        check_value(output, "processes that stopped (must be none)"),
        output.strip().splitlines()[-1],
    ) == ("0", "0", True, f"{LETTERS} of {LETTERS} (missing 0, another Message-ID 0)", "none", "all checks passed")
    assert 0 < int(check_value(output, "letters mailed before the worker's SIGKILL")) < LETTERS
    raw = int(check_value(output, "letter mails delivered to the mail server (raw)"))
    assert int(check_value(output, "repeated deliveries of one Message-ID (at-least-once, not a failure)")) == (
        raw - LETTERS
    )
    assert len(re.findall(r"^\| requests answered by gunicorn ", output, re.MULTILINE)) == 2


FIGURES = {"mailed before SIGKILL": 1, "SIGKILL after s": 1.0, "all mailed after s": 2.0}


def test_a_letter_delivered_twice_with_its_one_message_id_is_mailed_once_and_counted_as_a_repeat():
    rows, broken = topology_module().letter_rows(
        {"A": ["<a>", "<a>"], "B": ["<b>"]}, {"A": "<a>", "B": "<b>"}, FIGURES, 2
    )

    assert (dict(rows)["letters mailed once after SIGKILL (their one Message-ID)"], broken) == (
        "2 of 2 (missing 0, another Message-ID 0)",
        [],
    )
    assert (
        dict(rows)["letter mails delivered to the mail server (raw)"],
        dict(rows)["repeated deliveries of one Message-ID (at-least-once, not a failure)"],
    ) == (3, 1)


def test_a_letter_with_another_message_id_or_none_is_broken():
    expected = {"A": "<a>", "B": "<b>", "C": "<c>"}

    rows, broken = topology_module().letter_rows({"A": ["<a>", "<a2>"], "B": ["<b>"]}, expected, FIGURES, 3)
    unsent = topology_module().letter_rows({"A": ["<a>"]}, {"A": "<a>", "B": None}, FIGURES, 2)[1]

    assert (broken, unsent) == (
        ["letters: 1 of 3 (missing 1, another Message-ID 1)"],
        ["letters: 1 of 2 (missing 1, another Message-ID 0)"],
    )


def test_a_sigkill_after_the_whole_batch_or_before_any_letter_is_broken():
    letter_rows = topology_module().letter_rows
    deliveries, expected = {"A": ["<a>"], "B": ["<b>"]}, {"A": "<a>", "B": "<b>"}

    assert [
        letter_rows(deliveries, expected, {**FIGURES, "mailed before SIGKILL": before}, 2)[1] for before in (0, 2)
    ] == [
        ["the SIGKILL was not in the middle of the batch: 0 of 2 letters mailed before it"],
        ["the SIGKILL was not in the middle of the batch: 2 of 2 letters mailed before it"],
    ]


def test_the_nginx_site_is_filled_in_completely_and_refuses_what_the_portal_refuses():
    topology = topology_module()
    values = {name: f"<{name}>" for name in re.findall(r"\$\{(MAASLAND_[A-Z0-9_]+)\}", site_text())}
    values["MAASLAND_REQUEST_MAX_SIZE"] = settings.REQUEST_MAX_SIZE

    site = topology.render_site(values)

    assert "${MAASLAND" not in site
    assert re.findall(r"client_max_body_size (\d+);", site) == [str(settings.REQUEST_MAX_SIZE)]
    assert "proxy_set_header X-Forwarded-Proto $scheme;" in site
    assert "proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;" in site
    with pytest.raises(ValueError, match="MAASLAND_LOG_DIR"):
        topology.render_site({name: value for name, value in values.items() if name != "MAASLAND_LOG_DIR"})


def site_text():
    return (ROOT / "deploy" / "nginx" / "maasland.conf").read_text()


def test_the_units_run_from_this_checkout_with_its_python():
    topology = topology_module()
    scripts = Path(sys.executable).parent

    assert topology.unit_command("maasland-gunicorn@.service", instance=8001) == [
        f"{scripts}/gunicorn",
        "--config",
        "deploy/gunicorn.conf.py",
        "--bind",
        "127.0.0.1:8001",
    ]
    assert topology.unit_command("maasland-celery-worker.service")[:4] == [
        f"{scripts}/celery",
        "-A",
        "maasland",
        "worker",
    ]
    assert "worker@%h" in topology.unit_command("maasland-celery-worker.service")


def test_every_setting_of_the_environment_file_is_one_the_portal_or_gunicorn_reads():
    topology = topology_module()
    read = set(re.findall(r"env(?:\.\w+)?\(\s*\"([A-Z_]+)\"", (ROOT / "maasland" / "settings.py").read_text()))
    read |= set(re.findall(r"environ\.get\(\"([A-Z_]+)\"", (ROOT / "deploy" / "gunicorn.conf.py").read_text()))

    assert set(topology.environment_file()) - read == set()


def test_a_killed_workers_lock_on_giving_tasks_back_expires_within_the_visibility_timeout():
    options = settings.CELERY_BROKER_TRANSPORT_OPTIONS

    assert options["unacked_mutex_expire"] <= options["visibility_timeout"]
