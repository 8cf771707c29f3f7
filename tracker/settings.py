"""Settings for Exchange Tracker, read from environment variables with safe defaults.

The embedded default (no variables set) is a SQLite file next to manage.py, console email and
the immediate task backend, so a newcomer can clone and run. Production sets DATABASE_URL,
SECRET_KEY, DEBUG=0, ALLOWED_HOSTS and an SMTP email backend.
"""

import os
import re
from pathlib import Path

import dj_database_url
from cryptography.fernet import Fernet
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    lowered = value.strip().lower()
    if lowered in {"1", "true", "yes", "on"}:
        return True
    if lowered in {"0", "false", "no", "off"}:
        return False
    raise ImproperlyConfigured(f"{name} must be a boolean (1/0, true/false), got {value!r}")


def env_int(name: str, default: int) -> int:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    try:
        return int(value)
    except ValueError:
        raise ImproperlyConfigured(f"{name} must be an integer, got {value!r}") from None


def env_list(name: str, default: str) -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


def env_choice(name: str, default: str, choices: tuple[str, ...]) -> str:
    value = os.environ.get(name) or default
    if value not in choices:
        raise ImproperlyConfigured(f"{name} must be one of {', '.join(choices)}; got {value!r}")
    return value


DEBUG = env_bool("DEBUG", True)
SECRET_KEY = os.environ.get("SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured("SECRET_KEY must be set when DEBUG is off")
    SECRET_KEY = "insecure-development-key-do-not-use-in-production"
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost,[::1]")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", "")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_fsm",
    "django_fsm_log",
    "django_tables2",
    "django_filters",
    "django_tasks",
    "django_tasks_db",
    "axes",
    "csp",
    "simple_history",
    # Second factor (MFA): TOTP devices and one-time recovery codes (docs/decisions/0004-mfa.md).
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "tracker",
    "cases",
    "referrals",
    "reports",
    "reminders",
    "signin",
    "api",
    # django-ninja: its templates and Swagger UI static files, so the docs page is served from
    # our own static files (without it ninja falls back to a CDN page).
    "ninja",
]
# Transition logs (django-fsm-log's SimpleBackend, its default) are written as each transition
# runs; a bulk service writes its rows in one insert (tracker/transition_log.py).

MIDDLEWARE = [
    # First, so every log line of the request (and the 500 page) carries its id.
    "tracker.request_id.RequestIdMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # One access-log line and the request metrics per request, timing all that follows. After
    # WhiteNoise: a page's static files are neither logged nor counted.
    "tracker.access_log.AccessLogMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # MFA: marks request.user verified when this session confirmed a second factor.
    "django_otp.middleware.OTPMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    # Idle and absolute session limits (signin/); needs the user and messages.
    "signin.middleware.SessionLimitsMiddleware",
    # Field history records the signed-in user who made each change (django-simple-history).
    "simple_history.middleware.HistoryRequestMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    # After WhiteNoise, which answers static files itself, so they keep their caching.
    "tracker.middleware.NoStoreForSignedInMiddleware",
    # Every page needs a signed-in user unless its view opts out (login, static).
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    # MFA: until verified, keeps users who need a second factor on the verify/enrol pages.
    "tracker.mfa.middleware.SecondFactorMiddleware",
    # Turns a refused (locked) login into the lockout page; axes wants it last.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "tracker.urls"
WSGI_APPLICATION = "tracker.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "tracker.context_processors.roles",
                "search.context.search_box",
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
        conn_max_age=env_int("CONN_MAX_AGE", 0),
        # With persistent connections, a connection the server closed (a PostgreSQL restart) is
        # found and replaced when a request starts, instead of failing that request.
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # SQLite as a real embedded database for a handful of people: WAL lets readers work while
    # one writes; IMMEDIATE takes the write lock when a transaction starts (no deadlock when
    # two read-then-write transactions meet); writers wait up to SQLITE_BUSY_TIMEOUT seconds
    # for the lock instead of failing with "database is locked".
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {
            "timeout": env_int("SQLITE_BUSY_TIMEOUT", 20),
            "transaction_mode": "IMMEDIATE",
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        }
    )
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql" and not env_bool(
    "DATABASE_JIT", False
):
    # PostgreSQL compiles a query to machine code once its estimated cost passes jit_above_cost:
    # the deep pages of the lists at a million cases spent 120 ms of a 390 ms query compiling
    # (issue 12). Our queries are short OLTP reads and writes that never win that back.
    options = DATABASES["default"].setdefault("OPTIONS", {})
    options["options"] = f"{options.get('options', '')} -c jit=off".strip()
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "tracker.User"
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "en-us"
# The PAL program is Minnesota's: Central time. Every timestamp shown carries its zone.
TIME_ZONE = os.environ.get("TIME_ZONE", "America/Chicago")
# tracker/formats/en/formats.py: one date and time format for the app's templates and the admin.
FORMAT_MODULE_PATH = ["tracker.formats"]
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    # Everything written under MEDIA_ROOT is encrypted, mode 0600 (tracker/storage.py).
    "default": {"BACKEND": "tracker.storage.EncryptedFileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", BASE_DIR / "media"))

