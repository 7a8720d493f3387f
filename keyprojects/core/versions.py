"""Optimistic concurrency: one scheme for every record that can be changed.

A record carries a `version`, one more with every saved change (projects, plan nodes, node templates,
settings; a report's revision counts its events). A state that has no row of its own (a project's
monthly plan, its statistics inclusion) is tagged by a digest of what it holds (`digest_tag`). The
API answers the tag as the ETag, quoted (`"3"`), and takes it back in If-Match (`core.api`); pages
carry it in a hidden field. A service refuses an update without one (`require_version`: 428) and an
update based on another one (`check_version`, `check_tag`: 412), before changing anything.
"""

import hashlib
from collections.abc import Callable
from typing import Protocol, TypeVar

from django.http import HttpResponse

from .errors import Message, PreconditionRequiredError, StaleVersionError

T = TypeVar("T")


class HasVersion(Protocol):
    @property
    def version(self) -> int: ...


def version_tag(version: int) -> str:
    """The ETag of a version: the number, quoted."""
    return f'"{version}"'


def etag_of(record: HasVersion) -> str:
    return version_tag(record.version)


def digest_tag(state: str) -> str:
    """The ETag of a state without a version: a short digest of the text that describes it."""
    return '"' + hashlib.sha256(state.encode()).hexdigest()[:16] + '"'


def tagged(response: HttpResponse, tag: str) -> None:
    response["ETag"] = tag


def require_version(seen: T | None, *, missing: Message) -> T:
    """The version an update is based on; 428 when the client sent none."""
    if seen is None:
        raise PreconditionRequiredError(missing)
    return seen


def check_version(current: int, seen: int, *, stale: Message | Callable[[], Message]) -> None:
    """412 when the record is no longer at the version the client read; `stale` is the message, or
    what writes it from the record as it now is (called only then)."""
    if current != seen:
        raise StaleVersionError(stale() if callable(stale) else stale)


def check_tag(current: str, seen: str, *, stale: Message) -> None:
    """412 when a state's tag is no longer the one the client read (a weak `W/` tag matches too)."""
    if seen.strip().removeprefix("W/") != current:
        raise StaleVersionError(stale)
