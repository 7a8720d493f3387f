"""A signed-in session ends after 30 idle minutes, and a request writes it at most once a minute."""

import datetime
import zoneinfo

import pytest
import time_machine
from django.conf import settings
from django.contrib.sessions.models import Session
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from keyprojects.accounts.tests.api_client import ApiClient

START = datetime.datetime(2026, 6, 15, 9, 0, tzinfo=zoneinfo.ZoneInfo("Asia/Shanghai"))
MINUTE = datetime.timedelta(minutes=1)


@pytest.fixture
def traveller():
    """The clock at 09:00 on a working day, standing still until a test moves it."""
    with time_machine.travel(START, tick=False) as traveller:
        yield traveller


@pytest.fixture
def signed_in(client, city, traveller):
    """A county officer who signed in at START through the login page."""
    response = client.post(reverse("accounts:login"), {"username": "guanxian", "password": "Secret-pass-1"})
    assert response.status_code == 302
    return client


def session_writes(captured) -> int:
    return sum(
        "django_session" in q["sql"] and q["sql"].lstrip().upper().startswith(("INSERT", "UPDATE"))
        for q in captured.captured_queries
    )


def get(client, url):
    """The answer, and how many times the request wrote a session."""
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    return response, session_writes(captured)


def expiry(client):
    return Session.objects.get(session_key=client.cookies[settings.SESSION_COOKIE_NAME].value).expire_date


def test_requests_within_a_minute_of_the_last_renewal_write_nothing(signed_in, traveller):
    assert expiry(signed_in) == START + 30 * MINUTE  # signing in wrote it
    for seconds in (1, 20, 59):
        traveller.move_to(START + datetime.timedelta(seconds=seconds))
        response, writes = get(signed_in, reverse("projects:list"))
        assert (response.status_code, writes) == (200, 0)
    assert expiry(signed_in) == START + 30 * MINUTE


def test_a_request_two_minutes_later_renews_the_session(signed_in, traveller):
    traveller.move_to(START + 2 * MINUTE)
    response, writes = get(signed_in, reverse("projects:list"))
    assert (response.status_code, writes) == (200, 1)
    assert expiry(signed_in) == START + 32 * MINUTE
    traveller.move_to(START + 2 * MINUTE + datetime.timedelta(seconds=30))
    assert get(signed_in, reverse("projects:list"))[1] == 0


def test_thirty_one_idle_minutes_sign_out_of_the_pages_and_the_api(signed_in, traveller):
    traveller.move_to(START + 29 * MINUTE)
    assert signed_in.get("/api/v1/projects").status_code == 200
    traveller.move_to(START + 60 * MINUTE)  # 31 minutes after that request
    assert signed_in.get("/api/v1/projects").status_code == 401
    response = signed_in.get(reverse("projects:list"))
    assert response.status_code == 302
    assert response.url.startswith(reverse("accounts:login"))


def test_a_user_active_every_five_minutes_stays_signed_in_for_an_hour(signed_in, traveller):
    for minutes in range(5, 65, 5):
        traveller.move_to(START + minutes * MINUTE)
        response, writes = get(signed_in, reverse("projects:list"))
        assert (response.status_code, writes) == (200, 1), minutes
    assert expiry(signed_in) == START + 90 * MINUTE


def test_the_api_with_a_token_keeps_no_session(city, traveller):
    client = ApiClient(city.county)
    for minutes in (0, 2):
        traveller.move_to(START + minutes * MINUTE)
        with CaptureQueriesContext(connection) as captured:
            assert client.get("/projects").status_code == 200
        assert session_writes(captured) == 0
    assert not Session.objects.exists()


def test_the_idle_timeout_is_the_policy_s_from_the_next_sign_in(client, city, traveller):
    from keyprojects.accounts.models import Role
    from keyprojects.accounts.policy import security_policy_update
    from keyprojects.accounts.tests.factories import UserFactory

    secadmin = UserFactory(username="secadmin", role=Role.SECURITY_ADMIN, organization=city.city_office)
    security_policy_update(actor=secadmin, values={"session_idle_minutes": 10})
    assert (
        client.post(
            reverse("accounts:login"), {"username": "guanxian", "password": "Secret-pass-1"}
        ).status_code
        == 302
    )
    assert expiry(client) == START + 10 * MINUTE
    traveller.move_to(START + 9 * MINUTE)
    assert client.get(reverse("projects:list")).status_code == 200
    traveller.move_to(START + 20 * MINUTE)
    assert client.get(reverse("projects:list")).status_code == 302


def test_a_page_carries_the_idle_warning_with_the_time_left(signed_in, traveller):
    traveller.move_to(START + 2 * MINUTE)
    html = signed_in.get(reverse("projects:list")).content.decode()
    assert 'id="kp-session-timeout"' in html and 'data-seconds-left="1800"' in html
    assert "/static/accounts/session-timeout.js" in html
    traveller.move_to(START + 2 * MINUTE + datetime.timedelta(seconds=30))  # not renewed by this one
    assert 'data-seconds-left="1770"' in signed_in.get(reverse("projects:list")).content.decode()


def test_the_warning_s_button_keeps_the_session(signed_in, traveller):
    traveller.move_to(START + 20 * MINUTE)
    assert signed_in.post(reverse("accounts:session")).status_code == 200
    assert expiry(signed_in) == START + 50 * MINUTE
