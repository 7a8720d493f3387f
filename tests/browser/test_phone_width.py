"""At a phone's 390 px, no page of the city office scrolls sideways (wide tables scroll in their box); at a
desktop's 1440 px its top bar fits, the later entries under 更多."""

import pytest
from playwright.sync_api import Page

from keyprojects.schedule.services import node_templates_seed
from tests.browser.session import log_in

pytestmark = pytest.mark.browser

PAGES = [
    "/projects/",
    "/projects/new/",
    "/schedule/queue/",
    "/schedule/templates/",
    "/progress/",
    "/progress/review/",
    "/metrics/",
    "/alerts/",
    "/alerts/rules/",
    "/statistics/",
    "/adjustments/",
    "/notifications/",
    "/notifications/preferences/",
    "/notifications/channels/",
    "/dashboard/",
    "/batches/",
    "/sheets/import/projects/",
    "/briefings/",
    "/opendata/",
]


def test_no_page_scrolls_sideways_on_a_phone(page: Page, transactional_db, city):
    node_templates_seed(city=city.liaocheng)
    page.set_viewport_size({"width": 390, "height": 844})
    log_in(page, "city")
    wide = {}
    for url in PAGES:
        page.goto(url)
        width = page.evaluate("document.scrollingElement.scrollWidth")
        if width > 390:
            wide[url] = width
    assert wide == {}


def test_the_city_office_s_top_bar_fits_a_desktop_and_keeps_the_rest_under_more(
    page: Page, transactional_db, city
):
    page.set_viewport_size({"width": 1440, "height": 900})
    log_in(page, "city")
    page.goto("/projects/")
    assert page.evaluate("document.scrollingElement.scrollWidth") <= 1440
    page.get_by_role("button", name="更多").click()
    menu = page.locator(".navbar .dropdown-menu")
    assert menu.is_visible() and menu.get_by_role("link").count() >= 1
    menu.get_by_role("link").first.click()
    page.wait_for_load_state()
    assert page.locator(".navbar .dropdown-toggle.active").count() == 1
