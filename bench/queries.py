"""Queries per page at 5, 50 and 500 rows: every list page of the portal and the admin, through Django's test client.

Not a test (the suite asserts 5 against 50 per page): it prints how many queries each list page sends as its rows
grow, so that a page whose count follows the rows stands out. See bench/README.md.

    .venv/bin/python bench/queries.py [--rows 5 --rows 50 --rows 500] [--database sqlite|postgres]

The data live in a throw-away database: a temporary SQLite file, or a PostgreSQL database `bench_queries` created and
dropped. Each step adds candidacies until there are that many: each of its own organisation with the one applicant as
a member, pitched, scored in the written round by a chair and two jurors, with a decision recorded. The "rows shown"
column counts the distinct candidacy references on the page: admin lists show at most one page (100).
"""

import argparse
import datetime
import re
import sys
import tempfile
from pathlib import Path

from maasland.clock import BRUSSELS

sys.path.insert(0, str(Path(__file__).resolve().parent))

import harness

DATABASE = "bench_queries"
SCORED_AT = datetime.datetime(2023, 6, 9, 16, 0, tzinfo=BRUSSELS)
DECIDED_AT = datetime.datetime(2023, 6, 26, 10, 0, tzinfo=BRUSSELS)
REFERENCE = re.compile(r"QRY-2023-\d{4}")


