"""The idle notice before a session ends, and the keep button; the pages of the three administrators and of
sign-in, at a desktop's and a phone's width."""

import re

import pytest
from playwright.sync_api import Page, expect

from keyprojects.accounts.models import Role
from keyprojects.accounts.policy import security_policy_update
from keyprojects.accounts.tests.factories import UserFactory
from tests.browser.session import log_in, photograph

pytestmark = pytest.mark.browser


@pytest.fixture
def administrators(transactional_db, city):
    office = city.city_office
    return {
        "secadmin": UserFactory(
            username="secadmin", role=Role.SECURITY_ADMIN, organization=office, is_staff=True
        ),
        "auditor": UserFactory(username="auditor", role=Role.AUDIT_ADMIN, organization=office, is_staff=True),
    }


def test_the_page_warns_before_the_idle_end_and_keeps_the_session(page: Page, city, administrators):
    security_policy_update(actor=administrators["secadmin"], values={"session_idle_minutes": 5})
    log_in(page, "guanxian")
    page.clock.install()
    page.goto("/todo/")
    # the page's own requests (the bell loads by htmx) renew the session's end: let them finish first
    page.wait_for_load_state("networkidle")
    notice = page.locator("#kp-session-timeout")
    expect(notice).to_be_hidden()
    page.clock.run_for("02:50")
    expect(notice).to_be_hidden()
    page.clock.run_for("00:20")  # 3:10 idle, less than two minutes left
    expect(notice).to_be_visible()
    expect(notice).to_contain_text("长时间未操作，即将自动退出")
    expect(notice.locator("[data-countdown]")).to_have_text(re.compile(r"^1:[45]\d$"))
    photograph(page, "administrators-idle-notice")
    with page.expect_response("**/accounts/session/") as kept:
        notice.get_by_role("button", name="继续使用").click()
    assert kept.value.status == 200
    expect(notice).to_be_hidden()
    page.clock.run_for("03:10")  # 3:10 after keeping it: the notice again, the session still there
    expect(notice).to_be_visible()
    page.clock.run_for("02:00")
    expect(page).to_have_url(re.compile(r"/accounts/login/\?next=%2Ftodo%2F$"))


def test_the_administrators_pages(page: Page, city, administrators):
    log_in(page, "admin")
    page.goto(f"/admin/accounts/user/{city.county.pk}/change/")
    expect(page.locator('select[name="role"]')).to_have_count(0)
    photograph(page, "administrators-sysadmin-user")
    log_in(page, "secadmin")
    page.goto(f"/admin/accounts/user/{city.county.pk}/change/")
    expect(page.locator('select[name="role"]')).to_have_count(1)
    expect(page.locator('input[name="full_name"]')).to_have_count(0)
    photograph(page, "administrators-secadmin-user")
    page.goto("/admin/accounts/securitypolicy/")
    expect(page.get_by_label("密码最短长度")).to_have_value("8")
    page.get_by_label("锁定时长（分钟）").fill("20")
    page.get_by_role("button", name="保存", exact=True).click()
    page.goto("/admin/accounts/securitypolicy/1/change/")
    expect(page.get_by_text("锁定时长（分钟）：15 → 20")).to_be_visible()
    photograph(page, "administrators-policy")
    log_in(page, "auditor")
    page.goto("/admin/")
    photograph(page, "administrators-auditor-admin")
    page.context.clear_cookies()
    page.goto("/accounts/login/")
    for _ in range(5):
        page.get_by_label("用户名").fill("gaotang")
        page.get_by_label("密码").fill("wrong")
        page.get_by_role("button", name="登录", exact=True).click()
    expect(page.locator("#locked-until")).to_contain_text("后再试")
    photograph(page, "administrators-locked")
    log_in(page, "secadmin")
    page.goto("/admin/accounts/lockout/")
    expect(page.get_by_text("gaotang")).to_be_visible()
    photograph(page, "administrators-lockouts")
