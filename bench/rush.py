"""The deadline rush: N applicants save, upload and submit in the last minute before a call's deadline, on PostgreSQL.

Not a test: it prints what gunicorn served and what the database kept, and exits non-zero on a lost submission or a
server error. See bench/README.md.

    .venv/bin/python bench/rush.py [--applicants 300] [--workers 4] [--late-share 0.05] [--prepare 60] [--lead 90]

The script makes a database `bench_rush` (dropped afterwards), loads the Maasland fixture, copies the 2023 call into
today and creates the applicants: each a confirmed account, an organisation and a draft candidacy, and a session made
in the setup (the login form is not part of the rush: its password hash is slow on purpose, and django-axes only
counts failed logins). gunicorn then serves the portal with its real settings and DEBUG off.

The run-up: each applicant, in a thread of its own, opens the form, saves a draft, opens it again and uploads a small
PDF with the draft, the starts spread over `--prepare` seconds. Then the script sets the call's deadline `--lead`
seconds after the real clock (in the database, from this script; nothing in the portal moves its clock), and the rush:
every applicant opens the form once more at a moment in the last `--window` seconds and submits at once. A share
(`--late-share`) submits the form they opened 1 to 5 seconds after the deadline: they must be refused.
"""

import argparse
import datetime
import hashlib
import random
import re
import sys
import tempfile
import threading
import time
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import harness

DATABASE = "bench_rush"
KINDS = ["form", "draft", "upload", "submit", "result"]


@dataclass
class Applicant:
    number: int
    email: str
    session_key: str
    candidacy_pk: int
    late: bool
    pdf: bytes
    open_at: float = 0.0  # time.time() the last form is opened
    submit_at: float = 0.0  # time.time() the submit is sent (0: right after opening)
    token: str = ""
    reference: str = ""
    outcome: str = "not tried"  # taken, refused, failed
    submit_sent_at: float = 0.0
    requests: list = field(default_factory=list)  # (kind, status, seconds)
    errors: list = field(default_factory=list)

    @property
    def sha256(self):
        return hashlib.sha256(self.pdf).hexdigest()


def add_load_arguments(parser, *, applicants=300):
    """The options of the load itself, shared with bench/topology.py."""
    parser.add_argument("--applicants", type=int, default=applicants)
    parser.add_argument("--late-share", type=float, default=0.05, help="share submitting after the deadline")
    parser.add_argument("--prepare", type=int, default=60, help="seconds over which the run-up starts (default 60)")
    parser.add_argument("--lead", type=int, default=90, help="seconds from setting the deadline to it (default 90)")
    parser.add_argument("--window", type=int, default=60, help="the on-time submits fall in this many last seconds")
    parser.add_argument("--margin", type=int, default=8, help="no on-time submit is aimed later than this before it")
    parser.add_argument("--seed", type=int, default=2023)


