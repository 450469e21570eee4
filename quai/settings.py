"""Quai settings, read from the environment (see README.md, section Configuration).

QUAI_ENV selects the mode: ``development`` (default), ``test`` (chosen automatically under pytest)
or ``production``, which requires SECRET_KEY, ALLOWED_HOSTS, DATABASE_URL and REDIS_URL and has no
insecure default.
"""

import sys
from pathlib import Path
from urllib.parse import urlsplit

import dj_database_url
from celery.schedules import crontab
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

from quai.env import env_bool, env_date, env_int, env_list, env_str

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(env_str("QUAI_VAR_DIR", str(BASE_DIR / "var")))

QUAI_ENV = env_str("QUAI_ENV", "test" if "pytest" in sys.modules else "development")
if QUAI_ENV not in {"development", "test", "production"}:
    raise ImproperlyConfigured(f"QUAI_ENV must be development, test or production, got {QUAI_ENV!r}.")
PRODUCTION = QUAI_ENV == "production"
TESTING = QUAI_ENV == "test"

if PRODUCTION:
    missing = [
        name
        for name in ("SECRET_KEY", "ALLOWED_HOSTS", "DATABASE_URL", "REDIS_URL")
        if not env_str(name, "")
    ]
    if missing:
        raise ImproperlyConfigured(
            "Production mode (QUAI_ENV=production) needs these environment variables: "
            + ", ".join(missing)
            + ". See README.md, section Configuration."
        )
    SECRET_KEY = env_str("SECRET_KEY")
    ALLOWED_HOSTS = env_list("ALLOWED_HOSTS")
    DEBUG = False
else:
    # Development and test only: this key signs nothing that matters outside this machine.
    SECRET_KEY = env_str("SECRET_KEY", "dev-only-insecure-key-quai-never-use-in-production-0123456789")
    ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["localhost", "127.0.0.1", "[::1]", "testserver"])
    DEBUG = env_bool("DEBUG", False)

CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.contrib.postgres",
    # Third-party
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "rest_framework",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "django_celery_beat",
    "django_htmx",
    "csp",
    # Quai: shared pieces first, then one app per domain (dependencies point down this list).
    "quai",
    "members",
    "coworking",
    "events",
    "incubator",
    "fabrique",
]

MIDDLEWARE = [
    "quai.middleware.RequestLogMiddleware",
    # Outermost but one: a database that went away under any view or middleware answers 503.
    "quai.handlers.DatabaseOutageMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "quai.middleware.BadInputMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "quai.middleware.StaffMFARequiredMiddleware",
    "quai.middleware.PrivateCacheControlMiddleware",
]

ROOT_URLCONF = "quai.urls"
WSGI_APPLICATION = "quai.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.template.context_processors.tz",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "quai.context_processors.quai",
            ],
        },
    },
    {
        # Plain text (e-mail subjects and text parts): no HTML escaping, or "l'ESS" would read
        # "l&#x27;ESS" in a mail client. Used only through quai.outbox.render_text.
        "NAME": "text",
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {"autoescape": False},
    },
]

# --- Database: PostgreSQL only (never SQLite) -------------------------------------------------
DATABASE_URL = env_str("DATABASE_URL", "")
if not DATABASE_URL:
    raise ImproperlyConfigured(
        "DATABASE_URL is not set. Start Quai with `make run` / `make test` (they start an embedded "
        "PostgreSQL when DATABASE_URL is unset) or export DATABASE_URL=postgresql://user@host/db."
    )
_db = dj_database_url.parse(DATABASE_URL, conn_max_age=0 if TESTING else 60, conn_health_checks=True)
if _db["ENGINE"] != "django.db.backends.postgresql":
    raise ImproperlyConfigured("Quai runs on PostgreSQL only: DATABASE_URL must be postgresql://...")
_db.setdefault("OPTIONS", {})
# A lock wait that lasts longer than this becomes a clean "busy, try again" (HTTP 409), not a hang.
_db["OPTIONS"].setdefault("options", f"-c lock_timeout={env_int('QUAI_LOCK_TIMEOUT_MS', 5000)}")
_db["TEST"] = {"NAME": env_str("QUAI_TEST_DATABASE_NAME", f"test_{_db['NAME']}")}
DATABASES = {"default": _db}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Redis, cache, Celery ----------------------------------------------------------------------
REDIS_URL = env_str("REDIS_URL", "redis://127.0.0.1:6379/0")


