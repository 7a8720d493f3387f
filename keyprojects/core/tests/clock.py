"""The tests' clock: "today" fixed once for the session, and pinned at noon for a test that asks.

`KEYPROJECTS_TEST_TODAY=2027-12-31` moves the whole session to noon of that day in the city's time zone
(the clock keeps ticking from there). Noon keeps the date the same in UTC, in which `date.today()`
answers on a server, and in Asia/Shanghai, in which the platform counts, hours away from either midnight.
"""

import datetime
import os
import zoneinfo
from functools import cache

import time_machine
from django.conf import settings
from django.utils import timezone

TODAY_VARIABLE = "KEYPROJECTS_TEST_TODAY"


def noon(day: datetime.date) -> datetime.datetime:
    return datetime.datetime.combine(day, datetime.time(12), tzinfo=zoneinfo.ZoneInfo(settings.TIME_ZONE))


def as_date(value: str | datetime.date) -> datetime.date:
    return value if isinstance(value, datetime.date) else datetime.date.fromisoformat(value)


def session_travel() -> time_machine.travel | None:
    """The journey to KEYPROJECTS_TEST_TODAY, not yet started; None when it is not set."""
    day = os.environ.get(TODAY_VARIABLE)
    return time_machine.travel(noon(as_date(day)), tick=True) if day else None


@cache
def session_today() -> datetime.date:
    """The city's today when the session began: a run that passes midnight keeps its day."""
    return timezone.localdate()


class Clock:
    """A test's today, pinned at noon in the city's time zone; the clock ticks on from there."""

    def __init__(self, day: datetime.date) -> None:
        self.today = day
        self._travel = time_machine.travel(noon(day), tick=True)
        self._traveller = self._travel.start()

    @property
    def year(self) -> int:
        return self.today.year

    def move_to(self, day: str | datetime.date) -> None:
        """Make `day` today (at noon) for the rest of the test."""
        self.today = as_date(day)
        self._traveller.move_to(noon(self.today))

    def stop(self) -> None:
        self._travel.stop()
