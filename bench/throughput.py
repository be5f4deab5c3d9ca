"""Throughput of four portal pages against a bare Django view, served by one gunicorn on PostgreSQL, measured with wrk.

Not a test: it prints requests per second, latency p50/p99 and the ratio page / bare view. See bench/README.md.

    .venv/bin/python bench/throughput.py [--workers 4] [--connections 8] [--duration 10] [--rounds 1] [--rows 50]
        [--only "call page"] [--database bench_pages]

The database `bench_pages` (dropped afterwards) holds the Maasland call seeded with a candidacy in every status,
jurors, scores, decisions and letters (tests/seeded.py), plus `--rows` submitted candidacies so that the lists have
rows. The bare view (bench/bare_urls.py) sits behind the same middleware in the same gunicorn; its URLconf is used
only here, through bench/bench_settings.py. Logged-in pages get the session cookie of a session made in the setup.
With several `--rounds`, the targets take turns and each one's best round counts. `--only` (repeatable) measures the
bare view and the pages whose name holds the text; by default every page. Runs side by side each need their own
`--database`.
"""

import argparse
import re
import subprocess
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import harness

DATABASE = "bench_pages"
UNITS = {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60000.0}


def parse_arguments(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--workers", type=int, default=4, help="gunicorn sync workers (default 4)")
    parser.add_argument("--connections", type=int, default=8, help="wrk connections (default 8)")
    parser.add_argument("--threads", type=int, default=2, help="wrk threads (default 2)")
    parser.add_argument("--duration", type=int, default=10, help="seconds per target and round (default 10)")
    parser.add_argument("--rounds", type=int, default=1)
    parser.add_argument("--rows", type=int, default=50, help="extra submitted candidacies (default 50)")
    parser.add_argument("--keep", action="store_true", help="keep the database")
    parser.add_argument("--database", default=DATABASE, help=f"the throw-away database (default {DATABASE})")
    parser.add_argument(
        "--only",
        action="append",
        default=[],
        metavar="TEXT",
        help="only the pages whose name holds TEXT (and the bare view)",
    )
    return parser.parse_args(argv)


def build(rows):
    """The seeded Maasland call, `rows` more submitted candidacies, and a session for each role that is measured."""
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.sessions.backends.db import SessionStore
    from django.urls import reverse

    from accounts import two_factor
    from candidacies.models import Candidacy, Membership, Organisation
    from challenges.models import Call
    from jury.models import Round
    from tests import factories
    from tests.factories import pass_second_factor
    from tests.seeded import seed_call

    call = Call.objects.get(slug="maasland-2023")
    seeded = seed_call(call)
    organisations = Organisation.objects.bulk_create(
        Organisation(
            name=f"Bench-organisatie {number}",
            enterprise_number=factories.enterprise_number(5000 + number),
            street="Rijksweg 1",
            postal_code="3630",
            city="Maasmechelen",
            contact_name="Contact",
            contact_email="contact@example.org",
        )
        for number in range(rows)
    )
    Membership.objects.bulk_create(
        Membership(organisation=organisation, user=seeded.applicant_a) for organisation in organisations
    )
    Candidacy.objects.bulk_create(
        Candidacy(
            call=call,
            organisation=organisation,
            title=f"Project {number}",
            reference=f"BENCH-2023-{number:04d}",
            status=Candidacy.Status.SUBMITTED,
            created_by=seeded.applicant_a,
            submitted_at=call.deadline,
        )
        for number, organisation in enumerate(organisations)
    )

    def session_of(user):
        session = SessionStore()
        session[SESSION_KEY] = str(user.pk)
        session[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
        session[HASH_SESSION_KEY] = user.get_session_auth_hash()
        if two_factor.is_required(user):  # staff open no page before the second factor (accounts/two_factor.py)
            pass_second_factor(session, user)
        session.create()
        return session.session_key

    candidacy = seeded.candidacy_a
    return [
        ("bare Django view", "/bench-bare/", None),
        ("call page", call.get_absolute_url(), None),
        ("applicant's candidacy page", candidacy.get_absolute_url(), session_of(seeded.applicant_a)),
        (
            "juror's score sheet",
            reverse("jury:score_sheet", kwargs={"pk": candidacy.pk, "round": Round.WRITTEN.value}),
            session_of(seeded.juror.user),
        ),
        ("admin candidacy changelist", reverse("admin:candidacies_candidacy_changelist"), session_of(seeded.manager)),
    ]


def chosen(targets, only):
    """The bare view (the yardstick, first) and the pages whose name holds one of the texts of `only`, or all."""
    bare, *pages = targets
    return [bare, *(page for page in pages if not only or any(text in page[0] for text in only))]


def milliseconds(text):
    number, unit = re.fullmatch(r"([\d.]+)(us|ms|s|m)", text).groups()
    return float(number) * UNITS[unit]


def run_wrk(port, path, session_key, arguments):
    command = ["wrk", f"-t{arguments.threads}", f"-c{arguments.connections}", f"-d{arguments.duration}s", "--latency"]
    command += ["--timeout", "60s"]
    command += ["-H", f"Host: {harness.HOST}:{port}", "-H", "X-Forwarded-Proto: https"]
    if session_key:
        command += ["-H", f"Cookie: sessionid={session_key}"]
    command.append(f"http://{harness.HOST}:{port}{path}")
    output = subprocess.run(command, capture_output=True, text=True, check=True).stdout
    latency = dict(re.findall(r"^\s+(50|99)%\s+(\S+)\s*$", output, re.MULTILINE))
    if set(latency) != {"50", "99"}:
        raise SystemExit(f"wrk gave no latency distribution for {path}:\n{output}")
    non_ok = re.search(r"Non-2xx or 3xx responses: (\d+)", output)
    errors = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", output)
    return {
        "requests_per_second": float(re.search(r"Requests/sec:\s+([\d.]+)", output)[1]),
        "p50": milliseconds(latency["50"]),
        "p99": milliseconds(latency["99"]),
        "requests": int(re.search(r"(\d+) requests in", output)[1]),
        "non_ok": int(non_ok[1]) if non_ok else 0,
        "socket_errors": sum(int(value) for value in errors.groups()) if errors else 0,
    }


def measure(port, targets, arguments):
    """Each target `rounds` times, taking turns; the round with the most requests per second counts."""
    best = {}
    for _round in range(arguments.rounds):
        for label, path, session_key in targets:
            result = run_wrk(port, path, session_key, arguments)
            if label not in best or result["requests_per_second"] > best[label]["requests_per_second"]:
                best[label] = result
    return best


def check_targets(port, targets):
    """Every target answers 200 to one request, or the figures would measure an error page."""
    for label, path, session_key in targets:
        client = harness.Client(port, cookies={"sessionid": session_key} if session_key else {})
        response = client.get(path)
        if response.status != 200:
            raise SystemExit(f"{label} ({path}) answered {response.status}, not 200")


def print_results(best, targets, arguments):
    bare = best[targets[0][0]]["requests_per_second"]
    rows = [
        [
            label,
            path,
            f"{best[label]['requests_per_second']:.1f}",
            f"{best[label]['p50']:.1f}",
            f"{best[label]['p99']:.1f}",
            f"{best[label]['requests_per_second'] / bare:.3f}",
            best[label]["non_ok"] + best[label]["socket_errors"],
        ]
        for label, path, _session in targets
    ]
    print(
        f"Throughput: gunicorn {arguments.workers} sync workers, PostgreSQL, wrk -t{arguments.threads} "
        f"-c{arguments.connections} -d{arguments.duration}s, best of {arguments.rounds} round(s)"
    )
    harness.print_table(["page", "path", "req/s", "p50 ms", "p99 ms", "ratio to bare", "errors"], rows)


def main(argv=None):
    arguments = parse_arguments(argv)
    server = harness.postgres_server_url()
    harness.recreate_database(server, arguments.database)
    try:
        with tempfile.TemporaryDirectory(prefix="bench-pages-") as workdir:
            environment = harness.portal_environment(harness.database_url(server, arguments.database), workdir)
            harness.setup_django(environment)
            print("seeding the call …", file=sys.stderr)
            targets = chosen(build(arguments.rows), arguments.only)
            from django.db import connection

            connection.close()
            log = Path(workdir) / "gunicorn.log"
            with harness.Gunicorn(
                environment, workers=arguments.workers, log_path=log, settings_module="bench_settings"
            ) as gunicorn:
                check_targets(gunicorn.port, targets)
                best = measure(gunicorn.port, targets, arguments)
                server_errors = gunicorn.server_errors_logged()
            print_results(best, targets, arguments)
            if server_errors:
                print(log.read_text(errors="replace")[-4000:], file=sys.stderr)
    finally:
        if not arguments.keep:
            harness.recreate_database(server, arguments.database, create=False)
    return 1 if server_errors else 0


if __name__ == "__main__":
    sys.exit(main())
