"""Hostile files: how long the upload check takes on each, and how much memory it needs.

Each file of `tests/hostile_files.py` (the zip bomb of 1 GiB declared as 1 byte, the renamed macros, the external
template, the file:// image, the encrypted and the corrupt ODT, the PDFs with JavaScript, an OpenAction, a Launch
action and an embedded file), and four that cost time rather than do harm (25 million XML elements, 60,000 parts, a
PDF of 20,000 objects, a PDF followed by 9 million empty lines), is built in memory and checked by
`candidacies.files.check_document`, the function behind the candidacy and weerwoord uploads, with the portal's
settings (a 100 MB unpacking budget by default). Each file runs in a child process of its own, so that its peak
resident memory is its own:

    .venv/bin/python bench/hostile_files.py [--bomb-mib 1024] [--repeat 3]

Columns: the file's size, the median wall time of `--repeat` checks, the peak of Python's allocations during one
check (tracemalloc, a separate run: tracing slows the check), the process's peak resident set (ru_maxrss) and how
much of it the check added to what the process held before it, and the Dutch message (or the kind accepted).
"""

import argparse
import json
import os
import resource
import secrets
import statistics
import subprocess
import sys
import time
import tracemalloc
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
MiB = 1024 * 1024


def setup_django():
    """The portal's settings, DEBUG off; the check needs no database and no secret of its own."""
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "maasland.settings")
    os.environ.setdefault("SECRET_KEY", secrets.token_urlsafe(50))
    import django
    from django.utils import translation

    django.setup()
    translation.activate("nl")


def hostile_files(bomb_mib):
    from tests import hostile_files

    files = dict(hostile_files.HOSTILE)
    files["zip bomb: 1 GiB declared as 1 byte"] = lambda: hostile_files.zip_bomb(bomb_mib * MiB)
    return {**files, **hostile_files.HEAVY}


def check(content, name):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from candidacies import files

    try:
        return files.check_document(SimpleUploadedFile(name, content), name=name)
    except files.DocumentRefused as refusal:
        return refusal.message


def measure(label, *, bomb_mib=1024, repeat=3):
    """One file's figures, in this process: sizes in bytes, times in seconds."""
    content = hostile_files(bomb_mib)[label]()
    name = "plan.pdf" if content.startswith(b"%PDF") else ("plan.odt" if "ODT" in label else "plan.docx")
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
    times = []
    for _run in range(repeat):
        started = time.perf_counter()
        outcome = check(content, name)
        times.append(time.perf_counter() - started)
    after = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
    tracemalloc.start()
    check(content, name)
    traced_peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    return {
        "label": label,
        "size": len(content),
        "seconds": statistics.median(times),
        "traced_peak": traced_peak,
        "max_rss": after,
        "rss_added": after - before,
        "outcome": outcome,
    }


def in_child(label, arguments):
    """`measure` in a fresh interpreter, so ru_maxrss is this file's alone."""
    command = [sys.executable, __file__, "--one", label, "--bomb-mib", str(arguments.bomb_mib)]
    command += ["--repeat", str(arguments.repeat)]
    result = subprocess.run(command, capture_output=True, text=True, check=True, cwd=ROOT)
    return json.loads(result.stdout.strip().splitlines()[-1])


def table(rows):
    lines = [
        "| file | size | median s | traced peak MiB | max RSS MiB | RSS added MiB | outcome |",
        "|---|---:|---:|---:|---:|---:|---|",
    ]
    for row in rows:
        lines.append(
            f"| {row['label']} | {row['size']:,} B | {row['seconds']:.3f} | {row['traced_peak'] / MiB:.2f} "
            f"| {row['max_rss'] / MiB:.1f} | {row['rss_added'] / MiB:.1f} | {row['outcome'][:60]} |"
        )
    return "\n".join(lines)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--bomb-mib", type=int, default=1024, help="what the zip bomb unpacks to, in MiB")
    parser.add_argument("--repeat", type=int, default=3, help="timed checks per file (the median counts)")
    parser.add_argument("--one", help=argparse.SUPPRESS)
    arguments = parser.parse_args(argv)
    setup_django()
    if arguments.one:
        print(json.dumps(measure(arguments.one, bomb_mib=arguments.bomb_mib, repeat=arguments.repeat)))
        return 0
    rows = [in_child(label, arguments) for label in hostile_files(arguments.bomb_mib)]
    print(table(rows))
    return 0


if __name__ == "__main__":
    sys.exit(main())
