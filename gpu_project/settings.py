"""GPU settings, all driven by the environment (see docs/operations.md).

No DATABASE_URL → a SQLite file; no REDIS_URL → Celery runs tasks eagerly and the
cache is local memory. That is the embedded default used by `make run` and tests.
"""

import os
import sys
from pathlib import Path

import environ
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent
env = environ.Env()

TESTING = "pytest" in sys.modules
DEBUG = env.bool("GPU_DEBUG", default=False)


def _embedded_secret_key(path: Path) -> str:
    """The embedded mode's key: random, made once and kept in var/ (mode 600), so it is
    never a value known from the source code and survives restarts (sessions, links)."""
    import secrets

    try:
        key = path.read_text().strip()
    except FileNotFoundError:
        key = ""
    if len(key) < 50:
        path.parent.mkdir(parents=True, exist_ok=True)
        key = secrets.token_urlsafe(64)
        descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(descriptor, "w") as handle:
            handle.write(key)
    return key


SECRET_KEY = env.str("SECRET_KEY", default="")
if not SECRET_KEY:
    if TESTING:
        SECRET_KEY = "gpu-test-only-key-" + "0123456789abcdef" * 4  # noqa: S105 — the test run only
    elif DEBUG:
        SECRET_KEY = _embedded_secret_key(
            Path(env.str("GPU_SECRET_KEY_FILE", default=str(BASE_DIR / "var" / "secret_key")))
        )
    else:
        raise ImproperlyConfigured("SECRET_KEY é obrigatório quando GPU_DEBUG não está ligado.")

ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost", "testserver"])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "rest_framework",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "oauth2_provider",
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "django_htmx",
    "django_prometheus",
    "csp",
    "core",
    "unimeds",
    "protocols",
    "leads",
    "retencao",
    "cooperados",
    "intercambio",
    "regulatorio",
    "portal",
    "gpu_api",
    "reports",
]

MIDDLEWARE = [
    "django_prometheus.middleware.PrometheusBeforeMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "core.limits.RequestSizeLimitMiddleware",
    "csp.middleware.CSPMiddleware",
    "core.middleware.PermissionsPolicyMiddleware",
    "core.middleware.NulCharacterMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "unimeds.middleware.ActorMiddleware",
    "unimeds.middleware.SecondFactorMiddleware",
    "unimeds.middleware.AdminSignInAddressLimitMiddleware",
    "core.middleware.DomainErrorMiddleware",
    "core.outage.DatabaseOutageMiddleware",
    "axes.middleware.AxesMiddleware",
    "django_prometheus.middleware.PrometheusAfterMiddleware",
]

ROOT_URLCONF = "gpu_project.urls"
WSGI_APPLICATION = "gpu_project.wsgi.application"

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
                "unimeds.context_processors.acting_unimed",
                "unimeds.context_processors.operations_banner",
            ],
        },
    },
]

