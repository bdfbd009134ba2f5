"""Django settings, all from the environment, with defaults that run on a laptop.

DATABASE_URL   sqlite:///path/to/file.sqlite3 (default: ./citizenfocus.sqlite3) or postgres://...
SECRET_KEY     required when DEBUG is off (on SQLite: else the key `citizenfocus demo` made beside the database)
DEBUG          "1"/"true" to turn on (default off)
ALLOWED_HOSTS  comma-separated (default: localhost,127.0.0.1,[::1])
"""

import os
import tempfile
from pathlib import Path

import dj_database_url
from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured

from citizenfocus.secret_key import read_key_beside

BASE_DIR = Path(__file__).resolve().parent
DEFAULT_SECRET = "insecure-default-secret-for-development-only"


def env_flag(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


DEBUG = env_flag("DEBUG")
TESTING = env_flag("CITIZENFOCUS_TESTING")

ALLOWED_HOSTS = [
    h.strip() for h in os.environ.get("ALLOWED_HOSTS", "localhost,127.0.0.1,[::1]").split(",") if h.strip()
]
CSRF_TRUSTED_ORIGINS = [
    o.strip() for o in os.environ.get("CSRF_TRUSTED_ORIGINS", "").split(",") if o.strip()
]

DEFAULT_DATABASE_URL = f"sqlite:///{Path.cwd() / 'citizenfocus.sqlite3'}"
DATABASE_URL = os.environ.get("DATABASE_URL", DEFAULT_DATABASE_URL)
DATABASES = {"default": dj_database_url.parse(DATABASE_URL, conn_max_age=60)}
if DATABASES["default"]["ENGINE"].endswith("sqlite3"):
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    DATABASES["default"]["OPTIONS"] = {
        "timeout": 20,
        "transaction_mode": "IMMEDIATE",
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA busy_timeout=20000;",
    }
    # The engine reads through its own connection (Ibis), so the test database is a file, not memory.
    DATABASES["default"]["TEST"] = {
        "NAME": str(Path(tempfile.gettempdir()) / f"citizenfocus-test-{os.getpid()}.sqlite3")
    }


def _secret_key() -> str:
    """SECRET_KEY from the environment, else the key `citizenfocus demo` made beside a SQLite database."""
    if key := os.environ.get("SECRET_KEY"):
        return key
    default = DATABASES["default"]
    if default["ENGINE"].endswith("sqlite3") and default["NAME"] not in ("", ":memory:"):
        return read_key_beside(Path(default["NAME"])) or DEFAULT_SECRET
    return DEFAULT_SECRET


SECRET_KEY = _secret_key()
if not DEBUG and not TESTING and SECRET_KEY == DEFAULT_SECRET:
    raise ImproperlyConfigured(
        "SECRET_KEY is not set and DEBUG is off: set SECRET_KEY in the environment, or run "
        "`citizenfocus demo` once to make a key beside the SQLite database (DEBUG=1 on a development machine)"
    )

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "axes",
    "csp",
    "citizenfocus.core",
    "citizenfocus.accounts",
    "citizenfocus.areas",
    "citizenfocus.surveys",
    "citizenfocus.plans",
    "citizenfocus.performance",
    "citizenfocus.victims",
    "citizenfocus.reports",
    "citizenfocus.equality",
    "citizenfocus.communities",
    "citizenfocus.public",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "citizenfocus.core.middleware.UnreadableAddressMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "citizenfocus.core.middleware.SessionIdleTimeoutMiddleware",
    "citizenfocus.core.middleware.LoginThrottleMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "axes.middleware.AxesMiddleware",
]

AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]

ROOT_URLCONF = "citizenfocus.urls"
WSGI_APPLICATION = "citizenfocus.wsgi.application"

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
                "citizenfocus.accounts.context.role",
            ],
        },
    },
]

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
]
if TESTING:
    PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]

LANGUAGE_CODE = "en-gb"
TIME_ZONE = "Europe/London"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT", Path.cwd() / "staticfiles"))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if DEBUG or TESTING
        else "whitenoise.storage.CompressedManifestStaticFilesStorage"
    },
}
WHITENOISE_USE_FINDERS = DEBUG or TESTING
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", Path.cwd() / "media"))

