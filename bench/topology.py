"""The production topology on one machine: nginx in front of two gunicorn instances, a Celery worker and beat,
PostgreSQL and Redis, all on 127.0.0.1; the deadline rush through nginx, then a batch of decision letters during
which the worker is killed with SIGKILL and started again.

Not a test: it prints what was served and what arrived at the mail server, and exits non-zero on any broken check.
See bench/README.md and docs/deploy.md.

    .venv/bin/python bench/topology.py [--applicants 300] [--letters 100] [--workers 2] [--prepare 60] [--lead 90]

Every process is started from the files in deploy/: nginx serves deploy/nginx/maasland.conf with its names filled in
(free ports, a self-signed certificate made for the run, logs in the run's temporary folder), the gunicorn instances,
the worker and beat run the ExecStart lines of deploy/systemd/ (with this checkout's paths), and the portal's
environment starts from deploy/maasland.env.example. The database is `bench_topology` on the PostgreSQL server of
BENCH_POSTGRES_URL (dropped afterwards); Redis is the server at REDIS_URL (default redis://127.0.0.1:6379), two
databases of it of its own (`--redis-db`, emptied before and after). Mail goes to a small SMTP server of this script
(bench/smtp_sink.py), where every message is counted.
"""

import argparse
import contextlib
import os
import re
import shlex
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import harness
import rush
import smtp_sink
from letter_checks import letter_deliveries, letter_message_ids, letter_rows, owed_letters_report

DATABASE = "bench_topology"
DEPLOY = harness.ROOT / "deploy"
UNIT_CHECKOUT = "/srv/maasland/app"
"""Where the units in deploy/systemd/ expect the checkout (WorkingDirectory); replaced by this one."""
UNIT_STATE = "/var/lib/maasland-beat"
LOCK_WAIT_SECONDS = 120
"""How long a run waits for another one on the same database or Redis databases to finish."""
NGINX_HINT = "nginx is missing: install Debian's package first (apt-get install -y nginx; .ci/run does it)"


