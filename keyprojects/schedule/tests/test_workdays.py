import random
from datetime import date, timedelta

import chinese_calendar
import pytest

from keyprojects.schedule.workdays import (
    add_workdays,
    calendar_known,
    is_workday,
    next_workday,
    unknown_calendar_years,
    workdays_between,
)


@pytest.mark.parametrize(
    ("day", "expected"),
    [
        (date(2024, 9, 27), True),  # Friday
        (date(2024, 9, 28), False),  # Saturday
        (date(2024, 9, 29), True),  # Sunday, adjusted workday before National Day
        (date(2024, 10, 1), False),
        (date(2024, 10, 7), False),  # Monday, still the holiday
        (date(2024, 10, 8), True),
        (date(2024, 10, 12), True),  # Saturday, adjusted workday after National Day
        (date(2024, 10, 13), False),
        (date(2024, 2, 4), True),  # Sunday before the Spring Festival
        (date(2024, 2, 12), False),  # Monday of the Spring Festival
        (date(2024, 2, 18), True),  # Sunday after it
    ],
)
def test_official_holidays_and_adjusted_workdays(day, expected):
    assert is_workday(day) is expected


def test_adding_working_days_across_national_day():
    # Sun 29 Sep (worked), Mon 30 Sep, then the holiday Oct 1–7, then Tue 8 Oct.
    assert add_workdays(date(2024, 9, 28), 1) == date(2024, 9, 29)
    assert add_workdays(date(2024, 9, 28), 3) == date(2024, 10, 8)
    # 8, 9, 10, 11 Oct and Saturday the 12th, which is worked.
    assert add_workdays(date(2024, 9, 30), 5) == date(2024, 10, 12)
    assert add_workdays(date(2024, 10, 8), -2) == date(2024, 9, 29)
    assert add_workdays(date(2024, 10, 3), 0) == date(2024, 10, 3)


def test_adding_working_days_across_the_spring_festival():
    assert add_workdays(date(2024, 2, 9), 1) == date(2024, 2, 18)
    assert workdays_between(date(2024, 2, 9), date(2024, 2, 19)) == 2


def test_counting_working_days_is_the_inverse_of_adding_them():
    start = date(2024, 9, 20)
    for n in range(0, 25):
        assert workdays_between(start, add_workdays(start, n)) == n
    assert workdays_between(date(2024, 10, 12), date(2024, 9, 29)) == -6


def test_next_workday_skips_the_holiday():
    assert next_workday(date(2024, 10, 1)) == date(2024, 10, 8)
    assert next_workday(date(2024, 10, 12)) == date(2024, 10, 12)


def test_years_without_official_data_fall_back_to_monday_to_friday():
    assert calendar_known(2024)
    assert not calendar_known(2099)
    assert is_workday(date(2099, 10, 1))  # a Thursday: no holiday data, so a working day
    assert not is_workday(date(2099, 10, 3))  # a Saturday
    assert add_workdays(date(2099, 10, 2), 1) == date(2099, 10, 5)
    assert unknown_calendar_years(date(2024, 1, 1), None, date(2099, 1, 1), date(2099, 5, 1)) == [2099]


def _official_day_by_day(first: date, last: date) -> dict[date, bool]:
    """Each day from `first` to `last` asked of chinesecalendar one by one, Monday–Friday where it has no data."""
    days: dict[date, bool] = {}
    day = first
    while day <= last:
        try:
            days[day] = chinese_calendar.is_workday(day)
        except NotImplementedError:
            days[day] = day.weekday() < 5
        day += timedelta(days=1)
    return days


def test_the_tables_agree_with_walking_day_by_day():
    first, last = date(1999, 1, 1), date(2033, 12, 31)
    official = _official_day_by_day(first, last)
    known_years = {y for y in range(first.year, last.year + 1) if calendar_known(y)}
    assert 2024 in known_years and 2000 not in known_years and 2030 not in known_years

    def walk_between(start: date, end: date) -> int:
        step, sign = (timedelta(days=1), 1) if end >= start else (timedelta(days=-1), -1)
        count, day = 0, start
        while day != end:
            count += official[day + step] if sign > 0 else official[day]
            day += step
        return sign * count

    def walk_add(day: date, n: int) -> date:
        step = timedelta(days=1 if n >= 0 else -1)
        remaining = abs(n)
        while remaining:
            day += step
            remaining -= official[day]
        return day

    assert all(is_workday(day) is worked for day, worked in official.items())
    rng = random.Random(20260615)
    inner = (first + timedelta(days=800), last - timedelta(days=800))
    for _ in range(2000):
        start = inner[0] + timedelta(days=rng.randrange((inner[1] - inner[0]).days))
        end = start + timedelta(days=rng.randint(-800, 800))
        n = rng.choice([0, 1, -1, rng.randint(-300, 300)])
        assert workdays_between(start, end) == walk_between(start, end), (start, end)
        assert add_workdays(start, n) == walk_add(start, n), (start, n)
        assert next_workday(start) == walk_add(start - timedelta(days=1), 1), start
