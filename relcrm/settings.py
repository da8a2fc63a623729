"""relcrm settings: every value comes from the environment, with defaults that run locally.

Without any environment the project refuses to start (DEBUG is off and there is no
SECRET_KEY); `DEBUG=true` alone gives a working development setup on SQLite and the
filesystem broker under var/. Production sets DATABASE_URL, CELERY_BROKER_URL,
SECRET_KEY, ALLOWED_HOSTS and friends (see .env.example).
"""

from __future__ import annotations

import os
from datetime import timedelta
from decimal import Decimal, InvalidOperation
from pathlib import Path

import environ
from csp.constants import NONCE, NONE, SELF
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(os.environ.get("RELCRM_VAR_DIR", BASE_DIR / "var"))

env = environ.Env()
_env_file = Path(os.environ.get("ENV_FILE", BASE_DIR / ".env"))
if _env_file.is_file():
    env.read_env(str(_env_file), overwrite=False)


def env_secret_key(*, debug: bool) -> str:
    """The signing key: required in production, a fixed throwaway key only in DEBUG."""
    key = env.str("SECRET_KEY", default="")
    if key:
        return key
    if debug:
        return "django-insecure-relcrm-development-only-never-in-production"
    raise ImproperlyConfigured(
        "SECRET_KEY is not set. relcrm refuses to start with DEBUG off and no SECRET_KEY: "
        "set SECRET_KEY to a long random string (for example with "
        '`python -c "import secrets; print(secrets.token_urlsafe(50))"`), '
        "or set DEBUG=true for local development."
    )


def env_choice(name: str, *, choices: tuple[str, ...], default: str) -> str:
    value = env.str(name, default=default)
    if value not in choices:
        raise ImproperlyConfigured(f"{name}={value!r} is not one of {', '.join(choices)}.")
    return value


DEBUG: bool = env.bool("DEBUG", default=False)
SECRET_KEY: str = env_secret_key(debug=DEBUG)
ALLOWED_HOSTS: list[str] = env.list(
    "ALLOWED_HOSTS", default=["localhost", "127.0.0.1", "[::1]"] if DEBUG else []
)
CSRF_TRUSTED_ORIGINS: list[str] = env.list("CSRF_TRUSTED_ORIGINS", default=[])
if not DEBUG and not ALLOWED_HOSTS:
    raise ImproperlyConfigured(
        "ALLOWED_HOSTS is empty. With DEBUG off, set ALLOWED_HOSTS to the host names "
        "relcrm is served under (comma-separated)."
    )

INSTALLED_APPS = [
    "relcrm.admin_site.AdminConfig",  # django.contrib.admin, its modules imported on first use
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_htmx",
    "template_partials",
    "django_celery_beat",
    "simple_history",
    "axes",
    "import_export",
    "ninja",
    "csp",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "relcrm",
    "contacts",
    "gestures",
    "api",
    "privacy",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "api.middleware.ApiJsonErrorsMiddleware",
    "csp.middleware.CSPMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    "relcrm.middleware.UserLanguageMiddleware",
    "relcrm.middleware.RejectInvalidInputMiddleware",
    "relcrm.two_factor.TwoFactorMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "relcrm.middleware.HtmxMessagesMiddleware",
    "relcrm.middleware.OutboxNoticeMiddleware",
    "relcrm.middleware.DatabaseTimeoutMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "relcrm.urls"
WSGI_APPLICATION = "relcrm.wsgi.application"
ASGI_APPLICATION = "relcrm.asgi.application"

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
                "relcrm.navigation.navigation",
                "csp.context_processors.nonce",
            ],
        },
    },
]

# Database: DATABASE_URL, or a SQLite file under var/ for local use.
DATABASES = {
    "default": env.db_url("DATABASE_URL", default=f"sqlite:///{VAR_DIR / 'relcrm.sqlite3'}"),
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # The web app, the worker and beat share the file: WAL lets readers go on while one
    # writes, IMMEDIATE transactions avoid "database is locked" on lock upgrades.
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
            "transaction_mode": "IMMEDIATE",
            "timeout": 20,
        }
    )
