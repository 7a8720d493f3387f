"""A blocker's closed loop in a real browser: the owner raises it, the county accepts and assigns it to
自然资源和规划局 with 5 working days, the department answers from its inbox and resolves, the owner is
not satisfied and it reopens, it goes overdue and climbs to the city, the department resolves it again,
the owner is satisfied and it closes — each step on its timeline, each person told at their step."""

import pytest
from django.core.management import call_command
from playwright.sync_api import Page, expect

from keyprojects.blockers.models import Blocker
from keyprojects.notifications.models import Notification
from keyprojects.projects.tests.factories import ProjectFactory
from tests.browser.session import log_in, photograph

pytestmark = pytest.mark.browser


def told(user, kind: str) -> bool:
    return Notification.objects.filter(recipient=user, kind=kind).exists()


def act(page: Page, action: str, button: str, text: str = "") -> None:
    form = page.locator(f'form[data-action="{action}"]')
    if text:
        form.locator("[name=text]").fill(text)
    form.get_by_role("button", name=button).click()


@pytest.mark.today("2026-06-15")
def test_the_whole_loop_of_a_blocker(page: Page, transactional_db, city, clock):
    project = ProjectFactory(name="冠州国际陆港", region=city.guanxian, owner=city.enterprise)

    log_in(page, "owner-lugang")
    page.goto(f"/projects/{project.pk}/")
    page.locator("#project-blockers").get_by_role("link", name="反映问题").click()
    page.get_by_label("问题类别").select_option(label="土地")
    page.get_by_label("问题描述").fill("二期用地组卷报批迟迟未批，影响年内开工")
    page.get_by_label("诉求").fill("请协调加快用地报批")
    photograph(page, "blocker-form")
    page.get_by_role("button", name="提交").click()
    expect(page.locator("#blocker-status")).to_contain_text("待受理")
    blocker = Blocker.objects.get()
    url = f"/blockers/{blocker.pk}/"
    assert told(city.county, "blocker.raised")

    log_in(page, "guanxian")
    page.goto(url)
    act(page, "accept", "受理")
    expect(page.locator("#blocker-status")).to_contain_text("已受理")
    assert told(city.owner, "blocker.accepted")
    assign = page.locator('form[data-action="assign"]')
    assign.get_by_label("责任单位").select_option(label="聊城市自然资源和规划局")
    assign.get_by_label("办理时限（工作日）").fill("5")
    assign.get_by_role("button", name="交办").click()
    # 5 working days from Monday 15 June 2026, the Dragon Boat Festival (Friday 19th) off
    expect(page.locator("#blocker-deadline")).to_contain_text("2026-06-23")
    assert told(city.department_officer, "blocker.assigned")

    log_in(page, "ziranziyuan")
    page.get_by_role("link", name="问题办理").click()
    row = page.locator("#blocker-inbox tbody tr", has_text="冠州国际陆港")
    expect(row).to_contain_text("新交办")
    photograph(page, "blocker-inbox")
    row.get_by_role("link").click()
    act(page, "answer", "答复进展", "已组织现场踏勘，正在组卷")
    expect(page.locator("#blocker-status")).to_contain_text("办理中")
    assert told(city.owner, "blocker.answered")
    act(page, "resolve", "办结", "已完成组卷上报省厅")
    expect(page.locator("#blocker-status")).to_contain_text("已办结待评价")
    assert told(city.owner, "blocker.resolved")

    log_in(page, "owner-lugang")
    page.goto(url)
    rate = page.locator('form[data-action="rate"]')
    rate.get_by_label("不满意", exact=True).check()
    rate.get_by_label("评价意见").fill("省厅尚未批复，土地证仍未取得")
    rate.get_by_role("button", name="提交评价").click()
    expect(page.locator("#blocker-status")).to_contain_text("办理中")
    assert told(city.department_officer, "blocker.rated")

    clock.move_to("2026-06-29")  # four working days past the deadline
    call_command("blockerwatch")
    assert told(city.department_officer, "blocker.overdue") and told(city.county, "blocker.overdue")
    assert told(city.city_admin, "blocker.escalated")

    log_in(page, "city")
    page.goto(url)
    expect(page.locator("#blocker-status")).to_contain_text("市协调调度会")
    expect(page.locator("#blocker-status")).to_contain_text("已逾期")
    page.get_by_role("link", name="问题台账").click()
    expect(page.locator("#blocker-ledger")).to_contain_text("冠州国际陆港")
    photograph(page, "blocker-ledger")

    log_in(page, "ziranziyuan")
    page.goto("/blockers/inbox/")
    expect(page.locator("#blocker-inbox tbody tr", has_text="冠州国际陆港")).to_contain_text("已逾期")
    page.goto(url)
    act(page, "resolve", "办结", "省厅已批复，土地证已发放")
    expect(page.locator("#blocker-status")).to_contain_text("已办结待评价")

    log_in(page, "owner-lugang")
    page.goto(url)
    rate = page.locator('form[data-action="rate"]')
    rate.get_by_label("满意", exact=True).check()
    rate.get_by_role("button", name="提交评价").click()
    expect(page.locator("#blocker-status")).to_contain_text("已关闭")
    photograph(page, "blocker-closed")

    steps = page.locator("#blocker-timeline li")
    kinds = [steps.nth(i).get_attribute("data-kind") for i in range(steps.count())]
    assert kinds == [
        "raised", "accepted", "assigned", "answered", "resolved", "rated", "reopened",
        "overdue", "escalated", "resolved", "rated", "closed",
    ]  # fmt: skip
    timeline = page.locator("#blocker-timeline")
    expect(timeline).to_contain_text("聊城市自然资源和规划局")
    expect(timeline).to_contain_text("不满意")
    expect(timeline).to_contain_text("系统")  # the platform moved it up the ladder
    assert Notification.objects.filter(recipient=city.department_officer, kind="blocker.rated").count() == 2
