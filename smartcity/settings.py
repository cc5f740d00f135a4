"""The one settings module of Kota Cerdas.

Dev, CI and production differ only in environment variables (see .env.example). With none set the
portal runs for a first look on embedded defaults: SQLite under var/, the local-memory cache and
Celery tasks executed in-process. DATABASE_URL and REDIS_URL switch to PostgreSQL and Redis.
"""

import base64
import hashlib
import importlib.util
import math
import secrets
from pathlib import Path

import environ
from celery.schedules import crontab
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _
from import_export.formats import base_formats

from smartcity.roles import ROLE_CLAIM_VALUES, ROLES
from smartcity.spreadsheets import SafeCSV, SafeXLSX

BASE_DIR = Path(__file__).resolve().parent.parent
env = environ.Env()
if env.bool("DJANGO_READ_DOT_ENV_FILE", default=False):
    env.read_env(str(BASE_DIR / ".env"))  # real environment variables still win
VAR_DIR = Path(env("DJANGO_VAR_DIR", default=str(BASE_DIR / "var")))  # git-ignored: first-look database, uploads

# --- Security -------------------------------------------------------------------------------------
DEBUG = env.bool("DJANGO_DEBUG", default=False)
FIRST_LOOK = "DATABASE_URL" not in env  # no database configured: a local first look on embedded defaults
if FIRST_LOOK:
    VAR_DIR.mkdir(exist_ok=True)


def _local_secret_key() -> str:
    """A random key generated once per checkout for the first look; production sets DJANGO_SECRET_KEY."""
    key_file = VAR_DIR / "secret_key"
    if not key_file.exists():
        key_file.write_text(secrets.token_urlsafe(50))
        key_file.chmod(0o600)
    return key_file.read_text().strip()


SECRET_KEY = env("DJANGO_SECRET_KEY", default="") or (_local_secret_key() if FIRST_LOOK else "")
if len(SECRET_KEY) < 32 or (not DEBUG and SECRET_KEY.startswith("django-insecure")):
    raise ImproperlyConfigured(
        "Set DJANGO_SECRET_KEY to a random value of at least 32 characters (a django-insecure key is refused "
        "unless DJANGO_DEBUG is on). Without DATABASE_URL, a first-look key is generated in var/secret_key."
    )
ALLOWED_HOSTS = env.list("DJANGO_ALLOWED_HOSTS", default=["localhost", "127.0.0.1", "[::1]"])
CSRF_TRUSTED_ORIGINS = env.list("DJANGO_CSRF_TRUSTED_ORIGINS", default=[])
BEHIND_PROXY = env.bool("DJANGO_BEHIND_PROXY", default=False)
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https") if BEHIND_PROXY else None
# How many reverse proxies in front of the portal append to X-Forwarded-For. The one number behind every
# per-address budget: the API throttles (REST_FRAMEWORK NUM_PROXIES) and the login lockout (django-axes).
# With 0, X-Forwarded-For is ignored, so a client cannot pick its own address.
TRUSTED_PROXY_COUNT = env.int("TRUSTED_PROXY_COUNT", default=1 if BEHIND_PROXY else 0)
if "AXES_PROXY_COUNT" in env:
    raise ImproperlyConfigured("AXES_PROXY_COUNT is now TRUSTED_PROXY_COUNT (it counts for the API throttles too).")
SECURE_SSL_REDIRECT = env.bool("DJANGO_SECURE_SSL_REDIRECT", default=False)
SESSION_COOKIE_SECURE = env.bool("DJANGO_SECURE_COOKIES", default=not DEBUG)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
SECURE_HSTS_SECONDS = env.int("DJANGO_SECURE_HSTS_SECONDS", default=0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env.bool("DJANGO_SECURE_HSTS_INCLUDE_SUBDOMAINS", default=SECURE_HSTS_SECONDS > 0)
SECURE_HSTS_PRELOAD = env.bool("DJANGO_SECURE_HSTS_PRELOAD", default=SECURE_HSTS_SECONDS > 0)
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"

# --- Applications ---------------------------------------------------------------------------------
INSTALLED_APPS = [
    "smartcity.admin_site.KotaCerdasAdminConfig",  # django.contrib.admin, its index ordered by daily work
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.contrib.sitemaps",
    "rest_framework",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "simple_history",
    "import_export",
    "axes",
    "csp",
    "rest_framework_api_key",
    "smartcity",
    "pillars",
    "partnerships",
    "evaluations",
    "frameworks",  # depends on evaluations (the scale rules), never the reverse (tests/test_dependencies.py)
    "federation",  # likewise; frameworks and federation know nothing of each other
]

MIDDLEWARE = [
    # First: a public-cache hit is answered before sessions, locale, CSRF and authentication run (smartcity/cache.py)
    "smartcity.middleware.PublicCacheMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "smartcity.replica.ReplicaMiddleware",  # reads of read-only requests from the replica, when there is one
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.middleware.http.ConditionalGetMiddleware",  # ETag on every page: a browser that has it gets a 304
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "smartcity.api.idempotency.IdempotencyKeyMiddleware",  # a POST under /api/ sent again with its key writes once
    "smartcity.middleware.CompressionMiddleware",  # inside the public cache: a hit is stored compressed
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "csp.middleware.CSPMiddleware",
    "axes.middleware.AxesMiddleware",  # last, as django-axes asks
]

ROOT_URLCONF = "smartcity.urls"
WSGI_APPLICATION = "smartcity.wsgi.application"

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
                "smartcity.context_processors.portal",
            ],
        },
    },
]

