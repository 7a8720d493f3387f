"""Sign-in with a second factor: the code after the password for whoever has an authenticator, enrolment
first for whoever must have one, recovery codes that work once, and the security administrator's reset."""

import pytest
import time_machine
from django.test import Client
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from keyprojects.accounts.models import Role
from keyprojects.accounts.tests.factories import UserFactory
from keyprojects.twofactor import services

from .helpers import NOON, authenticator, code_of, sign_in, signed_in_verified

ADMINISTRATORS = ("system_admin", "security_admin", "audit_admin")


@pytest.fixture
def pinned():
    with time_machine.travel(NOON, tick=False) as traveller:
        yield traveller


@pytest.fixture
def administrators_must(settings):
    settings.KEYPROJECTS_TWO_FACTOR_ROLES = ADMINISTRATORS


def test_an_administrator_without_a_device_enrols_before_anything_else(
    client, city, pinned, administrators_must
):
    sign_in(client, "admin")
    todo = client.get("/todo/")
    assert todo.status_code == 302 and todo.url == "/accounts/two-factor/?next=%2Ftodo%2F"
    assert client.get("/admin/").url.startswith("/accounts/two-factor/")
    api = client.get("/api/v1/me")
    assert api.status_code == 403 and "两步验证" in api.json()["detail"]

    page = client.get(todo.url)
    html = page.content.decode()
    assert page.status_code == 200 and 'id="enrol-required"' in html
    assert "<svg" in html and 'class="segno"' in html  # the QR code, drawn in the page
    device = TOTPDevice.objects.get(user=city.admin, confirmed=False)
    assert "otpauth://" not in html and device.key not in html
    wrong = client.post(todo.url, {"code": "000000"})
    assert wrong.status_code == 422 and "验证码不正确" in wrong.content.decode()

    done = client.post(todo.url, {"code": code_of(device)})
    assert done.status_code == 200
    codes = StaticToken.objects.filter(device__user=city.admin).values_list("token", flat=True)
    assert len(codes) == 10 and all(code in done.content.decode() for code in codes)
    assert client.get("/todo/").status_code == 200


@pytest.mark.parametrize("role", [Role.SECURITY_ADMIN, Role.AUDIT_ADMIN])
def test_each_administrator_must_enrol(client, city, pinned, administrators_must, role):
    UserFactory(username="third", role=role, organization=city.city_office)
    sign_in(client, "third")
    assert client.get("/todo/").url.startswith("/accounts/two-factor/")


def test_a_second_factor_is_optional_for_everyone_else(client, city, pinned, administrators_must):
    sign_in(client, "guanxian")
    assert client.get("/todo/").status_code == 200
    assert not TOTPDevice.objects.filter(user=city.county).exists()


def test_sign_in_asks_for_the_code_after_the_password(client, city, pinned):
    device = authenticator(city.county)
    signed = sign_in(client, "guanxian")
    assert client.get(signed.url).url == "/accounts/two-factor/verify/?next=%2Ftodo%2F"
    assert client.get("/projects/").status_code == 302
    step = client.get("/accounts/two-factor/verify/?next=/projects/")
    assert step.status_code == 200 and "请输入验证器上的验证码" in step.content.decode()

    wrong = client.post("/accounts/two-factor/verify/?next=/projects/", {"code": "123456"})
    assert wrong.status_code == 422 and "验证码不正确或已使用" in wrong.content.decode()
    pinned.shift(2)  # django-otp's wait after a failure
    right = client.post("/accounts/two-factor/verify/?next=/projects/", {"code": code_of(device)})
    assert right.status_code == 302 and right.url == "/projects/"
    assert client.get("/projects/").status_code == 200
    device.refresh_from_db()
    assert device.last_used_at is not None  # the device's row records the sign-in


def test_a_password_alone_neither_reaches_the_api_nor_ends_an_administrators_session(
    city, pinned, administrators_must
):
    device = authenticator(city.admin)
    live = Client()
    sign_in(live, "admin")
    assert live.post("/accounts/two-factor/verify/", {"code": code_of(device)}).status_code == 302
    assert live.get("/admin/").status_code == 200

    intruder = Client()
    assert sign_in(intruder, "admin").status_code == 302  # the password, without the authenticator
    refused = intruder.get("/api/v1/projects")
    assert refused.status_code == 403 and "两步验证" in refused.json()["detail"]
    assert live.get("/admin/").status_code == 200, "the administrator's session goes on"

    second = Client()
    sign_in(second, "admin")
    pinned.shift(30)
    assert second.post("/accounts/two-factor/verify/", {"code": code_of(device)}).status_code == 302
    assert second.get("/admin/").status_code == 200
    assert live.get("/admin/").status_code == 302, "a sign-in with both factors ends the other session"


def test_an_administrator_enrolling_at_sign_in_ends_the_other_session(city, pinned, settings):
    settings.KEYPROJECTS_TWO_FACTOR_ROLES = ()
    live = Client()
    sign_in(live, "admin")  # no second factor asked: complete at the password
    settings.KEYPROJECTS_TWO_FACTOR_ROLES = ADMINISTRATORS
    enrolling = Client()
    sign_in(enrolling, "admin")
    assert live.get("/admin/").status_code == 200, "not by the password alone"
    device = services.enrolment_start(user=city.admin)
    assert enrolling.post("/accounts/two-factor/", {"code": code_of(device)}).status_code == 200
    assert enrolling.get("/admin/").status_code == 200
    assert live.get("/admin/").status_code == 302


