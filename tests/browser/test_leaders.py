"""Leaders and task forces in a real browser: the city office forms a task force of people of three
organisations, a member of another county then opens its project, and a city leader reads its page."""

import datetime

import pytest
from playwright.sync_api import Page, expect

from keyprojects.alerts.models import Color, ProjectWarning, Rule
from keyprojects.blockers.models import Blocker
from keyprojects.core.history import encode
from keyprojects.metrics.tests.helpers import list_project
from tests.browser.session import log_in, photograph

pytestmark = pytest.mark.browser
D = datetime.date


@pytest.fixture
def projects(transactional_db, city, clock):
    year = clock.today.year
    lugang = list_project(
        name="冠州国际陆港", region=city.guanxian, owner=city.enterprise, leader=city.leader, year=year,
        leader_name="张副市长", leader_post="市委常委、副市长", actual_start=D(year, 2, 1),
    )  # fmt: skip
    aobo = list_project(
        name="奥博生物新型糖醇及氨基酸智造项目", region=city.gaotang, owner=city.other_enterprise,
        leader=city.leader, year=year,
    )  # fmt: skip
    Blocker.objects.create(
        project=lugang, category="land", description="二期用地指标缺口320亩，县级无法协调", raised_by=city.owner,
        status="in_progress", level="leader", department=city.department,
        deadline=clock.today + datetime.timedelta(days=5), instruction_pending=True, leader=city.leader,
    )  # fmt: skip
    ProjectWarning.objects.update_or_create(  # the live refresh may have lit it already
        project=aobo,
        rule=Rule.START_DELAY,
        subject="",
        defaults={
            "color": Color.RED,
            "since": D(year, 4, 1),
            "facts": encode({"planned_start": D(year, 3, 1), "days": 90}),
        },
    )
    return lugang, aobo


@pytest.mark.today("2026-06-15")  # after the projects' start in February, whatever day the suite runs
def test_the_city_office_forms_a_task_force_and_a_leader_reads_its_page(page: Page, city, projects):
    lugang, _aobo = projects
    log_in(page, "city")
    page.goto("/leaders/task-forces/")
    page.get_by_role("link", name="组建专班").click()
    page.get_by_label("专班名称").fill("冠州国际陆港工作专班")
    page.get_by_label("牵头单位").select_option(label="冠县发展和改革局")
    page.get_by_label("专班成员").select_option(
        [str(city.county.pk), str(city.other_county.pk), str(city.department_officer.pk), str(city.owner.pk)]
    )
    page.get_by_label("专班项目").select_option([str(lugang.pk)])
    photograph(page, "task-force-form")
    page.get_by_role("button", name="保存").click()
    expect(page.locator("h1")).to_have_text("冠州国际陆港工作专班")
    expect(page.locator("#task-force-members li")).to_have_count(4)
    photograph(page, "task-force")
    page.goto("/leaders/task-forces/")
    expect(page.locator("#task-forces tbody tr")).to_have_count(1)
    photograph(page, "task-forces")

    log_in(page, "gaotang")  # another county's officer, a member: it opens the project
    page.goto(f"/projects/{lugang.pk}/")
    expect(page.locator("#project-leaders")).to_contain_text("冠州国际陆港工作专班")

    log_in(page, "leader")
    page.get_by_role("link", name="包保项目").first.click()
    expect(page.locator("#leader-projects tbody tr")).to_have_count(2)
    expect(page.locator("#leader-escalated")).to_contain_text("二期用地指标缺口320亩")
    expect(page.locator("#leader-instructions tbody tr")).to_have_count(1)
    expect(page.locator("#leader-warnings")).to_contain_text("奥博生物")
    expect(page.locator("[data-total=start_rate]")).to_have_text("50.0%")
    photograph(page, "leader")