def parse_arguments(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    rush.add_load_arguments(parser)
    parser.add_argument("--letters", type=int, default=100, help="decision letters in the batch (default 100)")
    parser.add_argument("--workers", type=int, default=2, help="sync workers per gunicorn instance (default 2)")
    parser.add_argument("--database", default=DATABASE, help=f"the PostgreSQL database to make (default {DATABASE})")
    parser.add_argument("--redis-db", type=int, default=12, help="cache in this Redis database, the broker in the next")
    parser.add_argument(
        "--kill-after", type=float, default=0.3, help="share of the letters mailed before the SIGKILL's countdown"
    )
    parser.add_argument(
        "--kill-delay",
        type=float,
        default=0.3,
        help="seconds from that share to the SIGKILL: a moment not tied to a letter's arrival (default 0.3)",
    )
    parser.add_argument("--settle", type=float, default=5, help="seconds to wait for duplicates after the last mail")
    parser.add_argument("--timeout", type=float, default=300, help="most seconds to wait for the letters")
    parser.add_argument(
        "--visibility-timeout", type=int, default=10, help="seconds before a killed worker's task is handed out again"
    )
    parser.add_argument("--keep", action="store_true", help="keep the database and the temporary folder")
    parser.add_argument(
        "--no-migrations", action="store_true", help="tables straight from the models, as the tests (short runs)"
    )
    parser.add_argument(
        "--skip-static", action="store_true", help="serve without collected static files (short runs, the test)"
    )
    return parser.parse_args(argv)


# The deploy/ files, filled in for this run.


def nginx_binary():
    found = shutil.which("nginx") or ("/usr/sbin/nginx" if os.access("/usr/sbin/nginx", os.X_OK) else None)
    if found is None:
        raise SystemExit(NGINX_HINT)
    return found


def render_site(values):
    """deploy/nginx/maasland.conf with its ${MAASLAND_*} names filled in (as envsubst does); every name needs a
    value, and nginx's own $variables stay."""
    text = (DEPLOY / "nginx" / "maasland.conf").read_text()
    names = set(re.findall(r"\$\{(MAASLAND_[A-Z0-9_]+)\}", text))
    if names != set(values):
        raise ValueError(f"deploy/nginx/maasland.conf names {sorted(names)}, the script fills in {sorted(values)}")
    return re.sub(r"\$\{(MAASLAND_[A-Z0-9_]+)\}", lambda found: str(values[found[1]]), text)


def nginx_main_conf(folder, site):
    """The frame Debian's /etc/nginx/nginx.conf gives the site in production, here with every path in `folder`."""
    user = "user root;\n" if os.geteuid() == 0 else ""
    temp = "".join(
        f"    {kind}_temp_path {folder}/{kind};\n" for kind in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi")
    )
    return (
        f"{user}worker_processes 1;\npid {folder}/nginx.pid;\nerror_log {folder}/error.log warn;\n"
        "events { worker_connections 4096; }\n"
        f"http {{\n    include /etc/nginx/mime.types;\n    default_type application/octet-stream;\n{temp}"
        f"    sendfile on;\n    access_log off;\n    include {site};\n}}\n"
    )


def unit_command(unit, instance=""):
    """The ExecStart line of deploy/systemd/`unit`, as systemd would run it from this checkout: the instance for
    %i, the state directory in the run's folder, this Python's scripts for the checkout's .venv/bin."""
    lines = (DEPLOY / "systemd" / unit).read_text().splitlines()
    (line,) = [line for line in lines if line.startswith("ExecStart=")]
    (directory,) = [line.split("=", 1)[1] for line in lines if line.startswith("WorkingDirectory=")]
    if directory != UNIT_CHECKOUT:
        raise ValueError(f"{unit}: WorkingDirectory is {directory}, the script expects {UNIT_CHECKOUT}")
    words = []
    for word in shlex.split(line.split("=", 1)[1]):
        word = word.replace("%i", str(instance)).replace("%%", "%")
        word = word.replace(f"{UNIT_CHECKOUT}/.venv/bin/", f"{Path(sys.executable).parent}/")
        words.append(word.replace(UNIT_CHECKOUT, str(harness.ROOT)))
    return words


def environment_file():
    """The names and values of deploy/maasland.env.example."""
    values = {}
    for line in (DEPLOY / "maasland.env.example").read_text().splitlines():
        if line.strip() and not line.lstrip().startswith("#"):
            name, _, value = line.partition("=")
            values[name.strip()] = value.strip()
    return values


def self_signed_certificate(folder):
    """A certificate for 127.0.0.1, made for the run (the client accepts it: harness.unverified_tls)."""
    certificate, key = folder / "tls.crt", folder / "tls.key"
    subprocess.run(
        ["openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes"]
        + ["-keyout", str(key), "-out", str(certificate), "-days", "2", "-subj", "/CN=127.0.0.1"],
        check=True,
        capture_output=True,
    )
    return certificate, key


# The processes.


class Service:
    """One long-running process in a session (process group) of its own, its output in a log file."""

    def __init__(self, name, command, *, environment, log_path):
        self.name, self.command, self.environment, self.log_path = name, command, environment, Path(log_path)
        self.process = None

    def start(self):
        with open(self.log_path, "a") as log:
            self.process = subprocess.Popen(
                self.command,
                cwd=harness.ROOT,
                env=self.environment,
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        return self

    def running(self):
        return self.process is not None and self.process.poll() is None

    def kill(self, sign=signal.SIGKILL):
        """`sign` to the whole process group: the main process and every child (Celery's pool, gunicorn's workers)."""
        if self.process is not None:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(self.process.pid, sign)

    def stop(self):
        if not self.running():
            self.kill()
            return
        self.kill(signal.SIGTERM)
        try:
            self.process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self.kill()
            self.process.wait()

    def log_text(self):
        return self.log_path.read_text(errors="replace") if self.log_path.exists() else ""


def wait_for(what, ready, services, *, seconds=60):
    """Until `ready()` is true; fails when one of `services` stopped or time runs out."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        for service in services:
            if not service.running():
                raise RuntimeError(f"{service.name} stopped at start; its log:\n{service.log_text()[-3000:]}")
        try:
            if ready():
                return
        except OSError:
            pass
        time.sleep(0.2)
    raise RuntimeError(f"{what} not ready within {seconds} s")


def answers(port, *, tls=False):
    return harness.Client(port, tls=tls, timeout=5).get("/healthz").status == 200


def redis_url(arguments, offset=0):
    base = os.environ.get("REDIS_URL", "redis://127.0.0.1:6379").rstrip("/")
    return f"{base}/{arguments.redis_db + offset}"


def empty_redis(arguments):
    """FLUSHDB on the run's two Redis databases only; fails clearly when Redis does not answer."""
    import redis

    for offset in (0, 1):
        try:
            redis.Redis.from_url(redis_url(arguments, offset)).flushdb()
        except redis.exceptions.ConnectionError as error:
            raise SystemExit(f"Redis does not answer at {redis_url(arguments, offset)}: {error}") from None


class Topology:
    """nginx, two gunicorn instances, the Celery worker and beat, started from deploy/ with the run's environment."""

    def __init__(self, arguments, folder, environment):
        self.folder, self.environment = folder, environment
        (folder / "nginx").mkdir()
        (folder / "beat").mkdir()
        self.https_port = harness.free_port()
        self.upstream_ports = [harness.free_port(), harness.free_port()]
        self.gunicorns = [
            Service(
                f"gunicorn on {port}",
                unit_command("maasland-gunicorn@.service", instance=port),
                environment=environment,
                log_path=folder / f"gunicorn-{port}.log",
            )
            for port in self.upstream_ports
        ]
        self.worker = self._celery("worker")
        self.beat = self._celery("beat")
        self.nginx = Service("nginx", self._nginx_command(), environment=environment, log_path=folder / "nginx.log")

    def _celery(self, kind):
        command = [
            word.replace(UNIT_STATE, str(self.folder / "beat"))
            for word in unit_command(f"maasland-celery-{kind}.service")
        ]
        return Service(f"celery {kind}", command, environment=self.environment, log_path=self.folder / f"{kind}.log")

    def _nginx_command(self):
        from django.conf import settings

        folder = self.folder / "nginx"
        certificate, key = self_signed_certificate(folder)
        site = folder / "maasland.conf"
        site.write_text(
            render_site(
                {
                    "MAASLAND_SERVER_NAME": harness.HOST,
                    "MAASLAND_HTTP_LISTEN": f"{harness.HOST}:{harness.free_port()}",
                    "MAASLAND_HTTPS_LISTEN": f"{harness.HOST}:{self.https_port}",
                    "MAASLAND_TLS_CERTIFICATE": certificate,
                    "MAASLAND_TLS_CERTIFICATE_KEY": key,
                    "MAASLAND_UPSTREAM_1": f"{harness.HOST}:{self.upstream_ports[0]}",
                    "MAASLAND_UPSTREAM_2": f"{harness.HOST}:{self.upstream_ports[1]}",
                    "MAASLAND_REQUEST_MAX_SIZE": settings.REQUEST_MAX_SIZE,
                    "MAASLAND_LOG_DIR": folder,
                }
            )
        )
        (folder / "nginx.conf").write_text(nginx_main_conf(folder, site))
        binary = nginx_binary()
        subprocess.run([binary, "-t", "-q", "-p", str(folder), "-c", str(folder / "nginx.conf")], check=True)
        return [binary, "-p", str(folder), "-c", str(folder / "nginx.conf"), "-g", "daemon off;"]

    @property
    def services(self):
        return [*self.gunicorns, self.worker, self.beat, self.nginx]

    def __enter__(self):
        started = time.monotonic()
        try:
            for service in self.services:
                service.start()
            for gunicorn, port in zip(self.gunicorns, self.upstream_ports, strict=True):
                wait_for(gunicorn.name, lambda port=port: answers(port), [gunicorn])
            wait_for("nginx", lambda: answers(self.https_port, tls=True), [self.nginx])
            wait_for("celery worker", lambda: "ready" in self.worker.log_text(), [self.worker], seconds=120)
        except BaseException:
            self.__exit__()
            raise
        harness.progress(
            f"nginx, 2 gunicorn instances, Celery worker and beat answer after {time.monotonic() - started:.0f} s"
        )
        return self

    def __exit__(self, *exc_info):
        for service in reversed(self.services):
            service.stop()

    def restart_worker_after_sigkill(self):
        self.worker.kill(signal.SIGKILL)
        self.worker.process.wait()
        self.worker.start()

    def background_tracebacks(self):
        """Tracebacks the worker and beat logged (a task that failed and was retried shows one)."""
        return self.worker.log_text().count("Traceback") + self.beat.log_text().count("Traceback")

    def server_errors(self):
        text = "".join(gunicorn.log_text() for gunicorn in self.gunicorns)
        return text.count("Internal Server Error") + text.count("Error handling request")

    def requests_per_upstream(self):
        """From nginx's access log: how many requests each gunicorn instance answered."""
        log = (self.folder / "nginx" / "maasland.access.log").read_text(errors="replace")
        return Counter(re.findall(r"upstream=(\S+)", log))


def portal_environment(arguments, database, folder, mail_port):
    """deploy/maasland.env.example, then what differs on this machine: the run's database, Redis databases, folders,
    secret key and mail server; every process of the topology (and this script) gets it."""
    environment = environment_file()
    environment.update(harness.portal_environment(database, folder))
    environment.update(
        {
            "CACHE_URL": redis_url(arguments),
            "CELERY_BROKER_URL": redis_url(arguments, 1),
            # A task of a killed worker is handed out again after this many seconds (a letter takes about one).
            "CELERY_VISIBILITY_TIMEOUT": str(arguments.visibility_timeout),
            "EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "EMAIL_HOST": harness.HOST,
            "EMAIL_PORT": str(mail_port),
            "TRUSTED_PROXIES": harness.HOST,
            "PORTAL_BASE_URL": "https://oproep.maasland.example",
            "GUNICORN_WORKERS": str(arguments.workers),
            "GUNICORN_LOG_LEVEL": "warning",
        }
    )
    if arguments.skip_static:
        environment["DJANGO_SETTINGS_MODULE"] = "plain_static_settings"
        environment["PYTHONPATH"] = os.pathsep.join([str(harness.ROOT), str(harness.BENCH_DIR)])
    return environment


def build_letters(count):
    """`count` decisions recorded by the chair on the 2023 call (bench/letters.py's data), each organisation with its
    applicant as member (the letter's recipient), and a call manager to send them."""
    from django.contrib.auth import get_user_model

    from candidacies.models import Membership
    from jury.models import Decision

    before = Decision.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
    bench_module("letters").create_data(count)
    decisions = list(Decision.objects.filter(pk__gt=before).select_related("candidacy").order_by("pk"))
    Membership.objects.bulk_create(
        Membership(organisation_id=decision.candidacy.organisation_id, user_id=decision.candidacy.created_by_id)
        for decision in decisions
    )
    manager = get_user_model()(email="beheerder@example.org", full_name="Beheerder", is_staff=True, is_superuser=True)
    manager.set_unusable_password()
    manager.save()
    return decisions, manager


def bench_module(name):
    import importlib

    return importlib.import_module(name)


def send_letters(decisions, manager):
    """The call manager's batch (admin, or `manage.py send_decisions`): one task that queues a task per decision,
    which prints its letter and queues its mail (jury/tasks.py). Everything runs in the worker."""
    from jury import tasks

    (call_id,) = {decision.candidacy.call_id for decision in decisions}
    tasks.send_decisions.delay(call_id, manager.pk)


def receipt_counts(sink):
    counts = Counter()
    for message in sink.parsed():
        for name in smtp_sink.attachment_names(message):
            if found := re.fullmatch(r"ontvangstbewijs-(.+)-v\d+\.pdf", name):
                counts[found[1]] += 1
    return counts


def receipts_owed(call):
    """Versions of the call whose receipt the database still marks as owed (the worker marks it as it mails)."""
    from candidacies.models import CandidacyVersion

    return CandidacyVersion.objects.filter(candidacy__call=call, receipt_sent_at__isnull=True).count()


def wait_until(condition, seconds, *, step=0.1):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(step)
    return condition()


def letters_with_sigkill(topology, sink, decisions, manager, arguments):
    """Queues the batch; once a share of the letters arrived, waits a fixed delay (so the moment is not tied to a
    letter's arrival) and kills the worker with SIGKILL, starts it again, and waits for all letters or the timeout.
    Returns the deliveries per reference, the figures, and the report on the letters still owed (None when all
    arrived)."""
    references = {decision.candidacy.reference for decision in decisions}
    figures = {"mailed before SIGKILL": 0, "SIGKILL after s": 0.0, "all mailed after s": 0.0}
    if not decisions:
        return {}, figures, None
    started = time.monotonic()
    send_letters(decisions, manager)
    kill_at = max(1, round(len(references) * arguments.kill_after))
    wait_until(lambda: len(letter_deliveries(sink, references)) >= kill_at, arguments.timeout, step=0.02)
    time.sleep(arguments.kill_delay)
    topology.restart_worker_after_sigkill()
    figures["mailed before SIGKILL"] = len(letter_deliveries(sink, references))
    figures["SIGKILL after s"] = time.monotonic() - started
    harness.progress(f"worker killed with SIGKILL after {figures['mailed before SIGKILL']} letters, started again")
    arrived = wait_until(lambda: set(letter_deliveries(sink, references)) >= references, arguments.timeout, step=0.2)
    figures["all mailed after s"] = time.monotonic() - started
    deliveries = letter_deliveries(sink, references)
    if not arrived:
        return deliveries, figures, owed_letters_report(topology, decisions, deliveries)
    time.sleep(arguments.settle)  # a resend would come now
    return letter_deliveries(sink, references), figures, None


def once_row(label, counts, expected):
    """A check row: how many of `expected` arrived exactly once, and how many not at all or more than once."""
    once = sum(1 for key in expected if counts.get(key) == 1)
    missing = sum(1 for key in expected if not counts.get(key))
    extra = sum(counts.get(key, 0) - 1 for key in expected if counts.get(key, 0) > 1)
    return [label, f"{once} of {len(expected)} (missing {missing}, duplicates {extra})"], missing + extra


def hold_run_lock(arguments, *, seconds=LOCK_WAIT_SECONDS):
    """Waits (at most `seconds`) until no other run on this machine uses the same database or Redis databases, and
    holds them for this run: a second run would drop the first's database (DROP ... WITH FORCE) and empty its broker,
    which shows as letters missing or a connection terminated. Returns the open lock files (closed at exit)."""
    import fcntl

    held = []
    for name in (f"database-{arguments.database}", f"redis-{arguments.redis_db}", f"redis-{arguments.redis_db + 1}"):
        handle = open(Path(tempfile.gettempdir()) / f"bench-topology-{name}.lock", "w")  # noqa: SIM115 (held until the run exits)
        deadline, told = time.monotonic() + seconds, False
        while True:
            try:
                fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() > deadline:
                    raise SystemExit(f"another bench/topology.py run holds {name} for more than {seconds} s") from None
                if not told:
                    harness.progress(f"waiting for another bench/topology.py run on {name} …")
                    told = True
                time.sleep(1)
        held.append(handle)
    return held


def main(argv=None):
    arguments = parse_arguments(argv)
    nginx_binary()
    if not (harness.ROOT / "maasland" / "celery.py").exists():
        raise SystemExit("The Celery app maasland/celery.py is missing: the topology needs the worker and beat")
    _locks = hold_run_lock(arguments)
    empty_redis(arguments)
    server = harness.postgres_server_url()
    harness.recreate_database(server, arguments.database)
    folder = Path(tempfile.mkdtemp(prefix="bench-topology-"))
    broken = []
    try:
        with smtp_sink.SmtpSink(folder / "mail") as sink:
            database = harness.database_url(server, arguments.database)
            environment = portal_environment(arguments, database, folder, sink.port)
            harness.setup_django(
                environment, collect_static=not arguments.skip_static, migrations=not arguments.no_migrations
            )
            harness.progress(f"setting up {arguments.applicants} applicants and {arguments.letters} decisions …")
            call, applicants = rush.build(arguments.applicants, late_share=arguments.late_share, seed=arguments.seed)
            decisions, manager = build_letters(arguments.letters) if arguments.letters else ([], None)
            choices, pattern = rush.form_choices(call), rush.success_pattern()
            from django.db import connection

            connection.close()
            with Topology(arguments, folder, {**os.environ, **environment}) as topology:
                journeys = [
                    rush.Journey(applicant, topology.https_port, choices, pattern, tls=True) for applicant in applicants
                ]
                where = f"nginx on port {topology.https_port}, 2 gunicorn × {arguments.workers} workers"
                moments, deadline, deadline_epoch = rush.run_load(journeys, call, arguments, where=where)
                counts, problems = rush.verify(call, applicants, deadline)
                taken = {applicant.reference for applicant in applicants if applicant.outcome == "taken"}
                harness.progress(f"{len(taken)} submissions taken; waiting for their receipts")
                wait_until(lambda: set(receipt_counts(sink)) >= taken, arguments.timeout, step=0.5)
                receipts = receipt_counts(sink)
                counts["receipts owed"] = receipts_owed(call)
                letters, figures, owed_report = letters_with_sigkill(topology, sink, decisions, manager, arguments)
                message_ids = letter_message_ids(decisions)
                server_errors = topology.server_errors()
                per_upstream = topology.requests_per_upstream()
                still_running = [service.name for service in topology.services if not service.running()]
                background_tracebacks = topology.background_tracebacks()
            connection.close()
        engine = f"{arguments.applicants} applicants, {arguments.letters} letters"
        print(f"Topology: nginx, 2 gunicorn × {arguments.workers} sync workers, Celery worker and beat; {engine}")
        rush.report(applicants, moments, deadline_epoch, counts, server_errors)
        receipts_row, receipts_broken = once_row("receipts mailed exactly once", receipts, taken)
        letters_rows, letters_broken = letter_rows(letters, message_ids, figures, len(decisions))
        rows = [
            *([f"requests answered by gunicorn {upstream}", count] for upstream, count in sorted(per_upstream.items())),
            receipts_row,
            *letters_rows,
            ["processes that stopped (must be none)", ", ".join(still_running) or "none"],
            ["tracebacks in the worker's and beat's logs (retried tasks)", background_tracebacks],
        ]
        print()
        harness.print_table(["topology check", "value"], rows, align=["<", ">"])
        five_hundreds = sum(1 for a in applicants for _kind, status, _seconds in a.requests if status >= 500)
        exceptions = sum(1 for a in applicants for _kind, status, _seconds in a.requests if status == 0)
        broken = [
            *problems,
            *([f"{five_hundreds} responses 5xx"] if five_hundreds else []),
            *([f"{exceptions} client exceptions"] if exceptions else []),
            *([f"{server_errors} server tracebacks in gunicorn's logs"] if server_errors else []),
            *([f"receipts: {receipts_row[1]}"] if receipts_broken else []),
            *letters_broken,
            *([f"an instance served no request: {dict(per_upstream)}"] if len(per_upstream) < 2 else []),
            *(["no submission was taken: the receipts were not tried"] if not taken else []),
            *([f"{counts['receipts owed']} receipts still owed"] if counts["receipts owed"] else []),
            *([f"stopped: {', '.join(still_running)}"] if still_running else []),
        ]
        if owed_report:
            print(f"\n{owed_report}\n")
        for problem in broken:
            print(f"BROKEN: {problem}")
    finally:
        if not arguments.keep:
            harness.recreate_database(server, arguments.database, create=False)
            shutil.rmtree(folder, ignore_errors=True)
        else:
            harness.progress(f"kept: database {arguments.database}, folder {folder}")
        empty_redis(arguments)
    print("all checks passed" if not broken else f"{len(broken)} checks broken")
    return 1 if broken else 0


if __name__ == "__main__":
    sys.exit(main())
