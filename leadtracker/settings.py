"""LeadTracker settings: one flat module, every knob read from the environment.

Development needs no configuration at all (SQLite under var/, a generated secret key,
e-mail printed to the console). Production is DEBUG=False plus SECRET_KEY, ALLOWED_HOSTS,
SITE_URL and usually DATABASE_URL; the secure defaults switch on with DEBUG=False.
"""

import base64
import secrets
from pathlib import Path
from urllib.parse import urlsplit

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

from leadtracker.lib.env import envbool, envint, envlist, envstr

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(envstr("LEADTRACKER_VAR_DIR", str(BASE_DIR / "var")))
VAR_DIR.mkdir(parents=True, exist_ok=True)

DEBUG = envbool("DEBUG", True)


def _secret_key() -> str:
    key = envstr("SECRET_KEY")
    if key:
        return key
    if not DEBUG:
        raise ImproperlyConfigured("SECRET_KEY: required when DEBUG is off (set it or SECRET_KEY_FILE)")
    # Development: generate once and keep it, so sessions survive restarts.
    key_file = VAR_DIR / "secret_key"
    if not key_file.exists():
        key_file.write_text(secrets.token_urlsafe(50))
        key_file.chmod(0o600)
    return key_file.read_text().strip()


SECRET_KEY = _secret_key()
# The port `make run` serves on; the default SITE_URL (links in e-mails) follows it.
PORT = envint("PORT", 8000)
SITE_URL = envstr("SITE_URL", f"http://127.0.0.1:{PORT}").rstrip("/")
SITE_NAME = envstr("SITE_NAME", "LeadTracker")
ALLOWED_HOSTS = envlist(
    "ALLOWED_HOSTS",
    ["127.0.0.1", "localhost", "testserver"] if DEBUG else [urlsplit(SITE_URL).hostname or ""],
)
CSRF_TRUSTED_ORIGINS = envlist("CSRF_TRUSTED_ORIGINS", [SITE_URL] if SITE_URL.startswith("https") else [])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_tasks",
    "django_tasks_db",
    "ninja",
    "leadtracker.accounts",
    "leadtracker.attendance",
    "leadtracker.leads",
    "leadtracker.calls",
    "leadtracker.integrations",
    "leadtracker.automation",
    "leadtracker.privacy",
    "leadtracker.reports",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "leadtracker.lib.csp.ContentSecurityPolicyMiddleware",
    "leadtracker.lib.headers.PermissionsPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # After WhiteNoise: static files never reach it and keep their caching (lib/headers.py).
    "leadtracker.lib.headers.NoStoreMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "leadtracker.accounts.middleware.CurrentOrganisationMiddleware",
    # The person's language, else the organisation's, else the browser's (accounts/language.py).
    "leadtracker.accounts.language.LanguageMiddleware",
    "leadtracker.accounts.mfa.EnrolmentGateMiddleware",
    "leadtracker.privacy.middleware.NoticeAcceptanceMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    # Inside messages: a replayed form's error becomes its answer (accounts/idempotency.py).
    "leadtracker.accounts.idempotency.IdempotencyMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]

ROOT_URLCONF = "leadtracker.urls"
WSGI_APPLICATION = "leadtracker.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "leadtracker" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "leadtracker.accounts.context_processors.shell",
                "leadtracker.reports.context_processors.getting_started",
            ],
            # |date and |time that never fail on a time near year 1 or 9999 (lib/timefilters.py);
            # |when, |day, |clock, |hm, |inr, |num…: one way to write them everywhere (lib/formats.py).
            "builtins": ["leadtracker.lib.timefilters", "leadtracker.lib.formats"],
        },
    },
]

# Connections are kept between requests (docs/decisions.md, 2026-12-06): each gunicorn worker
# serves one request at a time, so it holds one connection, and the health check (before a
# request's first query) replaces one the server dropped. DB_POOL=on takes psycopg's
# pool instead (PostgreSQL, with psycopg-pool installed; not a dependency), as many connections
# a process as it has threads.
_database_url = envstr("DATABASE_URL", f"sqlite:///{VAR_DIR / 'leadtracker.sqlite3'}")
DB_POOL = envbool("DB_POOL", False) and _database_url.startswith(("postgres:", "postgresql:"))
DATABASES = {
    "default": dj_database_url.parse(
        _database_url,
        # Django refuses persistent connections together with its pool.
        conn_max_age=0 if DB_POOL else envint("DB_CONN_MAX_AGE", 600),
        conn_health_checks=True,
    )
}
# The few statements every request runs (the token, the session, the person's memberships, a
# lead's numbers and tags) are prepared once per connection on PostgreSQL (lib/rows.cursor);
# off for a pooler that cannot keep prepared statements (PgBouncer in transaction mode < 1.21).
DB_PREPARED_READS = envbool("DB_PREPARED_READS", True)
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql" and not DB_POOL:
    # Django's backend with a health check that reads the socket instead of a SELECT 1: one
    # round trip less on every request (lib/postgresql/base.py; docs/decisions.md, 2026-12-07).
    DATABASES["default"]["ENGINE"] = "leadtracker.lib.postgresql"
