"""Local development (`make run`): debug on, background work done at once, everything else as in base."""

import warnings

from .base import *  # noqa: F403
from .base import env_bool

DEBUG = env_bool("DEBUG", True)
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}

# `make run` starts no worker, so the warnings refreshed after each change are computed in the request.
TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}

# Static files come from the app finders here; there is no collected STATIC_ROOT to look for.
warnings.filterwarnings("ignore", message="No directory at")
