"""Domain events: how one app reacts to what happened in another without importing its code.

The app where something happened publishes an event named for it (`publish(ProjectChanged(...))`);
an app that cares subscribes to the event's class in its `AppConfig.ready()`:

    subscribe(ProjectChanged, ReportAccepted)(warnings_follow)

Events are delivered once the transaction that published them commits (at once outside a
transaction), and never when it rolls back: a subscriber only hears of what is saved. A subscriber
receives a list of events of the classes it subscribed to, one event in the ordinary case. Inside
`hold_back()` (a bulk write: an import, the demo) events are gathered, equal ones dropped, and
delivered in one list when the block ends, so a subscriber can answer many changes with one job.

Events carry ids, not rows: a subscriber reads what it needs, the event only says where to look.
This is not the settings history (`core/settings_events.py`, audit rows kept in the database).
"""

import logging
import threading
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any, TypeVar

from django.db import transaction

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class DomainEvent:
    """Base of every event: immutable, hashable (equal events are delivered once when held back)."""


# --- the events -----------------------------------------------------------------------------------
# Named for what happened; ids only. `city_id` is the city whose data changed (None: the province's
# defaults, for settings).


@dataclass(frozen=True)
class ProjectChanged(DomainEvent):
    """A project's record was created or saved; `fields` are those saved, None for the whole row."""

    project_id: int
    city_id: int
    fields: frozenset[str] | None = None


@dataclass(frozen=True)
class PlanChanged(DomainEvent):
    """A node of a project's milestone plan (节点计划) was added, changed or removed."""

    project_id: int
    city_id: int


@dataclass(frozen=True)
class ReportSubmitted(DomainEvent):
    """A monthly report was submitted, resubmitted or corrected (awaiting review)."""

    report_id: int
    project_id: int
    city_id: int


@dataclass(frozen=True)
class ReportReturned(DomainEvent):
    """A monthly report was returned to its owner."""

    report_id: int
    project_id: int
    city_id: int


@dataclass(frozen=True)
class ReportAccepted(DomainEvent):
    """A monthly report was accepted: its figures are in force."""

    report_id: int
    project_id: int
    city_id: int


@dataclass(frozen=True)
class InclusionChanged(DomainEvent):
    """A project's statistics inclusion (入库纳统) was recorded or cleared."""

    project_id: int
    city_id: int


@dataclass(frozen=True)
class InvestmentPlanChanged(DomainEvent):
    """A project's monthly investment plan of `year` changed."""

    project_id: int
    city_id: int
    year: int


@dataclass(frozen=True)
class FactorChanged(DomainEvent):
    """A project's factor demands or what is allocated to them (要素保障) changed."""

    project_id: int
    city_id: int


@dataclass(frozen=True)
class BlockerChanged(DomainEvent):
    """A blocker (难点堵点问题) of a project took a step: raised, accepted, assigned, answered, escalated…"""

    blocker_id: int
    project_id: int
    city_id: int


@dataclass(frozen=True)
class WarningsChanged(DomainEvent):
    """A refresh raised, recoloured or cleared warnings of the city's projects."""

    city_id: int


@dataclass(frozen=True)
class SettingsChanged(DomainEvent):
    """A city's settings (or the province's defaults, city None) changed; `model` is the settings
    model's label, e.g. "alerts.warningrules"."""

    city_id: int | None
    model: str


# --- subscribing ----------------------------------------------------------------------------------

E = TypeVar("E", bound=DomainEvent)
Handler = Callable[[Sequence[Any]], None]

_subscribers: list[tuple[tuple[type[DomainEvent], ...], Handler]] = []


def subscribe(*event_types: type[DomainEvent]) -> Callable[[Handler], Handler]:
    """Register a handler of the given event classes (and their subclasses); it is called with the
    list of delivered events of those classes, in the order they were published. Registering the
    same handler again replaces its classes (ready() may run twice in tests)."""

    def register(handler: Handler) -> Handler:
        _subscribers[:] = [(types, h) for types, h in _subscribers if h is not handler]
        _subscribers.append((event_types, handler))
        return handler

    return register


def unsubscribe(handler: Handler) -> None:
    _subscribers[:] = [(types, h) for types, h in _subscribers if h is not handler]


def deliver(events: Sequence[DomainEvent]) -> None:
    """Hand committed events to their subscribers, equal events once. A subscriber that fails is
    logged and the others still hear the events: what happened is committed, and the request that
    did it succeeded whatever a subscriber makes of it."""
    unique = list(dict.fromkeys(events))
    for types, handler in list(_subscribers):
        mine = [event for event in unique if isinstance(event, types)]
        if mine:
            try:
                handler(mine)
            except Exception:
                logger.exception("The subscriber %s failed on %s", _name(handler), mine)


def _name(handler: Handler) -> str:
    return f"{getattr(handler, '__module__', '?')}.{getattr(handler, '__qualname__', repr(handler))}"


# --- publishing -----------------------------------------------------------------------------------


class _Hold:
    """Events of a `hold_back()` block, gathered as their transactions commit."""

    def __init__(self) -> None:
        self.events: list[DomainEvent] = []
        self.open = True

    def collect(self, event: DomainEvent) -> None:
        if self.open:
            self.events.append(event)
        else:  # committed after the block ended (a transaction it did not wait for): deliver alone
            deliver([event])

    def flush(self) -> None:
        self.open = False
        events, self.events = self.events, []
        if events:
            deliver(events)


_local = threading.local()


def _hold() -> _Hold | None:
    return getattr(_local, "hold", None)


def publish(event: DomainEvent) -> None:
    """Deliver `event` once the current transaction commits (now, outside one); inside
    `hold_back()`, gather it for the block's one delivery. A rolled-back transaction or savepoint
    drops the events it published."""
    hold = _hold()
    if hold is None:
        transaction.on_commit(lambda: deliver([event]))
    else:
        transaction.on_commit(lambda: hold.collect(event))


@contextmanager
def hold_back() -> Iterator[None]:
    """Hold back the events published inside the block and deliver them together when it ends
    (once its transaction commits, when the block is inside one). Nested blocks join the outer one.
    On an exception the events of committed work are still delivered; those of rolled-back work
    never are."""
    if _hold() is not None:
        yield
        return
    hold = _local.hold = _Hold()
    try:
        yield
    finally:
        _local.hold = None
        # registered after every event of the block, so it runs after their callbacks
        transaction.on_commit(hold.flush)
