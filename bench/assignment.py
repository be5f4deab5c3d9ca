"""Jury assignment for large calls: time for `jury.assigning.distribute` (each candidacy its jurors without a
conflict, the load balanced) on 60 candidacies × 9 jurors with 10 conflicts and 600 × 30 with 100, built with
tests/factories.py's `large_call` in a throw-away SQLite database. Each size is built and rolled back on its own.

    DJANGO_SETTINGS_MODULE=maasland.settings .venv/bin/python bench/assignment.py [--repeat 3]
"""

import argparse
import collections
import datetime
import sys
import tempfile
import time
from pathlib import Path
from zoneinfo import ZoneInfo

ROOT = Path(__file__).resolve().parent.parent
WRITTEN_ROUND = datetime.datetime(2023, 6, 7, 10, 0, tzinfo=ZoneInfo("Europe/Brussels"))
SIZES = [(60, 9, 10), (600, 30, 100)]


def setup_django(workdir):
    sys.path.insert(0, str(ROOT / "bench"))
    import harness

    harness.setup_django(
        harness.portal_environment(f"sqlite:///{workdir / 'bench.sqlite3'}", workdir), collect_static=False
    )


class Rollback(Exception):
    pass


def measure(call, candidacies, jurors, conflicts, repeat=1):
    """The fastest of `repeat` distributions (each on freshly built data, rolled back), as (wall, CPU) seconds, with
    the fewest jurors a candidacy got and the highest load against the average."""
    from django.db import transaction

    from challenges.models import Call
    from jury import assigning
    from jury.models import Assignment
    from jury.roles import ensure_call_manager_group
    from tests import factories

    runs, figures = [], None
    for _ in range(repeat):
        try:
            with transaction.atomic():
                manager = factories.user(full_name="Liesbet Adams", is_staff=True)
                manager.groups.add(ensure_call_manager_group())
                Call.objects.filter(pk=call.pk).update(jury_assignment=Call.JuryAssignment.ASSIGNED)
                call.refresh_from_db()
                factories.large_call(call, candidacies=candidacies, jurors=jurors, conflicts=conflicts, by=manager)
                started, started_cpu = time.perf_counter(), time.process_time()
                assigning.distribute(call, by=manager, at=WRITTEN_ROUND)
                runs.append((time.perf_counter() - started, time.process_time() - started_cpu))
                pairs = list(Assignment.objects.filter(jury_member__call=call).values_list("candidacy", "jury_member"))
                per_candidacy = collections.Counter(candidacy for candidacy, _juror in pairs)
                load = collections.Counter(juror for _candidacy, juror in pairs)
                figures = (min(per_candidacy.values()), max(load.values()), len(pairs) / jurors)
                raise Rollback
        except Rollback:
            pass
    return min(runs), figures


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3, help="distributions per size; the fastest counts")
    arguments = parser.parse_args()
    rows = []
    with tempfile.TemporaryDirectory(prefix="maasland-bench-assignment-") as workdir:
        setup_django(Path(workdir))
        from challenges.models import Call

        call = Call.objects.get(slug="maasland-2023")
        for candidacies, jurors, conflicts in SIZES:
            (wall, cpu), (fewest, highest, average) = measure(call, candidacies, jurors, conflicts, arguments.repeat)
            rows.append(
                [
                    f"{candidacies} × {jurors}",
                    conflicts,
                    f"{wall:.3f}",
                    f"{cpu:.3f}",
                    fewest,
                    f"{highest} / {average:.1f}",
                ]
            )
    import harness

    print("Jury assignment (jury.assigning.distribute, 3 jurors per candidacy), one process, SQLite")
    harness.print_table(
        ["candidacies × jurors", "conflicts", "seconds", "CPU s", "fewest jurors", "highest load / average"], rows
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