if DB_POOL:
    _threads = envint("WEB_THREADS", 1)
    DATABASES["default"].setdefault("OPTIONS", {})["pool"] = {
        "min_size": _threads,
        "max_size": _threads,
        "max_idle": 600,
    }
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets the web server read while the worker writes; IMMEDIATE avoids the
    # "database is locked" upgrade deadlock between two writers.
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;",
    }
    # A file, not memory, so that a real worker process and the browser tests' server
    # see the same test database as the test itself.
    # Named after the database, so two checkouts or runs with different DATABASE_URLs
    # never share a test database.
    _name = Path(DATABASES["default"]["NAME"])
    DATABASES["default"]["TEST"] = {"NAME": str(_name.with_name(f"test_{_name.name}"))}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# A shared cache (in the database) so throttling counts across gunicorn workers and the worker.
CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.db.DatabaseCache",
        "LOCATION": "leadtracker_cache",
    }
}

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = ["leadtracker.accounts.auth.EmailBackend"]
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"
PASSWORD_RESET_TIMEOUT = 3600 * 24

LANGUAGE_CODE = "en-in"
# What a person may pick in their profile (and an organisation as its default). Catalogues are
# compiled from the .po files by `make install` (lib/catalogues.py); each app keeps its own in
# <app>/locale/, and leadtracker/locale/ holds the strings of the shared templates and of lib/,
# which belong to no app. Every one of ours is in LOCALE_PATHS, in INSTALLED_APPS' order: there
# they win over Django's own (an app's catalogue would lose to django.contrib.admin's and auth's,
# listed before ours: "Save" would read सुरक्षित कीजिये, "Password" कूटशब्द, not our words).
LANGUAGES = [("en-in", "English"), ("hi", "हिन्दी")]
LOCALE_PATHS = [BASE_DIR / "leadtracker" / "locale"] + [
    BASE_DIR / app.replace(".", "/") / "locale"
    for app in INSTALLED_APPS
    if app.startswith("leadtracker.") and (BASE_DIR / app.replace(".", "/") / "locale").is_dir()
]
TIME_ZONE = envstr("TIME_ZONE", "Asia/Kolkata")
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "static"
STATIC_ROOT.mkdir(exist_ok=True)
STATICFILES_DIRS = [BASE_DIR / "leadtracker" / "static"]
# Files that hold personal data (access exports): never served by WhiteNoise or as media.
PRIVATE_FILES_DIR = Path(envstr("LEADTRACKER_PRIVATE_DIR", str(VAR_DIR / "private")))
# Uploads larger than FILE_UPLOAD_MAX_MEMORY_SIZE are spooled to disk while the request is
# read: they hold names and numbers, so under the private folder, never /tmp. What a killed
# process leaves there is removed at start-up and nightly (lib/uploads.py).
FILE_UPLOAD_TEMP_DIR = PRIVATE_FILES_DIR / "uploads"
FILE_UPLOAD_TEMP_DIR.mkdir(parents=True, exist_ok=True, mode=0o700)
# A long job (import, access export, webhook delivery, digest) holds a lease this long and
# renews it as it goes; a job whose worker died is taken up again when it lapses (lib/leases.py).
JOB_LEASE_SECONDS = envint("LEADTRACKER_JOB_LEASE_SECONDS", 120)
# The erasure ledger's key (HMAC of erased people's identifiers); empty: derived from SECRET_KEY.
# Set it explicitly before ever rotating SECRET_KEY, or older ledger entries stop matching.
ERASURE_LEDGER_KEY = envstr("ERASURE_LEDGER_KEY", "")
# A copy of the ledger outside the database, so restoring an older backup cannot lose an erasure.
ERASURE_LEDGER_PATH = Path(envstr("ERASURE_LEDGER_PATH", str(VAR_DIR / "erasure-ledger.jsonl")))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if not DEBUG
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}
WHITENOISE_USE_FINDERS = DEBUG

