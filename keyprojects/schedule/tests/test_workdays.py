from datetime import date

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
