"""Working days of the official Chinese calendar (法定节假日 off, 调休 adjusted workdays on).

The calendar comes from `chinesecalendar`, which carries the State Council's notice year by year. For a
year it has no data for (too old, or not yet published), Monday–Friday counts as working days and the
pages say so (`calendar_known`, `MISSING_CALENDAR_NOTICE`).

`chinesecalendar` scans its whole table on every question, and a page counts the working days to hundreds
of nodes: each year is read once into a table (`_year`), and the functions below index the tables of the
years they span instead of walking day by day.
"""

from dataclasses import dataclass
from datetime import MAXYEAR, MINYEAR, date
from functools import lru_cache

import chinese_calendar
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from keyprojects.core.text import join_list, labelled

MISSING_CALENDAR_NOTICE = _("该年度法定节假日数据缺失，按周一至周五计算")


@lru_cache(maxsize=64)
def calendar_known(year: int) -> bool:
    """Whether the official holidays and adjusted workdays of `year` are known."""
    try:
        chinese_calendar.is_workday(date(year, 6, 1))
    except NotImplementedError:
        return False
    return True


@dataclass(frozen=True)
class _Year:
    year: int
    first: int  # the ordinal of 1 January
    before: tuple[int, ...]  # before[i]: the working days among the year's first i days
    workdays: tuple[int, ...]  # the ordinals of the year's working days, in order

    def before_day(self, day: date) -> int:
        """The working days of the year before `day`."""
        return self.before[day.toordinal() - self.first]

    def up_to(self, day: date) -> int:
        """The working days of the year up to and including `day`."""
        return self.before[day.toordinal() - self.first + 1]


@lru_cache(maxsize=256)
def _year(year: int) -> _Year:
    if not MINYEAR <= year <= MAXYEAR:
        raise OverflowError("date value out of range")
    known = calendar_known(year)
    first = date(year, 1, 1).toordinal()
    days = [date.fromordinal(o) for o in range(first, date(year, 12, 31).toordinal() + 1)]
    worked = [chinese_calendar.is_workday(d) if known else d.weekday() < 5 for d in days]
    before = [0]
    for w in worked:
        before.append(before[-1] + w)
    workdays = tuple(d.toordinal() for d, w in zip(days, worked, strict=True) if w)
    return _Year(year, first, tuple(before), workdays)


def is_workday(day: date) -> bool:
    calendar = _year(day.year)
    return calendar.up_to(day) > calendar.before_day(day)


def next_workday(day: date) -> date:
    """`day` itself when it is a working day, else the first working day after it."""
    return day if is_workday(day) else add_workdays(day, 1)


def add_workdays(day: date, n: int) -> date:
    """The day `n` working days after `day` (before it when `n` is negative); `day` itself for 0."""
    if n == 0:
        return day
    calendar = _year(day.year)
    # the rank of the day to land on among the working days of `calendar`'s year, counting from 1
    if n > 0:
        rank = calendar.up_to(day) + n
        while rank > len(calendar.workdays):
            rank -= len(calendar.workdays)
            calendar = _year(calendar.year + 1)
    else:
        rank = calendar.before_day(day) + n + 1
        while rank < 1:
            calendar = _year(calendar.year - 1)
            rank += len(calendar.workdays)
    return date.fromordinal(calendar.workdays[rank - 1])


def workdays_between(start: date, end: date) -> int:
    """Working days after `start` up to and including `end` (negative when `end` is before `start`),
    so that `workdays_between(d, add_workdays(d, n)) == n`."""
    if end < start:
        return -workdays_between(end, start)
    calendar = _year(start.year)
    count = -calendar.up_to(start)
    while calendar.year < end.year:
        count += len(calendar.workdays)
        calendar = _year(calendar.year + 1)
    return count + calendar.up_to(end)


def overdue_workdays(planned: date, today: date) -> int:
    """How many working days a thing planned for `planned` is late on `today`: at least one once past it,
    whatever the page (the node queue, the warnings, a briefing)."""
    return max(workdays_between(planned, today), 1)


def unknown_calendar_years(*days: date | None) -> list[int]:
    """The years among `days` for which the official calendar is missing, for a notice on a page."""
    return sorted({d.year for d in days if d is not None and not calendar_known(d.year)})


def calendar_notice(*days: date | None, request: HttpRequest | None = None) -> str:
    """ "2027：该年度法定节假日数据缺失，按周一至周五计算" for the years among `days` without the official
    calendar, in the reader's language; empty when every year is known. Given the `request`, a year is said
    once a page: the sections of one page that compute dates in the same year say it once."""
    years = unknown_calendar_years(*days)
    if request is not None:
        said: set[int] = request.__dict__.setdefault("_calendar_years_said", set())
        years = [year for year in years if year not in said]
        said.update(years)
    if not years:
        return ""
    return labelled(join_list(str(y) for y in years), MISSING_CALENDAR_NOTICE)
