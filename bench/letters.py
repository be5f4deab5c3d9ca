"""Decision letters: 100 letters through the letter pipeline against bare WeasyPrint on the same HTML.

The pipeline is what `jury.letters.render_letter_pdf` does per letter: load the decision, query the averages and the
rank, render the Django template, print with WeasyPrint. "Bare" prints the same final HTML strings, rendered
beforehand, with `weasyprint.HTML(string=...).write_pdf(...)` and the same options. Issue 5 allows the pipeline at
most 1.5 times the bare time. The data lives in a throw-away SQLite database.

    DJANGO_SETTINGS_MODULE=maasland.settings .venv/bin/python bench/letters.py [--letters 100] [--repeat 1]
"""

import argparse
import datetime
import sys
import tempfile
import time
from pathlib import Path

from maasland.clock import BRUSSELS

ROOT = Path(__file__).resolve().parent.parent
MAX_RATIO = 1.5
SENT_AT = datetime.datetime(2023, 7, 14, 10, 30, tzinfo=BRUSSELS)
SCORED_AT = datetime.datetime(2023, 6, 9, 16, 0, tzinfo=BRUSSELS)
DECIDED_AT = datetime.datetime(2023, 6, 26, 10, 0, tzinfo=BRUSSELS)
MOTIVATION = (
    "Het voorstel sluit aan bij regio-uitdaging {challenge} en beschrijft de doelgroep goed.\n\n"
    "De jury vraagt meer aandacht voor de samenwerking met de lokale besturen en VDAB."
)


def setup_django(workdir):
    """Django on a fresh SQLite file in `workdir`, with the portal's settings as in production (DEBUG off, a random
    SECRET_KEY: bench/harness.py): the environment is set before settings are read."""
    sys.path.insert(0, str(ROOT / "bench"))
    import harness

    harness.setup_django(harness.portal_environment(f"sqlite:///{workdir / 'bench.sqlite3'}", workdir))


def enterprise_number(seed):
    """A valid KBO number: eight digits and their modulo-97 check digits."""
    first_eight = f"0{3_000_000 + seed:07d}"
    return f"{first_eight}{97 - int(first_eight) % 97:02d}"