# --- Database --------------------------------------------------------------
DATABASES = {
    "default": env.db_url("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'var' / 'gpu.sqlite3'}")
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    DATABASES["default"].setdefault("CONN_MAX_AGE", env.int("GPU_DB_CONN_MAX_AGE", default=60))
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
    # Parameters sent apart from the SQL (psycopg adapts them in C) instead of quoted into
    # it in Python, and a statement run 5 times on a connection is prepared, so the server
    # stops parsing and planning it (Django turns preparing off unless asked): ~10 % less
    # CPU per API call in Python and ~25 % less in PostgreSQL for solicitarProtocolo.
    # Turn off behind a pooler that cannot keep prepared statements.
    if env.bool("GPU_DB_SERVER_SIDE_BINDING", default=True):
        options = DATABASES["default"].setdefault("OPTIONS", {})
        options["server_side_binding"] = True
        options.setdefault("prepare_threshold", 5)
else:
    # SQLite waits for a writer instead of failing at once with "database is locked"; and
    # a transaction takes the write lock when it begins (BEGIN IMMEDIATE): a deferred one
    # that read first cannot wait for the lock it later needs, and failed at once.
    DATABASES["default"].setdefault("OPTIONS", {})["timeout"] = 20
    DATABASES["default"]["OPTIONS"]["transaction_mode"] = "IMMEDIATE"
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
IS_POSTGRES = DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql"

# --- Redis: cache, Celery broker and results ---------------------------------
REDIS_URL = env.str("REDIS_URL", default="")
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "core.cache.FailOpenRedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": env.str("GPU_CACHE_PREFIX", default="gpu"),
            # Fail fast: a stopped Redis costs a request at most this, then the
            # circuit breaker skips the cache for GPU_CACHE_RETRY_SECONDS.
            "OPTIONS": {
                "socket_connect_timeout": env.float("GPU_CACHE_TIMEOUT_SECONDS", default=0.3),
                "socket_timeout": env.float("GPU_CACHE_TIMEOUT_SECONDS", default=0.3),
            },
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
GPU_CACHE_RETRY_SECONDS = env.float("GPU_CACHE_RETRY_SECONDS", default=5.0)

CELERY_BROKER_URL = REDIS_URL or "memory://"
CELERY_RESULT_BACKEND = REDIS_URL or None
# Tests run tasks eagerly unless a test starts a real worker (tests/conftest.py).
CELERY_TASK_ALWAYS_EAGER = env.bool("GPU_CELERY_EAGER", default=not REDIS_URL or TESTING)
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TASK_SERIALIZER = "json"
CELERY_RESULT_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TIMEZONE = "America/Sao_Paulo"
CELERY_TASK_TIME_LIMIT = env.int("GPU_TASK_TIME_LIMIT", default=30 * 60)
CELERY_TASK_SOFT_TIME_LIMIT = CELERY_TASK_TIME_LIMIT - 60
# At-least-once: a task is acknowledged when it ends, and given back to the queue when
# its worker dies; every task is idempotent (rows with a claim or a send-once guard).
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
# The worker reconnects to a restarted broker forever, at start and at run time.
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_BROKER_CONNECTION_RETRY = True
CELERY_BROKER_CONNECTION_MAX_RETRIES = None
# A publish must not hang a web request when Redis is down: the outbox sweep
# re-enqueues whatever could not be published. An unacknowledged message comes back
# after the visibility timeout, which must outlast the longest task.
CELERY_BROKER_TRANSPORT_OPTIONS = {
    "max_retries": 1,
    "interval_start": 0,
    "interval_step": 0.2,
    "socket_connect_timeout": 0.5,
    "socket_timeout": 3,
    "visibility_timeout": CELERY_TASK_TIME_LIMIT + 600,
}
CELERY_RESULT_BACKEND_TRANSPORT_OPTIONS = {"socket_connect_timeout": 0.5, "socket_timeout": 3}
CELERY_WORKER_SEND_TASK_EVENTS = False
CELERY_BEAT_SCHEDULE: dict = {
    "integration-log-purge": {"task": "core.integration_log_purge", "schedule": 6 * 3600},
    "leads-reservations-expire": {"task": "leads.reservations_expire", "schedule": 15 * 60},
    # Reports (docs/reports.md): fail jobs whose worker died, purge expired files;
    # the monthly run is idempotent per (report, Unimed, month), so checking often is safe.
    "reports-upkeep": {"task": "core.reports.upkeep", "schedule": 5 * 60},
    "reports-monthly": {"task": "core.reports.monthly", "schedule": 6 * 3600},
    "cooperados-bulk-jobs-sweep": {"task": "cooperados.bulk_jobs_sweep", "schedule": 5 * 60},
    "cooperados-a400-jobs-sweep": {"task": "cooperados.a400_jobs_sweep", "schedule": 60},
    # Regulator demands (docs/regulatorio.md): D-2 and due-day e-mails, each sent once.
    "regulatorio-alerts": {"task": "regulatorio.alerts_send", "schedule": 3600},
}

# --- Auth ------------------------------------------------------------------
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "/entrar/"
LOGIN_REDIRECT_URL = "/painel/"
LOGOUT_REDIRECT_URL = "/entrar/"

AXES_FAILURE_LIMIT = env.int("GPU_LOGIN_FAILURE_LIMIT", default=5)
AXES_LOCKOUT_PARAMETERS = ["username"]
AXES_RESET_ON_SUCCESS = True
# Nobody locks an account for good: the cool-off doubles with each lockout of the same
# username (unimeds/security.py); the gestor unlocks at once, a password reset too.
AXES_COOLOFF_TIME = "unimeds.security.cooloff"
# The cool-off runs from the lockout: attempts while locked do not restart it.
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False
AXES_CLIENT_IP_CALLABLE = "core.client_ip.client_ip"
AXES_LOCKOUT_CALLABLE = "unimeds.views.lockout_response"
AXES_VERBOSE = False
GPU_LOGIN_COOLOFF_MINUTES = env.int("GPU_LOGIN_COOLOFF_MINUTES", default=15)
GPU_LOGIN_COOLOFF_MAX_HOURS = env.int("GPU_LOGIN_COOLOFF_MAX_HOURS", default=24)
GPU_LOGIN_LOCKOUT_MEMORY_HOURS = env.int("GPU_LOGIN_LOCKOUT_MEMORY_HOURS", default=24)
# Per client address (core.client_ip): wrong passwords over any usernames in the window.
GPU_LOGIN_FAILURES_PER_IP = env.int("GPU_LOGIN_FAILURES_PER_IP", default=30)
GPU_LOGIN_IP_WINDOW_SECONDS = env.int("GPU_LOGIN_IP_WINDOW_SECONDS", default=15 * 60)
# Second factor (TOTP, django-otp): mandatory for these roles ("hub_admin" = superuser),
# optional for the others. `make run` sets it empty for the demo's printed passwords.
GPU_2FA_REQUIRED_ROLES = [
    r for r in env.list("GPU_2FA_REQUIRED_ROLES", default=["gestor", "hub_admin"]) if r
]
OTP_TOTP_ISSUER = env.str("GPU_2FA_ISSUER", default="GPU Unimed")
AXES_ENABLED = env.bool("GPU_AXES_ENABLED", default=True)
# The service accounts' GIU-style sign-in (POST /api/v1/gpu/token): failures per
# client_id and per address within this window, then 429 until it passes.
GPU_SERVICE_SIGNIN_WINDOW_SECONDS = env.int("GPU_SERVICE_SIGNIN_WINDOW_SECONDS", default=900)

OAUTH2_PROVIDER_APPLICATION_MODEL = "oauth2_provider.Application"
OAUTH2_PROVIDER_ACCESS_TOKEN_MODEL = "oauth2_provider.AccessToken"
OAUTH2_PROVIDER_ID_TOKEN_MODEL = "oauth2_provider.IDToken"
OAUTH2_PROVIDER_GRANT_MODEL = "oauth2_provider.Grant"
OAUTH2_PROVIDER_REFRESH_TOKEN_MODEL = "oauth2_provider.RefreshToken"
OAUTH2_PROVIDER = {
    # No token for a deactivated service account (or one of an inactive Unimed).
    "OAUTH2_VALIDATOR_CLASS": "unimeds.oauth.ServiceAccountOAuth2Validator",
    "ACCESS_TOKEN_EXPIRE_SECONDS": env.int("GPU_TOKEN_TTL_SECONDS", default=3600),
    "SCOPES": {"gpu": "Troca de mensagens GPU"},
    "DEFAULT_SCOPES": ["gpu"],
    # RFC 9700 (OAuth 2.0 Security BCP): only client credentials are used here.
    "COMPLIANT_BCP_RFC9700_IMPLICIT_GRANT": True,
    "COMPLIANT_BCP_RFC9700_PASSWORD_GRANT": True,
    "COMPLIANT_BCP_RFC9700_PKCE_METHOD": True,
    "COMPLIANT_BCP_RFC9700_ACCESS_TOKEN_TRANSPORT": True,
    "COMPLIANT_BCP_RFC9700_AUTHZ_RESPONSE_ISS": True,
    "COMPLIANT_BCP_RFC9700_TOKEN_STORAGE": True,
    "COMPLIANT_BCP_RFC9700_REFRESH_TOKEN": True,
    "COMPLIANT_BCP_RFC9700_REDIRECT_URI_SCHEME": True,
    "REFRESH_TOKEN_REUSE_PROTECTION": True,
    "ALLOWED_REDIRECT_URI_SCHEMES": ["https"],
}

# --- API -------------------------------------------------------------------
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": ["unimeds.api.authentication.ServiceAccountAuthentication"],
    "DEFAULT_PERMISSION_CLASSES": ["unimeds.api.permissions.IsServiceAccount"],
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": ["core.api.JSONParser"],
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "core.api.exception_handler",
    "UNAUTHENTICATED_USER": None,
    "DATETIME_FORMAT": "iso-8601",  # offsets with a colon: 2026-12-04T10:00:00-03:00
}
SPECTACULAR_SETTINGS = {
    "TITLE": "GPU — Gestão de Protocolos Unimed",
    "DESCRIPTION": "API de integração do hub GPU. Autenticação: OAuth2 client credentials "
    "em POST /o/token/ e cabeçalho Authorization: Bearer <token>.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    "ENUM_NAME_OVERRIDES": {
        "LeadSituacaoEnum": "leads.models.LeadStatus",
        "LeadOrigemEnum": "leads.models.LeadSource",
        "ReservaSituacaoEnum": "leads.models.ReservationStatus",
        "DemandaSituacaoEnum": "regulatorio.models.DemandStatus",
        "CasoRetencaoOrigemEnum": "retencao.models.CaseOrigin",
        "CasoRetencaoSituacaoEnum": "retencao.models.CaseStatus",
    },
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "core.api.document_common_errors",
    ],
}

