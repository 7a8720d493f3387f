"""Settings shared by every environment; everything that differs comes from the environment."""

import os
from pathlib import Path

import dj_database_url

BASE_DIR = Path(__file__).resolve().parent.parent.parent


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str) -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


DEBUG = env_bool("DEBUG", False)
SECRET_KEY = os.environ.get("SECRET_KEY", "insecure-development-key-change-me-in-production-0123456789")
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost,testserver")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", "")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "ninja",
    "django_htmx",
    "template_partials",
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "django_tasks",
    "django_tasks_db",
    "js_lib_bootstrap5",
    "js_lib_htmx",
    "keyprojects.core",
    "keyprojects.accounts",
    "keyprojects.audit",
    "keyprojects.chains",
    "keyprojects.projects",
    "keyprojects.schedule",
    "keyprojects.progress",
    "keyprojects.inclusion",
    "keyprojects.alerts",
    "keyprojects.metrics",
    "keyprojects.notifications",
    "keyprojects.adjustments",
    "keyprojects.factors",
    "keyprojects.blockers",
    "keyprojects.supervision",
    "keyprojects.leaders",
    "keyprojects.batches",
    "keyprojects.warroom",
    "keyprojects.sheets",
    "keyprojects.briefings",
    "keyprojects.opendata",
    "keyprojects.demo",
    "keyprojects.backups",
    "keyprojects.twofactor",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "keyprojects.core.middleware.PageLanguageMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "keyprojects.audit.middleware.AuditMiddleware",
    "keyprojects.accounts.middleware.SessionRenewalMiddleware",
    "keyprojects.twofactor.middleware.SecondFactorMiddleware",
    "keyprojects.accounts.middleware.PasswordChangeRequiredMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "keyprojects.core.middleware.SecurityHeadersMiddleware",
    "keyprojects.core.middleware.PrivateAnswersMiddleware",
    "keyprojects.core.middleware.NulGuardMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "keyprojects" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
                "keyprojects.core.navigation.navigation",
            ],
        },
    },
    # Jinja2 templates (an app's `jinja2/` folder) for a page's hot loop: `keyprojects.core.fragments`.
    {
        "BACKEND": "django.template.backends.jinja2.Jinja2",
        "NAME": "jinja2",
        "APP_DIRS": True,
        "OPTIONS": {"environment": "keyprojects.core.fragments.environment"},
    },
]

DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL", f"sqlite:///{BASE_DIR / 'var' / 'keyprojects.sqlite3'}"),
        conn_max_age=int(os.environ.get("DB_CONN_MAX_AGE", "60")),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets readers work while one writer commits; IMMEDIATE avoids lock upgrades mid-transaction.
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
        "init_command": (
            "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA busy_timeout=20000; "
            "PRAGMA foreign_keys=ON;"
        ),
    }

# Streaming replicas of the primary (a comma-separated list of URLs) serve the reads that tolerate lag.
DATABASE_REPLICAS: list[str] = []
for _number, _url in enumerate(env_list("DATABASE_REPLICA_URLS", ""), start=1):
    DATABASES[f"replica{_number}"] = dj_database_url.parse(
        _url, conn_max_age=DATABASES["default"]["CONN_MAX_AGE"], conn_health_checks=True
    ) | {"TEST": {"MIRROR": "default"}}
    DATABASE_REPLICAS.append(f"replica{_number}")
DATABASE_ROUTERS = ["config.routers.ReplicaRouter"]

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "accounts.User"

AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "keyprojects.accounts.backends.AccountBackend",
]
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "keyprojects.accounts.policy.PolicyPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "/todo/"
LOGOUT_REDIRECT_URL = "accounts:login"

# Lock a username after failed logins, on pages and the token endpoint alike: by default 5 failures lock
# it for 15 minutes from the first one; the security administrator's policy sets both
# (keyprojects.accounts.lockout).
AXES_HANDLER = "keyprojects.accounts.lockout.FirstFailureHandler"
AXES_FAILURE_LIMIT = "keyprojects.accounts.lockout.failure_limit"
AXES_COOLOFF_TIME = "keyprojects.accounts.lockout.cool_off"
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False
AXES_LOCKOUT_PARAMETERS = ["username"]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "keyprojects.accounts.lockout.lockout_response"
AXES_ENABLE_ADMIN = False  # locks are lifted by the security administrator (accounts.admin)
AXES_VERBOSE = False
# The issue asks to lock the username, whatever address it comes from (offices share NAT addresses).
SILENCED_SYSTEM_CHECKS = ["axes.W006"]

