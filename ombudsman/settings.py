"""Django settings. Every value that differs between machines comes from the environment
through `ombudsman.conf.config`, which documents it (see README, "Configuration")."""

import base64
import hashlib
from pathlib import Path
from urllib.parse import urlparse

import dj_database_url
import dj_email_url
from celery.schedules import crontab
from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _
from kombu import Queue

from ombudsman.conf import config

BASE_DIR = Path(__file__).resolve().parent.parent

DEBUG = config(
    "DJANGO_DEBUG",
    False,
    cast=bool,
    documentation="1 for a development or trial machine; 0 (default) in production.",
)

_INSECURE_KEY = "django-insecure-development-key-not-for-production"
SECRET_KEY = config(
    "DJANGO_SECRET_KEY",
    _INSECURE_KEY if DEBUG else "",
    documentation="Long random secret (50+ characters). Required in production.",
)
if not DEBUG and (not SECRET_KEY or SECRET_KEY == _INSECURE_KEY or "insecure" in SECRET_KEY):
    raise ImproperlyConfigured(
        "DJANGO_SECRET_KEY is missing or is the development default. In production "
        "(DJANGO_DEBUG=0) set it to a long random value, for example the output of "
        "`python -c 'import secrets; print(secrets.token_urlsafe(64))'`."
    )

ALLOWED_HOSTS = config(
    "DJANGO_ALLOWED_HOSTS",
    ["localhost", "127.0.0.1", "[::1]"],
    cast=list,
    documentation="Comma-separated host names the site answers to.",
)
CSRF_TRUSTED_ORIGINS = config(
    "DJANGO_CSRF_TRUSTED_ORIGINS",
    [],
    cast=list,
    documentation="Comma-separated origins (https://host) trusted for forms behind a proxy.",
)

VAR_DIR = Path(
    config(
        "OMBUDSMAN_VAR_DIR",
        str(BASE_DIR / "var"),
        documentation="Directory for the embedded database, broker, cache and private files.",
    )
)
PRIVATE_STORAGE_ROOT = Path(
    config(
        "PRIVATE_STORAGE_ROOT",
        str(VAR_DIR / "private"),
        documentation="Directory for evidence and letters, outside the web root.",
    )
)

INSTALLED_APPS = [
    "ombudsman.accounts.admin_site.OfficeAdminConfig",  # the admin, behind the second factor
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django_fsm",
    "django_celery_beat",
    "guardian",
    "rest_framework",
    "rest_framework.authtoken",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "csp",
    "ombudsman.accounts",
    "ombudsman.audit",
    "ombudsman.letters",
    "ombudsman.deadlines",
    "ombudsman.dashboard",
    "ombudsman.core",
    "platforms",
    "cases",
    "enforcement",
    "ombudsman.privacy",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django_permissions_policy.PermissionsPolicyMiddleware",
    "csp.middleware.CSPMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "ombudsman.core.middleware.RequestSizeLimitMiddleware",  # before anything reads the body
    "ombudsman.accounts.middleware.StaffSessionExpiryMiddleware",
    "ombudsman.accounts.middleware.StaffTwoFactorMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "ombudsman.urls"
# Field groups and the common widgets drawn in Python, the same HTML as Django's templates (ombudsman.core.widgets).
FORM_RENDERER = "ombudsman.core.widgets.QuickFieldRenderer"
WSGI_APPLICATION = "ombudsman.wsgi.application"

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
                "ombudsman.core.context_processors.office",
            ],
        },
    },
]

# Database: PostgreSQL when DATABASE_URL is set; otherwise an embedded SQLite file for a trial.
_database_url = config(
    "DATABASE_URL",
    "",
    documentation="postgres://user:password@host:5432/name. Unset: SQLite file var/ombudsman.sqlite3 (trial only).",
)
if _database_url:
    DATABASES = {"default": dj_database_url.parse(_database_url, conn_max_age=60, conn_health_checks=True)}
    if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
        # Its health check of a kept connection needs no round trip (ombudsman.core.postgresql).
        DATABASES["default"]["ENGINE"] = "ombudsman.core.postgresql"
