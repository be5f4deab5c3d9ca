"""What the benchmarks that serve the portal share: a throw-away PostgreSQL database, the environment the portal's
own settings read, collected static files, gunicorn on a free port, and a small HTTP client that keeps cookies.

The portal runs with DEBUG off and its real settings (maasland/settings.py); only the environment differs. Requests
carry `X-Forwarded-Proto: https`, as behind the TLS-terminating proxy of production, so the HTTPS redirect, the
secure cookies and the CSRF origin check all stay on.
"""

import hashlib
import http.client
import os
import secrets
import signal
import socket
import statistics
import subprocess
import sys
import time
import uuid
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BENCH_DIR = ROOT / "bench"
DEFAULT_POSTGRES_URL = "postgres://postgres@127.0.0.1:5432/postgres"
HOST = "127.0.0.1"


def postgres_server_url():
    return os.environ.get("BENCH_POSTGRES_URL", DEFAULT_POSTGRES_URL)


def database_url(server_url, name):
    return server_url.rsplit("/", 1)[0] + "/" + name


def recreate_database(server_url, name, *, create=True):
    """Drops the database `name` (whoever is connected) and, with `create`, makes it anew."""
    import psycopg

    with psycopg.connect(server_url.replace("postgres://", "postgresql://", 1), autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        if create:
            connection.execute(f'CREATE DATABASE "{name}"')


def portal_environment(database, workdir, **extra):
    """The environment of a production-like portal on `database`, with its files under `workdir`."""
    environment = {
        "DJANGO_SETTINGS_MODULE": "maasland.settings",
        "DATABASE_URL": database,
        "DEBUG": "false",
        "SECRET_KEY": "bench-" + secrets.token_urlsafe(50),
        "ALLOWED_HOSTS": f"{HOST},localhost",
        "MEDIA_ROOT": str(Path(workdir) / "media"),
        # The public pages kept by challenges/page_cache.py: per run, never another run's (or the checkout's) pages.
        "PAGE_CACHE_URL": f"filecache://{Path(workdir) / 'page-cache'}",
        "STATIC_ROOT": str(static_root()),
        "EMAIL_BACKEND": "django.core.mail.backends.dummy.EmailBackend",
        "LOG_LEVEL": "WARNING",
        "PORTAL_BASE_URL": f"https://{HOST}",
    }
    environment.update(extra)
    return environment


def static_root():
    """Where collected static files are kept between runs (under var/, ignored by git): one folder per state of the
    static sources and the lock file, since collecting and compressing them takes minutes on a busy machine."""
    digest = hashlib.sha256((ROOT / "requirements.lock").read_bytes())
    for path in sorted([*ROOT.glob("static/**/*"), *ROOT.glob("*/static/**/*")]):
        if path.is_file() and ".venv" not in path.parts:
            digest.update(str(path.relative_to(ROOT)).encode() + hashlib.sha256(path.read_bytes()).digest())
    return ROOT / "var" / "bench-static" / digest.hexdigest()[:16]


class _NoMigrations:
    """MIGRATION_MODULES for every app: none, so `migrate --run-syncdb` makes the tables from the models at once."""

    def __contains__(self, app_label):
        return True

    def __getitem__(self, app_label):
        return None


def setup_django(environment, *, fixture=True, collect_static=True, migrations=True):
    """Django in this process on the environment's database: migrated, the Maasland fixture loaded, static files
    collected (WhiteNoise's manifest storage needs them when DEBUG is off). Without `migrations` the tables are made
    straight from the models, as the tests do (--nomigrations): seconds instead of a minute on PostgreSQL."""
    os.environ.update(environment)
    for path in (str(ROOT), str(BENCH_DIR)):
        if path not in sys.path:
            sys.path.insert(0, path)
    import django

    django.setup()
    from django.core.management import call_command

    started = time.perf_counter()
    if not migrations:
        from django.conf import settings

        settings.MIGRATION_MODULES = _NoMigrations()
    call_command("migrate", verbosity=0, interactive=False, run_syncdb=not migrations)
    if fixture:
        call_command("loaddata", "maasland", verbosity=0)
    progress(f"database migrated in {time.perf_counter() - started:.0f} s")
    if collect_static and not (Path(os.environ["STATIC_ROOT"]) / "staticfiles.json").exists():
        started = time.perf_counter()
        call_command("collectstatic", verbosity=0, interactive=False)
        progress(f"static files collected in {time.perf_counter() - started:.0f} s")


def progress(message):
    print(message, file=sys.stderr, flush=True)


def free_port():
    with socket.socket() as probe:
        probe.bind((HOST, 0))
        return probe.getsockname()[1]


class Gunicorn:
    """gunicorn serving the portal with sync workers on a free port, its log in a file; a context manager."""

    def __init__(self, environment, *, workers, log_path, settings_module=None):
        self.port = free_port()
        self.log_path = Path(log_path)
        self.environment = {**os.environ, **environment}
        if settings_module:
            self.environment["DJANGO_SETTINGS_MODULE"] = settings_module
        self.command = [
            str(Path(sys.executable).parent / "gunicorn"),
            "maasland.wsgi:application",
            "--chdir",
            str(ROOT),
            "--pythonpath",
            f"{ROOT},{BENCH_DIR}",
            "--bind",
            f"{HOST}:{self.port}",
            "--workers",
            str(workers),
            "--backlog",
            "2048",
            "--timeout",
            "120",
            "--error-logfile",
            str(self.log_path),
            "--log-level",
            "warning",
        ]
        self.process = None

    def __enter__(self):
        self.log = open(self.log_path, "a")
        self.process = subprocess.Popen(self.command, env=self.environment, stdout=self.log, stderr=subprocess.STDOUT)
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"gunicorn stopped at start; see {self.log_path}")
            try:
                if Client(self.port).get("/healthz").status == 200:
                    return self
            except OSError:
                pass
            time.sleep(0.2)
        raise RuntimeError(f"gunicorn did not answer within 60 s; see {self.log_path}")

    def __exit__(self, *exc_info):
        if self.process is not None and self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        self.log.close()

    def server_errors_logged(self):
        """How many tracebacks of unhandled exceptions Django and gunicorn wrote to the log."""
        text = self.log_path.read_text(errors="replace")
        return text.count("Internal Server Error") + text.count("Error handling request")


