"""Five failed sign-ins lock the username for 15 minutes from the first failure of the run; attempts while
locked neither extend nor reset it; the person is told until when; the security administrator unlocks."""

import datetime
import zoneinfo

import pytest
import time_machine
from axes.models import AccessAttempt
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from keyprojects.accounts.lockout import account_unlock, locked_until
from keyprojects.accounts.models import Lockout
from keyprojects.accounts.policy import security_policy_update

START = datetime.datetime(2026, 6, 15, 9, 0, tzinfo=zoneinfo.ZoneInfo("Asia/Shanghai"))
MINUTE = datetime.timedelta(minutes=1)
QUERIES = 8  # the admin page's own, the policy once, the rows with their lock


@pytest.fixture
def traveller():
    with time_machine.travel(START, tick=False) as traveller:
        yield traveller


def attempt(client, password: str = "wrong", username: str = "guanxian"):
    return client.post(reverse("accounts:login"), {"username": username, "password": password})


def fail_at(client, traveller, minutes):
    for minute in minutes:
        traveller.move_to(START + minute * MINUTE)
        attempt(client)


def test_the_lock_ends_fifteen_minutes_after_the_first_failure(client, city, traveller):
    fail_at(client, traveller, [0, 3, 6, 9, 12])  # the fifth failure locks
    assert locked_until("guanxian") == START + 15 * MINUTE
    traveller.move_to(START + 14 * MINUTE)
    locked = attempt(client, "Secret-pass-1")
    assert locked.status_code == 429
    assert "请于 2026-06-15 09:15 后再试" in locked.content.decode()
    traveller.move_to(START + 15 * MINUTE + datetime.timedelta(seconds=1))
    assert attempt(client, "Secret-pass-1").status_code == 302


def test_attempts_while_locked_neither_extend_nor_reset_it(client, city, traveller):
    fail_at(client, traveller, [0, 1, 2, 3, 4])
    fail_at(client, traveller, [5, 8, 11, 14])  # while locked, even the right password is refused
    assert attempt(client, "Secret-pass-1").status_code == 429
    assert locked_until("guanxian") == START + 15 * MINUTE
    traveller.move_to(START + 15 * MINUTE + datetime.timedelta(seconds=1))
    assert attempt(client, "Secret-pass-1").status_code == 302


def test_a_run_starts_again_after_its_window(client, city, traveller):
    fail_at(client, traveller, [0, 1, 2, 3])
    fail_at(client, traveller, [16])  # the first four have lapsed: a new run of one
    assert locked_until("guanxian") is None
    assert attempt(client, "Secret-pass-1").status_code == 302


def test_the_api_answers_429_with_the_time(client, city, traveller):
    for _ in range(5):
        client.post(
            "/api/v1/auth/token", {"username": "guanxian", "password": "x"}, content_type="application/json"
        )
    locked = client.post(
        "/api/v1/auth/token",
        {"username": "guanxian", "password": "Secret-pass-1"},
        content_type="application/json",
    )
    assert locked.status_code == 429
    assert locked.json()["detail"] == "登录失败次数过多，该账号已被锁定，请于 2026-06-15 09:15 后再试"


def test_the_limits_are_the_security_administrator_s(client, city, secadmin, traveller):
    security_policy_update(actor=secadmin, values={"lockout_failures": 3, "lockout_minutes": 60})
    fail_at(client, traveller, [0, 1, 2])
    assert locked_until("guanxian") == START + 60 * MINUTE
    assert "自第一次失败起锁定 60 分钟" in attempt(client).content.decode()


def test_the_security_administrator_unlocks(client, city, secadmin, traveller):
    fail_at(client, traveller, [0, 1, 2, 3, 4])
    client.force_login(secadmin)
    listed = client.get(reverse("admin:accounts_lockout_changelist")).content.decode()
    assert "guanxian" in listed and "2026-06-15 09:15" in listed
    response = client.post(
        reverse("admin:accounts_lockout_changelist"),
        {"action": "unlock", "_selected_action": list(Lockout.objects.values_list("pk", flat=True))},
    )
    assert response.status_code == 302
    assert not AccessAttempt.objects.filter(username="guanxian").exists()
    client.logout()
    assert attempt(client, "Secret-pass-1").status_code == 302
    with pytest.raises(PermissionDenied, match="只有安全管理员可以解锁账号"):
        account_unlock(actor=city.admin, usernames=["guanxian"])


def test_the_lockout_list_reads_the_policy_once_whatever_its_rows(
    client, city, secadmin, traveller, django_assert_num_queries
):
    fail_at(client, traveller, [0, 1, 2, 3, 4])
    client.force_login(secadmin)
    url = reverse("admin:accounts_lockout_changelist")
    with django_assert_num_queries(QUERIES):
        one = client.get(url).content.decode()
    assert "2026-06-15 09:15" in one
    client.logout()
    for name in ("gaotang", "leader", "city"):
        attempt(client, username=name)
    client.force_login(secadmin)
    with django_assert_num_queries(QUERIES):
        four = client.get(url).content.decode()
    assert four.count("2026-06-15 09:15") == 1 and four.count("—") >= 3
