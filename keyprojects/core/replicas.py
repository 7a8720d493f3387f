"""Reads that may be served by a streaming replica.

A province install runs one PostgreSQL primary with streaming replicas (docs/scale.md). The read-heavy pages whose
figures may lag the primary by a moment (the rates, the province's comparison of cities) mark their reads with
`lag_tolerant`; `config.routers.ReplicaRouter` then sends those reads to a replica when one is configured. Every other
read, and every read inside a transaction that writes, stays on the primary, so a person always sees what they have
just saved.
"""

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from functools import wraps
from typing import ParamSpec, TypeVar

P = ParamSpec("P")
R = TypeVar("R")

_lag_tolerant: ContextVar[bool] = ContextVar("lag_tolerant", default=False)


def reads_tolerate_lag() -> bool:
    return _lag_tolerant.get()


@contextmanager
def tolerating_lag() -> Iterator[None]:
    token = _lag_tolerant.set(True)
    try:
        yield
    finally:
        _lag_tolerant.reset(token)


def lag_tolerant(view: Callable[P, R]) -> Callable[P, R]:
    """Serve this view's reads from a replica when one is configured."""

    @wraps(view)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
        with tolerating_lag():
            return view(*args, **kwargs)

    return wrapper