else:
    VAR_DIR.mkdir(parents=True, exist_ok=True)
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": VAR_DIR / "ombudsman.sqlite3",
            "OPTIONS": {
                "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
                "transaction_mode": "IMMEDIATE",
                "timeout": 20,
            },
        }
    }
EMBEDDED_DATABASE = not _database_url
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Cache: rate limits of the public form need a cache shared by all web processes.
_cache_url = config(
    "CACHE_URL",
    "",
    documentation="redis://host:6379/1 for the shared cache. Unset: a file cache under var/ (trial only).",
)
if _cache_url:
    CACHES = {
        "default": {
            "BACKEND": "ombudsman.core.cache.SharedClientRedisCache",
            "LOCATION": _cache_url,
        }
    }
    # Django's Redis cache increments atomically; the rate-limit library only lists third-party ones.
    SILENCED_SYSTEM_CHECKS = ["django_ratelimit.W001"]
else:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
            "LOCATION": VAR_DIR / "cache",
        }
    }
    # A file cache counts approximately; acceptable for a single-machine trial only.
    SILENCED_SYSTEM_CHECKS = ["django_ratelimit.E003", "django_ratelimit.W001"]

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
    "guardian.backends.ObjectPermissionBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "start"
LOGOUT_REDIRECT_URL = "login"

# django-guardian: no anonymous user object; strangers simply have no permission.
ANONYMOUS_USER_NAME = None
GUARDIAN_RAISE_403 = False

# Failed logins: lock a username and address pair after 5 failures for 15 minutes.
AXES_FAILURE_LIMIT = config("AXES_FAILURE_LIMIT", 5, cast=int, documentation="Failed logins before lock-out.")
AXES_COOLOFF_TIME = 0.25  # hours
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_VERBOSE = False
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"

LANGUAGE_CODE = "en"
# The interface languages; letters are also written in German (LETTER_LANGUAGES).
LANGUAGES = [("nl", _("Dutch")), ("fr", _("French")), ("en", _("English"))]
LETTER_LANGUAGES = [
    ("nl", _("Dutch")),
    ("fr", _("French")),
    ("de", _("German")),
    ("en", _("English")),
]
LOCALE_PATHS = [BASE_DIR / "locale"]
FORMAT_MODULE_PATH = ["ombudsman.formats"]
TIME_ZONE = "Europe/Brussels"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "static"
STATIC_ROOT.mkdir(parents=True, exist_ok=True)
STATICFILES_DIRS = [BASE_DIR / "static"]
# Every uploaded or generated file (evidence, letters) is private: the site has no public
# media, and files are served only by views that check rights. With S3_BUCKET set they go to
# an S3-compatible object store (private objects; any URL is signed and short-lived).
_s3_bucket = config("S3_BUCKET", "", documentation="S3-compatible bucket for evidence and letters. Unset: local files.")
STORAGES = {
    "default": {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": PRIVATE_STORAGE_ROOT, "base_url": "/private-files-are-not-served/"},
    },
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if not DEBUG
        else "django.contrib.staticfiles.storage.StaticFilesStorage",
    },
}
_s3 = {
    "bucket_name": _s3_bucket,
    "endpoint_url": config("S3_ENDPOINT_URL", "", documentation="S3 endpoint URL (empty: AWS).") or None,
    "region_name": config("S3_REGION", "eu-west-1", documentation="S3 region."),
    "access_key": config("S3_ACCESS_KEY_ID", "", documentation="S3 access key."),
    "secret_key": config("S3_SECRET_ACCESS_KEY", "", documentation="S3 secret key."),
}
if _s3_bucket:
    STORAGES["default"] = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            **_s3,
            "default_acl": "private",
            "querystring_auth": True,
            "querystring_expire": 60,
            "file_overwrite": False,
        },
    }