EMAIL_BACKEND = os.environ.get("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("EMAIL_PORT", 25)
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "exchange-tracker@localhost")

# Immediate backend by default; production uses the database worker (README).
TASKS = {
    "default": {
        "BACKEND": os.environ.get(
            "TASKS_BACKEND", "django_tasks.backends.immediate.ImmediateBackend"
        ),
        "QUEUES": ["default"],
    }
}

SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SECURE = not DEBUG
CSRF_COOKIE_SECURE = not DEBUG
SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"
# HTTPS only once DEBUG is off (README, "Production"). HSTS and the redirect can be turned off by
# environment for a first deployment that is not on HTTPS yet; `check --deploy` then says so.
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", not DEBUG)
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 0 if DEBUG else 31_536_000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", not DEBUG)
# The preload directive does nothing until someone submits the domain to hstspreload.org.
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", not DEBUG)
# Behind a TLS-terminating proxy: "HTTP_X_FORWARDED_PROTO,https". Only set it when the proxy
# always sets (and overwrites) that header, or a client could claim HTTPS on a plain connection.
_proxy_ssl_header = env_list("SECURE_PROXY_SSL_HEADER", "")
if _proxy_ssl_header and len(_proxy_ssl_header) != 2:
    raise ImproperlyConfigured(
        "SECURE_PROXY_SSL_HEADER must be HEADER,value, e.g. HTTP_X_FORWARDED_PROTO,https"
    )
SECURE_PROXY_SSL_HEADER = tuple(_proxy_ssl_header) or None

# Content-Security-Policy (django-csp; docs/decisions/0005-csp.md): our own files only, no inline
# script or style anywhere, the Django admin included.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
        "object-src": ["'none'"],
    }
}

DJANGO_TABLES2_TEMPLATE = "django_tables2/bootstrap4.html"

# Cases older than this many business days are highlighted in every work list.
CASE_AGE_ALERT_BUSINESS_DAYS = env_int("CASE_AGE_ALERT_BUSINESS_DAYS", 5)
# Largest spreadsheet upload accepted, in bytes. Every sheet the app writes must fit whole
# (issue 12): a 100,000-row hand-off is 6.4–9.1 MB, so 20 MiB leaves room for 150,000 rows.
UPLOAD_MAX_BYTES = env_int("UPLOAD_MAX_BYTES", 20 * 1024 * 1024)
# Most rows one uploaded sheet may hold (DESIGN.md "Limits"); refused at the first row past it.
# Above the largest hand-off we expect (100,000 true tracker cases) with room to spare.
SHEET_MAX_ROWS = env_int("SHEET_MAX_ROWS", 150_000)
# Problems kept per upload; past this only counts per column are kept.
SHEET_MAX_ERRORS = env_int("SHEET_MAX_ERRORS", 200)

# Multi-factor authentication (IA-2). Roles whose members must confirm a code from an
# authenticator app after the password; empty = nobody (then only users an Admin marks).
# Full SSNs are shown only to sessions verified with a second factor, whatever this says.
MFA_REQUIRED_ROLES = env_list("MFA_REQUIRED_ROLES", "State Monitor,Admin")
# The name authenticator apps show next to the code (tell a test instance from production).
OTP_TOTP_ISSUER = os.environ.get("MFA_ISSUER", "Exchange Tracker")
# The Django admin may reset someone's devices but never read their secrets.
OTP_ADMIN_HIDE_SENSITIVE_DATA = True

