"""A supervision notice in a real browser: the city office issues it from a red warning to 冠县, the county
answers from its inbox, the city office sends the answer back, the county answers again and the city office
accepts it — each step on the notice's timeline, each person told at their step; another notice left
unanswered shows in the list of overdue notices per receiver."""

import datetime

import pytest
from django.core.management import call_command
from playwright.sync_api import Page, expect

from keyprojects.alerts.models import Color, ProjectWarning, Rule
from keyprojects.core.history import encode
from keyprojects.notifications.models import Notification
from keyprojects.projects.tests.factories import ProjectFactory
from keyprojects.supervision.models import SupervisionNotice
from tests.browser.session import log_in, photograph

pytestmark = pytest.mark.browser


def told(user, kind: str) -> int:
    return Notification.objects.filter(recipient=user, kind=kind).count()


def red_warning(project, subject=""):
    """The project's red light for its late start (made red if the refresh after its creation lit it)."""
    return ProjectWarning.objects.update_or_create(
        project=project,
        rule=Rule.START_DELAY,
        subject=subject,
        is_active=True,
        defaults={
            "color": Color.RED,
            "facts": encode({"planned_start": datetime.date(2026, 3, 1), "days": 106}),
            "since": datetime.date(2026, 6, 1),
        },
    )[0]


def act(page: Page, action: str, button: str, text: str = "") -> None:
    form = page.locator(f'form[data-action="{action}"]')
    if text:
        form.locator("[name=text]").fill(text)
    form.get_by_role("button", name=button).click()


@pytest.mark.today("2026-06-15")
def test_a_notice_from_a_red_warning_answered_sent_back_and_accepted(
    page: Page, transactional_db, city, clock
):
    project = ProjectFactory(name="冠州国际陆港", region=city.guanxian, owner=city.enterprise)
    red_warning(project)

    log_in(page, "city")
    page.goto(f"/projects/{project.pk}/")
    page.locator("#project-supervision").get_by_role("link", name="下发督办单").click()
    expect(page.locator("#notice-origin")).to_contain_text("计划开工未开工")
    expect(page.get_by_label("督办对象")).to_have_value(str(city.guan_office.pk))
    page.get_by_label("督办事项").fill("请查明冠州国际陆港未按计划开工的原因，制定倒排工期计划并报送")
    page.get_by_label("办理时限（工作日）").fill("5")
    photograph(page, "supervision-form")
    page.get_by_role("button", name="下发").click()
    expect(page.locator("#notice-status")).to_contain_text("待答复")
    # 5 working days from Monday 15 June 2026, the Dragon Boat Festival (Friday 19th) off
    expect(page.locator("#notice-deadline")).to_contain_text("2026-06-23")
    notice = SupervisionNotice.objects.get()
    url = f"/supervision/{notice.pk}/"
    assert told(city.county, "supervision.issued") == 1

    log_in(page, "guanxian")
    page.get_by_role("link", name="督办答复").click()
    row = page.locator("#notice-inbox tbody tr", has_text="冠州国际陆港")
    expect(row).to_contain_text("待答复")
    photograph(page, "supervision-inbox")
    row.get_by_role("link").first.click()
    act(page, "answer", "答复", "已约谈项目单位，正在办理施工许可")
    expect(page.locator("#notice-status")).to_contain_text("已答复待审核")
    assert told(city.city_admin, "supervision.answered") == 1

    log_in(page, "city")
    page.goto(url)
    act(page, "return", "退回", "未说明开工时间和责任人，请补充")
    expect(page.locator("#notice-status")).to_contain_text("退回重新答复")
    assert told(city.county, "supervision.returned") == 1

    log_in(page, "guanxian")
    page.goto(url)
    photograph(page, "supervision-returned")
    act(page, "answer", "答复", "项目于6月30日前开工，由县发改局副局长负责跟进")
    expect(page.locator("#notice-status")).to_contain_text("已答复待审核")
    assert told(city.city_admin, "supervision.answered") == 2

    log_in(page, "city")
    page.goto(url)
    act(page, "accept", "认可答复", "同意")
    expect(page.locator("#notice-status")).to_contain_text("已办结")
    assert told(city.county, "supervision.accepted") == 1
    photograph(page, "supervision-accepted")
    steps = page.locator("#notice-timeline li")
    kinds = [steps.nth(i).get_attribute("data-kind") for i in range(steps.count())]
    assert kinds == ["issued", "answered", "returned", "answered", "accepted"]
    expect(page.locator("#notice-timeline")).to_contain_text("冠县发展和改革局")

    # a second notice left unanswered past its deadline
    page.goto(f"/projects/{project.pk}/")
    red_warning(project, subject="again")
    page.reload()
    page.locator("#project-supervision [data-warning]").last.get_by_role("link", name="下发督办单").click()
    page.get_by_label("督办事项").fill("请说明整改进展")
    page.get_by_label("办理时限（工作日）").fill("2")
    page.get_by_role("button", name="下发").click()
    clock.move_to("2026-06-24")
    call_command("supervisionwatch")
    assert told(city.county, "supervision.overdue") == 1
    log_in(page, "city")
    page.get_by_role("button", name="更多").click()  # the city office's later entries of the top bar
    page.get_by_role("link", name="督办", exact=True).click()
    expect(page.locator("#overdue-by-receiver")).to_contain_text("冠县发展和改革局")
    expect(page.locator("#notice-list")).to_contain_text("已逾期")
    photograph(page, "supervision-list")
