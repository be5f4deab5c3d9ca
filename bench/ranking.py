"""Benchmark of the ranking: 1,000 candidacies × 15 jurors × 8 criteria of submitted scores, ranked N times.

Not a test: it prints how long `jury.ranking.rank` takes and how many queries it sends, on a throw-away database
(a temporary SQLite file, or a `bench_ranking` PostgreSQL database it creates and drops). See bench/README.md.

    DJANGO_SETTINGS_MODULE=maasland.settings .venv/bin/python bench/ranking.py --database sqlite --database postgres
"""

import argparse
import json
import os
import random
import secrets
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
DEFAULT_POSTGRES_URL = "postgres://postgres@127.0.0.1:5432/postgres"
BENCH_DATABASE = "bench_ranking"


def parse_arguments(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--database",
        action="append",
        choices=["sqlite", "postgres"],
        help="database to benchmark; repeat for both (default: sqlite)",
    )
    parser.add_argument("--candidacies", type=int, default=1000)
    parser.add_argument("--jurors", type=int, default=15)
    parser.add_argument("--criteria", type=int, default=8)
    parser.add_argument("--runs", type=int, default=5, help="timed runs; the median is printed (default: 5)")
    parser.add_argument(
        "--postgres-url",
        default=os.environ.get("BENCH_POSTGRES_URL", DEFAULT_POSTGRES_URL),
        help="server to create the bench_ranking database on (default: $BENCH_POSTGRES_URL or %(default)s)",
    )
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    return parser.parse_args(argv)


# The parent: one child process per database, since Django is set up once per process.


def run_children(arguments):
    results = []
    for database in arguments.database or ["sqlite"]:
        command = [sys.executable, __file__, "--child", "--database", database]
        command += ["--candidacies", str(arguments.candidacies), "--jurors", str(arguments.jurors)]
        command += ["--criteria", str(arguments.criteria), "--runs", str(arguments.runs)]
        command += ["--postgres-url", arguments.postgres_url]
        print(
            f"{database}: building {arguments.candidacies} candidacies × {arguments.jurors} jurors × "
            f"{arguments.criteria} criteria …",
            file=sys.stderr,
        )
        completed = subprocess.run(command, cwd=BASE_DIR, capture_output=True, text=True, check=False)
        if completed.returncode:
            sys.stderr.write(completed.stdout + completed.stderr)
            raise SystemExit(f"{database}: the benchmark failed")
        results.append(json.loads(completed.stdout.strip().splitlines()[-1]))
    print_table(results)


def print_table(results):
    columns = [
        ("database", "database", "{}"),
        ("candidacies", "candidacies", "{:,}"),
        ("jurors", "jurors", "{}"),
        ("criteria", "criteria", "{}"),
        ("score rows", "scores", "{:,}"),
        ("ranked rows", "ranked_rows", "{:,}"),
        ("queries", "queries", "{}"),
        ("median s", "median_seconds", "{:.3f}"),
        ("in database s", "median_database_seconds", "{:.3f}"),
        ("runs", "runs", "{}"),
        ("build s", "build_seconds", "{:.1f}"),
    ]
    cells = [[template.format(result[key]) for _title, key, template in columns] for result in results]
    widths = [max(len(title), *(len(row[index]) for row in cells)) for index, (title, _k, _t) in enumerate(columns)]
    print(" | ".join(title.rjust(width) for (title, _k, _t), width in zip(columns, widths, strict=True)))
    print("-+-".join("-" * width for width in widths))
    for row in cells:
        print(" | ".join(cell.rjust(width) for cell, width in zip(row, widths, strict=True)))


# The child: a throw-away database, the data in bulk, the timed runs, one line of JSON on stdout.


def postgres_url(server_url, database):
    return server_url.rsplit("/", 1)[0] + "/" + database