# --- Data -----------------------------------------------------------------------------------------
DATABASES = {"default": env.db("DATABASE_URL", default=f"sqlite:///{VAR_DIR / 'kotacerdas.sqlite3'}")}
DATABASES["default"]["CONN_MAX_AGE"] = env.int("DJANGO_CONN_MAX_AGE", default=60)
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
# PostgreSQL's JIT compiles a query whose estimated cost passes jit_above_cost. For the portal's queries compiling costs
# more than it saves (the home page's indicator standings at 10,000 programs: 0.12 s to run, 0.6 s to compile), so the
# portal's connections turn it off; DATABASE_JIT=true leaves the server's own setting.
DATABASE_JIT = env.bool("DATABASE_JIT", default=False)
POSTGRES_SESSION_OPTIONS = "" if DATABASE_JIT else "-c jit=off"


def with_session_options(database: dict, options: str) -> dict:
    """A PostgreSQL database's settings with `options` (libpq's `-c name=value`) added to any it has already."""
    if not options or "postgresql" not in database.get("ENGINE", ""):
        return database
    kept = database.get("OPTIONS", {}).get("options", "")
    return {**database, "OPTIONS": {**database.get("OPTIONS", {}), "options": f"{kept} {options}".strip()}}


DATABASES["default"] = with_session_options(DATABASES["default"], POSTGRES_SESSION_OPTIONS)
# A streaming replica of the primary, for the reads of read-only requests (smartcity/replica.py): writes, the
# admin, and a caller that wrote in the last REPLICA_PIN_SECONDS stay on the primary. An outage of the replica
# costs no request: short timeouts, the request again on the primary, the replica marked down for a while.
REPLICA_CONNECT_TIMEOUT = env.float("REPLICA_CONNECT_TIMEOUT", default=1.0)  # seconds
REPLICA_STATEMENT_TIMEOUT = env.float("REPLICA_STATEMENT_TIMEOUT", default=2.0)  # seconds; the client waits 1 s more
REPLICA_DOWN_SECONDS = env.int("REPLICA_DOWN_SECONDS", default=30)
if env("DATABASE_REPLICA_URL", default=""):
    DATABASES["replica"] = env.db("DATABASE_REPLICA_URL")
    DATABASES["replica"]["CONN_MAX_AGE"] = DATABASES["default"]["CONN_MAX_AGE"]
    DATABASES["replica"]["CONN_HEALTH_CHECKS"] = True
    DATABASES["replica"]["OPTIONS"] = {
        **DATABASES["replica"].get("OPTIONS", {}),
        "connect_timeout": max(2, math.ceil(REPLICA_CONNECT_TIMEOUT)),  # libpq's floor; the wait callback's is exact
        "options": f"-c statement_timeout={int(REPLICA_STATEMENT_TIMEOUT * 1000)}",
        "application_name": "kotacerdas-replica",  # tells the replica's connections apart (smartcity.replica)
    }
    DATABASES["replica"] = with_session_options(DATABASES["replica"], POSTGRES_SESSION_OPTIONS)
    DATABASES["replica"]["TEST"] = {"MIRROR": "default"}  # the test database has no replica of its own
DATABASE_ROUTERS = ["smartcity.replica.ReplicaRouter"]
REPLICA_PIN_SECONDS = env.int("REPLICA_PIN_SECONDS", default=15)
REPLICA_PIN_COOKIE = "kc-primary"
# Rows that decide who may do what are read from the primary, always (app labels or app.Model labels): a
# revoked key, a removed permission or a closed session must not live on in a lagging replica.
REPLICA_PRIMARY_MODELS = (
    "auth",
    "sessions",
    "contenttypes",
    "axes",
    "rest_framework_api_key",
    "partnerships.PartnerAPIKey",
)
REPLICA_EXCLUDED_PATHS = ("/admin/", "/healthz")
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

REDIS_URL = env("REDIS_URL", default="")
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "django_redis.cache.RedisCache",
            "LOCATION": REDIS_URL,
            # Redis down costs speed, never an error: short timeouts, failures read as misses.
            "OPTIONS": {"SOCKET_CONNECT_TIMEOUT": 0.5, "SOCKET_TIMEOUT": 0.5, "IGNORE_EXCEPTIONS": True},
        }
    }
    DJANGO_REDIS_LOG_IGNORED_EXCEPTIONS = True
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

