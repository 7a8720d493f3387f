"""The tests' clock: a marker pins the day, the pin can move, and every way of asking for today agrees."""

import datetime
import os

import pytest
from django.utils import timezone

from keyprojects.core.tests.clock import TODAY_VARIABLE, session_today


@pytest.mark.today("2028-02-29")
def test_the_marker_pins_the_day_at_noon_in_the_city(clock):
    assert clock.today == timezone.localdate() == datetime.date.today() == datetime.date(2028, 2, 29)
    assert timezone.localtime().hour == 12
    clock.move_to("2027-12-31")
    assert (clock.year, timezone.localdate()) == (2027, datetime.date(2027, 12, 31))


def test_without_a_marker_the_clock_pins_the_sessions_today(clock, request):
    assert clock.today == session_today() == timezone.localdate()
    assert request.node.get_closest_marker("dates")  # and the test is run again on the moved days
    if os.environ.get(TODAY_VARIABLE):
        assert session_today() == datetime.date.fromisoformat(os.environ[TODAY_VARIABLE])
