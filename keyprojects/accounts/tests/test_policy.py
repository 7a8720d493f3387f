"""The security administrator's password policy: what a new password must be, on every form that sets
one, and how long it lasts; each change of the policy is recorded."""

import datetime
import itertools
import zoneinfo
from unittest import mock

import pytest
import time_machine
from django.contrib.auth.hashers import check_password
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from keyprojects.accounts.models import SecurityPolicy, User
from keyprojects.accounts.policy import PolicyPasswordValidator, security_policy_update
from keyprojects.core.models import SettingsEvent

START = datetime.datetime(2026, 6, 15, 9, 0, tzinfo=zoneinfo.ZoneInfo("Asia/Shanghai"))
DAY = datetime.timedelta(days=1)


def change(client, old: str, new: str):
    return client.post(
        reverse("accounts:password"), {"old_password": old, "new_password1": new, "new_password2": new}
    )


@pytest.mark.parametrize(
    ("new", "rule"),
    [
        ("Ab1!xyz", "密码至少 8 个字符"),
        ("abcdefgh12", "密码须包含大写字母、小写字母、数字、符号四类中的至少 3 类"),
        ("Guanxian-2024", "密码不能是用户名，也不能包含用户名"),
        ("Secret-pass-1", "不能使用最近 5 次用过的密码"),
    ],
)
def test_one_s_own_change_names_the_rule_broken(client, city, new, rule):
    client.force_login(city.county)
    page = change(client, "Secret-pass-1", new)
    assert page.status_code == 200 and rule in page.content.decode()
    city.county.refresh_from_db()
    assert city.county.check_password("Secret-pass-1")


def test_none_of_the_last_five_passwords(client, city):
    client.force_login(city.county)
    passwords = ["Secret-pass-1", *(f"Liaocheng-new-{n}" for n in range(1, 6))]
    for old, new in itertools.pairwise(passwords):
        assert change(client, old, new).status_code == 302, new
    for used in passwords[1:]:
        assert "不能使用最近 5 次用过的密码" in change(client, passwords[-1], used).content.decode(), used
    assert change(client, passwords[-1], "Secret-pass-1").status_code == 302, "six passwords ago"


@pytest.mark.parametrize("new", ["Ab1!xyz", "abcdefgh12", "Guanxian-2024"])
def test_a_password_failing_a_cheap_rule_is_never_hashed_against_the_history(city, new):
    with mock.patch("keyprojects.accounts.policy.check_password", wraps=check_password) as hashed:
        with pytest.raises(ValidationError):
            PolicyPasswordValidator().validate(new, city.county)
        assert hashed.call_count == 0
        with pytest.raises(ValidationError, match="不能使用最近 5 次用过的密码"):
            PolicyPasswordValidator().validate("Secret-pass-1", city.county)
        assert hashed.call_count == 1


def test_the_administrator_s_forms_apply_the_policy(client, city):
    client.force_login(city.admin)
    refused = client.post(
        reverse("admin:auth_user_password_change", args=[city.county.pk]),
        {"usable_password": "true", "password1": "guanxian-2024", "password2": "guanxian-2024"},
    ).content.decode()
    assert "密码不能是用户名，也不能包含用户名" in refused
    refused = client.post(
        reverse("admin:accounts_user_add"),
        {"username": "chiping", "password1": "short1A", "password2": "short1A", "usable_password": "true"},
    ).content.decode()
    assert "密码至少 8 个字符" in refused
    assert not User.objects.filter(username="chiping").exists()


def test_the_policy_is_the_security_administrator_s_and_its_changes_are_recorded(client, city, secadmin):
    client.force_login(secadmin)
    url = reverse("admin:accounts_securitypolicy_change", args=[1])
    page = client.get(url).content.decode()
    assert "尚未修改，使用默认值" in page and 'value="8"' in page
    form = {
        "password_min_length": 10,
        "password_classes": 4,
        "password_history": 5,
        "password_max_age_days": 60,
        "lockout_failures": 5,
        "lockout_minutes": 20,
        "session_idle_minutes": 15,
    }
    assert client.post(url, form).status_code == 302
    policy = SecurityPolicy.current()
    assert (policy.password_min_length, policy.lockout_minutes, policy.session_idle_minutes) == (10, 20, 15)
    changed = set(
        SettingsEvent.objects.filter(record="accounts.securitypolicy").values_list("field", flat=True)
    )
    assert changed == {
        "password_min_length",
        "password_classes",
        "password_max_age_days",
        "lockout_minutes",
        "session_idle_minutes",
    }
    assert "密码最短长度" in client.get(url).content.decode()
    assert "不能少于 8" in client.post(url, {**form, "password_min_length": 6}).content.decode() or (
        SecurityPolicy.current().password_min_length == 10
    )
    client.force_login(city.admin)
    assert client.post(url, form).status_code == 403
    with pytest.raises(PermissionDenied):
        security_policy_update(actor=city.admin, values={"password_min_length": 12})
    client.force_login(city.county)
    assert "至少 10 个字符" in change(client, "Secret-pass-1", "Aa1!aaaa").content.decode()


@pytest.fixture
def ninety_days(secadmin):
    security_policy_update(actor=secadmin, values={"password_max_age_days": 90})


def test_an_expired_password_sends_to_the_change_page_and_the_api_says_so(
    client, city, secadmin, ninety_days
):
    with time_machine.travel(START, tick=False) as traveller:
        client.force_login(city.county)
        assert change(client, "Secret-pass-1", "Liaocheng-new-1").status_code == 302
        city.county.refresh_from_db()
        assert city.county.password_expires_at == START + 90 * DAY
        traveller.move_to(START + 89 * DAY)
        client.force_login(city.county)
        assert client.get("/projects/").status_code == 200
        traveller.move_to(START + 90 * DAY)
        client.force_login(city.county)
        assert client.get("/projects/").url == reverse("accounts:password")
        assert "您的密码已过有效期" in client.get(reverse("accounts:password")).content.decode()
        api = client.get("/api/v1/projects")
        assert api.status_code == 403 and "已过有效期" in api.json()["detail"]
        token = client.post(
            "/api/v1/auth/token",
            {"username": "guanxian", "password": "Liaocheng-new-1"},
            content_type="application/json",
        )
        assert token.status_code == 403 and "已过有效期" in token.json()["detail"]
        assert change(client, "Liaocheng-new-1", "Liaocheng-new-2").status_code == 302
        assert client.get("/projects/").status_code == 200


def test_a_new_period_moves_every_account_s_date_and_zero_turns_it_off(city, secadmin, ninety_days):
    with time_machine.travel(START, tick=False):
        city.county.set_password("Liaocheng-new-1")
        city.county.save()
        security_policy_update(actor=secadmin, values={"password_max_age_days": 30})
        city.county.refresh_from_db()
        assert city.county.password_expires_at == START + 30 * DAY
        city.leader.refresh_from_db()
        assert city.leader.password_expires_at is not None
        security_policy_update(actor=secadmin, values={"password_max_age_days": 0})
        assert not User.objects.exclude(password_expires_at=None).exists()
