"""年中调整 in a real browser: an owner asks to lower the annual plan, the rates hold until the city approves."""

from decimal import Decimal

import pytest
from playwright.sync_api import Page, expect

from keyprojects.progress.tests.report_helpers import accept, make_project, open_round, submit
from tests.browser.session import log_in, photograph

pytestmark = pytest.mark.browser


@pytest.fixture
def reported(transactional_db, city):
    """冠州国际陆港: 600万元 planned this year, 100万元 done (an accepted report): 16.7%."""
    city.project = make_project(city, name="冠州国际陆港")
    open_round(city, [city.project])
    accept(city.county, submit(city.owner, city.project))
    return city


def investment_rate(page: Page) -> str:
    page.goto("/metrics/")
    return page.locator('[data-total="investment_rate"]').inner_text().strip()


def test_owner_asks_to_lower_the_plan_and_the_rates_move_on_approval(page: Page, reported):
    project = reported.project
    log_in(page, "owner-lugang")
    assert investment_rate(page) == "16.7%"

    page.goto(f"/projects/{project.pk}/")
    page.locator("#project-actions").get_by_role("link", name="编辑").click()
    key_figures = page.locator("#key-figures")
    expect(key_figures).to_contain_text("600.00")
    expect(page.get_by_label("年度计划投资（万元）")).to_have_count(0)
    photograph(page, "edit-form", "#key-figures")
    key_figures.get_by_role("link", name="申请调整").click()

    page.get_by_label("年度计划投资（万元）").fill("400")
    page.get_by_role("button", name="提交申请").click()
    expect(page.locator('[data-field="reason"] .invalid-feedback')).to_be_visible()
    page.get_by_label("调整理由").fill("征地推迟，年内只能完成400万元")
    photograph(page, "request-form")
    page.get_by_role("button", name="提交申请").click()

    section = page.locator("#project-adjustments")
    expect(section).to_contain_text("待审批")
    expect(section).to_contain_text("600.00")
    expect(section.get_by_role("link", name="申请调整")).to_have_count(0)  # one pending request at a time
    photograph(page, "project-section", "#project-adjustments")
    assert investment_rate(page) == "16.7%"

    log_in(page, "city")
    assert investment_rate(page) == "16.7%"
    page.get_by_role("button", name="更多").click()  # the city office's later entries of the top bar
    page.get_by_role("link", name="调整申请").first.click()
    row = page.locator("#adjustment-queue tbody tr", has_text="冠州国际陆港")
    expect(row).to_contain_text("征地推迟")
    photograph(page, "queue")
    row.get_by_role("button", name="批准", exact=True).click()
    expect(page.locator("#adjustment-queue")).to_contain_text("没有调整申请")

    assert investment_rate(page) == "25.0%"
    project.refresh_from_db()
    assert (project.annual_investment, project.version) == (Decimal("400"), 2)
    page.goto(f"/projects/{project.pk}/")
    expect(page.locator("#project-history")).to_contain_text("已批准")
    expect(page.locator("#project-adjustments")).to_contain_text("已批准")