# Anonymous GETs of public pages and API lists are cached this long at most (0 turns the cache off).
PUBLIC_CACHE_SECONDS = env.int("PUBLIC_CACHE_SECONDS", default=300)
# At most one new version per model family per this many seconds (coalesced bumps under writes); also how old
# (since read from the database) an entry may be served while another worker rebuilds it. The bound: an answer
# reflects every change committed more than this long ago (smartcity/cache.py).
PUBLIC_CACHE_COALESCE_SECONDS = env.float("PUBLIC_CACHE_COALESCE_SECONDS", default=1.0)
# How long a request waits for another worker's rebuild of the entry it needs before building it itself.
PUBLIC_CACHE_WAIT_SECONDS = env.float("PUBLIC_CACHE_WAIT_SECONDS", default=2.0)
# Never compressed (BREACH: a secret beside reflected input); see smartcity.middleware.CompressionMiddleware.
COMPRESSION_EXCLUDED_PATHS = ("/admin/",)
# "/answer/": the public survey form, whose CSRF token is the visitor's own
# ... and the base map file (pillars/views.py basemap_file): read a byte range at a time, never kept whole in Redis.
PUBLIC_CACHE_EXCLUDED_PATHS = ("/admin/", "/healthz", "/media/", "/answer/", "/map/basemap/")

# --- Celery: Redis as broker when REDIS_URL is set, otherwise tasks run in-process ---------------
CELERY_BROKER_URL = REDIS_URL or "memory://"
CELERY_RESULT_BACKEND = REDIS_URL or None
CELERY_RESULT_EXPIRES = 24 * 3600
CELERY_TASK_ALWAYS_EAGER = not REDIS_URL
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TIMEZONE = "Asia/Jakarta"
CELERY_TASK_ACKS_LATE = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_DEFAULT_RETRY_DELAY = 30
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
# Every task ends: the soft limit raises SoftTimeLimitExceeded in the task (it records the attempt as failed), the
# hard limit then kills the worker process. Tasks that build files name longer limits (evaluations/tasks.py).
CELERY_TASK_SOFT_TIME_LIMIT = env.int("CELERY_TASK_SOFT_TIME_LIMIT", default=120)
CELERY_TASK_TIME_LIMIT = env.int("CELERY_TASK_TIME_LIMIT", default=180)
if CELERY_TASK_SOFT_TIME_LIMIT >= CELERY_TASK_TIME_LIMIT:
    raise ImproperlyConfigured("CELERY_TASK_SOFT_TIME_LIMIT must be shorter than CELERY_TASK_TIME_LIMIT.")
# Longer limits (soft, hard) in seconds for the jobs that build files: a report or pack, the open data dumps.
CELERY_FILE_JOB_TIME_LIMITS = (
    env.int("CELERY_FILE_JOB_SOFT_TIME_LIMIT", default=900),
    env.int("CELERY_FILE_JOB_TIME_LIMIT", default=960),
)
# How hard a web request tries to hand a job to the broker before giving up (smartcity.tasks.enqueue).
CELERY_ENQUEUE_RETRY_POLICY = {"max_retries": 2, "interval_start": 0, "interval_step": 0.2, "interval_max": 0.5}
CELERY_BEAT_SCHEDULE = {
    "refresh-cache-for-lifted-embargoes": {  # every 5 minutes
        "task": "smartcity.tasks.refresh_cache_for_lifted_embargoes",
        "schedule": 300.0,
    },
    "send-mou-expiry-reminders": {  # daily at 07:00 Asia/Jakarta
        "task": "partnerships.tasks.send_mou_expiry_reminders",
        "schedule": crontab(minute=0, hour=7),
    },
    "send-workspace-digests": {  # daily at 07:15 Asia/Jakarta: each person's overdue work (the staff workspace)
        "task": "pillars.tasks.send_workspace_digests",
        "schedule": crontab(minute=15, hour=7),
    },
    "send-workspace-reminders": {  # daily at 07:30 Asia/Jakarta: work due REMINDER_LEAD_DAYS from today
        "task": "pillars.tasks.send_workspace_reminders",
        "schedule": crontab(minute=30, hour=7),
    },
    "build-waiting-report-exports": {  # every minute: reports whose queue message was lost
        "task": "evaluations.tasks.build_waiting_report_exports",
        "schedule": 60.0,
    },
    "rebuild-open-data": {  # nightly at 01:30 Asia/Jakarta
        "task": "smartcity.tasks.rebuild_open_data",
        "schedule": crontab(minute=30, hour=1),
    },
    "announce-lifted-evaluation-embargoes": {  # every 5 minutes: evaluations just published by their embargo
        "task": "evaluations.tasks.announce_lifted_evaluation_embargoes",
        "schedule": 300.0,
    },
    "send-due-webhooks": {  # every minute: webhook deliveries whose queue message was lost
        "task": "partnerships.tasks.send_due_webhooks",
        "schedule": 60.0,
    },
    "prune-portfolio-changes": {  # every 5 minutes: the dashboard's change marks folded into its figures
        "task": "pillars.tasks.prune_portfolio_changes",
        "schedule": 300.0,
    },
    "flag-stale-indicators": {  # weekly, Monday 06:00 Asia/Jakarta
        "task": "pillars.tasks.flag_stale_indicators",
        "schedule": crontab(minute=0, hour=6, day_of_week="mon"),
    },
}

