"""要素保障 in a real browser: an owner states what its project needs, the county gives it land out of the
county's share, and the command post shows what is left and who still waits."""

import datetime

import pytest
from playwright.sync_api import Page, expect

from keyprojects.factors.models import FactorAllocation
from keyprojects.factors.tests.helpers import demand, pool
from keyprojects.metrics.tests.helpers import list_project
from tests.browser.session import log_in, photograph

pytestmark = pytest.mark.browser


@pytest.fixture
def pools(transactional_db, city, clock):
    city.project = list_project(name="冠州国际陆港", region=city.guanxian, owner=city.enterprise)
    waiting = list_project(
        name="奥博生物新型糖醇及氨基酸智造项目", region=city.gaotang, owner=city.other_enterprise
    )
    today = clock.today
    year = today.year
    pool(city, kind="land", supply="6800", year=year)
    city.county_pool = pool(city, kind="land", supply="1000", year=year, region=city.guanxian.code)
    pool(city, kind="energy", supply="185000", year=year)
    demand(
        city,
        waiting,
        kind="land",
        amount="320",
        needed_by=today - datetime.timedelta(days=10),
    )
    demand(
        city,
        waiting,
        kind="energy",
        amount="12000",
        needed_by=today + datetime.timedelta(days=30),
    )
    return city


def test_an_owner_states_a_need_and_the_county_allocates_from_its_share(page: Page, pools, clock):
    project = pools.project
    log_in(page, "owner-lugang")
    page.goto(f"/projects/{project.pk}/")
    page.locator("#project-factors").get_by_role("link", name="填报要素需求").click()
    page.get_by_label("要素类别").select_option("land")
    page.get_by_label("需求量").fill("3207")
    page.get_by_label("需要时间").fill(f"{clock.today.year}-12-31")
    page.get_by_label("说明").fill("一期物流园区用地")
    page.get_by_role("button", name="提交").click()
    section = page.locator("#project-factors")
    expect(section).to_contain_text("3,207")
    expect(section).to_contain_text("一期物流园区用地")
    photograph(page, "factors-project-section", "#project-factors")
    page.get_by_role("button", name="退出").click() if page.get_by_role(
        "button", name="退出"
    ).count() else None

    log_in(page, "guanxian")
    page.goto("/factors/")
    expect(page.locator("#factor-kinds")).to_contain_text("建设用地")
    expect(page.locator("#projects-lacking")).to_contain_text("冠州国际陆港")
    page.locator("#factor-kinds").get_by_role("link", name="冠县").click()
    allocate = page.locator("#allocate")
    allocate.get_by_label("项目").select_option(label="冠州国际陆港")
    allocate.get_by_label("配置量").fill("800")
    allocate.get_by_label("理由").fill("经县要素保障专题会研究同意")
    allocate.get_by_role("button", name="配置").click()
    expect(page.locator("#pool-figures")).to_contain_text("200")
    expect(page.locator("#pool-ledger")).to_contain_text("经县要素保障专题会研究同意")
    assert FactorAllocation.objects.get().amount == 800
    photograph(page, "factors-pool")

    log_in(page, "city")
    page.goto("/factors/")
    expect(page.locator("#waiting-land")).to_contain_text("已逾期")
    photograph(page, "factors-command-post")
