"""Notifications in a real browser: a submitted report reaches its county officer's bell; the officer
opens it, filters the list, sets up the office's DingTalk robot and chooses to get submissions there too;
the next submission arrives at the robot signed."""

import base64
import hashlib
import hmac
import re

import pytest
from playwright.sync_api import Page, expect

from keyprojects.notifications.tests.receiver import robot_receiver
from keyprojects.progress.tests.report_helpers import make_project, open_round, submit
from tests.browser.session import log_in, photograph

pytestmark = pytest.mark.browser

SECRET = "SECa1b2c3d4e5f60718293a4b5c6d7e8f90"


def test_a_submission_reaches_the_county_in_the_platform_and_on_its_dingtalk_robot(
    page: Page, transactional_db, city
):
    first, second = make_project(city, name="冠州国际陆港"), make_project(city, name="华超金属轻量化车轮")
    open_round(city, [first, second])
    report = submit(city.owner, first)

    log_in(page, "guanxian")
    bell = page.locator("#kp-bell")
    expect(bell.locator(".kp-bell-count")).to_have_text("1条未读")
    bell.click()
    item = page.locator(".kp-notification").first
    expect(item).to_contain_text("冠州国际陆港")
    expect(item).to_contain_text("月报待审核")
    page.get_by_label("类型").select_option(label="月报被退回")
    page.get_by_role("button", name="筛选").click()
    expect(page.locator("#notification-list")).to_have_count(0)
    page.get_by_label("类型").select_option(label="月报待审核")
    page.get_by_role("button", name="筛选").click()
    photograph(page, "notifications")
    page.locator(".kp-notification").first.get_by_role("button", name="查看").click()
    expect(page).to_have_url(re.compile(rf"/progress/reports/{report.pk}/$"))
    expect(page.locator("#kp-bell .kp-bell-count")).to_have_count(0)

    with robot_receiver() as robot:
        page.goto("/notifications/")
        page.get_by_role("link", name="群机器人").click()
        dingtalk = page.locator("#robot-dingtalk")
        dingtalk.get_by_label("Webhook 地址").fill(f"{robot.url}/robot/send?access_token=guanxian")
        dingtalk.get_by_label("加签密钥").fill(SECRET)
        dingtalk.get_by_role("button", name="保存").click()
        expect(page.locator(".alert-success")).to_contain_text("群机器人设置已保存")
        expect(page.locator("#robot-dingtalk [data-secret]")).to_contain_text(SECRET[-4:])
        assert SECRET not in page.content()
        photograph(page, "notification-robots")

        page.goto("/notifications/preferences/")
        page.locator("#pref-report_submitted-dingtalk").check()
        page.get_by_role("button", name="保存").click()
        expect(page.locator(".alert-success")).to_contain_text("通知发送设置已保存")
        expect(page.locator("#pref-report_submitted-dingtalk")).to_be_checked()
        photograph(page, "notification-preferences")

        submit(city.owner, second)
        assert len(robot.received) == 1
    got = robot.received[0]
    digest = hmac.new(
        SECRET.encode(), f"{got.query['timestamp']}\n{SECRET}".encode(), hashlib.sha256
    ).digest()
    assert got.query["sign"] == base64.b64encode(digest).decode()
    assert "华超金属轻量化车轮" in got.body["markdown"]["title"]
    page.goto("/notifications/channels/")
    expect(page.locator("#deliveries tbody tr").first).to_have_attribute("data-status", "sent")
