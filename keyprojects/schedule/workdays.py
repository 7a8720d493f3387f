"""Working days of the official Chinese calendar (法定节假日 off, 调休 adjusted workdays on).

The calendar comes from `chinesecalendar`, which carries the State Council's notice year by year. For a
year it has no data for (too old, or not yet published), Monday–Friday counts as working days and the
pages say so (`calendar_known`, `MISSING_CALENDAR_NOTICE`).
"""

from datetime import date, timedelta
from functools import lru_cache

import chinese_calendar
from django.utils.translation import gettext_lazy as _

MISSING_CALENDAR_NOTICE = _("该年度法定节假日数据缺失,按周一至周五计算")
ONE_DAY = timedelta(days=1)


@lru_cache(maxsize=64)
def calendar_known(year: int) -> bool:
    """Whether the official holidays and adjusted workdays of `year` are known."""
    try:
        chinese_calendar.is_workday(date(year, 6, 1))
    except NotImplementedError:
        return False
    return True


def is_workday(day: date) -> bool:
    if calendar_known(day.year):
        return bool(chinese_calendar.is_workday(day))
    return day.weekday() < 5


def next_workday(day: date) -> date:
    """`day` itself when it is a working day, else the first working day after it."""
    while not is_workday(day):
        day += ONE_DAY
    return day


def add_workdays(day: date, n: int) -> date:
    """The day `n` working days after `day` (before it when `n` is negative); `day` itself for 0."""
    step = ONE_DAY if n >= 0 else -ONE_DAY
    remaining = abs(n)
    while remaining:
        day += step
        if is_workday(day):
            remaining -= 1
    return day


def workdays_between(start: date, end: date) -> int:
    """Working days after `start` up to and including `end` (negative when `end` is before `start`),
    so that `workdays_between(d, add_workdays(d, n)) == n`."""
    if end < start:
        return -workdays_between(end, start)
    count = 0
    day = start
    while day < end:
        day += ONE_DAY
        count += is_workday(day)
    return count


def unknown_calendar_years(*days: date | None) -> list[int]:
    """The years among `days` for which the official calendar is missing, for a notice on a page."""
    return sorted({d.year for d in days if d is not None and not calendar_known(d.year)})


def calendar_notice(*days: date | None) -> str:
    """ "2027:该年度法定节假日数据缺失,按周一至周五计算" for the years among `days` without the official
    calendar, in the reader's language; empty when every year is known."""
    years = unknown_calendar_years(*days)
    if not years:
        return ""
    return f"{'、'.join(str(y) for y in years)}:{MISSING_CALENDAR_NOTICE}"
