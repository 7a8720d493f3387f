"""Searching as a person does: typing pinyin initials or words in any order into a list's search box."""

import pytest
from playwright.sync_api import Page, expect

from keyprojects.projects.tests.factories import ProjectFactory
from tests.browser.session import log_in

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("clock")]


def test_the_search_box_finds_by_initials_and_by_words_in_any_order(page: Page, transactional_db, city):
    ProjectFactory(region=city.guanxian, owner=city.enterprise, name="冠州国际陆港", total_investment=1000)
    ProjectFactory(
        region=city.gaotang, owner=city.other_enterprise, name="高唐国际物流港", total_investment=9000
    )
    log_in(page, "city")
    page.goto("/projects/")
    rows = page.locator("#project-results tbody tr")
    expect(rows).to_have_count(2)
    box = page.get_by_role("searchbox", name="搜索")
    box.fill("gzlg")
    box.press("Enter")
    expect(rows).to_have_count(1)
    expect(rows.first).to_contain_text("冠州国际陆港")
    box = page.get_by_role("searchbox", name="搜索")
    box.fill("物流 國際")
    box.press("Enter")
    expect(rows).to_have_count(1)
    expect(rows.first).to_contain_text("高唐国际物流港")