def create_data(count):
    """A jury of a chair and three members, `count` candidacies with decisions, written scores for all and pitch
    scores for the first fifth; two conflicts so the exclusion rules run."""
    from django.contrib.auth import get_user_model

    from candidacies.models import Candidacy, Organisation
    from challenges.models import Call
    from jury.models import Conflict, Criterion, Decision, JuryMember, Round, Score, ScoreSheet
    from jury.scoring import store_totals

    call = Call.objects.get(slug="maasland-2023")
    call.letters_disclose_scores = True
    call.letters_disclose_rank = True
    call.save()
    user_model = get_user_model()
    users = []
    for index in range(count + 4):
        user = user_model(email=f"bench{index}@example.org", full_name=f"Gebruiker {index}")
        user.set_unusable_password()
        users.append(user)
    users = user_model.objects.bulk_create(users)
    chair, *members = (
        JuryMember.objects.create(call=call, user=user, role=role)
        for user, role in zip(users[:4], [JuryMember.Role.CHAIR] + [JuryMember.Role.MEMBER] * 3, strict=True)
    )
    organisations = Organisation.objects.bulk_create(
        Organisation(
            name=f"Organisatie {index:03d}",
            enterprise_number=enterprise_number(index),
            street=f"Rijksweg {index}",
            postal_code="3630",
            city="Maasmechelen",
            contact_name="Contact",
            contact_email=f"info{index}@example.org",
        )
        for index in range(1, count + 1)
    )
    candidacies = Candidacy.objects.bulk_create(
        Candidacy(
            call=call,
            organisation=organisation,
            status=Candidacy.Status.PITCHED if index <= count // 5 else Candidacy.Status.SUBMITTED,
            reference=f"MAAS-2023-{index:03d}",
            title=f"Samen naar werk in Maasland {index}",
            created_by=user,
            submitted_at=SCORED_AT,
        )
        for index, (organisation, user) in enumerate(zip(organisations, users[4:], strict=True), start=1)
    )
    Decision.objects.bulk_create(
        Decision(
            candidacy=candidacy,
            outcome=Decision.Outcome.SELECTED if index % 7 == 0 else Decision.Outcome.NOT_SELECTED,
            motivation=MOTIVATION.format(challenge=index % 4 + 1),
            recorded_by=chair.user,
            recorded_at=DECIDED_AT,
        )
        for index, candidacy in enumerate(candidacies, start=1)
    )
    criteria = {round: list(Criterion.objects.filter(call=call, round=round)) for round in Round.values}
    sheets = ScoreSheet.objects.bulk_create(
        ScoreSheet(jury_member=member, candidacy=candidacy, round=round, submitted_at=SCORED_AT)
        for index, candidacy in enumerate(candidacies)
        for member in members
        for round in ([Round.WRITTEN, Round.PITCH] if index < count // 5 else [Round.WRITTEN])
    )
    Score.objects.bulk_create(
        Score(sheet=sheet, criterion=criterion, value=(sheet.candidacy.pk * 7 + position * 3 + sheet.pk) % 11)
        for sheet in sheets
        for position, criterion in enumerate(criteria[sheet.round])
    )
    store_totals(sheets)
    Conflict.objects.create(
        jury_member=members[0], candidacy=candidacies[0], source=Conflict.Source.DECLARED, created_by=members[0].user
    )
    members[1].enterprise_numbers = organisations[1].enterprise_number
    members[1].save()


def timed(render, item):
    """Wall-clock and CPU seconds of this process: on a shared machine the CPU time is the steadier figure."""
    started, started_cpu = time.perf_counter(), time.process_time()
    render(item)
    return time.perf_counter() - started, time.process_time() - started_cpu


def time_interleaved(pipeline, bare, pairs):
    """Each letter both ways, one after the other, the first alternating: a change in the machine's load then
    weighs on both sides alike."""
    totals = {"pipeline": [0.0, 0.0], "bare": [0.0, 0.0]}
    for index, (pk, prepared) in enumerate(pairs):
        runs = [("pipeline", pipeline, pk), ("bare", bare, prepared)]
        for name, render, item in runs if index % 2 == 0 else reversed(runs):
            seconds, cpu_seconds = timed(render, item)
            totals[name][0] += seconds
            totals[name][1] += cpu_seconds
    return tuple(totals["pipeline"]), tuple(totals["bare"])


def measure(repeat=1):
    """Times the letters of every decision in the database both ways; returns the count, the (wall, CPU) seconds of
    the pipeline and of bare WeasyPrint (the fastest of `repeat` runs each)."""
    from django.conf import settings
    from weasyprint import HTML
    from weasyprint.urls import URLFetcher

    from jury import letters
    from jury.models import Decision

    pks = list(Decision.objects.order_by("candidacy__reference").values_list("pk", flat=True))

    def pipeline(pk):
        decision = Decision.objects.select_related("candidacy__call", "candidacy__organisation").get(pk=pk)
        return letters.render_letter_pdf(decision, sent_at=SENT_AT)

    prepared = [
        (letters.render_letter_html(decision, sent_at=SENT_AT), decision.candidacy.reference)
        for decision in Decision.objects.select_related("candidacy").order_by("candidacy__reference")
    ]

    def bare(item):
        html, reference = item
        document = HTML(
            string=html, base_url=str(settings.BASE_DIR), url_fetcher=URLFetcher(allowed_protocols={"data"})
        )
        return document.write_pdf(pdf_identifier=reference.encode(), **letters.PDF_OPTIONS)

    if pipeline(pks[0]) != bare(prepared[0]):
        print("note: the pipeline's PDF and the bare PDF of the first letter differ", file=sys.stderr)

    pipeline_seconds, bare_seconds = [], []
    for _ in range(repeat):
        pipeline_run, bare_run = time_interleaved(pipeline, bare, list(zip(pks, prepared, strict=True)))
        pipeline_seconds.append(pipeline_run)
        bare_seconds.append(bare_run)
    return len(pks), min(pipeline_seconds), min(bare_seconds)


def print_results(count, pipeline, bare):
    """A Markdown table of letters per second, wall-clock and CPU, and the verdict on the ratio; returns it ok."""
    sys.path.insert(0, str(ROOT / "bench"))
    import harness

    rows = [
        [label, count, f"{seconds:.2f}", f"{count / seconds:.2f}", f"{cpu_seconds:.2f}", f"{count / cpu_seconds:.2f}"]
        for label, (seconds, cpu_seconds) in [("letter pipeline", pipeline), ("bare WeasyPrint", bare)]
    ]
    print("Decision letters (PDF), one process, SQLite")
    harness.print_table(["", "letters", "seconds", "letters/s", "CPU s", "letters/CPU s"], rows)
    ratio, cpu_ratio = pipeline[0] / bare[0], pipeline[1] / bare[1]
    verdict = "ok" if ratio <= MAX_RATIO else "TOO SLOW"
    print(f"pipeline / bare: {ratio:.2f}x wall-clock, {cpu_ratio:.2f}x CPU (at most {MAX_RATIO}x allowed: {verdict})")
    return ratio <= MAX_RATIO


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--letters", type=int, default=100, help="number of letters (default 100)")
    parser.add_argument("--repeat", type=int, default=1, help="runs; the fastest of each side counts (default 1)")
    arguments = parser.parse_args()

    with tempfile.TemporaryDirectory(prefix="maasland-bench-letters-") as workdir:
        setup_django(Path(workdir))
        create_data(arguments.letters)
        count, pipeline, bare = measure(arguments.repeat)
    return 0 if print_results(count, pipeline, bare) else 1


if __name__ == "__main__":
    sys.exit(main())
