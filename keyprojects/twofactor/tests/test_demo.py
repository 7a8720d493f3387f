"""The demo's administrators have authenticators with published secrets; `keyprojects democode` prints
their current code while the demo is loaded, never under the production settings."""

import io

import pytest
from django.core.management import CommandError, call_command
from django_otp.plugins.otp_totp.models import TOTPDevice

from keyprojects.accounts.models import Region, User
from keyprojects.demo import steps
from keyprojects.twofactor.models import TwoFactorSettings

from .helpers import code_of, sign_in

pytestmark = pytest.mark.usefixtures("clock")
DEMO_PASSWORD = "Demo-2024!"
ADMINISTRATORS = ("system_admin", "security_admin", "audit_admin")


@pytest.fixture
def demo(db, monkeypatch, settings):
    settings.KEYPROJECTS_TWO_FACTOR_ROLES = ADMINISTRATORS
    monkeypatch.setattr(steps, "DEMO_STEPS", [*steps.FOUNDATION_STEPS, "keyprojects.twofactor.demo.load"])
    out = io.StringIO()
    call_command("loaddemo", stdout=out)
    return out.getvalue()


def democode(username: str) -> str:
    out = io.StringIO()
    call_command("democode", username, stdout=out)
    return out.getvalue().strip()


def test_the_demo_administrators_sign_in_with_the_printed_code(demo, client):
    admins = User.objects.filter(role__in=ADMINISTRATORS)
    assert set(TOTPDevice.objects.values_list("user__username", flat=True)) == {u.username for u in admins}
    assert "keyprojects democode admin" in demo
    device = TOTPDevice.objects.get(user__username="admin")
    code = democode("admin")
    assert code == code_of(device) and len(code) == 6
    sign_in(client, "admin", DEMO_PASSWORD)
    assert client.get("/todo/").url.startswith("/accounts/two-factor/verify/")
    assert client.post("/accounts/two-factor/verify/", {"code": code}).status_code == 302
    assert client.get("/admin/").status_code == 200


def test_loading_again_keeps_the_authenticators(demo):
    before = list(TOTPDevice.objects.values_list("pk", "key"))
    call_command("loaddemo", stdout=io.StringIO())
    assert list(TOTPDevice.objects.values_list("pk", "key")) == before


def test_the_demo_city_office_signs_in_with_the_password_alone(demo, client):
    liaocheng = Region.objects.get(name="聊城市")
    assert TwoFactorSettings.for_city(liaocheng.pk).city_office_required is False
    sign_in(client, "city", DEMO_PASSWORD)
    assert client.get("/todo/").status_code == 200


def test_democode_refuses_without_the_demo(db, city):
    with pytest.raises(CommandError, match="没有演示验证器"):
        democode("admin")


def test_democode_refuses_an_account_the_demo_gave_no_authenticator(demo):
    with pytest.raises(CommandError, match="没有演示验证器"):
        democode("city")


def test_democode_refuses_an_authenticator_enrolled_by_its_holder(demo):
    TOTPDevice.objects.filter(user__username="admin").update(key="00" * 20)
    with pytest.raises(CommandError):
        democode("admin")


def test_democode_refuses_under_the_production_settings(demo, settings):
    settings.KEYPROJECTS_PRODUCTION = True
    with pytest.raises(CommandError, match="生产配置"):
        democode("admin")


def test_production_demo_makes_no_published_authenticator(db, monkeypatch, settings):
    settings.KEYPROJECTS_TWO_FACTOR_ROLES = ADMINISTRATORS
    settings.KEYPROJECTS_PRODUCTION = True
    monkeypatch.setattr(steps, "DEMO_STEPS", [*steps.FOUNDATION_STEPS, "keyprojects.twofactor.demo.load"])
    call_command("loaddemo", "--force", stdout=io.StringIO())
    assert not TOTPDevice.objects.exists()
