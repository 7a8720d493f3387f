"""The war room in a real browser: the city office opens the city's dashboard, clicks 冠县 on the map,
reads that county's dashboard, clicks a project's point and lands on the project; the wall screen draws
the same figures in the dark, full screen. Screenshots (KEYPROJECTS_SCREENSHOTS) of the city dashboard at
desktop and phone size and of the wall screen at 1920×1080."""

import datetime
import re
from decimal import Decimal
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from keyprojects.batches.models import Batch
from keyprojects.batches.services import batch_record
from keyprojects.metrics.tests.helpers import include, list_project, report
from tests.browser.session import SHOTS, log_in

pytestmark = pytest.mark.browser
D = datetime.date
MAPS = Path(__file__).resolve().parents[2] / "var" / "vendor" / "china-cities" / "山东" / "聊城市.js"
GUANXIAN_CENTRE = [115.442739, 36.484009]  # where the boundary file puts 冠县's label


@pytest.fixture
def projects(transactional_db, city, clock):
    year = clock.today.year
    lugang = list_project(
        name="冠州国际陆港", region=city.guanxian, owner=city.enterprise, year=year, actual_start=D(year, 2, 1),
        total_investment=Decimal("1020000"), annual_investment=Decimal("200000"),
        latitude=Decimal("36.40"), longitude=Decimal("115.52"),
    )  # fmt: skip
    aobo = list_project(
        name="奥博生物新型糖醇及氨基酸智造项目", region=city.gaotang, owner=city.other_enterprise, year=year,
        total_investment=Decimal("516000"), annual_investment=Decimal("100000"),
        latitude=Decimal("36.86"), longitude=Decimal("116.23"),
    )  # fmt: skip
    include(lugang, D(year, 3, 1))
    for month, amount in ((3, "50000"), (4, "30000"), (5, "40000")):
        report(lugang, D(year, month, 1), amount, by=city.county, reviewed_on=D(year, month + 1, 5))
    batch_record(
        user=city.city_admin, kind=Batch.Kind.START, name="秋季重点项目集中开工", held_on=D(year, 5, 26),
        venue="冠县冠州国际陆港项目现场", venue_project_id=lugang.pk, announced_count=194,
        announced_investment=Decimal("10430000"), project_ids=[aobo.pk],
    )  # fmt: skip
    return lugang, aobo


def _click_on_map(page: Page, lng_lat: list[float]) -> None:
    """Click the map where the longitude and latitude fall (the map is a canvas)."""
    x, y = page.evaluate(
        "(p) => echarts.getInstanceByDom(document.getElementById('wr-map')).convertToPixel({geoIndex: 0}, p)",
        lng_lat,
    )
    box = page.locator("#wr-map").bounding_box()
    page.mouse.click(box["x"] + x, box["y"] + y)


@pytest.mark.skipif(not MAPS.exists(), reason="the county maps are installed by `make vendor`")
@pytest.mark.today("2026-06-15")
def test_the_city_office_drills_down_from_the_city_to_a_county_and_a_project(page: Page, city, projects):
    lugang, _aobo = projects
    log_in(page, "city")
    page.get_by_role("link", name="挂图作战").click()
    expect(page.locator("h1")).to_have_text("聊城市重点项目挂图作战")
    expect(page.locator("[data-total=projects]")).to_contain_text("2")
    expect(page.locator("[data-total=start_rate]")).to_have_text("50.0%")
    expect(page.locator("#wr-batch")).to_contain_text("本次集中开工项目194个，总投资1,043.00亿元")
    page.wait_for_function("() => echarts.getMap('聊城') && document.querySelector('#wr-map canvas')")
    page.wait_for_timeout(500)  # the map's first frame
    if SHOTS:
        for size, (width, height) in {"desktop": (1440, 900), "phone": (390, 844)}.items():
            page.set_viewport_size({"width": width, "height": height})
            page.wait_for_timeout(600)  # the charts redraw for the new width
            page.screenshot(path=str(Path(SHOTS) / f"warroom-city-{size}.png"), full_page=True)
        page.set_viewport_size({"width": 1920, "height": 1080})
        page.goto("/dashboard/wall/")
        page.wait_for_timeout(800)
        page.screenshot(path=str(Path(SHOTS) / "warroom-wall-1920.png"))
        page.set_viewport_size({"width": 1440, "height": 900})
        page.goto("/dashboard/")
        page.wait_for_function("() => document.querySelector('#wr-map canvas')")
        page.wait_for_timeout(500)

    _click_on_map(page, GUANXIAN_CENTRE)
    expect(page).to_have_url(re.compile(r"/dashboard/\?region=371525"))
    expect(page.locator("h1")).to_have_text("冠县重点项目挂图作战")
    expect(page.locator("[data-total=projects]")).to_contain_text("1")
    expect(page.locator("#wr-regions tbody tr")).to_have_count(1)
    page.wait_for_function("() => document.querySelector('#wr-map canvas')")
    page.wait_for_timeout(500)

    _click_on_map(page, [115.52, 36.40])
    expect(page).to_have_url(re.compile(rf"/projects/{lugang.pk}/$"))
    expect(page.locator("h1")).to_contain_text("冠州国际陆港")


@pytest.mark.today("2026-06-15")
def test_the_wall_screen_refreshes_in_place(page: Page, city, projects):
    log_in(page, "city")
    page.goto("/dashboard/wall/")
    expect(page.locator("body.wr-wall")).to_be_visible()
    expect(page.locator("[data-total=start_rate]")).to_have_text("50.0%")
    page.evaluate("document.querySelector('[data-total=start_rate]').textContent = '…'")
    with page.expect_response(re.compile(r"/api/v1/dashboard")):
        page.evaluate("window.warroomWall.tick()")
    expect(page.locator("[data-total=start_rate]")).to_have_text("50.0%")
    # left running, it redraws in place: as many elements and charts after many refreshes as after one
    count = "() => [document.getElementsByTagName('*').length, document.querySelectorAll('canvas').length]"
    before = page.evaluate(count)
    for _ in range(10):
        with page.expect_response(re.compile(r"/api/v1/dashboard")):
            page.evaluate("window.warroomWall.tick()")
    page.wait_for_timeout(300)
    assert page.evaluate(count) == before