def _celery_broker_url(url: str) -> str:
    # redis-py speaks unix:///path; kombu wants redis+socket:///path for the same socket.
    if url.startswith("unix://"):
        return "redis+socket://" + url[len("unix://"):]
    return url


# Tests use an in-process cache (cleared before each test); the benchmarks (QUAI_BENCH=1) use Redis
# like a real deployment does, so their figures include the cache round trips.
if TESTING and not env_bool("QUAI_BENCH", False):
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
else:
    CACHES = {
        "default": {
            "BACKEND": "quai.cache.FailOpenRedisCache",  # fails open when Redis is down (quai/cache.py)
            "LOCATION": REDIS_URL,
            "TIMEOUT": 300,
            "OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 1},
        }
    }

CELERY_BROKER_URL = _celery_broker_url(REDIS_URL)
CELERY_RESULT_BACKEND = None
CELERY_TASK_SERIALIZER = "json"
CELERY_RESULT_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_TIME_LIMIT = 120
CELERY_TASK_SOFT_TIME_LIMIT = 100
CELERY_BROKER_TRANSPORT_OPTIONS = {"visibility_timeout": 3600}
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_TIMEZONE = "Europe/Paris"
CELERY_BEAT_SCHEDULER = "django_celery_beat.schedulers:DatabaseScheduler"
# Tests run tasks inline unless a test starts a real worker (tests/quai/test_celery.py).
CELERY_TASK_ALWAYS_EAGER = TESTING
CELERY_TASK_EAGER_PROPAGATES = False
# Periodic tasks. Apps add theirs here (one line each); django-celery-beat stores them in the
# database at beat start-up, where staff can pause or re-time them from the admin.
CELERY_BEAT_SCHEDULE = {
    "outbox-sweep": {"task": "quai.tasks.outbox_sweep", "schedule": 60.0},
    "heartbeat": {"task": "quai.tasks.heartbeat", "schedule": 60.0},
    "coworking-reminders": {"task": "coworking.tasks.send_booking_reminders", "schedule": crontab(hour=17, minute=0)},
    "coworking-release-no-shows": {"task": "coworking.tasks.release_no_shows", "schedule": 300.0},
    "members-expiry-reminders": {"task": "members.tasks.send_membership_reminders", "schedule": crontab(hour=9, minute=0)},
    "members-flag-inactive": {"task": "members.tasks.flag_inactive_members", "schedule": crontab(hour=3, minute=0, day_of_week=1)},
    "events-feedback": {"task": "events.tasks.send_feedback_requests", "schedule": crontab(hour=10, minute=0)},
    "events-reminders": {"task": "events.tasks.send_event_reminders", "schedule": crontab(hour=17, minute=15)},
    "fabrique-reminders": {"task": "fabrique.tasks.fabrique_reminders", "schedule": crontab(hour=8, minute=0)},
    "impact-snapshots": {"task": "quai.tasks.compute_impact", "schedule": crontab(hour=2, minute=30)},
    "incubator-kpi-reminders": {"task": "incubator.tasks.incubator_kpi_reminders", "schedule": crontab(hour=8, minute=30)},
}

# --- Authentication: members.User, e-mail login, django-allauth --------------------------------
AUTH_USER_MODEL = "members.User"
AUTHENTICATION_BACKENDS = [
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",  # log in by e-mail
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
if TESTING:
    PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]

LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "home"
ACCOUNT_LOGOUT_REDIRECT_URL = "home"
ACCOUNT_ADAPTER = "members.adapters.AccountAdapter"
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_SIGNUP_FORM_CLASS = "members.forms.SignupForm"  # first and last name, asked first
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
ACCOUNT_CONFIRM_EMAIL_ON_GET = False
ACCOUNT_LOGIN_ON_EMAIL_CONFIRMATION = True
ACCOUNT_LOGIN_BY_CODE_ENABLED = True
ACCOUNT_PASSWORD_RESET_BY_CODE_ENABLED = False
ACCOUNT_PRESERVE_USERNAME_CASING = False
ACCOUNT_SESSION_REMEMBER = None
ACCOUNT_EMAIL_SUBJECT_PREFIX = "[Quai] "
# allauth's defaults, spelled out so they are visible and tunable; they use the cache (Redis).
# "ip" is the client address as members.adapters.AccountAdapter.get_client_ip finds it (behind
# QUAI_NUM_PROXIES proxies); for failed logins "key" is (client address, e-mail), so that failures
# from one place never lock the owner of an address out from another.
ACCOUNT_RATE_LIMITS = {
    "login": "30/m/ip",
    "login_failed": "10/m/ip,5/5m/key",
    "signup": "20/m/ip",
    "send_email": "5/m/key",
    "confirm_email": "1/3m/key",
    "reset_password": "20/m/ip,5/m/key",
    "reset_password_from_key": "20/m/ip",
    "change_password": "5/m/user",
}
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes"]
MFA_TOTP_ISSUER = "Quai"
# A staff or superuser session has its powers only once allauth verified a TOTP or recovery code in
# it (quai.second_factor); until then it is a plain member, and the back-office asks for the code.
QUAI_STAFF_MFA_REQUIRED = env_bool("QUAI_STAFF_MFA_REQUIRED", True)
# Personal API tokens stop working after this many days (create_api_token --days overrides it).
QUAI_API_TOKEN_DAYS = env_int("QUAI_API_TOKEN_DAYS", 90)

# --- Internationalisation: French first, English second; Europe/Paris, stored in UTC ------------
LANGUAGE_CODE = "fr"
LANGUAGES = [("fr", _("French")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Europe/Paris"
USE_I18N = True
USE_TZ = True

# --- Static and private files ------------------------------------------------------------------
STATIC_URL = "static/"
STATIC_ROOT = VAR_DIR / "static"
STATICFILES_DIRS = [BASE_DIR / "quai" / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if PRODUCTION
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}
WHITENOISE_USE_FINDERS = not PRODUCTION
if not PRODUCTION:
    STATIC_ROOT.mkdir(parents=True, exist_ok=True)  # WhiteNoise warns when it is missing
# Uploaded files are private: they live outside any URL and are served only by permission-checked
# views. There is deliberately no MEDIA_URL route.
MEDIA_ROOT = Path(env_str("QUAI_MEDIA_ROOT", str(VAR_DIR / ("test-media" if TESTING else "media"))))
MEDIA_URL = "/private-files-are-never-served-directly/"
FILE_UPLOAD_MAX_MEMORY_SIZE = 2_621_440
DATA_UPLOAD_MAX_MEMORY_SIZE = 5_242_880

# --- E-mail: always through the outbox (quai.outbox) -------------------------------------------
EMAIL_BACKEND = env_str("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
EMAIL_HOST = env_str("EMAIL_HOST", "")
if EMAIL_HOST:
    EMAIL_BACKEND = env_str("EMAIL_BACKEND", "django.core.mail.backends.smtp.EmailBackend")
    EMAIL_PORT = env_int("EMAIL_PORT", 587)
    EMAIL_HOST_USER = env_str("EMAIL_HOST_USER", "")
    EMAIL_HOST_PASSWORD = env_str("EMAIL_HOST_PASSWORD", "")
    EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", True)
    EMAIL_TIMEOUT = 20
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "Le Quai des possibles <bonjour@quai.test>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
QUAI_SITE_URL = env_str("QUAI_SITE_URL", "http://127.0.0.1:8000")
QUAI_SITE_NAME = env_str("QUAI_SITE_NAME", "Le Quai des possibles")
# The domain in iCal UIDs ("booking-12@quai.example.org"). Calendar apps recognise an event by its
# UID, so this must never change once feeds are subscribed: set it once per deployment. Unset, it
# is the host of QUAI_SITE_URL (never the host a request happens to arrive on).
QUAI_ICAL_DOMAIN = env_str("QUAI_ICAL_DOMAIN", urlsplit(QUAI_SITE_URL).hostname or "quai.invalid")

# --- REST API ----------------------------------------------------------------------------------
# Reverse proxies in front of Quai that append the client's address to X-Forwarded-For (0: Quai
# faces the clients, the header is ignored). Throttles and login rate limits count per address.
QUAI_NUM_PROXIES = env_int("QUAI_NUM_PROXIES", 0)
REST_FRAMEWORK = {
    "NUM_PROXIES": QUAI_NUM_PROXIES,
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "members.authentication.ApiTokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_PAGINATION_CLASS": "quai.api.PageNumberPagination",
    "PAGE_SIZE": 50,
    "DEFAULT_FILTER_BACKENDS": ["quai.api.FilterBackend"],
    # Writes are JSON only: a view that receives a file declares MultiPartParser itself. Several
    # parsers make the schema offer several identical request bodies, and generated clients then
    # send each field twice.
    "DEFAULT_PARSER_CLASSES": ["rest_framework.parsers.JSONParser"],
    "DEFAULT_SCHEMA_CLASS": "quai.schema.AutoSchema",  # documents the error envelope on every operation
    "EXCEPTION_HANDLER": "quai.api.exception_handler",
    "DEFAULT_THROTTLE_CLASSES": [
        "quai.throttling.AnonRateThrottle",  # DRF's, counting per fixed window (one cache round trip)
        "quai.throttling.UserRateThrottle",
    ],
    "DEFAULT_THROTTLE_RATES": {
        "anon": env_str("QUAI_API_ANON_RATE", "300/minute"),
        "user": env_str("QUAI_API_USER_RATE", "1200/minute"),
    },
    "TEST_REQUEST_DEFAULT_FORMAT": "json",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Quai API",
    "DESCRIPTION": "REST API of Quai, the platform of a tiers-lieu. Authenticate with a session or "
    "with `Authorization: Token <key>`. Requests send JSON (multipart only where a file is uploaded). "
    "Errors: `{\"detail\": ..., \"code\": ..., \"errors\": {field: [...]}}` (the `Error` component).",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "SCHEMA_PATH_PREFIX": r"/api/v1",
    "COMPONENT_SPLIT_REQUEST": True,
    # Several models have a "status" with different choices: each gets its own schema name.
    "ENUM_NAME_OVERRIDES": {
        "ProjectStatusEnum": "incubator.models.Project.Status",
        "ApplicationStatusEnum": "incubator.models.Application.Status",
        "BookingStatusEnum": "coworking.models.Booking.Status",
        "EventStatusEnum": "events.models.Event.Status",
        "RegistrationStatusEnum": "events.models.Registration.Status",
        # Déclic's national code lists appear under Quai's names and the national ones: one enum each.
        **{f"Declic{name}Enum": f"events.declic.choices.{name}" for name in (
            "ActivityType", "PlaceType", "Equipment", "Theme", "Autonomy", "WorkshopLevel", "Redirection", "Gender", "AgeBand",
            "SocialStatus",
        )},
    },
}

# --- Security ----------------------------------------------------------------------------------
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True
# Sessions are written to PostgreSQL and read from the cache (Redis): no query per page to find them.
SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
CSRF_COOKIE_HTTPONLY = False  # htmx reads the token from the page, not the cookie
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
        "base-uri": ["'self'"],
        "object-src": ["'none'"],
    }
}
if PRODUCTION:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
    SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 31536000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SILENCED_SYSTEM_CHECKS: list[str] = []

# --- Logging: one JSON line per request and per notable event ----------------------------------
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"json": {"()": "quai.logging.JsonFormatter"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "json"}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "WARNING" if TESTING else "INFO")},
    "loggers": {
        "django.request": {"level": "ERROR"},
        "django.server": {"level": "WARNING"},
        "celery": {"level": "INFO"},
    },
}

