"""The audit context of every request, and the records a request makes by its answer: a refusal (403, or a 404
on a route naming a record by id), an export or download (an attachment or a file), a session that timed out.
Sits below AuthenticationMiddleware; the request's records are appended together once it is answered, with the
reason the person gave in the form or the JSON body (`REASON_FIELDS`) where a service gave none."""

import json
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.contrib.auth import SESSION_KEY, get_user_model
from django.contrib.sessions.models import Session
from django.http import FileResponse, HttpRequest, HttpResponseBase

from . import chain
from .context import Actor, audit_context, request_context
from .models import AuditKind
from .recording import record

ID_KWARGS = ("pk", "id")
# what the forms and the API name the reason a person gives for a change, a return, a correction, a decision
REASON_FIELDS = (
    "reason",
    "return_reason",
    "correction_reason",
    "override_reason",
    "decision_reason",
    "stage_reason",
)


class AuditMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        with audit_context(request_context(request)) as context:
            try:
                _session_timeout(request)
                response = self.get_response(request)
                _answered(request, response)
            finally:
                if context.batch is not None:
                    context.batch.open = False
                    chain.append(_with_reason(request, context.batch.entries))
        return response


def _given_reason(request: HttpRequest) -> str:
    """The reason in the data the view read (a form already parsed, a JSON body already read); none else."""
    data: Any = getattr(request, "_post", None)
    if data is None and getattr(request, "_body", None) and request.content_type == "application/json":
        try:
            data = json.loads(request.body)
        except ValueError:
            return ""
    if not hasattr(data, "get"):
        return ""
    for name in REASON_FIELDS:
        value = data.get(name)
        if isinstance(value, str) and value.strip():
            return value.strip()[:500]
    return ""


def _with_reason(request: HttpRequest, entries: list[dict[str, Any]]) -> list[dict[str, Any]]:
    reason = _given_reason(request) if entries else ""
    if reason:
        for entry in entries:
            if not entry["reason"] and entry["kind"] in (
                AuditKind.WRITE,
                AuditKind.RIGHTS,
                AuditKind.SETTINGS,
            ):
                entry["reason"] = reason
    return entries


def _names_a_record(request: HttpRequest) -> bool:
    match = request.resolver_match
    kwargs: dict[str, Any] = match.kwargs if match is not None else {}
    return any(name in ID_KWARGS or name.endswith("_id") for name in kwargs)


def _answered(request: HttpRequest, response: HttpResponseBase) -> None:
    status = response.status_code
    if status == 403 or (status == 404 and _names_a_record(request)):
        record(AuditKind.DENIED, object_text=str(status))
        return
    disposition = response.get("Content-Disposition", "")
    if 200 <= status < 300 and (isinstance(response, FileResponse) or disposition.startswith("attachment")):
        record(AuditKind.EXPORT, object_text=disposition.removeprefix("attachment;").strip()[:200])


def _session_timeout(request: HttpRequest) -> None:
    """A request carrying the cookie of a signed-in session that has expired (its row outlives it until
    `clearsessions`); Django then drops the cookie, so a timeout is recorded once."""
    key = request.COOKIES.get(settings.SESSION_COOKIE_NAME)
    session = getattr(request, "session", None)
    if not key or session is None:
        return
    session.get(SESSION_KEY)  # loads it: an expired or unknown session loads empty, without its key
    if session.session_key is not None:
        return
    expired = Session.objects.filter(session_key=key).first()
    user_id = expired.get_decoded().get(SESSION_KEY) if expired is not None else None
    if user_id is None:
        return
    user = get_user_model()._default_manager.filter(pk=user_id).first()
    if user is not None:
        record(AuditKind.SESSION_TIMEOUT, actor=Actor(user.pk, user.get_username()), instance=user)
