"""Settings of the Maasland call portal, read from the environment (see .env.example)."""

import ipaddress
from pathlib import Path

import environ
from celery.schedules import crontab
from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _
from xstatic.pkg import bootstrap as xstatic_bootstrap

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = BASE_DIR / "var"

env = environ.Env()
environ.Env.read_env(BASE_DIR / ".env", overwrite=False)

DEBUG = env.bool("DEBUG", default=False)

INSECURE_SECRET_KEYS = {"", "change-me", "django-insecure-change-me"}
SECRET_KEY = env.str("SECRET_KEY", default="")
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost"] if DEBUG else [])

# No fallback key, not even with DEBUG on: a key everyone can read in the source signs sessions and password-reset
# links anyone can forge. `make setup` writes a random one into .env (scripts/write_secret_key.py).
secret_key_is_insecure = SECRET_KEY in INSECURE_SECRET_KEYS or SECRET_KEY.startswith("django-insecure")
if not DEBUG:
    if secret_key_is_insecure:
        raise ImproperlyConfigured(
            "SECRET_KEY is missing or a default: set SECRET_KEY to a long random value when DEBUG is off."
        )
    if not ALLOWED_HOSTS:
        raise ImproperlyConfigured(
            "ALLOWED_HOSTS is empty: set ALLOWED_HOSTS to the portal's host names when DEBUG is off."
        )
elif secret_key_is_insecure:
    raise ImproperlyConfigured(
        "SECRET_KEY is missing or a default: `make setup` writes a random one into .env, "
        "or set SECRET_KEY to a long random value."
    )

CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])
# A Dutch page that keeps what was typed, instead of Django's English 403 with debug advice.
CSRF_FAILURE_VIEW = "maasland.views.csrf_failure"

INSTALLED_APPS = [
    "whitenoise.runserver_nostatic",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "crispy_forms",
    "crispy_bootstrap5",
    "simple_history",
    "axes",
    # The second factor (accounts/two_factor.py): authenticator apps (TOTP) and recovery codes (static tokens).
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "maasland.apps.MaaslandConfig",
    "accounts",
    "challenges",
    "mailtemplates",
    "candidacies",
    "jury",
    "office",
    "demo",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "maasland.middleware.StaticFilesMiddleware",
    "csp.middleware.CSPMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "maasland.middleware.ChosenLanguageMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "maasland.middleware.LoggedInNoStoreMiddleware",
    "maasland.middleware.RequestSizeLimitMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "maasland.sessions.StaffSessionMiddleware",
    "accounts.middleware.SecondFactorMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "maasland.urls"
WSGI_APPLICATION = "maasland.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "challenges.context_processors.portal",
                "challenges.context_processors.intake_deadline",
            ],
        },
    },
]