EMAIL_BACKEND = envstr(
    "EMAIL_BACKEND",
    "django.core.mail.backends.console.EmailBackend"
    if DEBUG
    else "django.core.mail.backends.smtp.EmailBackend",
)
EMAIL_HOST = envstr("EMAIL_HOST", "localhost")
EMAIL_PORT = envint("EMAIL_PORT", 587)
EMAIL_HOST_USER = envstr("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = envstr("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = envbool("EMAIL_USE_TLS", True)
DEFAULT_FROM_EMAIL = envstr("DEFAULT_FROM_EMAIL", "LeadTracker <noreply@localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}

SECURE = not DEBUG
# Behind a TLS proxy: trust its X-Forwarded-Proto header (and, if asked, X-Forwarded-For).
# On by default in production, where the documented set-up is a proxy that overwrites the
# header; TRUST_X_FORWARDED_PROTO=false when clients reach gunicorn without one.
SECURE_PROXY_SSL_HEADER = (
    ("HTTP_X_FORWARDED_PROTO", "https") if envbool("TRUST_X_FORWARDED_PROTO", SECURE) else None
)
# Production runs behind a TLS proxy (docs): without this every client would share the
# proxy's address, and one person's failed logins would lock everyone out.
USE_X_FORWARDED_FOR = envbool("USE_X_FORWARDED_FOR", SECURE)
# The proxies (addresses or CIDR networks) whose X-Forwarded-For is believed; anyone else's is
# ignored (lib.http.client_ip). gunicorn gets the same list for X-Forwarded-Proto.
FORWARDED_ALLOW_IPS = envlist("FORWARDED_ALLOW_IPS", ["127.0.0.1", "::1"])
SESSION_COOKIE_SECURE = envbool("SESSION_COOKIE_SECURE", SECURE)
CSRF_COOKIE_SECURE = envbool("CSRF_COOKIE_SECURE", SECURE)
SECURE_SSL_REDIRECT = envbool("SECURE_SSL_REDIRECT", SECURE)
SECURE_HSTS_SECONDS = envint("SECURE_HSTS_SECONDS", 31536000 if SECURE else 0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = envbool("SECURE_HSTS_INCLUDE_SUBDOMAINS", SECURE)
# The "preload" directive only marks the site as eligible; nothing happens until the owner
# submits the domain to the browsers' list. Set SECURE_HSTS_PRELOAD=false to leave it out.
SECURE_HSTS_PRELOAD = envbool("SECURE_HSTS_PRELOAD", SECURE)
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_AGE = envint("SESSION_COOKIE_AGE", 14 * 24 * 3600)
# Django's database sessions, read by one hand-written statement (accounts/sessions.py).
SESSION_ENGINE = "leadtracker.accounts.sessions"
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
# No inline script or style anywhere (templates are crawled by a test to keep it so).
CONTENT_SECURITY_POLICY = {
    "default-src": "'self'",
    "script-src": "'self'",
    "style-src": "'self'",
    "img-src": "'self' data:",
    "connect-src": "'self'",
    "font-src": "'self'",
    "frame-ancestors": "'none'",
    "base-uri": "'self'",
    "form-action": "'self'",
    "object-src": "'none'",
}
CONTENT_SECURITY_POLICY_REPORT_ONLY = envbool("CSP_REPORT_ONLY", False)

# Product switches.
SIGNUP_ENABLED = envbool("SIGNUP_ENABLED", True)
INVITATION_DAYS = envint("INVITATION_DAYS", 7)
# Failed logins allowed per account and per address within LOGIN_THROTTLE_WINDOW seconds.
LOGIN_THROTTLE_PER_ACCOUNT = envint("LOGIN_THROTTLE_PER_ACCOUNT", 5)
LOGIN_THROTTLE_PER_ADDRESS = envint("LOGIN_THROTTLE_PER_ADDRESS", 20)
LOGIN_THROTTLE_WINDOW = envint("LOGIN_THROTTLE_WINDOW", 15 * 60)
# Requests with a wrong bearer token, per address and window, before the address gets 429.
API_AUTH_FAILURES_PER_ADDRESS = envint("API_AUTH_FAILURES_PER_ADDRESS", 60)
PASSWORD_RESET_PER_ACCOUNT = envint("PASSWORD_RESET_PER_ACCOUNT", 3)
PASSWORD_RESET_PER_ADDRESS = envint("PASSWORD_RESET_PER_ADDRESS", 10)
PASSWORD_RESET_WINDOW = envint("PASSWORD_RESET_WINDOW", 3600)
# Wrong second-factor codes per account (and per address) before a lockout of the window.
MFA_FAILURES_PER_ACCOUNT = envint("MFA_FAILURES_PER_ACCOUNT", 5)
MFA_FAILURES_PER_ADDRESS = envint("MFA_FAILURES_PER_ADDRESS", 20)
MFA_LOCKOUT_WINDOW = envint("MFA_LOCKOUT_WINDOW", 15 * 60)
# Wrong pairing codes per address and window (a pairing code is short: keep guessing slow).
PAIRING_FAILURES_PER_ADDRESS = envint("PAIRING_FAILURES_PER_ADDRESS", 10)
PAIRING_WINDOW = envint("PAIRING_WINDOW", 15 * 60)
# Call syncs per device (a phone syncs every 30 s; a backlog goes up in batches of 500).
SYNC_RATE_PER_DEVICE = envstr("SYNC_RATE_PER_DEVICE", "30/m")
# Web capture posts per capture key, on top of the per-address limit of anonymous requests.
CAPTURE_RATE_PER_KEY = envstr("CAPTURE_RATE_PER_KEY", "120/m")
API_RATE_AUTHENTICATED = envstr("API_RATE_AUTHENTICATED", "1200/m")
API_RATE_ANONYMOUS = envstr("API_RATE_ANONYMOUS", "60/m")
AUDIT_RETENTION_DAYS_DEFAULT = envint("AUDIT_RETENTION_DAYS_DEFAULT", 730)

# Webhooks may be sent to private or loopback addresses only when the operator says so
# (receivers on an intranet); otherwise a webhook could probe the server's own network.
WEBHOOK_ALLOW_PRIVATE_ADDRESSES = envbool("WEBHOOK_ALLOW_PRIVATE_ADDRESSES", False)

# Integrations (issue 19): the providers' base URLs, read here so that tests and staging point
# them at local fakes.
META_GRAPH_URL = envstr("META_GRAPH_URL", "https://graph.facebook.com/v21.0").rstrip("/")
INDIAMART_API_URL = envstr("INDIAMART_API_URL", "https://mapi.indiamart.com").rstrip("/")
EXOTEL_API_URL = envstr("EXOTEL_API_URL", "https://api.exotel.com").rstrip("/")
TWILIO_API_URL = envstr("TWILIO_API_URL", "https://api.twilio.com").rstrip("/")
# Seconds a call to a provider's API may take before it counts as failed (and is retried).
INTEGRATION_HTTP_TIMEOUT = envint("INTEGRATION_HTTP_TIMEOUT", 15)


def _secrets_key() -> str:
    """The Fernet key sealing connectors' secrets (integrations/crypto.py): url-safe base64 of
    32 bytes. Development generates one into var/ and keeps it, as it does the secret key;
    production must set it (a connector's secrets cannot be sealed or opened without)."""
    key = envstr("LEADTRACKER_SECRETS_KEY", "")
    if key or not DEBUG:
        return key
    key_file = VAR_DIR / "secrets_key"
    if not key_file.exists():
        key_file.write_text(base64.urlsafe_b64encode(secrets.token_bytes(32)).decode())
        key_file.chmod(0o600)
    return key_file.read_text().strip()


LEADTRACKER_SECRETS_KEY = _secrets_key()
# Deliveries per connector (a provider's servers send from many addresses).
INTEGRATION_RATE_PER_CONNECTOR = envstr("INTEGRATION_RATE_PER_CONNECTOR", "6000/m")

# A device whose person is on shift is "stale" when it has not synced for this long.
DEVICE_STALE_MINUTES = envint("DEVICE_STALE_MINUTES", 30)
# Usage counters (per organisation, day, event and app version) are purged after this.
USAGE_RETENTION_DAYS = envint("USAGE_RETENTION_DAYS", 180)
# The daily digest e-mail to managers goes out when the organisation's clock passes this hour.
DIGEST_HOUR = envint("DIGEST_HOUR", 8)

# Largest spreadsheet accepted for import.
IMPORT_MAX_BYTES = envint("IMPORT_MAX_BYTES", 200 * 1024 * 1024)
# Rows read from one import; the rest of a larger file is reported, not imported.
IMPORT_MAX_ROWS = envint("IMPORT_MAX_ROWS", 1_000_000)
# An XLSX is a zip: refuse one that would unpack to more than this, or whose members are
# compressed more than IMPORT_XLSX_MAX_RATIO times (a zip bomb), before it is opened.
IMPORT_XLSX_MAX_UNPACKED = envint("IMPORT_XLSX_MAX_UNPACKED", 1024 * 1024 * 1024)
IMPORT_XLSX_MAX_RATIO = envint("IMPORT_XLSX_MAX_RATIO", 200)
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024

NINJA_PAGINATION_PER_PAGE = 50

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": envstr("LOG_LEVEL", "INFO")},
    "loggers": {"django.db.backends": {"level": "INFO"}},
}