# ---- Health and monitoring (README "Health and monitoring") ---------------------------------
# /readyz fails ("oldest_unsent_lead") when a lead email has waited longer than this to go out:
# the retries of one failing lead take 21 minutes before its fourth try (referrals/delivery.py).
READY_UNSENT_LEAD_MAX_MINUTES = env_int("READY_UNSENT_LEAD_MAX_MINUTES", 30)
# /readyz fails ("worker_heartbeat") when the task worker has not run its heartbeat task for this
# long (only with the database task backend: the immediate backend has no worker).
READY_WORKER_HEARTBEAT_MAX_MINUTES = env_int("READY_WORKER_HEARTBEAT_MAX_MINUTES", 5)
# How often the worker's heartbeat task runs (tracker/heartbeat.py).
WORKER_HEARTBEAT_SECONDS = env_int("WORKER_HEARTBEAT_SECONDS", 60)
for _name in [
    "READY_UNSENT_LEAD_MAX_MINUTES",
    "READY_WORKER_HEARTBEAT_MAX_MINUTES",
    "WORKER_HEARTBEAT_SECONDS",
]:
    if globals()[_name] < 1:
        raise ImproperlyConfigured(f"{_name} must be at least 1, got {globals()[_name]}")
# /metrics answers only a request with "Authorization: Bearer <this>"; unset, /metrics is a 404.
METRICS_TOKEN = os.environ.get("METRICS_TOKEN", "").strip()
if METRICS_TOKEN and len(METRICS_TOKEN) < 16:
    raise ImproperlyConfigured("METRICS_TOKEN must be at least 16 characters when it is set")
# prometheus_client reads PROMETHEUS_MULTIPROC_DIR itself (tracker/metrics.py); a directory that
# is not there would fail every request's first metric, so say so at start-up instead.
_metrics_dir = os.environ.get("PROMETHEUS_MULTIPROC_DIR", "")
if _metrics_dir and not Path(_metrics_dir).is_dir():
    raise ImproperlyConfigured(
        f"PROMETHEUS_MULTIPROC_DIR must be an existing directory, got {_metrics_dir!r}"
    )
# "plain" (a line of text) or "json" (one JSON object a line, for a log collector).
LOG_FORMAT = env_choice("LOG_FORMAT", "plain", ("plain", "json"))
# Health probes often reach gunicorn over plain HTTP from the proxy or the orchestrator: they
# carry no personal data, so they are not redirected to HTTPS.
SECURE_REDIRECT_EXEMPT = [r"^healthz$", r"^readyz$"]

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {
        "request_id": {"()": "tracker.request_id.RequestIdFilter"},
        # No SSN in the logs: anything SSN-shaped is masked before it is written.
        "redact_ssns": {"()": "tracker.log_redaction.RedactSsns"},
    },
    "formatters": {
        "plain": {
            "format": "%(asctime)s %(levelname)s %(name)s [request %(request_id)s] %(message)s"
        },
        # One object a line, only the fields tracker/log_json.py lets through (no personal data).
        "json": {"()": "tracker.log_json.JsonFormatter"},
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "filters": ["request_id", "redact_ssns"],
            "formatter": LOG_FORMAT,
        }
    },
    # The filter on django.request too, so the record itself (and any handler) has the id.
    # runserver's request lines carry the query string (a search box query may be an SSN): they
    # go through the same redacting handler.
    "loggers": {
        "django.request": {"filters": ["request_id"]},
        "django.server": {"handlers": ["console"], "level": "INFO", "propagate": False},
        # One line per request (tracker/access_log.py): path without query, status, duration.
        "tracker.access": {
            "handlers": ["console"],
            "level": "INFO" if env_bool("ACCESS_LOG", True) else "WARNING",
            "propagate": False,
        },
    },
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "WARNING")},
}

# Absolute address of the app, for links in emails.
SITE_URL = os.environ.get("SITE_URL", "http://127.0.0.1:8000")

