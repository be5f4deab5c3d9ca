"""The decision report: time to print the report of the seeded call (tests/seeded.py: the real 2023 call with a
candidacy in every status, a jury, scores of both rounds, decisions and a weerwoord) with `jury.report`. The data
lives in a throw-away SQLite database.

    DJANGO_SETTINGS_MODULE=maasland.settings .venv/bin/python bench/report.py [--repeat 5]
"""

import argparse
import datetime
import io
import sys
import tempfile
import time
from pathlib import Path
from zoneinfo import ZoneInfo

ROOT = Path(__file__).resolve().parent.parent
REPORT_AT = datetime.datetime(2023, 7, 20, 10, 0, tzinfo=ZoneInfo("Europe/Brussels"))


def setup_django(workdir):
    """Django on a fresh SQLite file in `workdir` with the portal's production settings (bench/harness.py); the
    report needs no static files."""
    sys.path.insert(0, str(ROOT / "bench"))
    import harness

    harness.setup_django(
        harness.portal_environment(f"sqlite:///{workdir / 'bench.sqlite3'}", workdir), collect_static=False
    )


def create_data():
    from challenges.models import Call
    from tests.seeded import seed_call

    return seed_call(Call.objects.get(slug="maasland-2023")).call


def timed(render):
    """Wall-clock and CPU seconds of this process: on a shared machine the CPU time is the steadier figure."""
    started, started_cpu = time.perf_counter(), time.process_time()
    result = render()
    return result, (time.perf_counter() - started, time.process_time() - started_cpu)


def measure(call, repeat=1):
    """The fastest of `repeat` prints, as (wall, CPU) seconds for the HTML alone and for the PDF (HTML included),
    and the PDF's pages and bytes."""
    from pypdf import PdfReader

    from jury import report

    html_runs, pdf_runs = [], []
    for _ in range(repeat):
        html_runs.append(timed(lambda: report.render_report_html(call, at=REPORT_AT))[1])
        pdf, seconds = timed(lambda: report.render_report_pdf(call, at=REPORT_AT))
        pdf_runs.append(seconds)
    return min(html_runs), min(pdf_runs), len(PdfReader(io.BytesIO(pdf)).pages), len(pdf)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=5, help="prints; the fastest counts (default 5)")
    arguments = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="maasland-bench-report-") as workdir:
        setup_django(Path(workdir))
        html_seconds, pdf_seconds, pages, size = measure(create_data(), arguments.repeat)
    sys.path.insert(0, str(ROOT / "bench"))
    import harness

    print("Decision report of the seeded call (PDF), one process, SQLite")
    harness.print_table(
        ["", "seconds", "CPU s", "pages", "bytes"],
        [
            ["HTML only", f"{html_seconds[0]:.2f}", f"{html_seconds[1]:.2f}", "", ""],
            ["HTML and PDF", f"{pdf_seconds[0]:.2f}", f"{pdf_seconds[1]:.2f}", pages, size],
        ],
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