def recreate_postgres_database(server_url, *, create):
    import psycopg

    with psycopg.connect(postgres_to_libpq(server_url), autocommit=True) as connection:
        connection.execute(f"DROP DATABASE IF EXISTS {BENCH_DATABASE} WITH (FORCE)")
        if create:
            connection.execute(f"CREATE DATABASE {BENCH_DATABASE}")


def postgres_to_libpq(url):
    return url.replace("postgres://", "postgresql://", 1)


def run_child(arguments):
    os.environ["DJANGO_SETTINGS_MODULE"] = "maasland.settings"
    os.environ["DEBUG"] = "false"
    os.environ["SECRET_KEY"] = secrets.token_urlsafe(50)
    os.environ["ALLOWED_HOSTS"] = "localhost"
    temporary = None
    (arguments.database,) = arguments.database
    if arguments.database == "sqlite":
        temporary = tempfile.TemporaryDirectory(prefix="bench-ranking-")
        os.environ["DATABASE_URL"] = f"sqlite:///{temporary.name}/bench.sqlite3"
    else:
        recreate_postgres_database(arguments.postgres_url, create=True)
        os.environ["DATABASE_URL"] = postgres_url(arguments.postgres_url, BENCH_DATABASE)
    sys.path.insert(0, str(BASE_DIR))
    import django

    django.setup()
    from django.db import connection

    try:
        result = benchmark(arguments)
    finally:
        connection.close()
        if temporary is not None:
            temporary.cleanup()
        else:
            recreate_postgres_database(arguments.postgres_url, create=False)
    print(json.dumps(result))


class NoMigrations:
    """MIGRATION_MODULES for "no app has migrations": migrate --run-syncdb then creates every table from the models."""

    def __contains__(self, app_label):
        return True

    def __getitem__(self, app_label):
        return None


