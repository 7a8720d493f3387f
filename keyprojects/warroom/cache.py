"""The dashboards are cached per city, as-of date and slice, and dropped when the city's data changes.

Each city has a generation token in the cache; a dashboard is stored under a key that holds its city's
token, so one `invalidate(city)` (a new token) retires every dashboard of the city at once, whatever
their dates and slices. The province's dashboards hold the province token, which every city's change
renews too. The domain events that change a figure of the dashboard (see `apps.py`) call `invalidate`;
what no event announces yet (a blocker's step, the daily warning refresh) is caught up by the entries'
lifetime, `TTL` seconds. With a cache shared by the workers (Redis, memcached) an invalidation reaches
all of them; with the default per-process memory cache each worker drops its own entries when it hears
the event and the others within `TTL`.
"""

import hashlib
import uuid
from collections.abc import Callable, Sequence
from dataclasses import astuple
from typing import TypeVar

from django.core.cache import cache
from django.utils.translation import get_language

from keyprojects.accounts.access import sees_by_region, sees_whole_tenant
from keyprojects.accounts.models import User
from keyprojects.core.events import DomainEvent
from keyprojects.metrics.selectors import MetricsQuery

TTL = 300
PROVINCE = "province"
T = TypeVar("T")


def _token_key(city_id: int | None) -> str:
    return f"warroom:generation:{city_id or PROVINCE}"


def _token(city_id: int | None) -> str:
    key = _token_key(city_id)
    token = cache.get(key)
    if token is None:
        token = uuid.uuid4().hex
        cache.add(key, token, None)
        token = cache.get(key, token)
    return token


def invalidate(city_id: int | None) -> None:
    """Retire every cached dashboard of the city (and the province's, which count it)."""
    keys = {_token_key(None), _token_key(city_id)}
    cache.set_many({key: uuid.uuid4().hex for key in keys}, None)


def events_invalidate(events: Sequence[DomainEvent]) -> None:
    """The subscriber: every city an event names."""
    for city_id in {getattr(event, "city_id", None) for event in events}:
        invalidate(city_id)


def _reader(user: User) -> str:
    """Who reads the same figures: the whole city for its office and leaders, one organisation for a
    county, the user itself for anyone seeing projects one by one."""
    if sees_whole_tenant(user):
        return f"{user.role}"
    if sees_by_region(user):
        return f"{user.role}:o{user.organization_id}"
    return f"{user.role}:u{user.pk}"


def dashboard_key(user: User, query: MetricsQuery) -> str:
    slice_ = hashlib.sha256(repr(astuple(query.filters)).encode()).hexdigest()[:16]
    return ":".join(
        (
            "warroom",
            _token(user.city_id),
            str(user.city_id or PROVINCE),
            _reader(user),
            query.as_of.isoformat(),
            query.start_basis,
            query.time_basis,
            slice_,
            get_language() or "",
        )
    )


def cached(user: User, query: MetricsQuery, build: Callable[[], T], *, form: str = "data") -> T:
    """The dashboard of `user` and `query` in one `form` (its data, or its JSON as the API sends it),
    built when the cache has none that the city's latest change left standing."""
    key = f"{dashboard_key(user, query)}:{form}"
    value = cache.get(key)
    if value is None:
        value = build()
        cache.set(key, value, TTL)
    return value