def parse_arguments(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    add_load_arguments(parser)
    parser.add_argument("--workers", type=int, default=4, help="gunicorn sync workers (default 4)")
    parser.add_argument("--keep", action="store_true", help="keep the bench_rush database for inspection")
    parser.add_argument(
        "--database",
        choices=["postgres", "sqlite"],
        default="postgres",
        help="PostgreSQL (default, a bench_rush database) or SQLite (a file in the run's temporary folder)",
    )
    for name, text in [
        ("--skip-static", "serve without collected static files (bench/plain_static_settings.py): short runs"),
        ("--skip-receipts", "leave the queued receipts unmailed after the rush (not part of the load): short runs"),
    ]:
        parser.add_argument(name, action="store_true", help=text)
    parser.add_argument(
        "--receipts",
        choices=["queued", "immediate"],
        default="queued",
        help="RECEIPT_MAIL of the served portal (default queued: `send_receipts` mails them after the rush)",
    )
    return parser.parse_args(argv)


def small_pdf(number):
    """A valid one-page PDF of its own (with a correct cross-reference table), about 1.5 kB."""
    text = f"Projectplan van aanvrager {number}"
    stream = f"BT /F1 14 Tf 72 720 Td ({text}) Tj ET\n% {'x' * 1024}\n".encode()
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"endstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    body = b"%PDF-1.4\n"
    offsets = []
    for index, content in enumerate(objects, start=1):
        offsets.append(len(body))
        body += b"%d 0 obj\n" % index + content + b"\nendobj\n"
    xref = len(body)
    body += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    body += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    body += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    return body


# The setup, in this process, through the ORM.


def build(count, *, late_share, seed):
    """A copy of the Maasland call in today's intake with `count` applicants, each with a draft and a session."""
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY, get_user_model
    from django.contrib.sessions.backends.db import SessionStore
    from django.utils import timezone

    from candidacies.models import Candidacy, Membership, Organisation
    from challenges.models import Call
    from challenges.services import copy_call_shifted

    source = Call.objects.get(slug="maasland-2023")
    today = timezone.localdate()
    days = (today - timezone.localtime(source.deadline).date()).days + 1
    call = copy_call_shifted(source, slug="maasland-rush", subtitle="Deadline rush", reference_prefix="RUSH", days=days)
    now = timezone.now()
    users = get_user_model().objects.bulk_create(
        get_user_model()(
            email=f"aanvrager{number}@example.org",
            full_name=f"Aanvrager {number}",
            password="!",
            email_confirmed_at=now,
        )
        for number in range(count)
    )
    organisations = Organisation.objects.bulk_create(
        Organisation(
            name=f"Rush-organisatie {number}",
            enterprise_number=enterprise_number(number),
            street="Rijksweg 1",
            postal_code="3630",
            city="Maasmechelen",
            contact_name=f"Aanvrager {number}",
            contact_email=f"aanvrager{number}@example.org",
        )
        for number in range(count)
    )
    Membership.objects.bulk_create(
        Membership(organisation=organisation, user=user)
        for organisation, user in zip(organisations, users, strict=True)
    )
    candidacies = Candidacy.objects.bulk_create(
        Candidacy(call=call, organisation=organisation, title=f"Project {number}", created_by=user)
        for number, (organisation, user) in enumerate(zip(organisations, users, strict=True))
    )
    randomiser = random.Random(seed)
    late_count = max(1, round(count * late_share)) if late_share > 0 else 0
    late_numbers = set(randomiser.sample(range(count), min(late_count, count)))
    applicants = []
    for number, (user, candidacy) in enumerate(zip(users, candidacies, strict=True)):
        session = SessionStore()
        session[SESSION_KEY] = str(user.pk)
        session[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
        session[HASH_SESSION_KEY] = user.get_session_auth_hash()
        session.create()
        applicants.append(
            Applicant(
                number=number,
                email=user.email,
                session_key=session.session_key,
                candidacy_pk=candidacy.pk,
                late=number in late_numbers,
                pdf=small_pdf(number),
            )
        )
    return call, applicants


def enterprise_number(seed):
    first_eight = f"0{4_000_000 + seed:07d}"
    return f"{first_eight}{97 - int(first_eight) % 97:02d}"


def form_choices(call):
    """The choices a complete proposal names, as the form posts them."""
    return {
        "challenges": [call.challenges.order_by("number").first().pk],
        "personas": [call.personas.order_by("position").first().pk],
        "service_types": [call.service_types.order_by("position").first().pk],
        "municipalities": list(call.municipalities.order_by("position").values_list("pk", flat=True)[:2]),
    }


def success_pattern():
    """The Dutch success message after a submit, with the reference as a group."""
    from django.utils import translation
    from django.utils.translation import gettext

    with translation.override("nl-be"):
        text = gettext(
            "Your candidacy %(reference)s has been submitted (version %(number)s). A receipt is on its way."
        ) % {"reference": "REFERENCE", "number": "NUMBER"}
    pattern = re.escape(text.split("(")[0] if "(" in text else text)
    return re.compile(pattern.replace("REFERENCE", r"(?P<reference>[A-Z0-9-]+)"))


def set_deadline(call, seconds_ahead):
    """The call's deadline `seconds_ahead` from now, on a whole second (as deadlines are: 23:59:59)."""
    from django.utils import timezone

    from challenges.models import Call

    deadline = (timezone.now() + datetime.timedelta(seconds=seconds_ahead)).replace(microsecond=0)
    Call.objects.filter(pk=call.pk).update(deadline=deadline)
    return deadline


# The load: one thread per applicant.


HIDDEN = re.compile(r'<input type="hidden" name="(csrfmiddlewaretoken|lock_version|submission_token)" value="([^"]*)"')


def hidden_fields(html):
    return dict(HIDDEN.findall(html))


def content_fields(applicant, choices, *, complete):
    fields = {"title": f"Project {applicant.number}", "summary": f"Samenvatting van project {applicant.number}."}
    if complete:
        fields.update(
            {
                "approach": "Outreachend en empowerend, vanuit de presentiebenadering.",
                "collaboration": "VDAB en de OCMW's van Maasmechelen en Lanaken.",
                "expected_participants": "40",
                "duration_months": "24",
                "budget": "45.000,50",
                "budget_breakdown": "Personeel 40.000, werking 5.000,50.",
                "team": "Twee trajectbegeleiders.",
                "contact_name": f"Aanvrager {applicant.number}",
                "contact_email": applicant.email,
                "contact_phone": "089 12 34 56",
                **choices,
            }
        )
    return fields


class Journey:
    """One applicant's browser: opens the form, saves a draft, uploads, and later submits what it last opened."""

    def __init__(self, applicant, port, choices, pattern, *, tls=False):
        self.applicant, self.choices, self.pattern = applicant, choices, pattern
        self.client = harness.Client(port, cookies={"sessionid": applicant.session_key}, tls=tls)
        self.edit = f"/kandidaturen/{applicant.candidacy_pk}/bewerken/"
        self.state = {}

    def call(self, kind, method, path, fields=None, files=None):
        applicant = self.applicant
        try:
            response = self.client.get(path) if method == "GET" else self.client.post(path, fields, files)
        except Exception as error:  # a refused connection, a timeout: counted as an exception, never raised
            applicant.requests.append((kind, 0, 0.0))
            applicant.errors.append(f"{kind}: {type(error).__name__}: {error}")
            return None
        applicant.requests.append((kind, response.status, response.seconds))
        if response.status >= 500:
            applicant.errors.append(f"{kind}: HTTP {response.status}")
        return response

    def open_form(self):
        response = self.call("form", "GET", self.edit)
        if response is not None and response.status == 200:
            self.state.update(hidden_fields(response.text))
        return response

    def post(self, kind, fields, files=None):
        hidden = {key: self.state.get(key, "") for key in ("csrfmiddlewaretoken", "lock_version", "submission_token")}
        return self.call(kind, "POST", self.edit, {**hidden, **fields}, files)

    def prepare(self):
        applicant = self.applicant
        self.open_form()
        self.post("draft", {**content_fields(applicant, self.choices, complete=False), "draft": ""})
        self.open_form()
        self.post(
            "upload",
            {**content_fields(applicant, self.choices, complete=False), "upload": ""},
            {"attachment": (f"projectplan-{applicant.number}.pdf", applicant.pdf, "application/pdf")},
        )

    def reopen(self):
        """The form as it is just before submitting: its lock version and a fresh submission token."""
        self.open_form()
        self.applicant.token = self.state.get("submission_token", "")

    def submit(self):
        """Posts the complete form; 'taken' only when the page it leads to says so, with the reference."""
        applicant = self.applicant
        applicant.submit_sent_at = time.time()
        response = self.post("submit", {**content_fields(applicant, self.choices, complete=True), "submit": ""})
        if response is None or response.status != 302:
            applicant.outcome = "failed" if response is None or response.status >= 500 else "refused"
            if response is not None and response.status < 500 and "csrfmiddlewaretoken" in self.state:
                applicant.errors.append(f"submit: HTTP {response.status} {response.text[:200]!r}")
            return
        result = self.call("result", "GET", response.headers.get("location", ""))
        found = self.pattern.search(result.text) if result is not None else None
        if found:
            applicant.outcome, applicant.reference = "taken", found["reference"]
        else:
            applicant.outcome = "refused" if result is not None and result.status == 200 else "failed"


def sleep_until(moment):
    delay = moment - time.time()
    if delay > 0:
        time.sleep(delay)


def in_threads(target, items):
    """`target(item, started_at)` for every item at once, one thread each; returns when all are done."""
    threading.stack_size(512 * 1024)
    threads = [threading.Thread(target=target, args=(item,), daemon=True) for item in items]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()


def prepare_all(journeys, *, seconds, seed):
    """The run-up: every applicant opens the form, saves a draft, opens it again and uploads the PDF with the draft,
    starting at moments spread over `seconds`."""
    randomiser = random.Random(seed + 1)
    now = time.time()
    starts = {id(journey): now + randomiser.uniform(0, seconds) for journey in journeys}

    def run(journey):
        sleep_until(starts[id(journey)])
        journey.prepare()

    in_threads(run, journeys)


def rush_all(journeys, deadline_epoch, *, window, margin, seed):
    """The last minute: each applicant opens the form at a moment in the last `window` seconds (up to `margin`
    before the deadline) and submits at once; the late ones submit what they opened 1 to 5 seconds after it."""
    randomiser = random.Random(seed + 2)
    for journey in journeys:
        journey.applicant.open_at = deadline_epoch - randomiser.uniform(margin, window)
        late_by = randomiser.uniform(1, 5)
        journey.applicant.submit_at = deadline_epoch + late_by if journey.applicant.late else 0.0

    def run(journey):
        sleep_until(journey.applicant.open_at)
        journey.reopen()
        sleep_until(journey.applicant.submit_at)
        journey.submit()

    in_threads(run, journeys)


def run_load(journeys, call, arguments, *, where):
    """The run-up, then the deadline set `--lead` seconds ahead, then the last minute; returns the moments the load
    started, the run-up ended and the load ended (time.time()), the deadline and its last instant as epoch."""
    harness.progress(f"run-up: drafts and uploads over {arguments.prepare} s")
    started = time.time()
    prepare_all(journeys, seconds=arguments.prepare, seed=arguments.seed)
    prepared = time.time()
    deadline = set_deadline(call, arguments.lead)
    deadline_epoch = deadline.timestamp() + 0.999  # a submit at 23:59:59.999 still counts
    late = sum(journey.applicant.late for journey in journeys)
    harness.progress(f"deadline at {deadline.isoformat()} (in {arguments.lead} s); {where}; {late} submit late")
    rush_all(journeys, deadline_epoch, window=arguments.window, margin=arguments.margin, seed=arguments.seed)
    return (started, prepared, time.time()), deadline, deadline_epoch


# The check, in the database, after the load.


def verify(call, applicants, deadline):
    """What the database holds against what each applicant was told; returns a dict of counts and a list of
    problems (each a lost or wrongly taken submission)."""
    from django.core.files.storage import default_storage

    from candidacies.models import Attachment, Candidacy, CandidacyVersion
    from maasland.clock import on_or_before

    problems = []
    versions = defaultdict(list)
    for version in CandidacyVersion.objects.filter(candidacy__call=call).select_related("candidacy"):
        versions[str(version.submission_token)].append(version)
    attachments = defaultdict(list)
    for attachment in Attachment.objects.filter(candidacy__call=call, removed_at__isnull=True):
        attachments[attachment.candidacy_id].append(attachment)
    statuses = dict(Candidacy.objects.filter(call=call).values_list("pk", "status"))
    references = list(Candidacy.objects.filter(call=call, reference__isnull=False).values_list("reference", flat=True))
    counts = defaultdict(int)
    for applicant in applicants:
        kept = versions.get(applicant.token, [])
        counts[f"{'late' if applicant.late else 'on time'} {applicant.outcome}"] += 1
        if applicant.outcome == "taken":
            if len(kept) != 1:
                problems.append(f"applicant {applicant.number}: taken, but {len(kept)} versions with its token")
                counts["lost"] += 1
                continue
            version = kept[0]
            files = attachments.get(applicant.candidacy_pk, [])
            listed = {item["sha256"] for item in version.content.get("attachments", [])}
            if (
                statuses[applicant.candidacy_pk] != Candidacy.Status.SUBMITTED
                or version.candidacy.reference != applicant.reference
                or not on_or_before(version.submitted_at, deadline)
                or len(files) != 1
                or not default_storage.exists(files[0].file.name)
                or digest(default_storage, files[0].file.name) != applicant.sha256
                or files[0].sha256 != applicant.sha256
                or listed != {applicant.sha256}
            ):
                problems.append(f"applicant {applicant.number}: taken, but its version or attachment is not intact")
                counts["lost"] += 1
        elif kept:
            problems.append(f"applicant {applicant.number}: told {applicant.outcome}, yet the database kept it")
            counts["taken unannounced"] += 1
    # The portal's rule: the deadline's whole second counts (23:59:59.999 is in time).
    after = CandidacyVersion.objects.filter(
        candidacy__call=call, submitted_at__gte=deadline + datetime.timedelta(seconds=1)
    ).count()
    if after:
        problems.append(f"{after} versions submitted after the deadline")
    counts["taken after deadline"] = after + sum(1 for a in applicants if a.late and a.outcome == "taken")
    counts["versions"] = sum(len(kept) for kept in versions.values())
    counts["duplicate references"] = len(references) - len(set(references))
    if counts["duplicate references"]:
        problems.append(f"{counts['duplicate references']} duplicate references")
    return counts, problems


def send_receipts_after(call):
    """What `manage.py send_receipts` does after the rush (with RECEIPT_MAIL=queued the requests only recorded the
    receipts): mails every receipt still owed; returns how many and how long it took."""
    from candidacies.emails import send_pending_receipts
    from candidacies.models import CandidacyVersion

    started = time.perf_counter()
    mailed = send_pending_receipts()
    return {
        "receipts mailed after": mailed,
        "receipts seconds": time.perf_counter() - started,
        "receipts owed": CandidacyVersion.objects.filter(candidacy__call=call, receipt_sent_at__isnull=True).count(),
    }


def digest(storage, name):
    with storage.open(name, "rb") as stored:
        return hashlib.sha256(stored.read()).hexdigest()


# The report.


def report(applicants, moments, deadline_epoch, counts, server_errors):
    """Per kind of request: count, rate over the whole load, latency percentiles, 4xx, 5xx and exceptions; then
    what the applicants were told and what the database holds."""
    started, prepared, ended = moments
    requests = [(kind, status, seconds) for applicant in applicants for kind, status, seconds in applicant.requests]
    elapsed = ended - started
    rows = []
    for kind in [*KINDS, "all"]:
        chosen = [item for item in requests if kind == "all" or item[0] == kind]
        seconds = [item[2] for item in chosen if item[1]]
        rows.append(
            [
                kind,
                len(chosen),
                f"{len(chosen) / elapsed:.1f}",
                f"{harness.percentile(seconds, 0.50) * 1000:.0f}",
                f"{harness.percentile(seconds, 0.95) * 1000:.0f}",
                f"{harness.percentile(seconds, 0.99) * 1000:.0f}",
                f"{max(seconds, default=0) * 1000:.0f}",
                sum(1 for item in chosen if 400 <= item[1] < 500),
                sum(1 for item in chosen if item[1] >= 500),
                sum(1 for item in chosen if item[1] == 0),
            ]
        )
    harness.print_table(
        ["request", "count", "req/s", "p50 ms", "p95 ms", "p99 ms", "max ms", "4xx", "5xx", "exceptions"], rows
    )
    on_time = [a for a in applicants if not a.late]
    late = [a for a in applicants if a.late]
    sent_late = sum(1 for a in on_time if a.submit_sent_at > deadline_epoch)
    mailed = counts.get("receipts mailed after")
    print()
    harness.print_table(
        ["applicants", "submits", "taken", "refused", "failed", "sent after deadline"],
        [
            [
                f"on time ({len(on_time)})",
                len(on_time),
                counts["on time taken"],
                counts["on time refused"],
                counts["on time failed"],
                sent_late,
            ],
            [
                f"late ({len(late)})",
                len(late),
                counts["late taken"],
                counts["late refused"],
                counts["late failed"],
                len(late),
            ],
        ],
    )
    print()
    harness.print_table(
        ["check", "value"],
        [
            [
                "seconds of load (run-up + last minute)",
                f"{elapsed:.1f} ({prepared - started:.1f} + {ended - prepared:.1f})",
            ],
            ["requests/s overall", f"{len(requests) / elapsed:.1f}"],
            ["versions in the database", counts["versions"]],
            ["lost submissions (must be 0)", counts["lost"]],
            ["taken after the deadline (must be 0)", counts["taken after deadline"]],
            ["kept but not announced (must be 0)", counts["taken unannounced"]],
            ["duplicate references (must be 0)", counts["duplicate references"]],
            ["5xx responses (must be 0)", sum(1 for item in requests if item[1] >= 500)],
            ["client exceptions (must be 0)", sum(1 for item in requests if item[1] == 0)],
            ["server tracebacks in the log (must be 0)", server_errors],
            [
                "receipts mailed by send_receipts after the rush",
                "skipped" if mailed is None else f"{mailed} in {counts['receipts seconds']:.1f} s",
            ],
            ["receipts still owed (must be 0)", counts.get("receipts owed", "–")],
        ],
        align=["<", ">"],
    )


def main(argv=None):
    arguments = parse_arguments(argv)
    server = harness.postgres_server_url()
    on_postgres = arguments.database == "postgres"
    if on_postgres:
        harness.recreate_database(server, DATABASE)
    try:
        with tempfile.TemporaryDirectory(prefix="bench-rush-") as workdir:
            database = (
                harness.database_url(server, DATABASE) if on_postgres else f"sqlite:///{Path(workdir) / 'rush.sqlite3'}"
            )
            environment = harness.portal_environment(database, workdir, RECEIPT_MAIL=arguments.receipts)
            if arguments.skip_static:
                environment["DJANGO_SETTINGS_MODULE"] = "plain_static_settings"
            harness.setup_django(environment, collect_static=not arguments.skip_static)
            print(f"setting up {arguments.applicants} applicants …", file=sys.stderr)
            call, applicants = build(arguments.applicants, late_share=arguments.late_share, seed=arguments.seed)
            choices, pattern = form_choices(call), success_pattern()
            from django.db import connection

            connection.close()
            log = Path(workdir) / "gunicorn.log"
            with harness.Gunicorn(environment, workers=arguments.workers, log_path=log) as gunicorn:
                journeys = [Journey(applicant, gunicorn.port, choices, pattern) for applicant in applicants]
                where = f"{arguments.workers} gunicorn workers on port {gunicorn.port}"
                moments, deadline, deadline_epoch = run_load(journeys, call, arguments, where=where)
                server_errors = gunicorn.server_errors_logged()
            counts, problems = verify(call, applicants, deadline)
            if not arguments.skip_receipts:
                counts.update(send_receipts_after(call))
            if counts.get("receipts owed"):
                problems.append(f"{counts['receipts owed']} receipts still owed after send_receipts")
            connection.close()
            engine = "PostgreSQL" if on_postgres else "SQLite"
            print(f"Deadline rush: {arguments.applicants} applicants, {arguments.workers} gunicorn workers, {engine}")
            report(applicants, moments, deadline_epoch, counts, server_errors)
            for problem in problems[:20]:
                print(f"PROBLEM: {problem}", file=sys.stderr)
            errors = [error for applicant in applicants for error in applicant.errors]
            for error in errors[:20]:
                print(f"ERROR: {error}", file=sys.stderr)
            if server_errors:
                print(log.read_text(errors="replace")[-4000:], file=sys.stderr)
    finally:
        if on_postgres and not arguments.keep:
            harness.recreate_database(server, DATABASE, create=False)
    five_hundreds = sum(1 for a in applicants for _kind, status, _s in a.requests if status >= 500)
    return 1 if problems or five_hundreds or server_errors or errors else 0


if __name__ == "__main__":
    sys.exit(main())
