"""Local development (`make run`): background work done at once, static files picked up as they change,
everything else as in base."""

import warnings

from .base import *  # noqa: F403
from .base import env_bool

# `make run` shows the platform's own 404 and 500 pages, as production does; a developer who wants Django's
# debug pages (the traceback, the URL list) runs `KEYPROJECTS_DEBUG_PAGES=1 make run`.
KEYPROJECTS_DEBUG_PAGES = env_bool("KEYPROJECTS_DEBUG_PAGES", False)
DEBUG = KEYPROJECTS_DEBUG_PAGES
WHITENOISE_AUTOREFRESH = True
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}

# `make run` starts no worker, so the warnings refreshed after each change are computed in the request.
TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}

# Static files come from the app finders here; there is no collected STATIC_ROOT to look for.
warnings.filterwarnings("ignore", message="No directory at")