# --- i18n ------------------------------------------------------------------
LANGUAGE_CODE = "pt-br"
LANGUAGES = [("pt-br", "Português (Brasil)")]
TIME_ZONE = "America/Sao_Paulo"
USE_I18N = True
USE_TZ = True
LOCALE_PATHS = [BASE_DIR / "locale"]

# --- Static and media ------------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "var" / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_ROOT = Path(env.str("GPU_MEDIA_ROOT", default=str(BASE_DIR / "var" / "media")))
MEDIA_URL = "/media/"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "whitenoise.storage.CompressedManifestStaticFilesStorage"
            if env.bool("GPU_STATIC_MANIFEST", default=not (DEBUG or TESTING))
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}
WHITENOISE_USE_FINDERS = DEBUG or TESTING
WHITENOISE_AUTOREFRESH = DEBUG or TESTING

# --- E-mail ----------------------------------------------------------------
EMAIL_CONFIG = env.email_url("EMAIL_URL", default="consolemail://")
vars().update(EMAIL_CONFIG)
# Every e-mail goes through the outbox (core.mail): a row in the caller's transaction,
# sent by a worker through the backend EMAIL_URL describes, retried while SMTP is away.
GPU_EMAIL_TRANSPORT = EMAIL_BACKEND  # noqa: F821 - set by EMAIL_CONFIG above
if env.bool("GPU_EMAIL_OUTBOX", default=True):
    EMAIL_BACKEND = "core.mail.OutboxBackend"
