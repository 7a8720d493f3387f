"""Tests: fast hashing, in-memory files, immediate tasks."""

import tempfile
import warnings
from pathlib import Path

from .base import *  # noqa: F403

DEBUG = False
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.InMemoryStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
MEDIA_ROOT = Path(tempfile.mkdtemp(prefix="keyprojects-media-"))
TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}

# Static files come from the app finders here; there is no collected STATIC_ROOT to look for.
warnings.filterwarnings("ignore", message="No directory at")
# Look static files up when asked, not by scanning every finder each time a test client starts its handler.
WHITENOISE_AUTOREFRESH = True
# Passwords do not expire in tests that travel in time; the tests of the rule set the policy.
KEYPROJECTS_PASSWORD_MAX_AGE_DAYS = 0
# No role must have a second factor unless a test says so (keyprojects/twofactor/tests turn it on), so
# that the administrators' other tests sign in with the password alone.
KEYPROJECTS_TWO_FACTOR_ROLES = ()