DATABASES = {
    "default": env.db("DATABASE_URL", default=f"sqlite:///{VAR_DIR / 'maasland.sqlite3'}"),
}
DATABASES["default"]["ATOMIC_REQUESTS"] = False
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Simultaneous writers wait for each other instead of failing with "database is locked": every transaction
    # takes the write lock when it starts (IMMEDIATE), a waiting one gives up only after SQLITE_BUSY_TIMEOUT
    # seconds, and readers never block the writer (WAL).
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {
            "transaction_mode": "IMMEDIATE",
            "timeout": env.int("SQLITE_BUSY_TIMEOUT", default=20),
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL",
        }
    )
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
# Login throttling (django-axes): after AXES_FAILURE_LIMIT failures an e-mail address is locked for a while. The
# failures are counted in the database (AxesDatabaseHandler), which every worker and app server shares.
AXES_HANDLER = "axes.handlers.database.AxesDatabaseHandler"
AXES_FAILURE_LIMIT = env.int("AXES_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = env.float("AXES_COOLOFF_HOURS", default=0.5)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_VERBOSE = False
AXES_RESET_ON_SUCCESS = True
AXES_USERNAME_FORM_FIELD = "username"
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
# The client's address, read through the trusted proxies (below), so one client's failures lock out only that client.
AXES_CLIENT_IP_CALLABLE = "maasland.client_address.client_address"
# Off: maasland/admin.py registers django-axes' attempts, logins and failures itself, in Dutch, with an unlock action.
AXES_ENABLE_ADMIN = False
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "candidacies:candidacy_list"
LOGOUT_REDIRECT_URL = "challenges:call_list"

LANGUAGE_CODE = "nl-be"
LANGUAGES = [("nl-be", _("Dutch")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
FORMAT_MODULE_PATH = ["maasland.formats"]
TIME_ZONE = "Europe/Brussels"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = env.path("STATIC_ROOT", default=BASE_DIR / "staticfiles")
STATICFILES_DIRS = [BASE_DIR / "static", ("bootstrap", xstatic_bootstrap.BASE_DIR)]
MEDIA_ROOT = env.path("MEDIA_ROOT", default=VAR_DIR / "media")
MEDIA_URL = None  # files are private: served only through views that check who asks
FIXTURE_DIRS = [BASE_DIR / "fixtures"]
# In development WhiteNoise serves straight from the apps and packages; in production from collectstatic.
WHITENOISE_USE_FINDERS = DEBUG
WHITENOISE_AUTOREFRESH = DEBUG
# Static files are the portal's own: no Access-Control-Allow-Origin (WhiteNoise's default is `*`). Source maps and the
# manifest are not served at all (maasland/middleware.py: StaticFilesMiddleware).
WHITENOISE_ALLOW_ALL_ORIGINS = False
# Uploads, letters and weerwoord attachments go through Django's storage API only (docs/storage-and-cache.md), so
# every app server reads the same files from one store: FILE_STORAGE_BACKEND is `filesystem` (MEDIA_ROOT, the
# default; shared by several servers only as a network folder), `s3` (an S3-compatible object store through
# django-storages, set up from AWS_STORAGE_BUCKET_NAME and the other AWS_* variables) or any backend's dotted path.
# FILE_STORAGE_OPTIONS (JSON) is added to the backend's options.
FILE_STORAGE_BACKENDS = {
    "filesystem": "django.core.files.storage.FileSystemStorage",
    "s3": "storages.backends.s3.S3Storage",
}
FILE_STORAGE_BACKEND = env.str("FILE_STORAGE_BACKEND", default="filesystem")
FILE_STORAGE_OPTIONS = {}
if FILE_STORAGE_BACKEND == "s3":
    # Credentials: AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY from the environment, read by django-storages and
    # boto3 themselves (or the machine's role). Objects are private (the bucket's own ACL) and never overwritten:
    # every upload gets a name of its own, and the portal serves them through its views, never by a bucket URL.
    if not env.str("AWS_STORAGE_BUCKET_NAME", default=""):
        raise ImproperlyConfigured("FILE_STORAGE_BACKEND=s3 needs AWS_STORAGE_BUCKET_NAME: the bucket of the files.")
    FILE_STORAGE_OPTIONS = {
        "bucket_name": env.str("AWS_STORAGE_BUCKET_NAME"),
        "endpoint_url": env.str("AWS_S3_ENDPOINT_URL", default=None),
        "region_name": env.str("AWS_S3_REGION_NAME", default=None),
        "location": env.str("AWS_LOCATION", default=""),
        "addressing_style": env.str("AWS_S3_ADDRESSING_STYLE", default=None),
        "file_overwrite": False,
    }
STORAGES = {
    "default": {
        "BACKEND": FILE_STORAGE_BACKENDS.get(FILE_STORAGE_BACKEND, FILE_STORAGE_BACKEND),
        "OPTIONS": FILE_STORAGE_OPTIONS | env.json("FILE_STORAGE_OPTIONS", default={}),
    },
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if DEBUG
        else "whitenoise.storage.CompressedManifestStaticFilesStorage"
    },
}

# Candidacy attachments: PDF, DOCX or ODT, checked from their bytes.
# "immediate": the receipt is queued as a task (candidacies.tasks.mail_receipt) once the submission commits. "queued":
# the request only records it (the version is the outbox) and the sweep mails it: beat's `send_pending_receipts`
# every RECEIPT_SWEEP_SECONDS, or `manage.py send_receipts --loop 10` without a broker. Without a broker a task runs
# in the request itself: "queued" is then the choice for the deadline rush, where printing 300 PDFs inside the last
# minute's requests would make applicants wait past 23:59.
RECEIPT_MAIL = env.str("RECEIPT_MAIL", default="immediate")
if RECEIPT_MAIL not in {"immediate", "queued"}:
    raise ImproperlyConfigured("RECEIPT_MAIL is 'immediate' or 'queued'.")
ATTACHMENT_MAX_SIZE = env.int("ATTACHMENT_MAX_SIZE", default=10 * 1024 * 1024)
ATTACHMENT_MAX_COUNT = env.int("ATTACHMENT_MAX_COUNT", default=5)
# Largest total of the files inside a DOCX or ODT once really unpacked (counted while unpacking, whatever the archive
# declares), the most files in one, and how deep documents may sit inside documents (a chart's workbook in a DOCX is
# one level): beyond these it is a zip bomb. A PDF with more objects than the last is refused unread.
ATTACHMENT_MAX_UNPACKED_SIZE = env.int("ATTACHMENT_MAX_UNPACKED_SIZE", default=100 * 1024 * 1024)
ATTACHMENT_MAX_MEMBERS = env.int("ATTACHMENT_MAX_MEMBERS", default=1000)
ATTACHMENT_MAX_NESTING = env.int("ATTACHMENT_MAX_NESTING", default=2)
ATTACHMENT_PDF_MAX_OBJECTS = env.int("ATTACHMENT_PDF_MAX_OBJECTS", default=20_000)
# Form fields (not files) of one request; a larger body is refused before it is read.
DATA_UPLOAD_MAX_MEMORY_SIZE = 2_621_440
# A request body larger than this is refused with 413 before it is read (maasland/middleware.py:
# RequestSizeLimitMiddleware). Room for a file up to twice ATTACHMENT_MAX_SIZE, which then reaches its form and is
# refused at the field with everything typed kept; anything larger is not worth reading.
REQUEST_MAX_SIZE = env.int("REQUEST_MAX_SIZE", default=2 * ATTACHMENT_MAX_SIZE + DATA_UPLOAD_MAX_MEMORY_SIZE)
# Files up to this size stay in memory while the request is read; larger ones go to a temporary file.
FILE_UPLOAD_MAX_MEMORY_SIZE = 2_621_440
# Each form carries one file: more in one request is refused (400) before any is read.
DATA_UPLOAD_MAX_NUMBER_FILES = 5
# The size limit is enforced while the bytes arrive (maasland/uploads.py): a file over ATTACHMENT_MAX_SIZE is
# dropped as soon as it passes the limit, and the form says it is too large at its field.
FILE_UPLOAD_HANDLERS = [
    "maasland.uploads.SizeLimitUploadHandler",
    "django.core.files.uploadhandler.MemoryFileUploadHandler",
    "django.core.files.uploadhandler.TemporaryFileUploadHandler",
]
FILE_UPLOAD_PERMISSIONS = 0o640

EMAIL_BACKEND = env.str("EMAIL_BACKEND", default="django.core.mail.backends.console.EmailBackend")
EMAIL_HOST = env.str("EMAIL_HOST", default="localhost")
EMAIL_PORT = env.int("EMAIL_PORT", default=25)
EMAIL_HOST_USER = env.str("EMAIL_HOST_USER", default="")
EMAIL_HOST_PASSWORD = env.str("EMAIL_HOST_PASSWORD", default="")
EMAIL_USE_TLS = env.bool("EMAIL_USE_TLS", default=False)
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="Lokaal Partnerschap Maasland <noreply@maasland.example>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
# Only for EMAIL_BACKEND=django.core.mail.backends.filebased.EmailBackend: the folder each sent mail is written to
# (a test of the whole set-up counts the mails there).
EMAIL_FILE_PATH = env.str("EMAIL_FILE_PATH", default=str(VAR_DIR / "mails"))

# Background work (maasland/celery.py, docs/tasks.md): with CELERY_BROKER_URL (e.g. redis://127.0.0.1:6379/0) tasks
# go to `celery -A maasland worker`; unset, each task runs in the process that queues it, after the commit.
CELERY_BROKER_URL = env.str("CELERY_BROKER_URL", default="")
CELERY_TASK_ALWAYS_EAGER = not CELERY_BROKER_URL
CELERY_TASK_EAGER_PROPAGATES = False
CELERY_TASK_IGNORE_RESULT = True
# A task is acknowledged when it has run, and given back when its worker is killed: the broker hands it out again
# after CELERY_VISIBILITY_TIMEOUT seconds without an acknowledgement, so this must exceed the longest task.
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_VISIBILITY_TIMEOUT = env.int("CELERY_VISIBILITY_TIMEOUT", default=900)
CELERY_BROKER_TRANSPORT_OPTIONS = {
    "visibility_timeout": CELERY_VISIBILITY_TIMEOUT,
    "unacked_restore_interval": max(1, min(10, CELERY_VISIBILITY_TIMEOUT // 2)),
    "unacked_restore_throttle": 1,
    # The lock a worker holds while it gives tasks back (kombu's default: 300 s) outlives a worker killed holding it:
    # no worker could give any task back until it expires (bench/topology.py's SIGKILL).
    "unacked_mutex_expire": max(1, min(10, CELERY_VISIBILITY_TIMEOUT // 2)),
}
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_TASK_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TIMEZONE = "Europe/Brussels"
# `celery -A maasland beat`: the reminders each day at REMINDER_HOUR (Brussels), and the sweeps of the receipts and
# letters a task did not mail (a broker that was down, a mail server that refused every retry).
REMINDER_HOUR = env.int("REMINDER_HOUR", default=7)
RECEIPT_SWEEP_SECONDS = env.int("RECEIPT_SWEEP_SECONDS", default=60)
CELERY_BEAT_SCHEDULE = {
    "send-reminders": {"task": "office.tasks.send_reminders", "schedule": crontab(hour=REMINDER_HOUR, minute=0)},
    "send-pending-receipts": {"task": "candidacies.tasks.send_pending_receipts", "schedule": RECEIPT_SWEEP_SECONDS},
    "mail-pending-letters": {"task": "jury.tasks.mail_pending_letters", "schedule": 300},
}

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

# The reverse proxies in front of the portal (addresses or CIDR ranges, e.g. 127.0.0.1,10.0.0.0/24): only from these
# is X-Forwarded-For believed, read from the right (maasland/client_address.py). Empty: every request's own address.
TRUSTED_PROXIES = env.list("TRUSTED_PROXIES", default=[])
for _proxy in TRUSTED_PROXIES:
    try:
        ipaddress.ip_network(_proxy, strict=False)
    except ValueError as error:
        raise ImproperlyConfigured(f"TRUSTED_PROXIES: {_proxy!r} is no IP address or CIDR range.") from error


# The cache: the mail limits count in it (maasland/mail_limits.py). Local memory (the default) counts per process;
# CACHE_URL=redis://127.0.0.1:6379/1 makes it django-redis, shared by every worker and app server, whose counters go
# up atomically and keep their window (docs/storage-and-cache.md). `?key_prefix=maasland` keeps two portals on one
# Redis database apart.
def _cache_config(url):
    return env.cache_url_config(
        url, backend="django_redis.cache.RedisCache" if url.startswith(("redis", "valkey")) else None
    )


CACHE_URL = env.str("CACHE_URL", default="locmemcache://")
CACHES = {"default": _cache_config(CACHE_URL)}
# The public pages of the calls (challenges/page_cache.py), in a cache that every process serving the portal shares, so
# that a change saved through one drops the kept pages for all: unset, a folder under var/ (one server); several
# servers set PAGE_CACHE_URL to a shared cache, e.g. redis://127.0.0.1:6379/2.
CACHES["pages"] = _cache_config(env.str("PAGE_CACHE_URL", default=f"filecache://{VAR_DIR / 'page-cache'}"))
# Mails anyone can make the portal send (new password, sign-up, invitations to an organisation or a jury): at most
# MAIL_LIMIT_PER_ADDRESS to one address and MAIL_LIMIT_PER_CLIENT for one client, per kind, in MAIL_LIMIT_WINDOW
# seconds (maasland/mail_limits.py). Over the limit the mail is not sent and the answer is the same.
MAIL_LIMIT_PER_ADDRESS = env.int("MAIL_LIMIT_PER_ADDRESS", default=3)
MAIL_LIMIT_PER_CLIENT = env.int("MAIL_LIMIT_PER_CLIENT", default=10)
MAIL_LIMIT_WINDOW = env.int("MAIL_LIMIT_WINDOW", default=60 * 60)
# An invitation to join an organisation, and the link to choose a password in an invitation to a jury, work this
# many days after they were sent; sending again gives a new one.
INVITATION_VALID_DAYS = env.int("INVITATION_VALID_DAYS", default=7)

# Production hardening: on when DEBUG is off; behind a TLS-terminating proxy that sets X-Forwarded-Proto.
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=not DEBUG)
SESSION_COOKIE_SECURE = env.bool("SESSION_COOKIE_SECURE", default=not DEBUG)
CSRF_COOKIE_SECURE = env.bool("CSRF_COOKIE_SECURE", default=not DEBUG)
SESSION_COOKIE_HTTPONLY = True
# Sessions are rows in the database, which every worker and app server shares: a person's next request may reach
# any of them. Not the cache: with the default local memory each process would know only its own sessions.
SESSION_ENGINE = "django.contrib.sessions.backends.db"
SESSION_COOKIE_SAMESITE = "Lax"
# No script of the portal or of Django admin reads the CSRF cookie: forms carry the token.
CSRF_COOKIE_HTTPONLY = True
CSRF_COOKIE_SAMESITE = "Lax"
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=0 if DEBUG else 31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env.bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", default=True)
SECURE_HSTS_PRELOAD = env.bool("SECURE_HSTS_PRELOAD", default=not DEBUG)
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"

# Content Security Policy (django-csp) on every page, Django admin included: scripts and styles come from our own
# static files only, never inline; no page may be framed. Bootstrap's icons in CSS are data: images.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    },
}

# Staff (call managers, superusers) hold every proposal and score: their session ends when the browser closes,
# after STAFF_SESSION_IDLE seconds without a request, and STAFF_SESSION_AGE seconds after logging in at the latest.
STAFF_SESSION_AGE = env.int("STAFF_SESSION_AGE", default=8 * 60 * 60)
STAFF_SESSION_IDLE = env.int("STAFF_SESSION_IDLE", default=2 * 60 * 60)

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
    # Without a broker each task's "succeeded" line would follow every mail in the server's log; failures still show.
    "loggers": {
        name: {"level": "WARNING"}
        for name in ["axes", "weasyprint", "fontTools", *(["celery.app.trace"] if CELERY_TASK_ALWAYS_EAGER else [])]
    },
}

PORTAL_NAME = env.str("PORTAL_NAME", default="Lokaal Partnerschap Maasland")
# The second factor (accounts/two_factor.py): the name authenticator apps show beside the account.
OTP_TOTP_ISSUER = PORTAL_NAME
# The portal's public address, for links in e-mails (which have no request to take the host from).
PORTAL_BASE_URL = env.str("PORTAL_BASE_URL", default="http://127.0.0.1:8000")

# Personal data (GDPR): who answers questions about it, and how long after the end of a call's year its applicants'
# and jurors' personal data are kept before `manage.py anonymise_calls` replaces them (ESF+ keeping period: 5 years).
PRIVACY_CONTACT_EMAIL = env.str("PRIVACY_CONTACT_EMAIL", default="privacy@maasland.example")
ANONYMISE_AFTER_YEARS = env.int("ANONYMISE_AFTER_YEARS", default=5)