WHITENOISE_USE_FINDERS = DEBUG

# Mail: the console in development; set EMAIL_URL in production.
_email_url = config(
    "EMAIL_URL",
    "console:",
    documentation="smtp://user:password@host:25, submission://user:password@host:587 (STARTTLS) or "
    "smtps://...:465; file:///directory writes mail to files; console: prints mail (default).",
)
try:
    _email = dj_email_url.parse(_email_url)
except KeyError:
    raise ImproperlyConfigured(
        f"EMAIL_URL has an unknown scheme; use one of {', '.join(sorted(dj_email_url.SCHEMES))}."
    ) from None
EMAIL_BACKEND = _email["EMAIL_BACKEND"]
EMAIL_HOST = _email["EMAIL_HOST"] or "localhost"
EMAIL_PORT = _email["EMAIL_PORT"] or 25
EMAIL_HOST_USER = _email["EMAIL_HOST_USER"] or ""
EMAIL_HOST_PASSWORD = _email["EMAIL_HOST_PASSWORD"] or ""
EMAIL_USE_TLS = _email["EMAIL_USE_TLS"]
EMAIL_USE_SSL = _email["EMAIL_USE_SSL"]
# file:///absolute/path writes each message to a file there (dj-email-url drops the leading slash).
EMAIL_FILE_PATH = urlparse(_email_url).path or None
EMAIL_TIMEOUT = 30
DEFAULT_FROM_EMAIL = config(
    "DEFAULT_FROM_EMAIL",
    "Ombudsman for Telecommunications <no-reply@ombudsmantelecom.be>",
    documentation="Sender of the mail the office sends.",
)

# Celery: Redis in production and tests; Kombu's file-system transport for a trial.
_broker_url = config(
    "CELERY_BROKER_URL",
    "",
    documentation="redis://host:6379/0. Unset: a file-system queue under var/broker (trial only).",
)
if _broker_url:
    CELERY_BROKER_URL = _broker_url
    # A frozen or unreachable Redis must not hold a request: without socket timeouts a publish
    # waits forever. What fails to publish stays in the database and is queued again later.
    CELERY_BROKER_TRANSPORT_OPTIONS = {"visibility_timeout": 3600, "socket_timeout": 1, "socket_connect_timeout": 1}
else:
    _broker_dir = VAR_DIR / "broker"
    for _sub in ("queue", "processed", "control"):
        (_broker_dir / _sub).mkdir(parents=True, exist_ok=True)
    CELERY_BROKER_URL = "filesystem://"
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "data_folder_in": str(_broker_dir / "queue"),
        "data_folder_out": str(_broker_dir / "queue"),
        "processed_folder": str(_broker_dir / "processed"),
        # The exchange tables too, or Kombu writes them to ./control wherever the process starts.
        "control_folder": str(_broker_dir / "control"),
        "store_processed": False,
    }