# ---- Sign-in protection (signin/): lockout after failed logins (AC-7), session limits (AC-11/12)
# An account is locked after LOGIN_FAILURE_LIMIT consecutive failures within
# LOGIN_FAILURE_WINDOW_MINUTES, for LOCKOUT_MINUTES or until an Admin clears it. A client address
# is paused after LOGIN_ADDRESS_FAILURE_LIMIT failures (any usernames) within
# LOGIN_ADDRESS_WINDOW_MINUTES, for LOGIN_ADDRESS_LOCKOUT_MINUTES: higher than the account limit
# because a whole call-center floor can share one NAT address (docs/decisions/0003).
LOGIN_FAILURE_LIMIT = env_int("LOGIN_FAILURE_LIMIT", 3)
LOGIN_FAILURE_WINDOW_MINUTES = env_int("LOGIN_FAILURE_WINDOW_MINUTES", 120)
LOCKOUT_MINUTES = env_int("LOCKOUT_MINUTES", 60)
LOGIN_ADDRESS_FAILURE_LIMIT = env_int("LOGIN_ADDRESS_FAILURE_LIMIT", 50)
LOGIN_ADDRESS_WINDOW_MINUTES = env_int("LOGIN_ADDRESS_WINDOW_MINUTES", 15)
LOGIN_ADDRESS_LOCKOUT_MINUTES = env_int("LOGIN_ADDRESS_LOCKOUT_MINUTES", 15)
LOCKOUT_CONTACT = os.environ.get("LOCKOUT_CONTACT", "your supervisor or the exchange's help desk")
# How many proxies in front of the app append to X-Forwarded-For (0: use the peer address).
TRUSTED_PROXY_COUNT = env_int("TRUSTED_PROXY_COUNT", 0)
SESSION_IDLE_TIMEOUT_MINUTES = env_int("SESSION_IDLE_TIMEOUT_MINUTES", 15)
SESSION_IDLE_WARNING_SECONDS = env_int("SESSION_IDLE_WARNING_SECONDS", 60)
SESSION_ABSOLUTE_HOURS = env_int("SESSION_ABSOLUTE_HOURS", 12)
SESSION_EXPIRE_AT_BROWSER_CLOSE = env_bool("SESSION_EXPIRE_AT_BROWSER_CLOSE", True)
# The stored session never outlives the absolute limit either.
SESSION_COOKIE_AGE = SESSION_ABSOLUTE_HOURS * 3600
for _name in [
    "LOGIN_FAILURE_LIMIT",
    "LOGIN_FAILURE_WINDOW_MINUTES",
    "LOCKOUT_MINUTES",
    "LOGIN_ADDRESS_FAILURE_LIMIT",
    "LOGIN_ADDRESS_WINDOW_MINUTES",
    "LOGIN_ADDRESS_LOCKOUT_MINUTES",
    "SESSION_IDLE_TIMEOUT_MINUTES",
    "SESSION_IDLE_WARNING_SECONDS",
    "SESSION_ABSOLUTE_HOURS",
]:
    if globals()[_name] < 1:
        raise ImproperlyConfigured(f"{_name} must be at least 1, got {globals()[_name]}")
if TRUSTED_PROXY_COUNT < 0:
    raise ImproperlyConfigured(f"TRUSTED_PROXY_COUNT must be 0 or more, got {TRUSTED_PROXY_COUNT}")

# django-axes refuses a locked login before the password is checked; our handler decides who is
# locked (the two limits above) and records each lockout (signin.models.Lockout).
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_HANDLER = "signin.lockout.LockoutHandler"
AXES_CLIENT_IP_CALLABLE = "signin.client_address.client_address"
AXES_LOCKOUT_CALLABLE = "signin.views.locked_out"
AXES_FAILURE_LIMIT = LOGIN_FAILURE_LIMIT
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
# Attempts during a lockout are logged but neither extend it nor count toward the next one.
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False
AXES_ENABLE_ACCESS_FAILURE_LOG = True
AXES_ENABLE_ADMIN = False  # signin/admin.py registers read-only views of the logs we use
AXES_VERBOSE = False
# ---- Encryption at rest (docs/decisions/0001-field-encryption.md) --------------------------
GENERATE_KEY = (
    'python -c "from cryptography.fernet import Fernet; print(Fernet.generate_key().decode())"'
)


def env_fernet_keys(name: str) -> list[str]:
    """A comma-separated list of Fernet keys; fails loudly (without echoing a key) on a bad one."""
    keys = env_list(name, "")
    for number, key in enumerate(keys, start=1):
        try:
            Fernet(key)
        except ValueError:
            raise ImproperlyConfigured(
                f"{name}: key {number} of {len(keys)} is not a Fernet key (32 url-safe "
                f"base64-encoded bytes). Generate one with: {GENERATE_KEY}"
            ) from None
    return keys


