"""Breachclock settings.

Everything that differs between a laptop and a server comes from the environment (see README,
"Configuration"). The defaults run a fresh checkout with nothing but Python: SQLite, Celery's
filesystem broker and e-mail written to files, all under ``var/``.
"""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import dj_database_url
from celery.schedules import crontab
from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured
from django.core.management.utils import get_random_secret_key
from django.utils.translation import gettext_lazy as _

from project.env import env_bool, env_choice, env_int, env_list, env_str

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(env_str("BREACHCLOCK_VAR_DIR", str(BASE_DIR / "var")) or BASE_DIR / "var").resolve()
VAR_DIR.mkdir(parents=True, exist_ok=True)

# "development" runs on a laptop with generated secrets; "production" demands real ones and turns
# on every transport-security setting that `manage.py check --deploy` looks for.
ENVIRONMENT = env_choice("BREACHCLOCK_ENV", "development", ("development", "production"))
PRODUCTION = ENVIRONMENT == "production"

DEBUG = env_bool("DEBUG", default=not PRODUCTION)


def _development_secret_key() -> str:
    """Generate the key once and keep it in var/, so sessions survive a restart."""
    key_file = VAR_DIR / "secret_key"
    if not key_file.exists():
        key_file.touch(mode=0o600)
        key_file.write_text(get_random_secret_key(), encoding="utf-8")
    return key_file.read_text(encoding="utf-8").strip()


if PRODUCTION:
    SECRET_KEY = env_str("SECRET_KEY", required=True) or ""
else:
    SECRET_KEY = env_str("SECRET_KEY") or _development_secret_key()

ALLOWED_HOSTS = env_list(
    "ALLOWED_HOSTS", [] if PRODUCTION else ["localhost", "127.0.0.1", "[::1]", "testserver"]
)
if PRODUCTION and not ALLOWED_HOSTS:
    raise ImproperlyConfigured("ALLOWED_HOSTS must name the host(s) Breachclock is served at in production.")
# What `check --deploy` only warns of, production refuses to start with: each would open the
# tool's records of personal-data breaches to anyone who finds the address.
if PRODUCTION and len(SECRET_KEY) < 50:
    raise ImproperlyConfigured(
        f"SECRET_KEY must be at least 50 characters in production (it is {len(SECRET_KEY)}); "
        "`python -c 'import secrets; print(secrets.token_urlsafe(50))'` makes one."
    )
if PRODUCTION and DEBUG:
    raise ImproperlyConfigured("DEBUG must be false in production: its error pages show settings and data.")
if PRODUCTION and "*" in ALLOWED_HOSTS:
    raise ImproperlyConfigured(
        "ALLOWED_HOSTS=* is refused in production: name the host(s) Breachclock is served at."
    )
# Development stands in for these with a local file or folder; production without one would keep
# the incidents on one machine's disk, or write the 72-hour reminders to files that no one reads.
_PRODUCTION_NEEDS = {
    "PUBLIC_BASE_URL": "the https:// address users open, which links in e-mails start with",
    "DATABASE_URL": "the PostgreSQL database",
    "CELERY_BROKER_URL": "the Redis broker the reminders' workers take their tasks from",
    "EMAIL_HOST": "the SMTP server reminders and notifications are sent through",
}
if PRODUCTION and (
    _unset := [f"{name} ({what})" for name, what in _PRODUCTION_NEEDS.items() if not env_str(name)]
):
    raise ImproperlyConfigured(
        f"Production mode refuses to start without {'; '.join(_unset)}. "
        "Set each (or NAME_FILE, naming a file that holds it); docs/DEPLOY.md shows them all."
    )
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])


def _public_base_url(url: str) -> str:
    """The address the site's root is served at, as a reader opens it, ending in "/".

    E-mails are written by the worker, outside any request, so the links in them cannot take the
    host from a request: it is configured. A relative or misspelt value would send links that
    open nothing, noticed only when a reminder is needed, so it stops the start instead.
    """
    parts = urlsplit(url)
    try:
        has_host = bool(parts.hostname) and parts.port != 0
    except ValueError:  # a port that is not a number from 1 to 65535
        has_host = False
    if parts.scheme not in ("http", "https") or not has_host or parts.query or parts.fragment:
        raise ImproperlyConfigured(
            f"PUBLIC_BASE_URL={url!r} is not an absolute http(s) address such as https://breach.example.fi/."
        )
    return url if url.endswith("/") else f"{url}/"


_DEFAULT_PUBLIC_BASE_URL = "http://127.0.0.1:8000/"  # where `runserver` and `make run` serve
PUBLIC_BASE_URL = _public_base_url(
    env_str("PUBLIC_BASE_URL", _DEFAULT_PUBLIC_BASE_URL) or _DEFAULT_PUBLIC_BASE_URL
)

