"""API tokens of a person with a second factor come only with a current code in `otp`."""

import pytest
import time_machine
from django_otp.plugins.otp_static.models import StaticDevice

from keyprojects.accounts.models import ApiToken
from keyprojects.accounts.tests.api_client import API

from .helpers import NOON, PASSWORD, authenticator, code_of


def issue(client, username: str, **extra):
    body = {"username": username, "password": PASSWORD, **extra}
    return client.post(f"{API}/auth/token", body, content_type="application/json")


@pytest.fixture
def pinned():
    with time_machine.travel(NOON, tick=False) as traveller:
        yield traveller


def test_a_token_needs_the_current_code(client, city, pinned):
    device = authenticator(city.county)
    missing = issue(client, "guanxian")
    assert missing.status_code == 401
    assert missing.json()["detail"] == "该账号已启用两步验证：请在 otp 字段填写验证器上的6位验证码"
    wrong = issue(client, "guanxian", otp="000000")
    assert wrong.status_code == 401 and wrong.json()["detail"].startswith("otp 字段：")
    pinned.shift(2)
    issued = issue(client, "guanxian", otp=code_of(device), name="报表同步")
    assert issued.status_code == 200
    assert ApiToken.objects.get(user=city.county).name == "报表同步"
    pinned.shift(2)
    assert issue(client, "guanxian", otp=code_of(device)).status_code == 401  # the same code, once


def test_a_recovery_code_also_issues_a_token_once(client, city, pinned):
    authenticator(city.county)
    StaticDevice.objects.create(user=city.county, name="恢复码").token_set.create(token="abcd2345")
    assert issue(client, "guanxian", otp="abcd2345").status_code == 200
    pinned.shift(2)
    assert issue(client, "guanxian", otp="abcd2345").status_code == 401


def test_a_person_who_must_enrol_gets_no_token_before(client, city, settings):
    settings.KEYPROJECTS_TWO_FACTOR_ROLES = ("system_admin",)
    refused = issue(client, "admin")
    assert refused.status_code == 403 and "两步验证" in refused.json()["detail"]
    assert not ApiToken.objects.filter(user=city.admin).exists()


def test_without_a_second_factor_the_password_is_enough(client, city):
    assert issue(client, "guanxian").status_code == 200


@pytest.mark.parametrize(
    "otp", ["\x00", "a\r\nb", "１２３４５６", "' OR 1=1 --", "9" * 16, "9" * 17, 123456, None]
)
def test_a_hostile_code_is_refused_without_a_server_error(client, city, pinned, otp):
    authenticator(city.county)
    StaticDevice.objects.create(user=city.county, name="恢复码").token_set.create(token="abcd2345")
    answer = issue(client, "guanxian", otp=otp)
    assert answer.status_code in (400, 401, 422)
    assert not ApiToken.objects.exists()
