"""An owner's monthly report from first try to acceptance, with the county's review, in a real browser."""

from decimal import Decimal

import pytest
from playwright.sync_api import Page, expect

from keyprojects.progress.models import MonthlyReport
from keyprojects.progress.tests.report_helpers import make_project, open_round
from tests.browser.session import log_in

pytestmark = pytest.mark.browser


@pytest.fixture
def dispatch(transactional_db, city):
    city.project = make_project(city, name="冠州国际陆港")
    city.round = open_round(city, [city.project])
    return city


def review_row(page: Page):
    return page.locator("#review-queue tbody tr", has_text="冠州国际陆港")


def test_owner_reports_county_returns_owner_resubmits_county_accepts(
    page: Page, browser, live_server, dispatch
):
    log_in(page, "owner-lugang")
    page.get_by_role("link", name="月度调度").first.click()
    row = page.locator("#round-projects tbody tr", has_text="冠州国际陆港")
    expect(row).to_contain_text("未报")
    row.get_by_role("link", name="填报").click()

    page.get_by_label("建筑工程（万元）").fill("60")
    page.get_by_label("安装工程（万元）").fill("20")
    page.get_by_label("设备工器具购置（万元）").fill("15")
    page.get_by_label("其他费用（万元）").fill("5")
    total = page.get_by_label("本月完成投资（万元）")
    expect(total).to_have_value("100.00")
    total.fill("120")  # the owner types the figure of the paper sheet, which does not add up
    expect(page.locator("#total-mismatch")).to_be_visible()
    page.get_by_label("形象进度").fill("主体结构施工至三层")
    page.get_by_label("在岗工人数").fill("120")
    page.get_by_role("button", name="提交审核").click()

    expect(page.locator('[data-field="total"] .invalid-feedback')).to_contain_text("四项之和 100.00 万元")
    expect(page.locator("#total-mismatch")).to_be_hidden()  # the refusal is said once, beside the total
    assert not MonthlyReport.objects.exists()
    page.get_by_label("其他费用（万元）").fill("25")
    expect(total).to_have_value("120.00")
    expect(page.locator("#total-mismatch")).to_be_hidden()
    page.get_by_role("button", name="提交审核").click()
    expect(page.locator(".kp-page-head")).to_contain_text("待审核")
    report_url = page.url

    county = browser.new_context(locale="zh-CN", base_url=live_server.url).new_page()
    log_in(county, "guanxian")
    county.goto("/progress/review/")
    review_row(county).get_by_role("button", name="退回").click()
    expect(review_row(county)).to_contain_text("退回报告须说明原因")
    review_row(county).get_by_label("退回原因").fill("设备购置金额与发票不符")
    review_row(county).get_by_role("button", name="退回").click()
    expect(review_row(county)).to_contain_text("已退回")

    page.goto(report_url)
    expect(page.locator("body")).to_contain_text("设备购置金额与发票不符")
    page.get_by_role("link", name="修改并重新提交").click()
    page.get_by_label("设备工器具购置（万元）").fill("5")
    expect(total).to_have_value("110.00")
    page.get_by_role("button", name="提交审核").click()
    expect(page.locator(".kp-page-head")).to_contain_text("待审核")
    expect(page.locator("#version-1 [data-event]")).to_have_count(3)

    county.goto("/progress/review/")
    review_row(county).get_by_role("button", name="通过").click()
    expect(review_row(county)).to_contain_text("已通过")
    county.context.close()

    page.goto(f"/projects/{dispatch.project.pk}/")
    expect(page.locator("#project-reports tbody tr").first).to_contain_text("110.00")
    metrics = page.request.get("/api/v1/metrics").json()
    assert Decimal(metrics["investment_rate"]["numerator"]) == Decimal("110")
    assert Decimal(metrics["investment_rate"]["denominator"]) == Decimal("600")
