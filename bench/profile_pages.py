"""Where one page's time goes: cProfile around Django's test client on the data of bench/throughput.py.

Not a test: it prints the mean time per request and the functions that take most of it. See bench/README.md.

    .venv/bin/python bench/profile_pages.py [--page sheet|candidacy|call|changelist|bare] [--requests 200] [--top 30]

The database `--database` (default `bench_profile_pages`, dropped afterwards) is seeded as throughput.py's
`bench_pages` is, so runs of the two scripts do not share one. Requests run in this process with DEBUG off, after
`--warmup` unmeasured ones that fill the template and URL caches as a long-lived gunicorn worker has them filled.
"""

import argparse
import cProfile
import io
import pstats
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import harness
import throughput

DATABASE = "bench_profile_pages"
PAGES = {"bare": "bare Django view", **throughput.PAGES}


def parse_arguments(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--page", choices=sorted(PAGES), action="append", help="the page (repeatable; default all)")
    parser.add_argument("--requests", type=int, default=200, help="profiled requests per page (default 200)")
    parser.add_argument("--warmup", type=int, default=20, help="unmeasured requests first (default 20)")
    parser.add_argument("--top", type=int, default=30, help="functions printed per list (default 30)")
    parser.add_argument("--rows", type=int, default=50, help="extra submitted candidacies (default 50)")
    parser.add_argument("--database", default=DATABASE, help=f"PostgreSQL database, dropped afterwards ({DATABASE})")
    parser.add_argument("--keep", action="store_true", help="keep the database")
    return parser.parse_args(argv)


def client_for(session_key):
    from django.test import Client

    client = Client(HTTP_HOST=harness.HOST, HTTP_X_FORWARDED_PROTO="https", HTTP_ACCEPT_LANGUAGE="nl-BE")
    if session_key:
        client.cookies["sessionid"] = session_key
    return client


def profile(path, session_key, *, requests, warmup):
    """The mean seconds per request without the profiler, and the profiler's statistics over `requests` more."""
    client = client_for(session_key)
    for _ in range(warmup):
        response = client.get(path)
        if response.status_code != 200:
            raise SystemExit(f"{path} answered {response.status_code}, not 200")
    started = time.perf_counter()
    for _ in range(requests):
        client.get(path)
    mean = (time.perf_counter() - started) / requests
    profiler = cProfile.Profile()
    profiler.enable()
    for _ in range(requests):
        client.get(path)
    profiler.disable()
    return mean, pstats.Stats(profiler)


def print_profile(label, path, mean, stats, *, requests, top):
    print(f"## {label} ({path}): {mean * 1000:.2f} ms per request without the profiler")
    for order in ("tottime", "cumulative"):
        output = io.StringIO()
        stats.stream = output
        stats.sort_stats(order).print_stats(top)
        text = output.getvalue()
        print(f"\n### by {order} (totals over {requests} requests)\n")
        print(text[text.index("   ncalls") :].rstrip() if "   ncalls" in text else text)
    print()


def main(argv=None):
    arguments = parse_arguments(argv)
    wanted = [PAGES[page] for page in arguments.page or PAGES]
    server = harness.postgres_server_url()
    harness.recreate_database(server, arguments.database)
    try:
        with tempfile.TemporaryDirectory(prefix="bench-profile-") as workdir:
            environment = harness.portal_environment(harness.database_url(server, arguments.database), workdir)
            environment["DJANGO_SETTINGS_MODULE"] = "bench_settings"
            harness.setup_django(environment)
            harness.progress("seeding the call …")
            targets = throughput.build(arguments.rows)
            for label, path, session_key in targets:
                if label in wanted:
                    mean, stats = profile(path, session_key, requests=arguments.requests, warmup=arguments.warmup)
                    print_profile(label, path, mean, stats, requests=arguments.requests, top=arguments.top)
            from django.db import connection

            connection.close()
    finally:
        if not arguments.keep:
            harness.recreate_database(server, arguments.database, create=False)
    return 0


if __name__ == "__main__":
    sys.exit(main())
