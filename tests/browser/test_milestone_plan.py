"""A milestone plan in a real browser: made from its template, a node completed inline with htmx, the
project moved to 新开工, and the department's queue."""

import datetime
import re

import pytest
from playwright.sync_api import Page, expect

from keyprojects.accounts.models import Organization
from keyprojects.accounts.tests.factories import OrganizationFactory
from keyprojects.core.tests.clock import session_today
from keyprojects.projects.models import Stage
from keyprojects.projects.tests.factories import ProjectFactory
from keyprojects.schedule.services import node_templates_seed, plan_create_from_template
from tests.browser.session import log_in

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("clock")]

TODAY = session_today()


@pytest.fixture
def plan_city(transactional_db, city):
    OrganizationFactory(name="聊城市行政审批服务局", kind=Organization.Kind.DEPARTMENT, region=city.liaocheng)
    node_templates_seed(city=city.liaocheng)
    city.project = ProjectFactory(
        name="冠州国际陆港",
        region=city.guanxian,
        owner=city.enterprise,
        year=TODAY.year,
        stage=Stage.PREPARATION,
        planned_start=TODAY - datetime.timedelta(days=10),
        planned_end=TODAY + datetime.timedelta(days=400),
    )
    return city


def test_a_county_makes_a_plan_and_completes_the_start_node(page: Page, plan_city):
    log_in(page, "guanxian")
    page.goto(f"/projects/{plan_city.project.pk}/")
    plan = page.locator("#plan")
    expect(plan).to_contain_text("尚未制定节点计划")
    plan.get_by_role("button", name="按模板生成节点计划").click()

    expect(page.get_by_role("alert")).to_contain_text("已生成节点计划")
    start_row = page.locator('#plan-nodes tr[data-node="start"]')
    expect(start_row.locator("[data-status]")).to_have_attribute("data-status", "overdue")
    expect(page.locator(".kp-gantt-row")).to_have_count(1 + 12)

    start_row.get_by_role("link", name="编辑").click()
    editor = page.locator("#plan-editor")
    expect(editor).to_contain_text("编辑节点：开工")
    expect(page).to_have_url(re.compile(rf"/projects/{plan_city.project.pk}/"))  # edited in place
    editor.get_by_label("实际完成时间").fill(TODAY.isoformat())
    editor.get_by_role("button", name="保存").click()

    expect(page.get_by_role("alert")).to_contain_text("节点“开工”已保存")
    expect(start_row.locator("[data-status]")).to_have_attribute("data-status", "done")
    expect(page.locator('[data-field="stage"]')).to_contain_text("新开工")

    page.context.clear_cookies()  # the department's view of the same plan
    log_in(page, "ziranziyuan")
    page.goto("/schedule/queue/")
    expect(page.locator("#queue tbody tr").first).to_contain_text("冠州国际陆港")
    expect(page.get_by_role("link", name="我的节点")).to_be_visible()


def test_rescheduling_asks_the_county_for_a_reason_and_the_owner_fills_in_only_its_steps(
    page: Page, plan_city
):
    plan_create_from_template(user=plan_city.county, project_id=plan_city.project.pk)
    log_in(page, "guanxian")
    page.goto(f"/projects/{plan_city.project.pk}/")
    page.locator('#plan-nodes tr[data-node="construction_permit"]').get_by_role("link", name="编辑").click()
    editor = page.locator("#plan-editor")
    editor.get_by_label("计划完成时间").fill((TODAY + datetime.timedelta(days=30)).isoformat())
    editor.get_by_role("button", name="保存").click()
    expect(editor.locator('[data-field="reason"]')).to_contain_text("调整计划完成时间须填写原因")
    editor.get_by_label("调整原因").fill("施工图审查延后")
    editor.get_by_role("button", name="保存").click()
    expect(page.get_by_role("alert")).to_contain_text("节点“施工许可”已保存")
    expect(page.locator("#plan-history")).to_contain_text("施工图审查延后")

    page.context.clear_cookies()  # the owner: its own steps' outcome only
    log_in(page, "owner-lugang")
    page.goto(f"/projects/{plan_city.project.pk}/")
    permit = page.locator('#plan-nodes tr[data-node="construction_permit"]')
    expect(permit.get_by_role("link", name="编辑")).to_have_count(0)
    page.locator('#plan-nodes tr[data-node="start"]').get_by_role("link", name="编辑").click()
    expect(editor.get_by_label("实际完成时间")).to_be_visible()
    expect(editor.get_by_label("计划完成时间")).to_have_count(0)
    expect(editor.get_by_label("责任部门")).to_have_count(0)