INSTALLED_APPS = [
    "incidents.apps.AuditedAdminConfig",  # Django admin, its acts in the audit trail
    "django.contrib.auth",
    "axes",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django_fsm",
    "rest_framework",
    "knox",
    "drf_spectacular",
    # Swagger UI and Redoc as static files of our own, for the API documentation page.
    "drf_spectacular_sidecar",
    "incidents",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "incidents.caching.NoStoreMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # Every page requires login unless its view is marked @login_not_required.
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    "incidents.audit.middleware.AuditContextMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "incidents.views.outage.DatabaseOutageMiddleware",
    # Last, as django-axes wants: turns a locked-out sign-in into the page that says so.
    "axes.middleware.AxesMiddleware",
]

if PRODUCTION:
    # The web process serves its own static files (compressed, cached for ever by their hashed
    # names); in development `runserver` does.
    MIDDLEWARE.insert(1, "whitenoise.middleware.WhiteNoiseMiddleware")

ROOT_URLCONF = "project.urls"
WSGI_APPLICATION = "project.wsgi.application"
ASGI_APPLICATION = "project.asgi.application"

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
                "incidents.context_processors.role",
            ],
        },
    },
]

# Widgets are drawn from Django's Jinja2 widget templates (incidents/forms/rendering.py).
FORM_RENDERER = "incidents.forms.rendering.WidgetRenderer"

# --- Database -------------------------------------------------------------------------------

_DEFAULT_DATABASE_URL = f"sqlite:///{VAR_DIR / 'breachclock.sqlite3'}"
DATABASE_URL = env_str("DATABASE_URL", _DEFAULT_DATABASE_URL) or _DEFAULT_DATABASE_URL


def _database(url: str) -> dict[str, Any]:
    if not url.startswith(("sqlite:", "postgres:", "postgresql:")):
        raise ImproperlyConfigured(
            f"DATABASE_URL={url!r}: only sqlite:///PATH and postgres://USER@HOST:PORT/NAME are supported."
        )
    try:
        config: dict[str, Any] = dict(dj_database_url.parse(url, conn_max_age=60, conn_health_checks=True))
    except ValueError as error:
        raise ImproperlyConfigured(f"DATABASE_URL={url!r} cannot be read: {error}") from error
    if config["ENGINE"] == "django.db.backends.sqlite3":
        config["CONN_MAX_AGE"] = 0
        config["OPTIONS"] = {
            # Web, worker and beat share one file: take the write lock when a transaction starts
            # (no upgrade deadlocks), let readers carry on beside a writer, and wait for a busy lock.
            "transaction_mode": "IMMEDIATE",
            "timeout": 20,
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        }
    return config


DATABASES = {"default": _database(DATABASE_URL)}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Authentication -------------------------------------------------------------------------

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 12}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"

# Failed sign-ins are throttled (django-axes), on the product's login and the admin's alike: after
# AXES_FAILURE_LIMIT failures for one user name, or from one address, that name or address is
# locked out for AXES_COOLOFF_MINUTES, even with the right password. A lock-out is in the trail
# (auth.locked_out); `manage.py axes_reset_username NAME` lifts one early.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_FAILURE_LIMIT = env_int("AXES_FAILURE_LIMIT", 5, minimum=1)
AXES_COOLOFF_TIME = timedelta(minutes=env_int("AXES_COOLOFF_MINUTES", 15, minimum=1))
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
# The address the audit trail records: behind the TLS proxy, the one it appended.
AXES_CLIENT_IP_CALLABLE = "incidents.audit.context.client_ip"
AXES_VERBOSE = False  # each failure is in the audit trail already
LOGIN_REDIRECT_URL = "dashboard"
LOGOUT_REDIRECT_URL = "login"
# A working day; a breach desk left open overnight should ask for the password again.
SESSION_COOKIE_AGE = env_int("SESSION_COOKIE_AGE", 10 * 3600, minimum=300)
SESSION_COOKIE_HTTPONLY = True

# --- REST API -------------------------------------------------------------------------------

