"""Local development: debug on, everything else as in base."""

import warnings

from .base import *  # noqa: F403
from .base import env_bool

DEBUG = env_bool("DEBUG", True)
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}

# Static files come from the app finders here; there is no collected STATIC_ROOT to look for.
warnings.filterwarnings("ignore", message="No directory at")
