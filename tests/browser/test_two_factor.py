"""Enrolling an authenticator from the profile, signing in again with its code, and the tokens page, in a
real browser."""

import re

import pytest
from django_otp.plugins.otp_totp.models import TOTPDevice
from playwright.sync_api import Page, expect

from keyprojects.accounts.models import ApiToken
from keyprojects.twofactor.tests.helpers import code_of
from tests.browser.session import log_in, photograph

pytestmark = pytest.mark.browser


def test_enrol_then_sign_in_with_the_code_and_revoke_a_token(page: Page, city):
    ApiToken.issue(user=city.county, name="报表同步")
    log_in(page, "guanxian")
    page.goto("/accounts/profile/")
    page.get_by_role("link", name="两步验证").click()
    expect(page.locator("#enrol svg")).to_be_visible()
    photograph(page, "twofactor-enrol")
    device = TOTPDevice.objects.get(user=city.county, confirmed=False)
    page.get_by_label("验证码").fill(code_of(device))
    page.get_by_role("button", name="启用").click()
    expect(page.locator("#recovery-codes li")).to_have_count(10)
    photograph(page, "twofactor-codes")

    page.goto("about:blank")
    page.context.clear_cookies()
    page.goto("/accounts/login/")
    page.get_by_label("用户名").fill("guanxian")
    page.get_by_label("密码").fill("Secret-pass-1")
    page.get_by_role("button", name="登录", exact=True).click()
    expect(page).to_have_url(re.compile(r"/accounts/two-factor/verify/"))
    photograph(page, "twofactor-verify")
    page.get_by_label("验证码").fill(code_of(device, steps_later=1))
    page.get_by_role("button", name="验证", exact=True).click()
    expect(page).to_have_url(re.compile(r"/todo/"))

    page.goto("/accounts/profile/")
    page.get_by_role("link", name="接口令牌").click()
    expect(page.locator("#tokens")).to_contain_text("报表同步")
    photograph(page, "twofactor-tokens")
    page.get_by_role("button", name="吊销").click()
    expect(page.locator("#tokens")).to_contain_text("已吊销")
    assert ApiToken.objects.get(user=city.county).revoked_at is not None