REST_FRAMEWORK: dict[str, Any] = {
    # Token first: a client without credentials is told (401, WWW-Authenticate: Token) how to
    # authenticate. Session authentication serves the signed-in browser and enforces CSRF.
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "incidents.api.authentication.TokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["incidents.api.permissions.RolePermission"],
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": ["incidents.api.parsers.JSONParser"],
    "DEFAULT_PAGINATION_CLASS": "incidents.api.pagination.Pages",
    "PAGE_SIZE": 50,
    "EXCEPTION_HANDLER": "incidents.api.errors.api_exception_handler",
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
}
# API tokens are stored as SHA-512 digests only (django-rest-knox); the "bc_" prefix lets secret
# scanners recognise a leaked one. A SIEM integration runs unattended, so tokens live long, but
# not for ever: the administrator issues a new one before this runs out.
REST_KNOX: dict[str, Any] = {
    "TOKEN_TTL": timedelta(days=env_int("API_TOKEN_TTL_DAYS", 365, minimum=1)),
    "TOKEN_PREFIX": "bc_",
    "AUTH_HEADER_PREFIX": "Token",
}
SPECTACULAR_SETTINGS: dict[str, Any] = {
    "TITLE": "Breachclock API",
    "DESCRIPTION": (
        "Intake of security incidents from a SIEM or ticketing system, the incident lifecycle and "
        "the notification clocks. Authenticate with `Authorization: Token <token>`."
    ),
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    # The schema is served like the rest of the API: to a signed-in user or token with a role.
    "SERVE_PERMISSIONS": ["incidents.api.permissions.RolePermission"],
    "COMPONENT_SPLIT_REQUEST": True,
    # Two choice sets share the field name "state": an incident's and a notice's.
    "ENUM_NAME_OVERRIDES": {
        "IncidentStateEnum": "incidents.choices.IncidentState",
        "NoticeStateEnum": "incidents.choices.NoticeState",
    },
    # The documentation page (/api/docs/) loads its scripts, styles and icon from our own static
    # files, never a CDN: the Content-Security-Policy allows only 'self'.
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    # No badge from validator.swagger.io: an image from elsewhere, and a call off a closed network.
    "SWAGGER_UI_SETTINGS": {"deepLinking": True, "validatorUrl": None},
}

# --- Languages and time ---------------------------------------------------------------------