EMAIL_TIMEOUT = env.int("GPU_EMAIL_TIMEOUT_SECONDS", default=10)
GPU_EMAIL_TIMEOUT_SECONDS = EMAIL_TIMEOUT
GPU_EMAIL_RETRY_BASE_SECONDS = env.float("GPU_EMAIL_RETRY_BASE_SECONDS", default=30.0)
GPU_EMAIL_RETRY_MAX_SECONDS = env.float("GPU_EMAIL_RETRY_MAX_SECONDS", default=300.0)
GPU_EMAIL_MAX_ATTEMPTS = env.int("GPU_EMAIL_MAX_ATTEMPTS", default=600)
GPU_EMAIL_SWEEP_SECONDS = env.float("GPU_EMAIL_SWEEP_SECONDS", default=60.0)
GPU_EMAIL_RETENTION_DAYS = env.int("GPU_EMAIL_RETENTION_DAYS", default=30)
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="GPU <nao-responda@gpu.unimed.example>")
GPU_BASE_URL = env.str("GPU_BASE_URL", default="http://127.0.0.1:8000")
# cd_uni_origem of a delivery when no Unimed acted (the portal, the hub): the code the
# GPU hub answers with in the Unimeds' own systems (Unimed do Brasil).
GPU_HUB_UNIMED_CODE = env.str("GPU_HUB_UNIMED_CODE", default="0001")