def test_a_code_works_once(client, city, pinned):
    device = authenticator(city.county)
    code = code_of(device)
    sign_in(client, "guanxian")
    assert client.post("/accounts/two-factor/verify/", {"code": code}).status_code == 302
    client.logout()
    sign_in(client, "guanxian")
    pinned.shift(5)
    assert client.post("/accounts/two-factor/verify/", {"code": code}).status_code == 422


def test_a_recovery_code_works_once(client, city, pinned):
    authenticator(city.county)
    recovery = StaticDevice.objects.create(user=city.county, name="恢复码")
    recovery.token_set.create(token="abcd2345")
    sign_in(client, "guanxian")
    assert client.post("/accounts/two-factor/verify/", {"code": " ABCD 2345 "}).status_code == 302
    client.logout()
    sign_in(client, "guanxian")
    again = client.post("/accounts/two-factor/verify/", {"code": "abcd2345"})
    assert again.status_code == 422
    assert client.get("/todo/").status_code == 302


def test_recovery_codes_are_regenerated_with_a_current_code(client, city, pinned):
    device = authenticator(city.county)
    recovery = StaticDevice.objects.create(user=city.county, name="恢复码")
    recovery.token_set.create(token="abcd2345")
    signed_in_verified(client, city.county)
    page = client.get("/accounts/two-factor/")
    assert "已启用" in page.content.decode() and "还剩 1 个恢复码" in page.content.decode()
    refused = client.post("/accounts/two-factor/codes/", {"code": "000000"})
    assert refused.status_code == 422
    assert recovery.token_set.filter(token="abcd2345").exists()
    pinned.shift(2)
    fresh = client.post("/accounts/two-factor/codes/", {"code": code_of(device)})
    assert fresh.status_code == 200
    tokens = list(StaticToken.objects.filter(device__user=city.county).values_list("token", flat=True))
    assert len(tokens) == 10 and "abcd2345" not in tokens
    assert all(token in fresh.content.decode() for token in tokens)


def test_nobody_removes_or_replaces_their_own_authenticator_without_a_code(client, city, pinned):
    device = authenticator(city.county)
    signed_in_verified(client, city.county)
    client.get("/accounts/two-factor/")
    assert list(TOTPDevice.objects.filter(user=city.county)) == [device]  # no second enrolment offered
    assert client.post("/accounts/two-factor/", {"code": "000000"}).status_code == 200  # the enabled page


@pytest.fixture
def security(city):
    return UserFactory(username="secadmin", role=Role.SECURITY_ADMIN, organization=city.city_office)


def test_the_security_administrator_resets_a_lost_device(client, city, security, pinned):
    authenticator(city.county)
    StaticDevice.objects.create(user=city.county, name="恢复码").token_set.create(token="abcd2345")
    client.force_login(security)
    assert "/accounts/two-factor/reset/" in client.get("/accounts/two-factor/").content.decode()
    assert client.get("/accounts/two-factor/reset/").status_code == 200
    done = client.post("/accounts/two-factor/reset/", {"username": "guanxian"}, follow=True)
    assert "已重置 guanxian 的两步验证" in done.content.decode()
    assert not TOTPDevice.objects.filter(user=city.county).exists()
    assert not StaticDevice.objects.filter(user=city.county).exists()
    again = client.post("/accounts/two-factor/reset/", {"username": "guanxian"})
    assert again.status_code == 422 and "该账号没有启用两步验证" in again.content.decode()
    own = client.post("/accounts/two-factor/reset/", {"username": "secadmin"})
    assert own.status_code == 422 and "不能重置自己的两步验证" in own.content.decode()


def test_the_security_administrator_resets_in_every_city_of_the_installation(
    client, city, other_city, security
):
    authenticator(other_city.county)
    client.force_login(security)
    done = client.post("/accounts/two-factor/reset/", {"username": other_city.county.username})
    assert done.status_code == 302
    assert not TOTPDevice.objects.filter(user=other_city.county).exists()


@pytest.mark.parametrize("role", ["admin", "city_admin", "county"])
def test_only_the_security_administrator_resets(client, city, role):
    authenticator(city.other_county)
    client.force_login(getattr(city, role))
    assert client.get("/accounts/two-factor/reset/").status_code == 403
    assert client.post("/accounts/two-factor/reset/", {"username": "gaotang"}).status_code == 403
    assert TOTPDevice.objects.filter(user=city.other_county).exists()


def test_the_city_office_requires_a_second_factor_of_its_accounts(client, city, other_city, pinned):
    client.force_login(city.city_admin)
    page = client.get("/accounts/two-factor/settings/")
    assert page.status_code == 200 and "市重点项目办账号须两步验证" in page.content.decode()
    saved = client.post("/accounts/two-factor/settings/", {"city_office_required": "on", "version": 1})
    assert saved.status_code == 302
    stale = client.post("/accounts/two-factor/settings/", {"version": 1})
    assert stale.status_code == 200 and "已被他人修改" in stale.content.decode()
    client.logout()

    sign_in(client, "leader")  # of the city office
    assert client.get("/todo/").url.startswith("/accounts/two-factor/")
    client.logout()
    sign_in(client, "guanxian")  # a county office
    assert client.get("/todo/").status_code == 200
    client.logout()
    sign_in(client, other_city.city_admin.username)  # another city's office
    assert client.get("/todo/").status_code == 200


@pytest.mark.parametrize("role", ["county", "leader", "admin"])
def test_only_the_city_office_edits_the_setting(client, city, role):
    client.force_login(getattr(city, role))
    assert client.get("/accounts/two-factor/settings/").status_code == 403