# Two queues: "letters" (PDF rendering, slow) and "fast" (sweeps, mail, digests), each with
# its own workers, so a burst of letters never delays a deadline.
CELERY_TASK_DEFAULT_QUEUE = "fast"
CELERY_TASK_QUEUES = (Queue("fast"), Queue("letters"))
CELERY_TASK_ROUTES = {
    "ombudsman.letters.tasks.render_letter_task": {"queue": "letters"},
    "ombudsman.letters.tasks.render_letters_task": {"queue": "letters"},
}
CELERY_BEAT_SCHEDULER = "ombudsman.core.beat:LeaderDatabaseScheduler"
SWEEP_INTERVAL_SECONDS = config(
    "SWEEP_INTERVAL_SECONDS", 300, cast=int, documentation="How often Celery beat runs the deadline sweep."
)
CELERY_TASK_IGNORE_RESULT = True
# One quick retry when publishing (Celery's default tries four times): a use case that queues
# work after its commit answers within seconds when the broker is down.
CELERY_TASK_PUBLISH_RETRY_POLICY = {"max_retries": 1, "interval_start": 0, "interval_step": 0.5, "interval_max": 0.5}
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TIMEZONE = TIME_ZONE
CELERY_BEAT_SCHEDULE_FILENAME = str(VAR_DIR / "celerybeat-schedule")
CELERY_BEAT_SCHEDULE = {
    "sweep-deadlines": {
        "task": "ombudsman.deadlines.tasks.sweep_deadlines_task",
        "schedule": float(SWEEP_INTERVAL_SECONDS),
    },
    "morning-digests": {
        "task": "ombudsman.dashboard.tasks.send_morning_digests_task",
        "schedule": crontab(hour=7, minute=0),
    },
    "requeue-pending-letters": {
        "task": "ombudsman.letters.tasks.requeue_pending_letters",
        "schedule": 300.0,
    },
    # After midnight: yesterday's closures and answers are in (ombudsman.dashboard.summaries).
    "statistics-summaries": {
        "task": "ombudsman.dashboard.tasks.build_statistics_summaries_task",
        "schedule": crontab(hour=1, minute=15),
    },
    "purge-expired-data": {
        "task": "ombudsman.privacy.tasks.purge_expired_data_task",
        "schedule": crontab(hour=2, minute=30),
    },
}

# The platform API (DESIGN.md §7): token per liaison user, JSON errors, OpenAPI 3.
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": ["rest_framework.authentication.TokenAuthentication"],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": ["rest_framework.parsers.JSONParser"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_PAGINATION_CLASS": "platforms.api.pagination.OrderPagination",
    "PAGE_SIZE": 50,
    "EXCEPTION_HANDLER": "platforms.api.errors.json_error_handler",
    "DEFAULT_THROTTLE_CLASSES": ["rest_framework.throttling.UserRateThrottle"],
    "DEFAULT_THROTTLE_RATES": {
        "user": config(
            "API_RATE_LIMIT", "600/min", documentation="API requests per liaison (or address), e.g. 600/min."
        ),
    },
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Ombudsman for Telecommunications: disclosure orders API",
    "DESCRIPTION": "For the legal teams of platforms and operators: read the orders addressed to your "
    "organisation, acknowledge them, request an extension, and answer with structured data.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    "ENUM_NAME_OVERRIDES": {
        "OrderStateEnum": "platforms.models.order.OrderState",
        "OrderKindEnum": "platforms.models.organisation.OrderKind",
        "AnswerOutcomeEnum": "platforms.models.answer.AnswerOutcome",
    },
}

# Keys that encrypt identity data at rest (used by disclosure answers).
IDENTITY_KEYS = config(
    "IDENTITY_KEYS",
    [],
    cast=list,
    documentation="Comma-separated Fernet keys that encrypt identity data, newest first (rotation). "
    "Required in production; derived from the secret key when DJANGO_DEBUG=1.",
)
if not IDENTITY_KEYS and DEBUG:
    # Development and trials only; production refuses to start without real keys (deploy check).
    IDENTITY_KEYS = [base64.urlsafe_b64encode(hashlib.sha256(f"identity:{SECRET_KEY}".encode()).digest()).decode()]