# --- Security (production) -------------------------------------------------
_secure = env.bool("GPU_SECURE", default=not (DEBUG or TESTING))
SECURE_SSL_REDIRECT = _secure
SESSION_COOKIE_SECURE = _secure
CSRF_COOKIE_SECURE = _secure
SECURE_HSTS_SECONDS = env.int("GPU_HSTS_SECONDS", default=31536000 if _secure else 0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = _secure
SECURE_HSTS_PRELOAD = _secure
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
CSRF_FAILURE_VIEW = "gpu_project.errors.csrf_failure"
# Content-Security-Policy (django-csp): scripts, styles, fonts and images only from this
# server — no inline script, no eval, nothing from the internet. Style *attributes* stay
# allowed (progress bars set their width); <style> elements do not.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "style-src-attr": ["'unsafe-inline'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    },
}
# Browser features GPU never uses, switched off for every page (core.middleware).
GPU_PERMISSIONS_POLICY = (
    "accelerometer=(), camera=(), geolocation=(), gyroscope=(), magnetometer=(), "
    "microphone=(), payment=(), usb=(), interest-cohort=(), browsing-topics=()"
)
SESSION_COOKIE_HTTPONLY = True
# Sessions in the database only: signed-in people keep working while Redis is down, and
# a sign-out during a Redis outage cannot leave a stale copy in a cache.
SESSION_ENGINE = "django.contrib.sessions.backends.db"
SESSION_COOKIE_AGE = env.int("GPU_SESSION_SECONDS", default=8 * 3600)
if env.bool("GPU_BEHIND_PROXY", default=False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
# axes locks the staff *account* (with a growing cool-off); the per-address limit is ours
# (unimeds/security.py, a budget high enough for an office behind one NAT).
SILENCED_SYSTEM_CHECKS: list[str] = ["axes.W006"]
# The inbox's covering indexes (INCLUDE, protocols.models.protocol) are PostgreSQL's;
# SQLite, the embedded default, builds them without the extra columns, as intended.
SILENCED_SYSTEM_CHECKS.append("models.W040")

# --- GPU domain settings ---------------------------------------------------
GPU_REQUIRE_SERVICES = env.bool("GPU_REQUIRE_SERVICES", default=False)
GPU_DEMO_PASSWORD = env.str("GPU_DEMO_PASSWORD", default="gpu-demo-2026")
GPU_INVITE_TTL_HOURS = env.int("GPU_INVITE_TTL_HOURS", default=72)
PASSWORD_RESET_TIMEOUT = GPU_INVITE_TTL_HOURS * 3600  # invitation and reset links
# Cooperado app sign-in (cooperados app): token lifetime, failures before the block, rate limits.
GPU_COOPERADO_TOKEN_TTL_SECONDS = env.int("GPU_COOPERADO_TOKEN_TTL_SECONDS", default=900)
GPU_COOPERADO_MAX_FAILED_SIGN_INS = env.int("GPU_COOPERADO_MAX_FAILED_SIGN_INS", default=5)
GPU_COOPERADO_SIGNIN_WINDOW_SECONDS = env.int("GPU_COOPERADO_SIGNIN_WINDOW_SECONDS", default=300)
GPU_COOPERADO_SIGNIN_PER_ACCOUNT = env.int("GPU_COOPERADO_SIGNIN_PER_ACCOUNT", default=10)
GPU_COOPERADO_SIGNIN_PER_IP = env.int("GPU_COOPERADO_SIGNIN_PER_IP", default=100)
GPU_INTEGRATION_LOG_RETENTION_DAYS = env.int("GPU_INTEGRATION_LOG_RETENTION_DAYS", default=90)
# Reference data memoised per process (core.refcache): how often a process checks the
# shared generation (0 = every read) and how long an entry lives at most.
GPU_REFCACHE_CHECK_SECONDS = env.float(
    "GPU_REFCACHE_CHECK_SECONDS", default=0.0 if TESTING else 1.0
)
GPU_REFCACHE_TTL_SECONDS = env.float("GPU_REFCACHE_TTL_SECONDS", default=60.0)
# Outbound deliveries to integrated Unimeds (docs/api.md): backoff base doubling per
# attempt, attempts before "dead", request timeout, and the sweep that re-enqueues.
GPU_DELIVERY_RETRY_BASE_SECONDS = env.float("GPU_DELIVERY_RETRY_BASE_SECONDS", default=30.0)
GPU_DELIVERY_MAX_ATTEMPTS = env.int("GPU_DELIVERY_MAX_ATTEMPTS", default=10)
# Deadline of one whole attempt (connect + send + full answer); a "sending" claim older
# than GPU_DELIVERY_STALE_SECONDS (default 2 × deadline + 60 s) is taken back by the sweep.
GPU_DELIVERY_TIMEOUT_SECONDS = env.float("GPU_DELIVERY_TIMEOUT_SECONDS", default=10.0)
GPU_DELIVERY_STALE_SECONDS = env.float("GPU_DELIVERY_STALE_SECONDS", default=0.0)
GPU_DELIVERY_SWEEP_SECONDS = env.int("GPU_DELIVERY_SWEEP_SECONDS", default=60)
CELERY_BEAT_SCHEDULE["protocols-deliveries-sweep"] = {
    "task": "protocols.deliveries_sweep",
    "schedule": GPU_DELIVERY_SWEEP_SECONDS,
}
# Protocols (docs/protocols.md). Non-client number prefix: empty = the responsible
# Unimed's ANS registry (hub range); or a fixed 6-digit prefix owned by the hub.
GPU_NON_CLIENT_PREFIX = env.str("GPU_NON_CLIENT_PREFIX", default="")
if GPU_NON_CLIENT_PREFIX and not (
    len(GPU_NON_CLIENT_PREFIX) == 6 and GPU_NON_CLIENT_PREFIX.isdigit()
):
    raise ImproperlyConfigured("GPU_NON_CLIENT_PREFIX deve ter 6 dígitos (ou ficar vazio).")
# Integration endpoints (SSRF guard, core/netguard.py): hosts that may be plain http:// or
# resolve to private/loopback/link-local addresses. Empty in production; the embedded
# default (debug, tests) allows this machine for the demo's and the tests' local receivers.
GPU_ENDPOINT_ALLOWED_HOSTS = env.list(
    "GPU_ENDPOINT_ALLOWED_HOSTS",
    default=["127.0.0.1", "localhost", "::1"] if (DEBUG or TESTING) else [],
)
GPU_ATTACHMENT_MAX_BYTES = env.int("GPU_ATTACHMENT_MAX_BYTES", default=10 * 1024 * 1024)
GPU_ATTACHMENT_MAX_FILES = env.int("GPU_ATTACHMENT_MAX_FILES", default=5)
GPU_ATTACHMENT_TYPES = env.list("GPU_ATTACHMENT_TYPES", default=["pdf", "jpg", "jpeg", "png"])
# Request bodies (core/limits.py): refused with 413 from Content-Length before reading.
GPU_MAX_BODY_BYTES = env.int(
    "GPU_MAX_BODY_BYTES", default=2_621_440
)  # Django's form limit (2.5 MB)
GPU_MAX_UPLOAD_BYTES = env.int(
    "GPU_MAX_UPLOAD_BYTES",
    default=max(GPU_ATTACHMENT_MAX_BYTES * GPU_ATTACHMENT_MAX_FILES, 40 * 1024 * 1024)
    + 1024 * 1024,
)
DATA_UPLOAD_MAX_MEMORY_SIZE = GPU_MAX_BODY_BYTES
GPU_PROTOCOL_RETENTION_DAYS = env.int("GPU_PROTOCOL_RETENTION_DAYS", default=730)
# How often the inbox asks whether new protocols arrived ("N novos", docs/panel.md).
GPU_INBOX_POLL_SECONDS = env.int("GPU_INBOX_POLL_SECONDS", default=30)
# Contingency panel e-mails (docs/panel.md): due-tomorrow notices and catch-up of lost ones.
GPU_NOTIFICATION_SWEEP_SECONDS = env.int("GPU_NOTIFICATION_SWEEP_SECONDS", default=30 * 60)
CELERY_BEAT_SCHEDULE["protocols-notifications-sweep"] = {
    "task": "protocols.notifications_sweep",
    "schedule": GPU_NOTIFICATION_SWEEP_SECONDS,
}
# D-1 escalation to supervisors and overdue notices (protocols/escalation.py), once each.
CELERY_BEAT_SCHEDULE["protocols-deadline-alerts"] = {
    "task": "protocols.deadline_alerts_sweep",
    "schedule": GPU_NOTIFICATION_SWEEP_SECONDS,
}
CELERY_BEAT_SCHEDULE["protocols-bulk-jobs-sweep"] = {
    "task": "protocols.bulk_jobs_sweep",
    "schedule": 120,
}
# Leads (docs/leads.md): first contact in business days; market reservation length and renewals.
GPU_LEAD_FIRST_CONTACT_DAYS = env.int("GPU_LEAD_FIRST_CONTACT_DAYS", default=2)
GPU_MARKET_RESERVATION_DAYS = env.int("GPU_MARKET_RESERVATION_DAYS", default=90)
GPU_MARKET_RESERVATION_MAX_RENEWALS = env.int("GPU_MARKET_RESERVATION_MAX_RENEWALS", default=2)
# Retention (docs/retencao.md): the manifestation types (tp_manifestacao codes) that are a
# cancellation/exclusion request and open a retention case for the responsible Unimed.
GPU_RETENCAO_PROTOCOL_TYPES = [
    c.strip().upper()
    for c in env.list("GPU_RETENCAO_PROTOCOL_TYPES", default=["C", "B"])
    if c.strip()
]
# A renewal restarts the period from now: it is accepted only in the reservation's last
# days, when it actually moves the expiry (a fresh one would spend a renewal for nothing).
GPU_MARKET_RESERVATION_RENEW_WINDOW_DAYS = env.int(
    "GPU_MARKET_RESERVATION_RENEW_WINDOW_DAYS", default=15
)
# Reports (docs/reports.md): file lifetime, progress granularity, dead-worker detection.
GPU_REPORT_TTL_HOURS = env.int("GPU_REPORT_TTL_HOURS", default=72)
GPU_REPORT_PROGRESS_EVERY = env.int("GPU_REPORT_PROGRESS_EVERY", default=2000)
GPU_REPORT_STALE_MINUTES = env.int("GPU_REPORT_STALE_MINUTES", default=10)
GPU_REPORT_REQUEUE_MINUTES = env.int("GPU_REPORT_REQUEUE_MINUTES", default=5)
GPU_REPORT_MAX_ACTIVE_PER_USER = env.int("GPU_REPORT_MAX_ACTIVE_PER_USER", default=3)
# Public portal (docs/portal.md): per-address limits per window (each form counted apart),
# the header holding the client address behind a proxy, confirmation link lifetime.
GPU_PORTAL_RATE_LIMIT_ENABLED = env.bool("GPU_PORTAL_RATE_LIMIT_ENABLED", default=True)
GPU_PORTAL_RATE_LIMIT_WINDOW_SECONDS = env.int("GPU_PORTAL_RATE_LIMIT_WINDOW_SECONDS", default=60)
GPU_PORTAL_RATE_LIMIT_FORMS = env.int("GPU_PORTAL_RATE_LIMIT_FORMS", default=5)
GPU_PORTAL_RATE_LIMIT_LOOKUP = env.int("GPU_PORTAL_RATE_LIMIT_LOOKUP", default=10)
# The client's address behind proxies (core/client_ip.py): how many proxies of ours stand
# in front of the app, and the header they append to. Counted from the right; an entry the
# client wrote is never trusted. GPU_PORTAL_CLIENT_IP_HEADER (older name) means one proxy.
_legacy_ip_header = env.str("GPU_PORTAL_CLIENT_IP_HEADER", default="")
GPU_TRUSTED_PROXIES = env.int("GPU_TRUSTED_PROXIES", default=1 if _legacy_ip_header else 0)
GPU_CLIENT_IP_HEADER = env.str(
    "GPU_CLIENT_IP_HEADER", default=_legacy_ip_header or "HTTP_X_FORWARDED_FOR"
)
GPU_PORTAL_CONFIRMATION_TTL_SECONDS = env.int("GPU_PORTAL_CONFIRMATION_TTL_SECONDS", default=3600)

# Fault tolerance (docs/operations.md): Retry-After of the 503 answered while the
# database is down; heartbeat period of workers and beat; readiness thresholds.
GPU_OUTAGE_RETRY_AFTER_SECONDS = env.int("GPU_OUTAGE_RETRY_AFTER_SECONDS", default=5)
GPU_HEARTBEAT_SECONDS = env.float("GPU_HEARTBEAT_SECONDS", default=15.0)
GPU_READY_WORKER_SECONDS = env.int("GPU_READY_WORKER_SECONDS", default=90)
GPU_READY_BEAT_SECONDS = env.int(
    "GPU_READY_BEAT_SECONDS", default=max(180, 3 * GPU_DELIVERY_SWEEP_SECONDS)
)
GPU_READY_BACKLOG_SECONDS = env.int("GPU_READY_BACKLOG_SECONDS", default=600)
GPU_READY_DEAD_DELIVERIES = env.int("GPU_READY_DEAD_DELIVERIES", default=0)
# Metrics (core/metrics.py): the token Prometheus sends; a worker's own port (0 = off).
GPU_METRICS_TOKEN = env.str("GPU_METRICS_TOKEN", default="")
GPU_WORKER_METRICS_PORT = env.int("GPU_WORKER_METRICS_PORT", default=0)
GPU_WORKER_METRICS_ADDR = env.str("GPU_WORKER_METRICS_ADDR", default="127.0.0.1")
CELERY_BEAT_SCHEDULE["core-emails-sweep"] = {
    "task": "core.emails_sweep",
    "schedule": GPU_EMAIL_SWEEP_SECONDS,
}
CELERY_BEAT_SCHEDULE["core-beat-heartbeat"] = {
    "task": "core.beat_heartbeat",
    "schedule": GPU_HEARTBEAT_SECONDS,
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env.str("GPU_LOG_LEVEL", default="INFO")},
    "loggers": {"axes": {"level": "WARNING"}},
}
