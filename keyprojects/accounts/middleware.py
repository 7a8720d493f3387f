"""Sessions end after the policy's idle minutes (30 by default) without a request, without a write on every
one; an administrator has one session at a time; a person who must change the password does that first."""

import time
from collections.abc import Callable
from datetime import timedelta
from importlib import import_module
from typing import Any

from django.conf import settings
from django.contrib.auth import SESSION_KEY
from django.contrib.sessions.backends.base import SessionBase
from django.db import transaction
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone

from .models import AdministratorSession, SecurityPolicy, User
from .passwords import password_change_reason
from .sessions import IDLE_SECONDS

# How stale a signed-in session's expiry may grow before a request renews it: its row is written at most
# once a minute, and it ends 29 to 30 minutes after the last request.
RENEWAL_INTERVAL = timedelta(minutes=1)
RENEWED_AT = "_renewed_at"


def _renew(session: SessionBase) -> None:
    """Saving the session (which Django's SessionMiddleware does for a modified one) moves its expiry to
    `SESSION_COOKIE_AGE` from now; the time is kept to know when to do it again."""
    session[RENEWED_AT] = time.time()


def _stale(session: SessionBase) -> bool:
    return time.time() - session.get(RENEWED_AT, 0.0) >= RENEWAL_INTERVAL.total_seconds()


def seconds_left(session: SessionBase) -> int:
    """How long the signed-in session lasts without another request, once this one is answered (which
    renews a stale one)."""
    idle = session.get_session_cookie_age()
    if _stale(session):
        return int(idle)
    return max(0, int(idle - (time.time() - session[RENEWED_AT])))


class SessionRenewalMiddleware:
    """Renews a signed-in session when its last renewal is more than `RENEWAL_INTERVAL` old, or when the
    session is saved anyway. Sits below Django's SessionMiddleware, which saves it after the answer."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        session = request.session
        # signed in, and still after the view (a logout empties it)
        if SESSION_KEY in session and (_stale(session) or session.modified):
            _renew(session)
        return response


def sign_in_complete(*, user: User, session: SessionBase) -> None:
    """The person has passed every step of sign-in (the password, and the second factor where one is asked
    for: `keyprojects.twofactor` calls this then): an administrator's new session ends the one it signed in
    with before. Not at the password step, or a password alone would end an administrator's live session."""
    if not user.is_administrator:
        return
    if session.session_key is None:
        session.save()
    assert session.session_key is not None
    with transaction.atomic():
        previous = AdministratorSession.objects.select_for_update().filter(user=user).first()
        if previous is not None and previous.session_key != session.session_key:
            engine = import_module(settings.SESSION_ENGINE)
            engine.SessionStore(previous.session_key).delete()
        AdministratorSession.objects.update_or_create(
            user=user, defaults={"session_key": session.session_key, "signed_in_at": timezone.now()}
        )


def at_sign_in(sender: Any, request: HttpRequest, user: User, **kwargs: Any) -> None:
    """Signing in saves a new session (an API token issued is no session): it counts as a renewal and takes
    the policy's idle timeout."""
    session = request.session
    if SESSION_KEY not in session:
        return
    session[IDLE_SECONDS] = SecurityPolicy.current().session_idle_minutes * 60
    _renew(session)


class PasswordChangeRequiredMiddleware:
    """A signed-in person who must change the password first (`passwords.password_change_reason`) is
    sent to the change page from every other page; the API answers 403 saying so. Logging out, the
    language switch and the second factor's steps (`keyprojects.twofactor`, which come first) stay open.
    Sits below AuthenticationMiddleware; API tokens are checked where they are read
    (`auth.BearerTokenAuth`)."""

    OPEN = ("accounts:password", "accounts:logout", "set_language", "twofactor:verify", "twofactor:setup")

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        reason = password_change_reason(request.user)
        if reason is not None and request.path not in self._open_paths():
            if request.path.startswith("/api/"):
                return JsonResponse(
                    {"detail": str(reason)},
                    status=403,
                    json_dumps_params={"ensure_ascii": False},
                )
            return redirect("accounts:password")
        return self.get_response(request)

    def _open_paths(self) -> set[str]:
        return {reverse(name) for name in self.OPEN}
