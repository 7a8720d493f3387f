"""Sessions end after `SESSION_COOKIE_AGE` (30 minutes) without a request, without a write on every one."""

import time
from collections.abc import Callable
from datetime import timedelta
from typing import Any

from django.contrib.auth import SESSION_KEY
from django.contrib.sessions.backends.base import SessionBase
from django.http import HttpRequest, HttpResponse

# How stale a signed-in session's expiry may grow before a request renews it: its row is written at most
# once a minute, and it ends 29 to 30 minutes after the last request.
RENEWAL_INTERVAL = timedelta(minutes=1)
RENEWED_AT = "_renewed_at"


def _renew(session: SessionBase) -> None:
    """Saving the session (which Django's SessionMiddleware does for a modified one) moves its expiry to
    `SESSION_COOKIE_AGE` from now; the time is kept to know when to do it again."""
    session[RENEWED_AT] = time.time()


class SessionRenewalMiddleware:
    """Renews a signed-in session when its last renewal is more than `RENEWAL_INTERVAL` old, or when the
    session is saved anyway. Sits below Django's SessionMiddleware, which saves it after the answer."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        session = request.session
        if SESSION_KEY in session:  # signed in, and still after the view (a logout empties it)
            stale = time.time() - session.get(RENEWED_AT, 0.0) >= RENEWAL_INTERVAL.total_seconds()
            if stale or session.modified:
                _renew(session)
        return response


def renewed_at_login(sender: Any, request: HttpRequest, **kwargs: Any) -> None:
    """Signing in saves a new session: it counts as a renewal (an API token issued is no session)."""
    if SESSION_KEY in request.session:
        _renew(request.session)