# The audit trail (keyprojects/audit, docs/audit.md): records are kept at least this many days (180 at the least:
# 网络安全法 art. 21) before `keyprojects audit archive` may move them to a file under AUDIT_ARCHIVE_DIR. The client's
# address is REMOTE_ADDR unless AUDIT_CLIENT_IP_HEADER names the header the trusted reverse proxy sets (e.g.
# "HTTP_X_FORWARDED_FOR"): set it only behind such a proxy, or anyone can write their own address.
AUDIT_RETENTION_DAYS = int(os.environ.get("AUDIT_RETENTION_DAYS", "180"))
AUDIT_ARCHIVE_DIR = Path(os.environ.get("AUDIT_ARCHIVE_DIR", BASE_DIR / "var" / "audit"))
AUDIT_CLIENT_IP_HEADER = os.environ.get("AUDIT_CLIENT_IP_HEADER", "")
AUDIT_HASH = os.environ.get("AUDIT_HASH", "")  # "sm3" or "sha256"; empty: SM3 when OpenSSL offers it

FORM_RENDERER = "keyprojects.core.renderers.FormRenderer"  # widgets through Jinja2: see the module

# Sessions end after 30 idle minutes (the security administrator's policy sets it, for the sessions that sign
# in after): a request renews a signed-in session when its last renewal is more than a minute old
# (keyprojects.accounts.middleware), not on every request.
SESSION_ENGINE = "keyprojects.accounts.sessions"
SESSION_COOKIE_AGE = 30 * 60
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "keyprojects" / "locale"]
TIME_ZONE = os.environ.get("TIME_ZONE", "Asia/Shanghai")
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT", BASE_DIR / "var" / "static"))
# Scripts and maps that only the npm registry carries, put there by `make vendor` (the Makefile's install)
STATICFILES_DIRS = [BASE_DIR / "var" / "vendor"]
STATICFILES_FINDERS = [
    "django.contrib.staticfiles.finders.FileSystemFinder",
    "django.contrib.staticfiles.finders.AppDirectoriesFinder",
    "keyprojects.core.fonts.WebFontFinder",  # the pages' CJK web font, cut from a PyPI package's font
]
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", BASE_DIR / "var" / "media"))
# `keyprojects backup` without a file name writes there (docs/deploy.md: the backup schedule)
BACKUP_DIR = Path(os.environ.get("BACKUP_DIR", BASE_DIR / "var" / "backups"))
# the static weights of the briefing's CJK font and the pages' web font, cut once from the packaged variable
# font (core/fonts.py, briefings/fonts.py)
FONT_CACHE_DIR = Path(os.environ.get("FONT_CACHE_DIR", BASE_DIR / "var" / "fonts"))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
WHITENOISE_USE_FINDERS = True
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024

TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}

# The platform's address as its users reach it: the links in e-mails and group-robot messages.
KEYPROJECTS_SITE_URL = os.environ.get("SITE_URL", "http://127.0.0.1:8000")
# Outbound mail (notifications sent by e-mail): Django's SMTP settings, from the environment.
EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "25"))
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
EMAIL_TIMEOUT = 10
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "keyprojects@localhost")

NINJA_PAGINATION_PER_PAGE = 50

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    "loggers": {"axes": {"level": "WARNING"}},
}

# An API token ends this many days after it is issued (docs/two-factor.md).
KEYPROJECTS_API_TOKEN_DAYS = int(os.environ.get("KEYPROJECTS_API_TOKEN_DAYS", "90"))
# The roles whose accounts must sign in with a second factor (a city's settings add its city office's).
KEYPROJECTS_TWO_FACTOR_ROLES: tuple[str, ...] = ("system_admin", "security_admin", "audit_admin")
# The issuer an authenticator app shows beside the account; the device admin hides the secrets.
OTP_TOTP_ISSUER = "重点项目平台"
OTP_ADMIN_HIDE_SENSITIVE_DATA = True

# The demo accounts' password, published in the README; production settings never default to it.
PUBLISHED_DEMO_PASSWORD = "Demo-2024!"
KEYPROJECTS_DEMO_PASSWORD = os.environ.get("KEYPROJECTS_DEMO_PASSWORD", PUBLISHED_DEMO_PASSWORD)
# Production settings set this; `loaddemo` then refuses to run unless told --force.
KEYPROJECTS_PRODUCTION = False
# A password's default period before it must be changed, until the security administrator sets the policy.
KEYPROJECTS_PASSWORD_MAX_AGE_DAYS = 90
# The SM4 key of the fields encrypted at rest (keyprojects.core.crypto), 32 hex digits; this published
# one serves development and tests only: production refuses to start without its own.
DEVELOPMENT_FIELD_KEY = "6b657970726f6a656374732d64657621"
KEYPROJECTS_FIELD_KEY = os.environ.get("KEYPROJECTS_FIELD_KEY", DEVELOPMENT_FIELD_KEY)
