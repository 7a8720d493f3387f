"""The month's briefing and the open data in a real browser: the city office goes from the rates to the
briefing, reads its sentences, downloads the Word and PDF files, and downloads the OC4IDS package."""

import json

import pytest
from playwright.sync_api import Page, expect

from keyprojects.briefings.tests.conftest import make_bulletin
from tests.browser.session import log_in, photograph

pytestmark = pytest.mark.browser


@pytest.fixture
def bulletin(transactional_db, city, clock):
    clock.move_to("2026-04-01")
    return make_bulletin(city, clock)


def test_the_city_office_reads_and_downloads_the_briefing(page: Page, bulletin):
    log_in(page, "city")
    page.goto("/metrics/")
    page.get_by_role("link", name="月度通报").click()
    page.get_by_label("通报月份").fill("2026-03")
    page.get_by_role("button", name="查询").click()
    preview = page.locator("#briefing-preview")
    expect(preview).to_contain_text("聊城市132个实施类项目，开工95个，开工率72.0%")
    expect(preview).to_contain_text("冠州国际陆港")
    photograph(page, "briefing")
    with page.expect_download() as docx:
        page.locator("#briefing-docx").click()
    assert docx.value.suggested_filename.endswith("2026-03.docx")
    with page.expect_download() as pdf:
        page.locator("#briefing-pdf").click()
    assert pdf.value.suggested_filename.endswith("2026-03.pdf")


def test_the_city_office_downloads_the_open_data(page: Page, bulletin):
    bulletin["planned"].is_public = True
    bulletin["planned"].save()
    log_in(page, "city")
    page.goto("/opendata/")
    expect(page.locator("#opendata-counts")).to_contain_text("其中1个已标记为公开发布")
    photograph(page, "opendata")
    with page.expect_download() as download:
        page.locator("#opendata-download").click()
    package = json.loads(download.value.path().read_text(encoding="utf-8"))
    assert [p["title"] for p in package["projects"]] == ["冠州国际陆港"]