# --- Quai domain settings ----------------------------------------------------------------------
QUAI_DEMO_PASSWORD = env_str("QUAI_DEMO_PASSWORD", "quai-demo")
# Impact (quai.impact): the first day the programme counts; cumulative indicators start here and
# the impact API refuses periods before it.
QUAI_PROGRAMME_START = env_date("QUAI_PROGRAMME_START", "2021-01-01")
QUAI_OUTBOX_MAX_ATTEMPTS = env_int("QUAI_OUTBOX_MAX_ATTEMPTS", 5)
QUAI_IMPORT_MAX_BYTES = env_int("QUAI_IMPORT_MAX_BYTES", 5 * 1024 * 1024)
QUAI_INACTIVE_AFTER_MONTHS = env_int("QUAI_INACTIVE_AFTER_MONTHS", 36)
# Non-production only: /bench/floor/ and /bench/page-floor/, the floors of `make bench`.
QUAI_BENCH_ENDPOINTS = not PRODUCTION

# --- fabrique ----------------------------------------------------------------------------------
FABRIQUE_MAX_UPLOAD_BYTES = env_int("FABRIQUE_MAX_UPLOAD_BYTES", 20 * 1024 * 1024)
FABRIQUE_ATTENDANCE_THRESHOLD = env_int("FABRIQUE_ATTENDANCE_THRESHOLD", 75)
