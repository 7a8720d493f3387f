"""At a phone's 390 px, no page of the city office scrolls sideways (wide tables scroll in their box)."""

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
