"""Who is acting, from where and why, for every audit record made while a request or command runs.

The audit middleware opens a context for each request (the actor is read from `request.user` when a record is
made, so an API request counts as its bearer token's user once the token is read); `keyprojects` commands run in
a context naming the command (no actor); background work done for a person (an import) runs in
`background_context`, its records that person's. A service may give the reason of what it writes:

    with audit_reason("Excel导入"):
        ...
"""

import ipaddress
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field, replace
from typing import Any

from django.conf import settings
from django.http import HttpRequest

from . import chain


@dataclass(frozen=True)
class Actor:
    user_id: int | None
    username: str


NOBODY = Actor(None, "")


@dataclass
class Batch:
    """A request's records, appended together when it ends."""

    entries: list[dict[str, Any]] = field(default_factory=list)
    open: bool = True


@dataclass(frozen=True)
class AuditContext:
    request: HttpRequest | None = None
    ip: str | None = None
    method: str = ""
    path: str = ""
    reason: str = ""
    actor: Actor | None = None  # fixed (a command's none); else read from the request
    batch: Batch | None = None

    def current_actor(self) -> Actor:
        if self.actor is not None:
            return self.actor
        user = getattr(self.request, "user", None)
        if user is not None and user.is_authenticated:
            return Actor(user.pk, user.get_username())
        return NOBODY


IDLE = AuditContext()
_current: ContextVar[AuditContext | None] = ContextVar("audit_context", default=None)


def current() -> AuditContext:
    return _current.get() or IDLE


@contextmanager
def audit_context(context: AuditContext) -> Iterator[AuditContext]:
    token = _current.set(context)
    try:
        yield context
    finally:
        _current.reset(token)


@contextmanager
def audit_reason(reason: str) -> Iterator[None]:
    """Records made inside the block carry `reason` (what a person gave for a change)."""
    with audit_context(replace(current(), reason=reason[:500])):
        yield


@contextmanager
def background_context(user: Any, *, task: str) -> Iterator[AuditContext]:
    """Background work `task` done for `user` (the author of an import): its records are the user's, with
    method "TASK" and path `task`, kept while it runs and appended together when it ends (one hold of the
    chain's lock, after the work's own transactions)."""
    context = AuditContext(
        method="TASK", path=task[:500], actor=Actor(user.pk, user.get_username()), batch=Batch()
    )
    with audit_context(context):
        try:
            yield context
        finally:
            assert context.batch is not None
            context.batch.open = False
            chain.append(context.batch.entries)


def client_ip(request: HttpRequest) -> str | None:
    """The address the request came from: `REMOTE_ADDR`, or the header a trusted proxy sets when
    `AUDIT_CLIENT_IP_HEADER` names it (e.g. "HTTP_X_FORWARDED_FOR": its last address, the one the proxy
    appended)."""
    header = getattr(settings, "AUDIT_CLIENT_IP_HEADER", "")
    meta: dict[str, Any] = request.META
    if header and meta.get(header):
        return _valid_ip(str(meta[header]).split(",")[-1].strip())
    return _valid_ip(meta.get("REMOTE_ADDR", ""))


def _valid_ip(value: str) -> str | None:
    try:
        return str(ipaddress.ip_address(value))
    except ValueError:
        return None


def request_context(request: HttpRequest) -> AuditContext:
    return AuditContext(
        request=request,
        ip=client_ip(request),
        method=request.method or "",
        path=request.get_full_path()[:500],
        batch=Batch(),
    )