@dataclass
class Response:
    status: int
    headers: dict
    body: bytes
    seconds: float

    @property
    def text(self):
        return self.body.decode("utf-8", errors="replace")


@dataclass
class Client:
    """One browser: its own cookies, a connection per request (sync gunicorn workers close after each). With `tls`
    it speaks HTTPS, as to nginx in bench/topology.py, and accepts that proxy's self-signed certificate."""

    port: int
    cookies: dict = field(default_factory=dict)
    timeout: float = 600
    tls: bool = False

    def connection(self):
        if self.tls:
            return http.client.HTTPSConnection(HOST, self.port, timeout=self.timeout, context=unverified_tls())
        return http.client.HTTPConnection(HOST, self.port, timeout=self.timeout)

    def request(self, method, path, *, body=None, content_type=None):
        headers = {"Host": f"{HOST}:{self.port}", "X-Forwarded-Proto": "https", "Accept-Language": "nl-BE"}
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{name}={value}" for name, value in self.cookies.items())
        if method == "POST":
            headers["Origin"] = f"https://{HOST}:{self.port}"
            headers["Referer"] = f"https://{HOST}:{self.port}{path}"
            headers["Content-Type"] = content_type or "application/x-www-form-urlencoded"
        connection = self.connection()
        started = time.perf_counter()
        try:
            connection.request(method, path, body=body, headers=headers)
            answer = connection.getresponse()
            content = answer.read()
        finally:
            connection.close()
        seconds = time.perf_counter() - started
        for header in answer.msg.get_all("Set-Cookie") or []:
            self._keep_cookie(header)
        return Response(answer.status, {key.lower(): value for key, value in answer.getheaders()}, content, seconds)

    def get(self, path):
        return self.request("GET", path)

    def post(self, path, fields, files=None):
        if files:
            body, content_type = multipart(fields, files)
        else:
            from urllib.parse import urlencode

            body, content_type = urlencode(fields, doseq=True).encode(), None
        return self.request("POST", path, body=body, content_type=content_type)

    def _keep_cookie(self, header):
        pair, *attributes = header.split(";")
        name, _, value = pair.strip().partition("=")
        expired = any(attribute.strip().lower() == "max-age=0" for attribute in attributes)
        if expired or value in ("", '""'):
            self.cookies.pop(name, None)
        else:
            self.cookies[name] = value


_TLS = []


def unverified_tls():
    """One client TLS context for all requests, trusting any certificate: the proxy's is made for the run."""
    if not _TLS:
        import ssl

        context = ssl.create_default_context()
        context.check_hostname = False
        context.verify_mode = ssl.CERT_NONE
        _TLS.append(context)
    return _TLS[0]


def multipart(fields, files):
    """A multipart/form-data body: `fields` as (name, value) pairs or a dict of values/lists, `files` as
    {name: (file name, bytes, content type)}."""
    boundary = uuid.uuid4().hex
    items = fields.items() if isinstance(fields, dict) else fields
    parts = []
    for name, value in items:
        for single in value if isinstance(value, list | tuple) else [value]:
            parts.append(f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n{single}\r\n'.encode())
    for name, (file_name, content, content_type) in files.items():
        head = (
            f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"; filename="{file_name}"\r\n'
            f"Content-Type: {content_type}\r\n\r\n"
        )
        parts.append(head.encode() + content + b"\r\n")
    parts.append(f"--{boundary}--\r\n".encode())
    return b"".join(parts), f"multipart/form-data; boundary={boundary}"


def percentile(values, share):
    """The nearest-rank percentile of `values` (share between 0 and 1)."""
    ordered = sorted(values)
    if not ordered:
        return float("nan")
    rank = max(1, min(len(ordered), round(share * len(ordered) + 0.5)))
    return ordered[rank - 1]


def median(values):
    return statistics.median(values) if values else float("nan")


def print_table(headers, rows, *, align=None):
    """A Markdown table, so that it can be copied into bench/RESULTS.md as printed."""
    cells = [[str(cell) for cell in row] for row in rows]
    widths = [max(len(header), *(len(row[index]) for row in cells)) for index, header in enumerate(headers)]
    align = align or ["<"] + [">"] * (len(headers) - 1)

    def line(values):
        return (
            "| "
            + " | ".join(f"{value:{side}{width}}" for value, side, width in zip(values, align, widths, strict=True))
            + " |"
        )

    print(line(headers))
    print(
        "|"
        + "|".join(
            ("-" * (width + 1) + ":" if side == ">" else "-" * (width + 2))
            for side, width in zip(align, widths, strict=True)
        )
        + "|"
    )
    for row in cells:
        print(line(row))