# The office as it appears on letters and pages.
OMBUDSMAN_OFFICE = {
    "name": _("Ombudsman for Telecommunications"),
    "address": _("Boulevard du Roi Albert II 8 box 3, 1000 Brussels"),
    "phone": "+32 2 223 06 06",
    "email": config(
        "OMBUDSMAN_OFFICE_EMAIL",
        "klachten@ombudsmantelecom.be",
        documentation="Address complainants and platforms write to.",
    ),
    "website": "https://www.ombudsmantelecom.be",
}
OMBUDSMAN_PUBLIC_URL = config(
    "OMBUDSMAN_PUBLIC_URL",
    "http://localhost:8000",
    documentation="Public address of the site, printed on letters for code verification.",
)
# Letters sent before a case is assigned are signed by the intake service.
OMBUDSMAN_INTAKE_SIGNATORY = {
    "name": _("Intake service"),
    "capacity": _("Complaints intake"),
    "contact": "klachten@ombudsmantelecom.be · +32 2 223 06 06",
}
# Deadlines in calendar days, computed by ombudsman.deadlines.legal_due_date.
# Letters the sweep sends in the name of the orders service (reminders, notices, referrals).
OMBUDSMAN_ORDERS_SIGNATORY = {
    "name": _("Disclosure orders service"),
    "capacity": _("Ombudsman for Telecommunications"),
    "contact": "orders@ombudsmantelecom.be",
}
CASE_HANDLING_TARGET_DAYS = 90  # handling target from the complete file (DESIGN.md §5)
CASE_HANDLING_NEAR_DAYS = 14  # the work queue flags cases this close to their target
INFORMATION_REPLY_DAYS = 15  # time a complainant has to answer a request for information
# Days an organisation has to answer an order, per kind of order; the office's defaults,
# which an administrator overrides per organisation (platforms.OrderDeadline).
DISCLOSURE_ORDER_DAYS = {"account_data": 10, "ip_subscriber": 7, "number_subscriber": 7}
ORDER_REMINDER_WORKING_DAYS = 3  # a reminder goes out this many working days before the due date
FORMAL_NOTICE_GRACE_DAYS = 7  # after the formal notice, days before the order is escalated to BIPT
# BIPT's sanction procedure.
DEFENCE_PERIOD_DAYS = 30  # to answer the notice of grievances in writing
DRAFT_ANSWER_DAYS = 15  # to answer the draft decision
APPEAL_DAYS = 60  # appeal to the Market Court, from the notification of the decision
PAYMENT_DAYS = 30  # to pay a fine, from its notification
BIPT_LETTER_LANGUAGE = "fr"  # the language of the referral dossier sent to BIPT
# The fine bounds and scale; an administrator changes them in the admin (enforcement.FineScale).
BIPT_FINE_SCALE = {
    "ceiling_eur": "20000000",
    "turnover_share_percent": "5",
    "base_minor": "10000",
    "base_serious": "50000",
    "base_very_serious": "250000",
    "increase_per_month_percent": "10",
    "repetition_factor": "1.5",
    "reduction_partial_percent": "15",
    "reduction_full_percent": "30",
    "source": "Act of 17 January 2003 on the statute of BIPT, art. 21 (fine up to 5% of the relevant turnover); "
    "ceiling and scale: defaults of the office, to be confirmed by BIPT's legal service.",
}
BIPT_OFFICE = {
    "name": _("Belgian Institute for Postal Services and Telecommunications (BIPT)"),
    "address": "Boulevard du Roi Albert II 35, 1030 Brussels",
    "email": "enforcement@bipt.be",
}

# Retention (GDPR art. 5(1)(e)): years after a case's closure (or withdrawal) before the nightly
# purge erases the identity data disclosed by platforms and operators, then pseudonymises the case.
RETENTION_IDENTITY_YEARS = config(
    "RETENTION_IDENTITY_YEARS",
    2,
    cast=int,
    documentation="Years after closure before the identity data disclosed in answers is erased.",
)
RETENTION_CASE_YEARS = config(
    "RETENTION_CASE_YEARS",
    5,
    cast=int,
    documentation="Years after closure before the case is pseudonymised and its evidence and letters erased.",
)
if not 0 < RETENTION_IDENTITY_YEARS <= RETENTION_CASE_YEARS:
    raise ImproperlyConfigured("RETENTION_IDENTITY_YEARS must be at least 1 and at most RETENTION_CASE_YEARS.")