def parse_arguments(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rows", type=int, action="append", help="row counts, ascending (default 5, 50, 500)")
    parser.add_argument("--database", choices=["sqlite", "postgres"], default="sqlite")
    return parser.parse_args(argv)


class Story:
    """The people whose pages are measured, and a way to grow the rows."""

    def __init__(self):
        from django.contrib.auth import get_user_model

        from challenges.models import Call
        from demo.services import ensure_call_manager_group
        from jury.models import JuryMember

        users = get_user_model().objects
        self.call = Call.objects.get(slug="maasland-2023")
        self.applicant = users.create(email="aanvrager@example.org", full_name="Aanvrager", password="!")
        self.manager = users.create(email="beheerder@example.org", full_name="Beheerder", password="!", is_staff=True)
        self.manager.groups.add(ensure_call_manager_group())
        self.chair = JuryMember.objects.create(
            call=self.call,
            user=users.create(email="voorzitter@example.org", full_name="Voorzitter", password="!"),
            role=JuryMember.Role.CHAIR,
        )
        self.jurors = [self.chair] + [
            JuryMember.objects.create(
                call=self.call, user=users.create(email=f"jurylid{number}@example.org", password="!")
            )
            for number in range(2)
        ]
        self.count = 0

    def grow_to(self, count):
        from candidacies.models import Candidacy, Membership, Organisation
        from jury.models import Criterion, Decision, Round, Score, ScoreSheet
        from jury.scoring import store_totals
        from tests.factories import enterprise_number

        numbers = range(self.count, count)
        organisations = Organisation.objects.bulk_create(
            Organisation(
                name=f"Organisatie {number}",
                enterprise_number=enterprise_number(7000 + number),
                street="Kerkstraat 1",
                postal_code="3630",
                city="Maasmechelen",
                contact_name="Contact",
                contact_email="contact@example.org",
            )
            for number in numbers
        )
        Membership.objects.bulk_create(Membership(organisation=item, user=self.applicant) for item in organisations)
        candidacies = Candidacy.objects.bulk_create(
            Candidacy(
                call=self.call,
                organisation=organisation,
                title=f"Project {number}",
                reference=f"QRY-2023-{number:04d}",
                status=Candidacy.Status.PITCHED,
                created_by=self.applicant,
                submitted_at=SCORED_AT,
            )
            for number, organisation in zip(numbers, organisations, strict=True)
        )
        sheets = ScoreSheet.objects.bulk_create(
            ScoreSheet(jury_member=juror, candidacy=candidacy, round=Round.WRITTEN, submitted_at=SCORED_AT)
            for candidacy in candidacies
            for juror in self.jurors
        )
        criteria = list(Criterion.objects.filter(call=self.call, round=Round.WRITTEN))
        Score.objects.bulk_create(
            Score(sheet=sheet, criterion=criterion, value=(sheet.pk * 7 + criterion.pk * 3) % 11)
            for sheet in sheets
            for criterion in criteria
        )
        store_totals(sheets)
        Decision.objects.bulk_create(
            Decision(
                candidacy=candidacy,
                outcome=Decision.Outcome.SELECTED if index % 5 == 0 else Decision.Outcome.NOT_SELECTED,
                motivation="De jury motiveert haar beslissing.",
                recorded_by=self.chair.user,
                recorded_at=DECIDED_AT,
            )
            for index, candidacy in enumerate(candidacies)
        )
        self.count = count

    def pages(self):
        """(page, who, path) for every list page."""
        from django.urls import reverse

        slug = self.call.slug
        return [
            ("my candidacies", self.applicant, reverse("candidacies:candidacy_list")),
            ("jury dashboard", self.jurors[1].user, reverse("jury:dashboard")),
            ("ranking (written)", self.chair.user, reverse("jury:ranking", args=[slug, "written"])),
            ("decisions (chair)", self.chair.user, reverse("jury:decisions", args=[slug])),
            ("admin: candidacies", self.manager, reverse("admin:candidacies_candidacy_changelist")),
            ("admin: decisions", self.manager, reverse("admin:jury_decision_changelist")),
            ("admin: score sheets", self.manager, reverse("admin:jury_scoresheet_changelist")),
            ("admin: organisations", self.manager, reverse("admin:candidacies_organisation_changelist")),
            ("admin: start page", self.manager, reverse("admin:index")),
        ]


def measure(story, counts):
    """{page: [(queries, rows shown) per count]} and the paths, growing the data between the counts."""
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    results = {}
    for count in counts:
        story.grow_to(count)
        for label, user, path in story.pages():
            client = Client()
            client.force_login(user)
            with CaptureQueriesContext(connection) as captured:
                response = client.get(path, secure=True)
            if response.status_code != 200:
                raise SystemExit(f"{label} ({path}) answered {response.status_code} at {count} rows")
            shown = len(set(REFERENCE.findall(response.content.decode())))
            results.setdefault(label, []).append((len(captured.captured_queries), shown))
    return results


def print_results(results, counts, vendor):
    print(f"Queries per page, {vendor}: queries (rows shown) at {', '.join(str(count) for count in counts)} rows")
    rows = []
    for label, cells in results.items():
        queries = [cell[0] for cell in cells]
        rows.append(
            [label, *(f"{number} ({shown})" for number, shown in cells), "yes" if len(set(queries)) == 1 else "NO"]
        )
    harness.print_table(["page", *(f"{count} rows" for count in counts), "constant"], rows)
    return all(row[-1] == "yes" for row in rows)


def main(argv=None):
    arguments = parse_arguments(argv)
    counts = sorted(arguments.rows or [5, 50, 500])
    server = harness.postgres_server_url()
    with tempfile.TemporaryDirectory(prefix="bench-queries-") as workdir:
        if arguments.database == "postgres":
            harness.recreate_database(server, DATABASE)
            database = harness.database_url(server, DATABASE)
        else:
            database = f"sqlite:///{workdir}/bench.sqlite3"
        try:
            environment = harness.portal_environment(database, workdir, ALLOWED_HOSTS="testserver")
            harness.setup_django(environment)
            from django.db import connection

            results = measure(Story(), counts)
            constant = print_results(results, counts, connection.vendor)
            connection.close()
        finally:
            if arguments.database == "postgres":
                harness.recreate_database(server, DATABASE, create=False)
    return 0 if constant else 1


if __name__ == "__main__":
    sys.exit(main())