else:
    DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=60)
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
    # A database host that does not answer costs a connection attempt this long (seconds).
    DATABASES["default"].setdefault("OPTIONS", {}).setdefault(
        "connect_timeout", env.int("DATABASE_CONNECT_TIMEOUT_SECONDS", default=5)
    )
# Web requests only (relcrm/db.py): a statement longer, or a lock wait longer, is cut short.
DATABASE_WEB_STATEMENT_TIMEOUT_MS: int = env.int(
    "DATABASE_WEB_STATEMENT_TIMEOUT_MS", default=15_000
)
DATABASE_WEB_LOCK_TIMEOUT_MS: int = env.int("DATABASE_WEB_LOCK_TIMEOUT_MS", default=5_000)
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "contacts.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

# django-axes: lock a username from one address after repeated failures, so failures from
# elsewhere never lock the user out; the address is the client's own (relcrm/sign_in.py),
# read behind AXES_PROXY_COUNT trusted proxies. One address failing for many usernames is
# refused past SIGN_IN_ADDRESS_FAILURE_LIMIT.
AXES_FAILURE_LIMIT = env.int("AXES_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = timedelta(minutes=env.int("AXES_COOLOFF_MINUTES", default=30))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
AXES_CLIENT_IP_CALLABLE = "relcrm.sign_in.client_address"
SIGN_IN_PROXY_COUNT: int = env.int("AXES_PROXY_COUNT", default=0)
SIGN_IN_ADDRESS_FAILURE_LIMIT: int = env.int("SIGN_IN_ADDRESS_FAILURE_LIMIT", default=20)

# Two-factor sign-in (TOTP, relcrm/two_factor.py): optional for everyone; with this on,
# admins and team leads must set it up before anything else.
RELCRM_TWO_FACTOR_REQUIRED: bool = env.bool("RELCRM_TWO_FACTOR_REQUIRED", default=False)
OTP_TOTP_ISSUER = "relcrm"

# Organizations are the team's own unless the teams of this installation share one list.
RELCRM_SHARED_ORGANIZATIONS: bool = env.bool("RELCRM_SHARED_ORGANIZATIONS", default=False)

# The appropriateness guard of the gesture scan (gestures/rules/guard.py): the weeks of care
# after a bereavement or a serious illness, and each account manager's gift budget per month
# (empty: no budget).
RELCRM_CARE_PERIOD_WEEKS: int = env.int("RELCRM_CARE_PERIOD_WEEKS", default=6)
if RELCRM_CARE_PERIOD_WEEKS < 0:
    raise ImproperlyConfigured("RELCRM_CARE_PERIOD_WEEKS must be 0 or more")
_monthly_budget = env.str("RELCRM_MONTHLY_GIFT_BUDGET_EUR", default="").strip()
try:
    RELCRM_MONTHLY_GIFT_BUDGET_EUR: Decimal | None = (
        Decimal(_monthly_budget) if _monthly_budget else None
    )
except InvalidOperation:
    raise ImproperlyConfigured(
        f"RELCRM_MONTHLY_GIFT_BUDGET_EUR={_monthly_budget!r} is not an amount in EUR"
    ) from None
if RELCRM_MONTHLY_GIFT_BUDGET_EUR is not None and (
    not RELCRM_MONTHLY_GIFT_BUDGET_EUR.is_finite() or RELCRM_MONTHLY_GIFT_BUDGET_EUR < 0
):
    raise ImproperlyConfigured("RELCRM_MONTHLY_GIFT_BUDGET_EUR must be an amount of 0 or more")

# Languages: English and German, per user (User.language), switchable in the UI.
LANGUAGE_CODE = "en"
LANGUAGES = [("en", _("English")), ("de", _("German"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
FORMAT_MODULE_PATH = ["relcrm.formats"]
TIME_ZONE = env.str("TIME_ZONE", default="Europe/Berlin")
USE_I18N = True
USE_TZ = True
LANGUAGE_COOKIE_NAME = "relcrm_language"
LANGUAGE_COOKIE_AGE = 60 * 60 * 24 * 365
LANGUAGE_COOKIE_SAMESITE = "Lax"

STATIC_URL = "static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = Path(env.str("STATIC_ROOT", default=str(VAR_DIR / "staticfiles")))
if DEBUG:
    # WhiteNoise warns about a missing STATIC_ROOT; in development files come from
    # STATICFILES_DIRS and the folder simply stays empty.
    STATIC_ROOT.mkdir(parents=True, exist_ok=True)
MEDIA_URL = "media/"
MEDIA_ROOT = Path(env.str("MEDIA_ROOT", default=str(VAR_DIR / "media")))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}

# E-mail: printed to the console unless EMAIL_URL names an SMTP server.
_email = env.email_url("EMAIL_URL", default="consolemail://")
EMAIL_BACKEND = _email["EMAIL_BACKEND"]
EMAIL_HOST = _email.get("EMAIL_HOST", "")
EMAIL_PORT = _email.get("EMAIL_PORT")
EMAIL_HOST_USER = _email.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = _email.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = _email.get("EMAIL_USE_TLS", False)
EMAIL_USE_SSL = _email.get("EMAIL_USE_SSL", False)
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="relcrm <relcrm@localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
# Where relcrm is reached from outside: links in e-mails (sent without a request) use it.
RELCRM_BASE_URL: str = env.str("RELCRM_BASE_URL", default="http://127.0.0.1:8000").rstrip("/")
if not RELCRM_BASE_URL.startswith(("http://", "https://")):
    raise ImproperlyConfigured(
        f"RELCRM_BASE_URL={RELCRM_BASE_URL!r} must start with http:// or https://, "
        "for example https://crm.example.com."
    )

# Security: hardened whenever DEBUG is off.
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_AGE = env.int("SESSION_COOKIE_AGE", default=60 * 60 * 12)
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
if not DEBUG:
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    LANGUAGE_COOKIE_SECURE = True
    SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=True)
    SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=60 * 60 * 24 * 365)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = env.bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", default=True)
    SECURE_HSTS_PRELOAD = env.bool("SECURE_HSTS_PRELOAD", default=True)
    # Behind a TLS-terminating proxy: SECURE_PROXY_SSL_HEADER=HTTP_X_FORWARDED_PROTO,https
    _proxy_header = env.tuple("SECURE_PROXY_SSL_HEADER", default=())
    if _proxy_header:
        if len(_proxy_header) != 2:
            raise ImproperlyConfigured(
                "SECURE_PROXY_SSL_HEADER must be two comma-separated values, "
                "for example HTTP_X_FORWARDED_PROTO,https."
            )
        SECURE_PROXY_SSL_HEADER = (str(_proxy_header[0]), str(_proxy_header[1]))
    SECURE_REDIRECT_EXEMPT = [r"^healthz$"]

# Content-Security-Policy (django-csp): scripts and styles only from relcrm's own static
# files, no inline script, handler or style attribute; a nonce for a script that must be
# inline. Pico's CSS draws its icons as data: images.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF, NONCE],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
        "base-uri": [NONE],
        "object-src": [NONE],
    },
}