LANGUAGE_CODE = "en"
LANGUAGES = [("en", _("English")), ("fi", _("Finnish")), ("sv", _("Swedish"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
USE_I18N = True
# How dates and times read in each language (MOMENT_FORMAT among them): project/formats/. Django 5
# always localises (USE_L10N is gone), so these win over the DATE_FORMAT-style settings.
FORMAT_MODULE_PATH = ["project.formats"]
USE_TZ = True
TIME_ZONE = env_str("TIME_ZONE", "Europe/Helsinki") or "Europe/Helsinki"
try:
    import zoneinfo

    zoneinfo.ZoneInfo(TIME_ZONE)
except (zoneinfo.ZoneInfoNotFoundError, ValueError):
    raise ImproperlyConfigured(
        f"TIME_ZONE={TIME_ZONE!r} is not a known time zone (e.g. Europe/Helsinki)."
    ) from None

# --- Static files ---------------------------------------------------------------------------

STATIC_URL = "static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = Path(env_str("STATIC_ROOT", str(BASE_DIR / "staticfiles")) or BASE_DIR / "staticfiles")
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if PRODUCTION
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}
AUDIT_CHECKPOINT_DIR = Path(env_str("AUDIT_CHECKPOINT_DIR", str(VAR_DIR / "audit-checkpoints")) or VAR_DIR)
# A register's editor posts five fields a data item: Django's default of 1,000 fields would stop
# at about 200 items. The body's size limit (DATA_UPLOAD_MAX_MEMORY_SIZE) still bounds the memory.
DATA_UPLOAD_MAX_NUMBER_FIELDS = 20_000
# A form refused for its missing or stale CSRF token is explained in the product's layout.
CSRF_FAILURE_VIEW = "incidents.views.errors.csrf_failure"
MEDIA_ROOT = Path(env_str("MEDIA_ROOT", str(VAR_DIR / "media")) or VAR_DIR / "media")

# --- E-mail ---------------------------------------------------------------------------------

DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "Breachclock <breachclock@localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
EMAIL_HOST = env_str("EMAIL_HOST")
if EMAIL_HOST:
    EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    EMAIL_PORT = env_int("EMAIL_PORT", 587, minimum=1)
    EMAIL_HOST_USER = env_str("EMAIL_HOST_USER", "") or ""
    EMAIL_HOST_PASSWORD = env_str("EMAIL_HOST_PASSWORD", "") or ""
    EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", True)
    EMAIL_USE_SSL = env_bool("EMAIL_USE_SSL", False)
    if EMAIL_USE_TLS and EMAIL_USE_SSL:
        raise ImproperlyConfigured("EMAIL_USE_TLS and EMAIL_USE_SSL cannot both be on; choose one.")
    EMAIL_TIMEOUT = env_int("EMAIL_TIMEOUT", 30, minimum=1)
else:
    EMAIL_BACKEND = "django.core.mail.backends.filebased.EmailBackend"
    EMAIL_FILE_PATH = env_str("EMAIL_FILE_PATH", str(VAR_DIR / "mail"))

# --- Celery ---------------------------------------------------------------------------------

CELERY_BROKER_URL = env_str("CELERY_BROKER_URL", "filesystem://") or "filesystem://"
if not CELERY_BROKER_URL.startswith(("filesystem://", "redis://", "rediss://")):
    raise ImproperlyConfigured(
        f"CELERY_BROKER_URL={CELERY_BROKER_URL!r}: use filesystem:// (the default) or redis://HOST:PORT/DB."
    )
if CELERY_BROKER_URL.startswith("filesystem://"):
    _broker_dir = Path(env_str("CELERY_BROKER_DIR", str(VAR_DIR / "broker")) or VAR_DIR / "broker")
    (_broker_dir / "queue").mkdir(parents=True, exist_ok=True)
    (_broker_dir / "processed").mkdir(parents=True, exist_ok=True)
    CELERY_BROKER_TRANSPORT_OPTIONS: dict[str, Any] = {
        "data_folder_in": str(_broker_dir / "queue"),
        "data_folder_out": str(_broker_dir / "queue"),
        "processed_folder": str(_broker_dir / "processed"),
        "control_folder": str(_broker_dir / "control"),
        "store_processed": False,
    }
    _default_result_backend = f"file://{_broker_dir / 'results'}"
    (_broker_dir / "results").mkdir(parents=True, exist_ok=True)
else:
    CELERY_BROKER_TRANSPORT_OPTIONS = {"visibility_timeout": 3600}
    _default_result_backend = CELERY_BROKER_URL
CELERY_RESULT_BACKEND = env_str("CELERY_RESULT_BACKEND", _default_result_backend)
CELERY_RESULT_EXPIRES = 24 * 3600
CELERY_TIMEZONE = TIME_ZONE  # beat's crontab hours are the organisation's
CELERY_TASK_SERIALIZER = "json"
CELERY_RESULT_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
# A task that hangs must not hold a worker for ever: soft limit raises inside the task (it can
# clean up), the hard limit kills the process.
CELERY_TASK_SOFT_TIME_LIMIT = env_int("CELERY_TASK_SOFT_TIME_LIMIT", 120, minimum=1)
CELERY_TASK_TIME_LIMIT = env_int("CELERY_TASK_TIME_LIMIT", 180, minimum=2)
if CELERY_TASK_TIME_LIMIT <= CELERY_TASK_SOFT_TIME_LIMIT:
    raise ImproperlyConfigured("CELERY_TASK_TIME_LIMIT must be longer than CELERY_TASK_SOFT_TIME_LIMIT.")
CELERY_TASK_ACKS_LATE = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_BEAT_SCHEDULE: dict[str, dict[str, Any]] = {
    # The audit chain head, written outside the database every night (see incidents.audit.checkpoint).
    "audit-checkpoint": {"task": "incidents.tasks.audit_checkpoint", "schedule": crontab(hour=3, minute=15)},
    # Reminders of the clocks (design, "Reminders"). A scan queued while no worker ran is dropped
    # after a minute rather than piling up: the next scan does the same work.
    "reminders-scan": {
        "task": "incidents.tasks.reminders_scan",
        "schedule": timedelta(seconds=60),
        "options": {"expires": 60},
    },
    # Mail-merge chunks whose worker died, queued again once their lease has run out.
    "merges-resume": {
        "task": "incidents.tasks.merges_resume",
        "schedule": timedelta(seconds=60),
        "options": {"expires": 60},
    },
}
# Mail merges: chunks of this many letters are shared out between the workers.
MERGE_CHUNK_LETTERS = env_int("MERGE_CHUNK_LETTERS", 500, minimum=1)
CELERY_TASK_DEFAULT_QUEUE = env_str("CELERY_TASK_DEFAULT_QUEUE", "celery") or "celery"
CELERY_BEAT_SCHEDULE_FILENAME = str(VAR_DIR / "celerybeat-schedule")

# --- Security -------------------------------------------------------------------------------

# Behind a reverse proxy that ends TLS: trust its X-Forwarded-Proto, and take the client address
# for the audit trail from the last X-Forwarded-For entry (the one the proxy appended).
BEHIND_TLS_PROXY = env_bool("BEHIND_TLS_PROXY", False)
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
# Content-Security-Policy (django-csp): scripts, styles and everything else from the site itself
# only, never inline, so that text which slipped past escaping could still not run.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
        "base-uri": [SELF],
        "object-src": [NONE],
    }
}
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
if PRODUCTION:
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
    SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 31_536_000, minimum=0)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", True)
    SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", True)
    if BEHIND_TLS_PROXY:
        # Only behind a proxy that sets this header itself; otherwise a client could claim HTTPS.
        SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

LOG_LEVEL = env_choice("LOG_LEVEL", "INFO", ("DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL"))
LOGGING: dict[str, Any] = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": LOG_LEVEL},
    "loggers": {"django.db.backends": {"level": "WARNING"}},
}
