"""A county officer's day with the project registry, in a real browser."""

import datetime
import re
from decimal import Decimal

import pytest
from playwright.sync_api import Page, expect

from keyprojects.core.tests.clock import session_today
from keyprojects.projects.models import Stage
from keyprojects.projects.tests.factories import ProjectFactory
from tests.browser.session import log_in

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("clock")]

YEAR = session_today().year


@pytest.fixture
def county_city(transactional_db, city):
    ProjectFactory(
        name="冠州国际陆港",
        region=city.guanxian,
        owner=city.enterprise,
        total_investment=Decimal("1020000"),
        stage=Stage.UNDER_CONSTRUCTION,
        actual_start=datetime.date(YEAR - 1, 6, 1),
    )
    ProjectFactory(
        name="华冠灵芝大健康产业集群", region=city.guanxian, owner=city.enterprise, stage=Stage.PREPARATION
    )
    city.foreign = ProjectFactory(
        name="奥博生物新型糖醇项目", region=city.gaotang, owner=city.other_enterprise
    )
    return city


def results(page: Page):
    return page.locator("#project-table tbody .kp-name a")


def test_county_officer_keeps_its_projects(page: Page, county_city):
    page.goto("/")
    expect(page).to_have_url(re.compile(r"/accounts/login/"))
    log_in(page, "guanxian")
    expect(page).to_have_url(re.compile(r"/todo/$"))
    page.get_by_role("link", name="项目库").click()
    expect(results(page)).to_have_text(["冠州国际陆港", "华冠灵芝大健康产业集群"])
    expect(page.get_by_text("奥博生物")).to_have_count(0)

    page.get_by_label("建设阶段").select_option(label="前期")
    expect(results(page)).to_have_text(["华冠灵芝大健康产业集群"])
    expect(page).to_have_url(re.compile(r"stage=preparation"))
    expect(page.locator('[data-total="count"]')).to_contain_text("1")

    page.get_by_role("link", name="新建项目").click()
    page.get_by_label("项目名称").fill("冠县智慧冷链物流园项目")
    page.get_by_label("所属区域").select_option(label="冠县")
    page.get_by_label("项目单位").select_option(label="冠县陆港投资有限公司")
    page.get_by_label("总投资（万元）").fill("5000")
    page.get_by_label("年度计划投资（万元）").fill("8000")
    page.get_by_label("计划开工时间").fill(f"{YEAR}-05-01")
    page.get_by_role("button", name="保存").click()

    annual_error = page.locator('[data-field="annual_investment"] .invalid-feedback')
    expect(annual_error).to_have_text("年度计划投资不能超过总投资")
    expect(page.get_by_label("项目名称")).to_have_value("冠县智慧冷链物流园项目")
    page.get_by_label("年度计划投资（万元）").fill("2000")
    page.get_by_role("button", name="保存").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("冠县智慧冷链物流园项目")
    expect(page.get_by_role("alert")).to_contain_text("已创建")
    expect(page.locator("#project-history")).to_contain_text("创建了项目")

    page.get_by_role("link", name="编辑", exact=True).click()
    page.get_by_label("建设地点").fill("冠县经济开发区")
    page.get_by_role("button", name="保存").click()
    expect(page.locator("#project-history")).to_contain_text("建设地点")
    expect(page.locator("#project-history")).to_contain_text("冠县经济开发区")

    page.get_by_role("link", name="项目库").first.click()
    page.get_by_label("搜索").fill("冷鏈物流")
    page.get_by_label("搜索").press("Enter")
    expect(results(page)).to_have_text(["冠县智慧冷链物流园项目"])

    response = page.goto(f"/projects/{county_city.foreign.pk}/")
    assert response is not None and response.status == 404
    expect(page.get_by_role("heading", name="页面不存在")).to_be_visible()
