"""Production: secrets and hosts must come from the environment; HTTPS-only cookies and HSTS."""

import os

from django.core.exceptions import ImproperlyConfigured

from .base import *  # noqa: F403
from .base import DEVELOPMENT_FIELD_KEY, SILENCED_SYSTEM_CHECKS, env_bool, env_list

DEBUG = False
SECRET_KEY = os.environ.get("SECRET_KEY", "")
if len(SECRET_KEY) < 50:
    raise ImproperlyConfigured("SECRET_KEY must be set to at least 50 random characters in production.")
if not os.environ.get("DATABASE_URL"):
    raise ImproperlyConfigured(
        "DATABASE_URL must name the production database, e.g. postgres://user:pass@host/db."
    )
KEYPROJECTS_FIELD_KEY = os.environ.get("KEYPROJECTS_FIELD_KEY", "")
if len(KEYPROJECTS_FIELD_KEY) != 32 or KEYPROJECTS_FIELD_KEY == DEVELOPMENT_FIELD_KEY:
    raise ImproperlyConfigured(
        "KEYPROJECTS_FIELD_KEY must be set to 32 random hexadecimal digits in production "
        "(the SM4 key of the encrypted fields: python -c 'import secrets; print(secrets.token_hex(16))')."
    )
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "")
KEYPROJECTS_PRODUCTION = True
KEYPROJECTS_DEMO_PASSWORD = os.environ.get("KEYPROJECTS_DEMO_PASSWORD", "")

SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", "31536000"))
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", False)
if not SECURE_HSTS_PRELOAD:
    # Hosts on the government extranet cannot be on browsers' public HSTS preload list.
    SILENCED_SYSTEM_CHECKS = [*SILENCED_SYSTEM_CHECKS, "security.W021"]

# collectstatic has put every file under STATIC_ROOT with hashed names; whitenoise serves them from there.
WHITENOISE_USE_FINDERS = False
