"""Where a page of bench/throughput.py spends its time: the page served in this process by Django's test client on the
throughput bench's data (PostgreSQL, DEBUG off, the real middleware), under cProfile. Not a test: it prints the top
functions by own time and by cumulative time.

    .venv/bin/python bench/profile_page.py [--page admin] [--requests 200] [--rows 50] [--top 30]
"""

import argparse
import cProfile
import pstats
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import harness
import throughput

DATABASE = "bench_profile"
PAGES = {
    "bare": "bare Django view",
    "call": "call page",
    "candidacy": "applicant's candidacy page",
    "score-sheet": "juror's score sheet",
    "admin": "admin candidacy changelist",
}


def parse_arguments(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--page", choices=sorted(PAGES), default="admin")
    parser.add_argument("--requests", type=int, default=200, help="requests profiled (default 200)")
    parser.add_argument("--rows", type=int, default=50, help="extra submitted candidacies (default 50)")
    parser.add_argument("--top", type=int, default=30, help="functions listed per table (default 30)")
    parser.add_argument("--output", help="also write the profile to this file (for pstats or snakeviz)")
    parser.add_argument("--database", default=DATABASE, help=f"PostgreSQL database, dropped afterwards ({DATABASE})")
    return parser.parse_args(argv)


def profile(path, session_key, requests):
    """`requests` GETs of `path` after two warm-up ones; the profile and the milliseconds per request."""
    from django.conf import settings
    from django.test import Client

    client = Client(HTTP_X_FORWARDED_PROTO="https", SERVER_NAME=harness.HOST)
    if session_key:
        client.cookies[settings.SESSION_COOKIE_NAME] = session_key
    for _warm_up in range(2):
        status = client.get(path).status_code
        if status != 200:
            raise SystemExit(f"{path} answered {status}, not 200")
    profiler = cProfile.Profile()
    started = time.perf_counter()
    profiler.enable()
    for _request in range(requests):
        client.get(path)
    profiler.disable()
    return profiler, (time.perf_counter() - started) * 1000 / requests


def main(argv=None):
    arguments = parse_arguments(argv)
    server = harness.postgres_server_url()
    harness.recreate_database(server, arguments.database)
    try:
        with tempfile.TemporaryDirectory(prefix="bench-profile-") as workdir:
            environment = harness.portal_environment(harness.database_url(server, arguments.database), workdir)
            environment["DJANGO_SETTINGS_MODULE"] = "bench_settings"
            harness.setup_django(environment)
            targets = {label: (path, session) for label, path, session in throughput.build(arguments.rows)}
            path, session_key = targets[PAGES[arguments.page]]
            profiler, milliseconds = profile(path, session_key, arguments.requests)
            print(f"{PAGES[arguments.page]} ({path}): {milliseconds:.1f} ms per request under cProfile")
            if arguments.output:
                profiler.dump_stats(arguments.output)
            statistics = pstats.Stats(profiler).strip_dirs()
            statistics.sort_stats("tottime").print_stats(arguments.top)
            statistics.sort_stats("cumulative").print_stats(arguments.top)
            from django.db import connection

            connection.close()
    finally:
        harness.recreate_database(server, arguments.database, create=False)


if __name__ == "__main__":
    main()
