"""The city office keeps its dictionary in a real browser: adds an industry, renames it, deactivates it;
the new-project form stops offering it while the project that has it still shows it."""

import pytest
from playwright.sync_api import Page, expect

from keyprojects.projects.tests.factories import ProjectFactory
from tests.browser.session import log_in, photograph

pytestmark = pytest.mark.browser


def test_the_office_adds_renames_and_deactivates_an_industry(page: Page, transactional_db, city):
    log_in(page, city.city_admin.username)
    page.goto("/projects/")
    page.get_by_role("link", name="项目字典").click()
    page.get_by_role("link", name="所属行业").click()
    page.get_by_label("名称").fill("高端化工")
    page.get_by_label("代码").fill("chem")
    page.get_by_role("button", name="添加").click()
    expect(page.get_by_text("已添加“高端化工”")).to_be_visible()
    page.get_by_label("名称").last.fill("纺织服装")
    page.get_by_role("button", name="添加").click()
    row = page.locator("#dictionary-entries tr[data-code='chem']")
    row.get_by_label("名称").fill("化工新材料")
    row.get_by_role("button", name="改名").click()
    expect(page.get_by_text("已保存“化工新材料”")).to_be_visible()
    project = ProjectFactory(
        region=city.guanxian, owner=city.enterprise, industry="chem", name="鲁西化工延链项目"
    )
    page.locator("#dictionary-entries tr[data-code='chem']").get_by_role("button", name="停用").click()
    expect(page.locator("#dictionary-entries tr[data-code='chem']").get_by_text("已停用")).to_be_visible()
    photograph(page, "dictionary")

    page.goto("/projects/new/")
    expect(page.locator("#id_industry option[value='chem']")).to_have_count(0)
    page.goto(f"/projects/{project.pk}/")
    expect(page.get_by_text("化工新材料")).to_be_visible()