# The statistics page keeps the figures it computed for a period this many seconds (computing
# them from the daily summaries takes under a second; figures a few minutes old serve as well).
STATISTICS_CACHE_SECONDS = config(
    "STATISTICS_CACHE_SECONDS",
    600,
    cast=int,
    documentation="Seconds the statistics of a period are kept before they are computed again (0: never kept).",
)

# Public complaint form.
INTAKE_RATE_LIMIT = config(
    "INTAKE_RATE_LIMIT",
    "10/h",
    documentation="Complaints accepted per client address, e.g. 10/h.",
)
RATELIMIT_IP_META_KEY = config(
    "RATELIMIT_IP_META_KEY",
    "REMOTE_ADDR",
    documentation="Request header holding the client address (HTTP_X_FORWARDED_FOR behind a proxy).",
)
EVIDENCE_MAX_FILES = 10
EVIDENCE_MAX_FILE_SIZE = 10 * 1024 * 1024
EVIDENCE_MAX_TOTAL_SIZE = 30 * 1024 * 1024
# A screenshot or a photo has at most a few tens of millions of pixels; more is a decompression bomb.
EVIDENCE_MAX_IMAGE_PIXELS = 50_000_000
# Any request larger than this is refused (413) before it is read: the evidence and the form fields.
REQUEST_MAX_BODY_SIZE = EVIDENCE_MAX_TOTAL_SIZE + 5 * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024
# High enough that the form, not the request parser, tells the complainant about too many files.
DATA_UPLOAD_MAX_NUMBER_FILES = 100

# Production hardening; `manage.py check --deploy` reports nothing with DJANGO_DEBUG=0.
_production = not DEBUG
SECURE_SSL_REDIRECT = config(
    "DJANGO_SECURE_SSL_REDIRECT",
    _production,
    cast=bool,
    documentation="Redirect plain HTTP to HTTPS (default on in production).",
)
if config(
    "DJANGO_BEHIND_TLS_PROXY",
    False,
    cast=bool,
    documentation="1 when a reverse proxy terminates TLS and sets X-Forwarded-Proto.",
):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SESSION_COOKIE_SECURE = _production
CSRF_COOKIE_SECURE = _production
SESSION_COOKIE_HTTPONLY = True
SECURE_HSTS_SECONDS = 31_536_000 if _production else 0
SECURE_HSTS_INCLUDE_SUBDOMAINS = _production
SECURE_HSTS_PRELOAD = _production
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
# No inline script or style anywhere: styles live in static/css, the site has no script of its own.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "frame-ancestors": [NONE],
        "form-action": [SELF],
        "base-uri": [NONE],
        "object-src": [NONE],
    },
}
PERMISSIONS_POLICY = {
    feature: []
    for feature in (
        "accelerometer",
        "camera",
        "display-capture",
        "geolocation",
        "gyroscope",
        "magnetometer",
        "microphone",
        "payment",
        "usb",
    )
}

# Staff sessions: an absolute limit (SESSION_COOKIE_AGE, from login), an idle limit, and the
# session ends with the browser.
SESSION_COOKIE_AGE = 8 * 3600
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
STAFF_IDLE_MINUTES = config(
    "STAFF_IDLE_MINUTES",
    30,
    cast=int,
    documentation="Minutes without activity after which a staff session ends.",
)
# Every account (officers, reviewers, liaisons, BIPT, administrators) confirms a one-time code
# from an authenticator app (TOTP, django-otp) after the password.
STAFF_TWO_FACTOR = config(
    "STAFF_TWO_FACTOR",
    True,
    cast=bool,
    documentation="1 (default): every account confirms a code from an authenticator app after the password.",
)
OTP_TOTP_ISSUER = "Ombudsman for Telecommunications"

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": "INFO"},
    "loggers": {"weasyprint": {"level": "ERROR"}, "fontTools": {"level": "ERROR"}},
}
