"""Sessions end after `SESSION_COOKIE_AGE` (30 minutes) without a request, without a write on every one;
a person who must change the password does that first."""

import time
from collections.abc import Callable
from datetime import timedelta
from typing import Any

from django.contrib.auth import SESSION_KEY
from django.contrib.sessions.backends.base import SessionBase
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect
from django.urls import reverse

from .passwords import PASSWORD_CHANGE_REQUIRED, password_change_required

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


class PasswordChangeRequiredMiddleware:
    """A signed-in person who must change the password first (`passwords.password_change_required`) is
    sent to the change page from every other page; the API answers 403 saying so. Logging out, the
    language switch and the second factor's steps (`keyprojects.twofactor`, which come first) stay open.
    Sits below AuthenticationMiddleware; API tokens are checked where they are read
    (`auth.BearerTokenAuth`)."""

    OPEN = ("accounts:password", "accounts:logout", "set_language", "twofactor:verify", "twofactor:setup")

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if password_change_required(request.user) and request.path not in self._open_paths():
            if request.path.startswith("/api/"):
                return JsonResponse(
                    {"detail": str(PASSWORD_CHANGE_REQUIRED)},
                    status=403,
                    json_dumps_params={"ensure_ascii": False},
                )
            return redirect("accounts:password")
        return self.get_response(request)

    def _open_paths(self) -> set[str]:
        return {reverse(name) for name in self.OPEN}