def env_secret(name: str, *, min_length: int) -> str:
    value = os.environ.get(name, "").strip()
    if value and len(value) < min_length:
        raise ImproperlyConfigured(
            f"{name} must be at least {min_length} characters. Generate one with: {GENERATE_KEY}"
        )
    return value


# SSNs and kept uploads are encrypted with keys of their own, never derived from SECRET_KEY. The
# first key encrypts, every key decrypts; after `manage.py rotate_encryption_keys` the old ones
# can be removed.
FIELD_ENCRYPTION_KEYS = env_fernet_keys("FIELD_ENCRYPTION_KEYS")
# HMAC key of the blind index that finds an SSN by exact match.
BLIND_INDEX_KEY = env_secret("BLIND_INDEX_KEY", min_length=32)
ENCRYPTION_KEYS_FROM_ENVIRONMENT = bool(FIELD_ENCRYPTION_KEYS and BLIND_INDEX_KEY)
if not ENCRYPTION_KEYS_FROM_ENVIRONMENT:
    if not DEBUG:
        missing = [
            name
            for name, value in (
                ("FIELD_ENCRYPTION_KEYS", FIELD_ENCRYPTION_KEYS),
                ("BLIND_INDEX_KEY", BLIND_INDEX_KEY),
            )
            if not value
        ]
        raise ImproperlyConfigured(
            f"{' and '.join(missing)} must be set when DEBUG is off: SSNs and kept uploads are "
            f"encrypted with them. Generate each key with: {GENERATE_KEY}"
        )
    # Fixed, public development keys, so a newcomer's clone runs; tracker.W001 says so loudly.
    FIELD_ENCRYPTION_KEYS = FIELD_ENCRYPTION_KEYS or [
        "ZXhjaGFuZ2UtdHJhY2tlci1kZXZlbG9wbWVudC1rZXk="  # "exchange-tracker-development-key"
    ]
    BLIND_INDEX_KEY = BLIND_INDEX_KEY or "exchange-tracker-development-blind-index-key"

FILE_UPLOAD_PERMISSIONS = 0o600
FILE_UPLOAD_DIRECTORY_PERMISSIONS = 0o700
# Requests carrying an upload up to UPLOAD_MAX_BYTES (plus the form around it) stay in memory:
# an accepted sheet is never written in clear to a temporary file.
FILE_UPLOAD_MAX_MEMORY_SIZE = UPLOAD_MAX_BYTES + 64 * 1024
# Kept upload files are deleted this many days after upload (`manage.py purge_uploads`); the
# upload's record and outcome stay.
UPLOAD_RETENTION_DAYS = env_int("UPLOAD_RETENTION_DAYS", 90)
# The home page counts a case waiting longer than this in a work queue as late (issue 13); the
# seeds set no deadline for the MCO tracker's queues, so this is the exchange's own target.
QUEUE_TARGET_BUSINESS_DAYS = env_int("QUEUE_TARGET_BUSINESS_DAYS", 5)
# What a lead email carries: "full" (the seed's content: the consumer's contact details and
# answers) or "minimal" (county, assister type, why, and a link to the lead behind login).
LEAD_EMAIL_DETAIL = env_choice("LEAD_EMAIL_DETAIL", "full", ("full", "minimal"))
# Reminder and escalation kinds not to send (comma separated, e.g. "contact_due,overdue_digest";
# reminders.kinds lists them, and `manage.py check` refuses an unknown name). An environment
# variable rather than an admin switch: which emails a deployment sends is operations'
# decision, made once and kept with the rest of its configuration; the cron command reads it on
# every run.
REMINDERS_OFF = env_list("REMINDERS_OFF", "")
# API calls each token (or signed-in person) may make: "<number>/<s|m|h|d>" (issue 15). Past it
# the API answers 429 with Retry-After. Counted in Django's cache: per process with the default
# local-memory cache, so a deployment of several processes sets a shared cache or divides.
API_RATE_LIMIT = os.environ.get("API_RATE_LIMIT", "600/m")
if not re.fullmatch(r"[1-9]\d{0,6}/(s|sec|m|min|h|hour|d|day)", API_RATE_LIMIT):
    raise ImproperlyConfigured(
        f'API_RATE_LIMIT must look like "600/m" (number/s, m, h or d), got {API_RATE_LIMIT!r}'
    )