# Celery: the filesystem broker under var/celery/ by default, Redis in production.
BROKER_CONNECT_TIMEOUT: float = env.float("BROKER_CONNECT_TIMEOUT_SECONDS", default=2.0)
BROKER_SOCKET_TIMEOUT: float = env.float("BROKER_SOCKET_TIMEOUT_SECONDS", default=2.0)
CELERY_BROKER_URL: str = env.str("CELERY_BROKER_URL", default="filesystem://")
CELERY_BROKER_FOLDER = VAR_DIR / "celery"
if CELERY_BROKER_URL.startswith("filesystem://"):
    for _folder in ("queue", "processed", "control"):
        (CELERY_BROKER_FOLDER / _folder).mkdir(parents=True, exist_ok=True)
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "data_folder_in": str(CELERY_BROKER_FOLDER / "queue"),
        "data_folder_out": str(CELERY_BROKER_FOLDER / "queue"),
        "processed_folder": str(CELERY_BROKER_FOLDER / "processed"),
        "control_folder": str(CELERY_BROKER_FOLDER / "control"),
        "store_processed": False,
    }
else:
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        # A message a worker took but did not acknowledge (it died) is handed out again
        # after this long. Longer than the longest task's hard time limit and than any retry
        # countdown (tests/relcrm/test_celery.py checks both), so a task still running or
        # waiting for its retry is not delivered twice; the scan's watchdog re-sends a lost
        # chunk much sooner (SCAN_CHUNK_RESEND_AFTER_SECONDS).
        "visibility_timeout": env.int("CELERY_VISIBILITY_TIMEOUT_SECONDS", default=20 * 60),
        # A broker that refuses or does not answer costs a request at most these (seconds).
        "socket_connect_timeout": BROKER_CONNECT_TIMEOUT,
        "socket_timeout": BROKER_SOCKET_TIMEOUT,
        "retry_on_timeout": False,
    }
