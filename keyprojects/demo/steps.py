"""The steps of `keyprojects loaddemo`, run in order; each app adds its own part of the demo city.

A step is the dotted path of a function taking a `DemoContext`. A step whose module does not exist
yet (an app still being written) is skipped, so the list can name every app's `demo.load` up front.
Every step must be idempotent: running `loaddemo` twice changes nothing.
"""

import random
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from importlib import import_module
from typing import TYPE_CHECKING, Any

from keyprojects.accounts.models import Organization, Region, User
from keyprojects.projects.models import Project

if TYPE_CHECKING:
    from .city import DemoCity

FOUNDATION_STEPS = [
    "keyprojects.demo.city.load",
    "keyprojects.demo.projects.load",
    "keyprojects.demo.chains.load",
]
DEMO_STEPS = [
    *FOUNDATION_STEPS,
    "keyprojects.schedule.demo.load",
    "keyprojects.progress.demo.load",
    "keyprojects.inclusion.demo.load",
    "keyprojects.factors.demo.load",
    "keyprojects.alerts.demo.load",
    "keyprojects.adjustments.demo.load",
    "keyprojects.blockers.demo.load",
    "keyprojects.supervision.demo.load",
    "keyprojects.leaders.demo.load",
    "keyprojects.batches.demo.load",
    "keyprojects.sheets.demo.load",
    "keyprojects.opendata.demo.load",
    "keyprojects.twofactor.demo.load",
]


@dataclass
class DemoContext:
    """What the steps share: the date the demo is built for, and the objects made so far."""

    today: date
    password: str
    place: "DemoCity" = field(default_factory=lambda: _first_city())  # the city the steps build
    city: Region | None = None  # its region, once made
    regions: dict[str, Region] = field(default_factory=dict)  # by code
    organizations: dict[str, Organization] = field(default_factory=dict)  # by name
    users: dict[str, User] = field(default_factory=dict)  # by username
    projects: list[Project] = field(default_factory=list)  # the demo projects of the year
    summary: list[tuple[str, Any]] = field(default_factory=list)  # what the steps report, in order

    @property
    def year(self) -> int:
        return self.today.year

    @property
    def tenant(self) -> Region:
        """The city being built (set by the first step)."""
        if self.city is None:
            raise RuntimeError("the demo city is made by keyprojects.demo.city.load first")
        return self.city

    def report(self, label: str, value: Any) -> None:
        self.summary.append((label, value))

    def rng(self, name: str) -> random.Random:
        """A random generator of its own for each step and city, so adding a step or a city never
        changes another's data."""
        return random.Random(f"{self.place.seed}:{name}:{self.year}")

    @property
    def office_user(self) -> User:
        """The city office's account: who opens rounds and draws up plans in the demo."""
        return self.users[self.place.office_username]


def _first_city() -> "DemoCity":
    from .city import LIAOCHENG  # the cities are data of a step module that imports this one

    return LIAOCHENG


def resolve_step(path: str) -> Callable[[DemoContext], None] | None:
    """The step function at `path`, or None when its module does not exist yet."""
    module_name, _, attribute = path.rpartition(".")
    try:
        module = import_module(module_name)
    except ModuleNotFoundError as exc:
        if exc.name == module_name or module_name.startswith(f"{exc.name}."):
            return None
        raise
    step: Callable[[DemoContext], None] = getattr(module, attribute)
    return step