# --- Authentication -------------------------------------------------------------------------------
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "admin:login"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",  # refuses a username and address pair after too many failures
    "smartcity.auth.LocalPasswordBackend",  # Django's passwords; only superusers' once OpenID Connect is on
]

# Staff sign-in through the city's OpenID Connect provider (e.g. Keycloak), on when OIDC_CLIENT_ID is set. The
# provider's endpoints are given one by one (no discovery at start-up: a closed network may not reach it then).
OIDC_ENABLED = bool(env("OIDC_CLIENT_ID", default=""))
OIDC_LOCAL_LOGIN = env("OIDC_LOCAL_LOGIN", default="superusers")  # or "all": who still signs in with a password
if OIDC_LOCAL_LOGIN not in ("superusers", "all"):
    raise ImproperlyConfigured("OIDC_LOCAL_LOGIN is either superusers or all.")
if OIDC_ENABLED:
    INSTALLED_APPS.append("mozilla_django_oidc")
    AUTHENTICATION_BACKENDS.append("pillars.oidc.AgencyRoleBackend")  # claims -> agency and role
    OIDC_RP_CLIENT_ID = env("OIDC_CLIENT_ID")
    OIDC_RP_CLIENT_SECRET = env("OIDC_CLIENT_SECRET")
    OIDC_OP_AUTHORIZATION_ENDPOINT = env("OIDC_AUTHORIZATION_ENDPOINT")
    OIDC_OP_TOKEN_ENDPOINT = env("OIDC_TOKEN_ENDPOINT")
    OIDC_OP_USER_ENDPOINT = env("OIDC_USERINFO_ENDPOINT")
    OIDC_OP_JWKS_ENDPOINT = env("OIDC_JWKS_ENDPOINT")
    OIDC_RP_SIGN_ALGO = env("OIDC_SIGN_ALGO", default="RS256")
    OIDC_RP_SCOPES = env("OIDC_SCOPES", default="openid email profile")
    OIDC_USE_PKCE = True
    # One total deadline per request to the provider (smartcity/outbound.py); requests' own (connect, read) pair
    # stays as the library's fallback.
    OIDC_TIMEOUT_SECONDS = env.float("OIDC_TIMEOUT_SECONDS", default=10.0)
    OIDC_TIMEOUT = (min(5.0, OIDC_TIMEOUT_SECONDS), OIDC_TIMEOUT_SECONDS)  # (connect, read) for requests
    OIDC_CALLBACK_CLASS = "smartcity.oidc.CallbackView"
    LOGIN_REDIRECT_URL = "admin:index"
    # An open session is re-checked with the provider this often (a silent prompt=none sign-in on the next GET):
    # a role the provider took away ends the session and the account's access (pillars/oidc.py).
    MIDDLEWARE.insert(MIDDLEWARE.index("django.contrib.auth.middleware.AuthenticationMiddleware") + 1,
                      "mozilla_django_oidc.middleware.SessionRefresh")  # fmt: skip
    OIDC_RENEW_ID_TOKEN_EXPIRY_SECONDS = env.int("OIDC_RECHECK_SECONDS", default=15 * 60)
OIDC_SESSION_HOURS = env.int("OIDC_SESSION_HOURS", default=10)  # a working day, then the provider's form again
OIDC_PROVIDER_NAME = env("OIDC_PROVIDER_NAME", default="SSO")  # on the admin's login button
OIDC_AGENCY_CLAIM = env("OIDC_AGENCY_CLAIM", default="agency")  # its value: an agency's slug
OIDC_ROLE_CLAIM = env("OIDC_ROLE_CLAIM", default="role")  # a value, or a list of them, of OIDC_ROLES
# claim value -> role (a group of smartcity/roles.py), e.g. OIDC_ROLES="opd=OPD editor,kominfo=Diskominfo editor"
OIDC_ROLES = env.dict("OIDC_ROLES", default=ROLE_CLAIM_VALUES)
if set(OIDC_ROLES.values()) - set(ROLES):
    raise ImproperlyConfigured(f"OIDC_ROLES may name only these roles: {', '.join(ROLES)}.")