# Computed dashboard pages shared between server processes (performance/shared.py): a directory every
# process of this server can write (PAGE_CACHE_DIR; beside the media files by default). Tests share nothing.
PAGE_CACHE_DIR = Path(os.environ.get("PAGE_CACHE_DIR", MEDIA_ROOT.parent / "page-cache"))
CACHES = {
    "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
    "pages": {"BACKEND": "django.core.cache.backends.dummy.DummyCache"} if TESTING else {
        "BACKEND": "django.core.cache.backends.filebased.FileBasedCache", "LOCATION": str(PAGE_CACHE_DIR),
        "OPTIONS": {"MAX_ENTRIES": 20000}},
}

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

# Uploads: survey files can be large; keep them on disk, not in memory.
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024
CITIZENFOCUS_MAX_UPLOAD_MB = int(os.environ.get("CITIZENFOCUS_MAX_UPLOAD_MB", "200"))

# Log-in: django-axes locks a user name (from any address) after AXES_FAILURE_LIMIT failures for 15
# minutes; LoginThrottleMiddleware makes one address wait after many failures (any names), with a
# limit an office behind one proxy address will not reach by mistyping.
AXES_FAILURE_LIMIT = int(os.environ.get("AXES_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = 0.25
AXES_LOCKOUT_PARAMETERS = ["username"]
AXES_RESET_ON_SUCCESS = True
AXES_ENABLED = not env_flag("AXES_DISABLED")
AXES_CLIENT_IP_CALLABLE = "citizenfocus.core.middleware.client_address"
# axes.W006 asks for the address in AXES_LOCKOUT_PARAMETERS: that would lock out every user behind one
# proxy address after five failures between them. Addresses are throttled instead, with their own limit.
SILENCED_SYSTEM_CHECKS = ["axes.W006"]
CITIZENFOCUS_LOGIN_ADDRESS_LIMIT = int(os.environ.get("CITIZENFOCUS_LOGIN_ADDRESS_LIMIT", "50"))
CITIZENFOCUS_LOGIN_ADDRESS_WINDOW = 15 * 60

# Sessions: at most CITIZENFOCUS_SESSION_HOURS in all, ended after CITIZENFOCUS_SESSION_IDLE_MINUTES idle.
SESSION_COOKIE_AGE = int(float(os.environ.get("CITIZENFOCUS_SESSION_HOURS", "8")) * 3600)
CITIZENFOCUS_SESSION_IDLE_MINUTES = int(os.environ.get("CITIZENFOCUS_SESSION_IDLE_MINUTES", "30"))
SESSION_COOKIE_HTTPONLY = True
# HTTPS only, unless DEBUG or SECURE_COOKIES=0 (`citizenfocus demo` and `make serve`, plain HTTP on a laptop).
SESSION_COOKIE_SECURE = env_flag("SECURE_COOKIES", default=not DEBUG)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
SESSION_COOKIE_SAMESITE = CSRF_COOKIE_SAMESITE = "Lax"
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
# HTTPS at the reverse proxy (docs/administration.md): the header it sets on requests that came over HTTPS.
if proxy_header := os.environ.get("SECURE_PROXY_SSL_HEADER", "").strip():
    SECURE_PROXY_SSL_HEADER = ("HTTP_" + proxy_header.upper().replace("-", "_"), "https")
SECURE_SSL_REDIRECT = env_flag("SECURE_SSL_REDIRECT")
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]  # the load balancer asks over plain HTTP
SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", "0"))
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_flag("SECURE_HSTS_INCLUDE_SUBDOMAINS")
SECURE_HSTS_PRELOAD = env_flag("SECURE_HSTS_PRELOAD")

# Content-Security-Policy (django-csp): every script and style is a file of ours; no inline code, no eval
# (charts draw with Vega's expression interpreter), no other origin.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [NONE],
        "script-src": [SELF],
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

EMAIL_BACKEND = os.environ.get("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")

# Statistics defaults (docs/methodology.md).
CITIZENFOCUS_LOW_BASE = int(os.environ.get("CITIZENFOCUS_LOW_BASE", "50"))

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"client_errors_on_one_line": {"()": "citizenfocus.core.logging.ClientErrorsOnOneLine"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "filters": ["client_errors_on_one_line"]}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "WARNING")},
}