def build(arguments):
    """The Maasland call from its fixture with its own criteria, jurors and submitted sheets, in bulk inserts."""
    from django.conf import settings
    from django.contrib.auth import get_user_model
    from django.core.management import call_command
    from django.utils import timezone

    from candidacies.models import Candidacy, Membership, Organisation
    from challenges.models import Call
    from jury.models import Conflict, Criterion, JuryMember, Round, Score, ScoreSheet
    from jury.scoring import store_totals
    from tests.factories import enterprise_number

    # The tables straight from the models, as the test suite builds them: the migrations' history is not what is
    # measured, and replaying it costs more than the rest of a small run.
    settings.MIGRATION_MODULES = NoMigrations()
    call_command("migrate", run_syncdb=True, verbosity=0, interactive=False)
    call_command("loaddata", "maasland", verbosity=0)
    call = Call.objects.get(slug="maasland-2023")
    random.seed(2023)
    Criterion.objects.filter(call=call, round=Round.WRITTEN).delete()
    criteria = Criterion.objects.bulk_create(
        [
            Criterion(
                call=call,
                round=Round.WRITTEN,
                position=position,
                name=f"Criterium {position}",
                weight=random.choice([10, 15, 20, 25]),
                scale_min=random.choice([0, 1]),
                scale_max=random.choice([5, 10, 20]),
            )
            for position in range(1, arguments.criteria + 1)
        ]
    )
    users = get_user_model().objects.bulk_create(
        [
            get_user_model()(email=f"jurylid{number}@example.org", full_name=f"Jurylid {number}", password="!")
            for number in range(arguments.jurors + 1)
        ]
    )
    creator, juror_users = users[0], users[1:]
    jurors = JuryMember.objects.bulk_create(
        [
            JuryMember(call=call, user=user, role=JuryMember.Role.CHAIR if index == 0 else JuryMember.Role.MEMBER)
            for index, user in enumerate(juror_users)
        ]
    )
    organisations = Organisation.objects.bulk_create(
        [
            Organisation(
                name=f"Organisatie {number}",
                enterprise_number=enterprise_number(number),
                street="Kerkstraat 1",
                postal_code="3630",
                city="Maasmechelen",
                contact_name="Contact",
                contact_email="contact@example.org",
            )
            for number in range(arguments.candidacies)
        ],
        batch_size=1000,
    )
    candidacies = Candidacy.objects.bulk_create(
        [
            Candidacy(
                call=call,
                organisation=organisation,
                title=f"Project {number}",
                reference=f"MAAS-2023-{number:04d}",
                status=Candidacy.Status.SUBMITTED,
                created_by=creator,
            )
            for number, organisation in enumerate(organisations)
        ],
        batch_size=1000,
    )
    submitted_at = timezone.now()
    sheets = ScoreSheet.objects.bulk_create(
        [
            ScoreSheet(jury_member=juror, candidacy=candidacy, round=Round.WRITTEN, submitted_at=submitted_at)
            for candidacy in candidacies
            for juror in jurors
        ],
        batch_size=2000,
    )
    # Each juror has a leniency of their own, so that the z-scores have something to correct.
    leniency = {juror.pk: random.uniform(-0.25, 0.25) for juror in jurors}
    quality = {candidacy.pk: random.random() for candidacy in candidacies}

    def value(sheet, criterion):
        share = min(max(quality[sheet.candidacy_id] + leniency[sheet.jury_member_id] + random.gauss(0, 0.1), 0), 1)
        return criterion.scale_min + round(share * (criterion.scale_max - criterion.scale_min))

    Score.objects.bulk_create(
        [
            Score(sheet=sheet, criterion=criterion, value=value(sheet, criterion))
            for sheet in sheets
            for criterion in criteria
        ],
        batch_size=5000,
    )
    store_totals(sheets)
    # Every organisation has a member; the chair is also a member of three, and a juror's profile names the KBO
    # numbers of two: the automatic conflicts. One declared conflict in a hundred pairs on top.
    applicants = get_user_model().objects.bulk_create(
        [
            get_user_model()(email=f"aanvrager{number}@example.org", password="!")
            for number in range(len(organisations))
        ],
        batch_size=1000,
    )
    Membership.objects.bulk_create(
        [
            Membership(organisation=organisation, user=user)
            for organisation, user in zip(organisations, applicants, strict=True)
        ]
        + [Membership(organisation=organisation, user=jurors[0].user) for organisation in organisations[:3]],
        batch_size=1000,
    )
    jurors[1].enterprise_numbers = "\n".join(organisation.enterprise_number for organisation in organisations[3:5])
    jurors[1].save()
    Conflict.objects.bulk_create(
        [
            Conflict(jury_member=sheet.jury_member, candidacy=sheet.candidacy, source="declared", created_by=creator)
            for sheet in random.sample(sheets, len(sheets) // 100)
        ]
    )
    return call


def benchmark(arguments):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from jury import ranking
    from jury.models import Round, Score

    started = time.perf_counter()
    call = build(arguments)
    build_seconds = time.perf_counter() - started
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    seconds, database_seconds, queries = [], [], set()
    result = ranking.rank(call, Round.WRITTEN)  # a warm-up run, not counted
    for _run in range(arguments.runs):
        with CaptureQueriesContext(connection) as captured:
            started = time.perf_counter()
            result = ranking.rank(call, Round.WRITTEN)
            seconds.append(time.perf_counter() - started)
        queries.add(len(captured.captured_queries))
        database_seconds.append(sum(float(query["time"]) for query in captured.captured_queries))
    return {
        "database": connection.vendor,
        "candidacies": arguments.candidacies,
        "jurors": arguments.jurors,
        "criteria": arguments.criteria,
        "scores": Score.objects.count(),
        "ranked_rows": len(result.rows),
        "queries": "/".join(str(count) for count in sorted(queries)),
        "median_seconds": statistics.median(seconds),
        "median_database_seconds": statistics.median(database_seconds),
        "runs": arguments.runs,
        "build_seconds": build_seconds,
    }


if __name__ == "__main__":
    parsed = parse_arguments()
    if parsed.child:
        run_child(parsed)
    else:
        run_children(parsed)