AXES_FAILURE_LIMIT = env.int("AXES_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = env.float("AXES_COOLOFF_HOURS", default=1.0)
# A username at an address; the whole address once it tries several usernames (smartcity/lockout.py).
AXES_LOCKOUT_PARAMETERS = "smartcity.lockout.lockout_parameters"
AXES_RESET_ON_SUCCESS = True
AXES_VERBOSE = False
AXES_CLIENT_IP_CALLABLE = "smartcity.api.throttling.client_ip"  # the API throttles' rule, TRUSTED_PROXY_COUNT
AXES_IPWARE_PROXY_COUNT = TRUSTED_PROXY_COUNT
AXES_LOCKOUT_TEMPLATE = "lockout.html"

# --- Email: the console for a first look, SMTP from EMAIL_URL (smtp+tls://user:password@host:587) ---
_email = env.email_url("EMAIL_URL", default="consolemail://")
EMAIL_BACKEND = _email["EMAIL_BACKEND"]
EMAIL_HOST, EMAIL_PORT = _email.get("EMAIL_HOST", "localhost"), _email.get("EMAIL_PORT", 25)
EMAIL_HOST_USER, EMAIL_HOST_PASSWORD = _email.get("EMAIL_HOST_USER", ""), _email.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS, EMAIL_USE_SSL = _email.get("EMAIL_USE_TLS", False), _email.get("EMAIL_USE_SSL", False)
EMAIL_TIMEOUT = 10
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", default="Kota Cerdas <noreply@localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# --- Languages and time ---------------------------------------------------------------------------
LANGUAGE_CODE = "id"
LANGUAGES = [("id", _("Indonesian")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
USE_I18N = True
TIME_ZONE = "Asia/Jakarta"
USE_TZ = True

# --- Static and uploaded files --------------------------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = Path(env("DJANGO_STATIC_ROOT", default=str(BASE_DIR / "staticfiles")))
STATICFILES_DIRS = [BASE_DIR / "static"]
# Front-end libraries come from npm (package.json) and the API docs' Swagger UI from drf-spectacular-sidecar: only
# the files the templates load, and the files those name (a stylesheet's images, source maps), are published
# (smartcity/staticfinders.py; tests/test_static_files.py fails on one missing).
_NODE = BASE_DIR / "node_modules"
_SIDECAR = Path(importlib.util.find_spec("drf_spectacular_sidecar").origin).parent
_SIDECAR = _SIDECAR / "static" / "drf_spectacular_sidecar"
VENDOR_STATIC_FILES = [  # (where under STATIC_URL, the package's folder, its files)
    ("vendor/pico", _NODE / "@picocss" / "pico" / "css", ["pico.min.css"]),
    ("vendor/chartjs", _NODE / "chart.js" / "dist", ["chart.umd.min.js", "chart.umd.min.js.map"]),
    (
        "vendor/leaflet",
        _NODE / "leaflet" / "dist",
        [
            "leaflet.css",
            "leaflet.js",
            "leaflet.js.map",
            "images/layers.png",
            "images/layers-2x.png",
            "images/marker-icon.png",
        ],
    ),
    ("vendor/pmtiles", _NODE / "pmtiles" / "dist", ["pmtiles.js", "pmtiles.js.map"]),  # the offline base map
    (
        "drf_spectacular_sidecar/swagger-ui-dist",
        _SIDECAR / "swagger-ui-dist",
        ["swagger-ui.css", "swagger-ui.css.map", "swagger-ui-bundle.js"],
    ),
]
VENDORED_STATIC_APPS = ["drf_spectacular_sidecar"]  # its files come one by one, above
STATICFILES_FINDERS = [
    "django.contrib.staticfiles.finders.FileSystemFinder",
    "smartcity.staticfinders.AppDirectoriesFinder",
    "smartcity.staticfinders.VendorFinder",
]
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(env("DJANGO_MEDIA_ROOT", default=str(VAR_DIR / "media")))
# Credentials a request for an uploaded file may carry besides the session (smartcity/media.py): partner keys.
UPLOAD_AUTHENTICATION_CLASSES = ["partnerships.authentication.PartnerAPIKeyAuthentication"]
# Generated reports and open-data dumps: never served as media, only through views that check rights.
PRIVATE_MEDIA_ROOT = Path(env("DJANGO_PRIVATE_MEDIA_ROOT", default=str(VAR_DIR / "private")))
OPEN_DATA_ROOT = Path(env("DJANGO_OPEN_DATA_ROOT", default=str(VAR_DIR / "open-data")))
STORAGES = {
    "default": {"BACKEND": "smartcity.storage.UploadStorage"},  # named by the detected type, not the uploader
    "staticfiles": {
        "BACKEND": env("DJANGO_STATICFILES_STORAGE", default="whitenoise.storage.CompressedManifestStaticFilesStorage")
    },
}
if DEBUG:
    STORAGES["staticfiles"]["BACKEND"] = "django.contrib.staticfiles.storage.StaticFilesStorage"

# --- API ------------------------------------------------------------------------------------------
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        # Partner API keys first, so an anonymous call to a protected endpoint gets 401 with WWW-Authenticate.
        # Both credential schemes refuse an address over its failure budget before checking anything.
        "partnerships.authentication.PartnerAPIKeyAuthentication",
        "smartcity.api.authentication.BasicAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_THROTTLE_CLASSES": [  # atomic counters in the cache (smartcity/api/throttling.py; keys: partnerships)
        "partnerships.authentication.PartnerKeyRateThrottle",
        "smartcity.api.throttling.AnonymousRateThrottle",
    ],
    "DEFAULT_THROTTLE_RATES": {
        "partner_key": env("API_PARTNER_KEY_RATE", default="1200/hour"),  # per key, wherever it calls from
        "anon": env("API_ANONYMOUS_RATE", default="300/minute"),  # per address; staff are not throttled
        "failed_auth": env("API_FAILED_AUTH_RATE", default="20/hour"),  # wrong keys or passwords, per address
        "download": env("PUBLIC_DOWNLOAD_RATE", default="30/hour"),  # anonymous whole-list downloads, per address
        "feedback": env("FEEDBACK_RATE", default="5/hour"),  # posts of the citizen feedback form, per address
    },
    "NUM_PROXIES": TRUSTED_PROXY_COUNT,
    "DEFAULT_PARSER_CLASSES": [  # JSON nested past a sane depth is a 400, not a RecursionError
        "smartcity.api.parsers.JSONParser",
        "rest_framework.parsers.FormParser",
        "rest_framework.parsers.MultiPartParser",
    ],
    "DEFAULT_RENDERER_CLASSES": [
        "rest_framework.renderers.JSONRenderer",
        "smartcity.api.renderers.BrowsableAPIRenderer",  # its forms name a related record by id
    ],
    "DEFAULT_PERMISSION_CLASSES": ["smartcity.api.permissions.ModelPermissions"],
    "DEFAULT_FILTER_BACKENDS": [
        "smartcity.api.filtering.FilterBackend",
        "smartcity.api.filtering.OrderingFilter",
    ],
    "DEFAULT_PAGINATION_CLASS": "smartcity.api.pagination.LimitOffsetPagination",
    "PAGE_SIZE": 50,
    "DEFAULT_SCHEMA_CLASS": "smartcity.api.schema.AutoSchema",  # documents the error responses too
    "EXCEPTION_HANDLER": "smartcity.api.exceptions.exception_handler",
    "TEST_REQUEST_DEFAULT_FORMAT": "json",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Kota Cerdas API",
    "DESCRIPTION": "Open data and partner integrations of the city's smart-city program office.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",  # served from our own static files: no CDN on a closed network
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "SCHEMA_PATH_PREFIX": "/api/v1/",
    # The contract (docs/api/openapi-v1.yaml, `make schema`; tests/test_api_contract.py): one document for every
    # caller and UI language. Request bodies are JSON (multipart only to upload a file), names never translated.
    "SERVERS": [{"url": "/", "description": "This portal"}],
    "CONTACT": {"name": "Kota Cerdas program office (Diskominfo)", "url": "/api/v1/docs/"},
    "COMPONENT_SPLIT_REQUEST": True,
    "POSTPROCESSING_HOOKS": ["drf_spectacular.hooks.postprocess_schema_enums", "smartcity.api.schema.postprocess"],
    "ENUM_NAME_OVERRIDES": {
        "FundingSourceEnum": "pillars.choices.FundingSource",
        "SelfAssessmentMissingEnum": "frameworks.services.assessments.SELF_ASSESSMENT_MISSING",
        "PartnerKindEnum": "partnerships.choices.PartnerKind",
        "MoUStatusEnum": "partnerships.choices.MoUStatus",
        "EvaluationStageEnum": "evaluations.choices.EvaluationStage",
        "EvaluationKindEnum": "evaluations.choices.EvaluationKind",
        "FindingKindEnum": "evaluations.choices.FindingKind",
        "AttachmentKindEnum": "evaluations.choices.AttachmentKind",
        "EvaluationStatusEnum": "evaluations.choices.EvaluationStatus",
        "FollowUpStatusEnum": "evaluations.choices.FollowUpStatus",
        "AssetKindEnum": "pillars.choices.AssetKind",
        "AssetStatusEnum": "pillars.choices.AssetStatus",
        "ServiceStatusEnum": "pillars.choices.ServiceStatus",
        "MoUStateEnum": "partnerships.choices.MoUState",
        "WebhookEventEnum": "partnerships.choices.WebhookEvent",
        "DeliveryStatusEnum": "partnerships.choices.DeliveryStatus",
        "FeedbackStatusEnum": "pillars.choices.FeedbackStatus",
        "ClarificationStatusEnum": "evaluations.choices.ClarificationStatus",
        "ExportStatusEnum": "evaluations.choices.ExportStatus",
        "InstrumentKindEnum": "evaluations.choices.InstrumentKind",
        "BoundaryKindEnum": "pillars.choices.BoundaryKind",
    },
}

IMPORT_EXPORT_USE_TRANSACTIONS = True  # an import with any bad row imports nothing
IMPORT_EXPORT_FORMATS = [base_formats.CSV, base_formats.XLSX]
# Importing needs the change permission (the writer then checks add/change per row and the agency rule); exporting
# needs the view permission and lists only the rows the change list shows.
IMPORT_EXPORT_IMPORT_PERMISSION_CODE = "change"
IMPORT_EXPORT_EXPORT_PERMISSION_CODE = "view"
# Exports escape cells a spreadsheet would run as formulas (=, +, -, @, tab, CR first), like every CSV we write.
EXPORT_FORMATS = [SafeCSV, SafeXLSX]
# The admin's import refuses bigger files (pillars/imports.py); manage.py import_records has no limit.
IMPORT_MAX_BYTES = env.int("IMPORT_MAX_BYTES", default=5 * 1024 * 1024)
IMPORT_MAX_ROWS = env.int("IMPORT_MAX_ROWS", default=5000)
# A workbook is a zip: one that unpacks to more than this is refused before it is opened (a few hundred KB can
# declare millions of rows). smartcity/spreadsheets.py reads every import within these limits.
IMPORT_MAX_UNZIPPED_BYTES = env.int("IMPORT_MAX_UNZIPPED_BYTES", default=20 * 1024 * 1024)

# --- Content-Security-Policy: no inline script but one; charts and maps come from our own static files.
# The one inline script marks the page as having scripts before the first paint, so the phone's menu is drawn
# folded rather than folded after the load (a layout shift); it is allowed by its hash, nothing else inline is.
HEAD_SCRIPT = "document.documentElement.classList.add('js')"
HEAD_SCRIPT_HASH = f"'sha256-{base64.b64encode(hashlib.sha256(HEAD_SCRIPT.encode()).digest()).decode()}'"
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'", HEAD_SCRIPT_HASH],
        "style-src": ["'self'", "'unsafe-inline'"],  # Leaflet and Swagger UI position elements with style
        "img-src": ["'self'", "data:", "blob:"],  # blob: the base map's tiles, cut from its file by the browser
        "connect-src": ["'self'"],
        "font-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    }
}

# --- Portal ---------------------------------------------------------------------------------------
PORTAL_CITY_NAME = env("PORTAL_CITY_NAME", default="Kota Padang")
# Where staff open the portal (e.g. https://smartcity.padang.go.id), put before the admin links in e-mails.
PORTAL_BASE_URL = env("PORTAL_BASE_URL", default="").rstrip("/")
# The staff workspace (the admin's first page): its selector, reached by name so the core imports no app; dated
# work shows from this many days before it is due; reminders go out this many days before each deadline.
WORKSPACE_SELECTOR = "pillars.workspace.workspace_for"
WORKSPACE_DAYS_AHEAD = env.int("WORKSPACE_DAYS_AHEAD", default=30)
# An indicator reads "not updated since <date>" only once its next measurement (by its frequency) is this many days
# overdue: yearly figures are published months after the year ends.
MEASUREMENT_GRACE_DAYS = env.int("MEASUREMENT_GRACE_DAYS", default=90)
REMINDER_LEAD_DAYS = tuple(env.list("REMINDER_LEAD_DAYS", cast=int, default=[7, 1]))
# The DCAT catalogue of the open data (smartcity/dcat.py): who publishes it and under which licence.
OPEN_DATA_PUBLISHER = env("OPEN_DATA_PUBLISHER", default="") or f"Dinas Komunikasi dan Informatika {PORTAL_CITY_NAME}"
OPEN_DATA_LICENSE = env("OPEN_DATA_LICENSE", default="https://creativecommons.org/licenses/by/4.0/")
OPEN_DATA_LICENSE_NAME = env("OPEN_DATA_LICENSE_NAME", default="Creative Commons Attribution 4.0 (CC BY 4.0)")
# The catalogue's spatial coverage (the city's Kemendagri code and outline), read by name: the core imports no app.
OPEN_DATA_AREA = "pillars.outlines.city_area"
SPECTACULAR_SETTINGS["LICENSE"] = {"name": OPEN_DATA_LICENSE_NAME, "url": OPEN_DATA_LICENSE}
# Map tiles: none by default, since a closed network reaches no tile server; markers and lists still work.
MAP_TILE_URL = env("MAP_TILE_URL", default="")  # e.g. https://tiles.example.go.id/{z}/{x}/{y}.png
MAP_TILE_ATTRIBUTION = env("MAP_TILE_ATTRIBUTION", default="")
if MAP_TILE_URL:  # the tile server's origin may serve images to the map
    CONTENT_SECURITY_POLICY["DIRECTIVES"]["img-src"].append("/".join(MAP_TILE_URL.split("/")[:3]))
# The offline base map the office uploads in the admin (a PMTiles file, pillars/basemap.py): its largest size. A
# city's raster tiles to zoom 16 are a few hundred MB; the proxy in front must accept as much (nginx:
# client_max_body_size).
BASEMAP_MAX_BYTES = env.int("BASEMAP_MAX_BYTES", default=1024 * 1024 * 1024)

# --- Citizen feedback (pillars): what counts as a repeat (the form's budget is REST_FRAMEWORK's "feedback")
FEEDBACK_REPEAT_HOURS = env.int("FEEDBACK_REPEAT_HOURS", default=24)  # the same text on the same record
FEEDBACK_SENDER_MINUTES = env.int("FEEDBACK_SENDER_MINUTES", default=10)  # the same address on the same record
# The public survey page (evaluations/public_survey.py): at most this many answers a day per surveyed program, and
# whether those unverified answers count toward the 50-response minimum of readiness (they are always shown apart).
SURVEY_WEB_DAILY_CAP = env.int("SURVEY_WEB_DAILY_CAP", default=50)
SURVEY_WEB_COUNTS_TOWARD_MINIMUM = env.bool("SURVEY_WEB_COUNTS_TOWARD_MINIMUM", default=False)
# How long the API keeps a POST's Idempotency-Key and its answer, per caller (smartcity/api/idempotency.py).
IDEMPOTENCY_KEY_HOURS = env.int("IDEMPOTENCY_KEY_HOURS", default=24)

# --- Provincial hub (federation/harvest.py): compare the cities whose portals this one follows ---------------
PROVINCIAL_HUB = env.bool("PROVINCIAL_HUB", default=False)  # the comparison page and the harvest run only then
PROVINCIAL_HUB_TIMEOUT = env.float("PROVINCIAL_HUB_TIMEOUT", default=10.0)  # seconds per portal, all requests
PROVINCIAL_HUB_MAX_BYTES = env.int("PROVINCIAL_HUB_MAX_BYTES", default=2 * 1024 * 1024)  # per answer
# Followed portals must be on public addresses. A government network's private range may be allowed by name
# (e.g. 10.20.0.0/16); loopback only ever by PROVINCIAL_HUB_ALLOW_LOOPBACK, which the tests set.
PROVINCIAL_HUB_ALLOWED_NETWORKS = env.list("PROVINCIAL_HUB_ALLOWED_NETWORKS", default=[])
PROVINCIAL_HUB_ALLOW_LOOPBACK = env.bool("PROVINCIAL_HUB_ALLOW_LOOPBACK", default=False)
if PROVINCIAL_HUB:
    CELERY_BEAT_SCHEDULE["harvest-followed-portals"] = {  # every hour at minute 20 Asia/Jakarta
        "task": "evaluations.tasks.harvest_followed_portals",
        "schedule": crontab(minute=20),
    }
# --- Webhooks to partner systems (partnerships/webhooks.py) ----------------------------------------
# Endpoints on loopback (127.0.0.0/8, ::1) are refused unless this is on: for tests and a receiver on the same
# machine only. Private, link-local and reserved addresses are always refused.
WEBHOOK_ALLOW_LOOPBACK = env.bool("WEBHOOK_ALLOW_LOOPBACK", default=False)
WEBHOOK_TIMEOUT_SECONDS = env.float("WEBHOOK_TIMEOUT_SECONDS", default=10.0)  # the whole attempt, answer and all
WEBHOOK_MAX_ATTEMPTS = env.int("WEBHOOK_MAX_ATTEMPTS", default=8)  # then the delivery is marked failed
WEBHOOK_RETRY_BASE_SECONDS = env.float("WEBHOOK_RETRY_BASE_SECONDS", default=30.0)  # doubled after each failure
WEBHOOK_RETRY_MAX_SECONDS = env.float("WEBHOOK_RETRY_MAX_SECONDS", default=3600.0)
WEBHOOK_DISABLE_AFTER_FAILURES = env.int("WEBHOOK_DISABLE_AFTER_FAILURES", default=20)  # attempts in a row
WEBHOOK_SECRET_OVERLAP_HOURS = env.float("WEBHOOK_SECRET_OVERLAP_HOURS", default=24.0)  # old secret still signs
WEBHOOK_MAX_RESPONSE_BYTES = env.int("WEBHOOK_MAX_RESPONSE_BYTES", default=64 * 1024)  # a larger answer: failed
WEBHOOK_MAX_ENDPOINTS_PER_PARTNER = env.int("WEBHOOK_MAX_ENDPOINTS_PER_PARTNER", default=10)

# --- Every request to another host (smartcity/outbound.py): one total deadline, a byte cap, and these ports only
# for addresses a user or partner chose (webhooks, followed portals); loopback, where allowed, on any port.
OUTBOUND_ALLOWED_PORTS = env.list("OUTBOUND_ALLOWED_PORTS", cast=int, default=[80, 443, 8080, 8443])
OIDC_MAX_RESPONSE_BYTES = env.int("OIDC_MAX_RESPONSE_BYTES", default=1024 * 1024)

# --- Logging: one JSON object per line on stderr, for the process manager to collect ------------
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        "json": {
            "()": "pythonjsonlogger.json.JsonFormatter",
            "fmt": "%(asctime)s %(levelname)s %(name)s %(message)s",
            "rename_fields": {"asctime": "time", "levelname": "level", "name": "logger"},
        },
        "line": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"},
    },
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": env("DJANGO_LOG_FORMAT", default="json")}},
    "root": {"handlers": ["console"], "level": env("DJANGO_LOG_LEVEL", default="INFO")},
}
