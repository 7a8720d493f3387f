"""The audit administrator finds a refused attempt and a failed sign-in on /audit/, on a desk and on a phone."""

import pytest
from playwright.sync_api import Page, expect

from keyprojects.accounts.models import Role
from keyprojects.accounts.tests.factories import UserFactory
from tests.browser.session import log_in, photograph

pytestmark = pytest.mark.browser


def test_the_auditor_searches_the_trail(page: Page, transactional_db, city):
    UserFactory(username="auditor", full_name="审计员", role=Role.AUDIT_ADMIN, organization=city.city_office)
    log_in(page, "guanxian")
    page.goto("/audit/")
    page.context.clear_cookies()
    page.goto("/accounts/login/")
    page.get_by_label("用户名").fill("guanxian")
    page.get_by_label("密码").fill("wrong-password")
    page.get_by_role("button", name="登录", exact=True).click()
    expect(page.get_by_role("button", name="登录", exact=True)).to_be_visible()

    log_in(page, "auditor")
    expect(page.locator("#todo-audit")).to_contain_text("今日登录失败")
    page.get_by_role("link", name="安全审计").first.click()
    rows = page.locator("#audit-records tbody tr")
    expect(rows.first).to_be_visible()
    page.get_by_label("类别").select_option(label="访问被拒绝")
    page.get_by_role("button", name="查询").click()
    refused = rows.filter(has_text="/audit/")
    expect(refused).to_have_count(1)
    expect(refused).to_contain_text("guanxian")
    expect(refused).to_contain_text("访问被拒绝")
    photograph(page, "audit-denied")
    page.get_by_label("类别").select_option(label="全部")
    page.get_by_role("button", name="查询").click()
    photograph(page, "audit")
    page.set_viewport_size({"width": 390, "height": 844})
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