CELERY_TASK_DEFAULT_QUEUE = env.str("CELERY_TASK_DEFAULT_QUEUE", default="relcrm")
CELERY_TASK_SERIALIZER = "json"
CELERY_RESULT_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TASK_IGNORE_RESULT = True
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_SOFT_TIME_LIMIT = env.int("CELERY_TASK_SOFT_TIME_LIMIT", default=240)
CELERY_TASK_TIME_LIMIT = env.int("CELERY_TASK_TIME_LIMIT", default=300)
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
# A worker whose broker went away keeps reconnecting however long the outage lasts.
CELERY_BROKER_CONNECTION_MAX_RETRIES: int | None = None
CELERY_BROKER_CONNECTION_TIMEOUT = BROKER_CONNECT_TIMEOUT
# Publishing waits at most the socket timeouts above; a send after a write does not retry
# (relcrm.outbox: the sweep does).
CELERY_TASK_PUBLISH_RETRY_POLICY = {
    "max_retries": 2,
    "interval_start": 0,
    "interval_step": 0.5,
    "interval_max": 1,
}
CELERY_TIMEZONE = TIME_ZONE
CELERY_BEAT_SCHEDULER = "django_celery_beat.schedulers:DatabaseScheduler"

# The outbox (relcrm/outbox.py): the sweep leaves rows this young to their own sender; a
# process whose send failed leaves sending to the sweep for this long.
OUTBOX_SWEEP_GRACE = timedelta(seconds=env.int("OUTBOX_SWEEP_GRACE_SECONDS", default=30))
OUTBOX_PAUSE_AFTER_FAILURE_SECONDS: float = env.float(
    "OUTBOX_PAUSE_AFTER_FAILURE_SECONDS", default=10.0
)
# Tasks every worker sends itself when it (re)connects to the broker: what an outage or a
# dead worker left behind is picked up at once, not at beat's next minute.
RELCRM_WORKER_CONNECT_TASKS = ("relcrm.outbox_sweep", "gestures.scan_watch")

# The scan's watchdog (gestures.scan_watch) sends a chunk again when it was sent this long
# ago and has not started since.
SCAN_CHUNK_RESEND_AFTER = timedelta(
    seconds=env.int("SCAN_CHUNK_RESEND_AFTER_SECONDS", default=5 * 60)
)

# /healthz: the broker must answer within this many seconds (connecting included).
HEALTHZ_BROKER_TIMEOUT: float = env.float("HEALTHZ_BROKER_TIMEOUT_SECONDS", default=2.0)
# /healthz reports the worker as stale when its heartbeat is older than this.
HEARTBEAT_MAX_AGE = timedelta(seconds=env.int("HEARTBEAT_MAX_AGE_SECONDS", default=300))

LOG_LEVEL = env_choice("LOG_LEVEL", choices=("DEBUG", "INFO", "WARNING", "ERROR"), default="INFO")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s: %(message)s"}},
    "filters": {"secret_paths": {"()": "relcrm.log_filters.RedactSecretPaths"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": "WARNING"},
    "loggers": {
        # They log request paths; a calendar feed's path holds its secret token.
        "django.request": {"filters": ["secret_paths"]},
        "django.server": {"filters": ["secret_paths"]},
        "relcrm": {"level": LOG_LEVEL},
        "contacts": {"level": LOG_LEVEL},
        "gestures": {"level": LOG_LEVEL},
    },
}

# The REST API (api/): requests per token, as "N/s", "N/m", "N/h" or "N/d".
RELCRM_API_RATE_LIMIT = env.str("RELCRM_API_RATE_LIMIT", default="120/m")
