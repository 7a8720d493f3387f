"""Every page of the navigation, as every role, at a phone's 390 px and a desktop's 1440 px: the page itself
never scrolls sideways (wide tables scroll in their own box) and no two controls lie on each other; at 1440 px
the city office's top bar fits, the later entries under 更多."""

import os
from pathlib import Path

import pytest
from playwright.sync_api import Page

from keyprojects.blockers.tests.helpers import walk
from keyprojects.progress.tests.report_helpers import make_project, open_round, submit
from keyprojects.schedule.services import node_templates_seed
from tests.browser.session import log_in

pytestmark = pytest.mark.browser

SIZES = {"phone": (390, 844), "desktop": (1440, 900)}
ROLES = [
    "city",
    "province",
    "guanxian",
    "ziranziyuan",
    "owner-lugang",
    "leader",
    "admin",
    "security-liaocheng",
    "audit-liaocheng",
]
# Pages reached from those of the navigation, opened as the city office too.
FURTHER = [
    "/projects/new/",
    "/alerts/rules/",
    "/notifications/",
    "/notifications/preferences/",
    "/notifications/channels/",
    "/progress/review/",
    "/progress/rounds/",
    "/sheets/import/projects/",
    "/briefings/",
]
SHOTS = os.environ.get("KEYPROJECTS_SCREENSHOTS")

# The visible controls, each with the box that clips it when it scrolls (a table's box), if any; then those
# that stick out of the viewport without such a box, and the pairs that lie on each other by more than 2 px.
LAYOUT_PROBLEMS = """() => {
  const width = document.documentElement.clientWidth;
  const controls = [...document.querySelectorAll(
    'a[href], button, input:not([type=hidden]), select, textarea, label.btn')];
  const clipper = (el) => {
    for (let p = el.parentElement; p && p !== document.body; p = p.parentElement) {
      if (['auto', 'scroll', 'hidden'].includes(getComputedStyle(p).overflowX)) return p;
    }
    return null;
  };
  const name = (el) => `${el.tagName.toLowerCase()}${el.id ? '#' + el.id : ''} "${
    (el.innerText || el.value || el.getAttribute('aria-label') || el.name || '').trim().slice(0, 20)}"`;
  const boxes = controls.map((el) => ({el, r: el.getBoundingClientRect(), clip: clipper(el)}))
    .filter(({el, r}) => r.width > 1 && r.height > 1 && getComputedStyle(el).visibility !== 'hidden');
  const problems = [];
  for (const {el, r, clip} of boxes) {
    if (!clip && (r.right > width + 1 || r.left < -1)) problems.push(`outside: ${name(el)}`);
  }
  for (let i = 0; i < boxes.length; i++) {
    for (let j = i + 1; j < boxes.length; j++) {
      const a = boxes[i], b = boxes[j];
      if (a.clip !== b.clip || a.el.contains(b.el) || b.el.contains(a.el)) continue;
      const x = Math.min(a.r.right, b.r.right) - Math.max(a.r.left, b.r.left);
      const y = Math.min(a.r.bottom, b.r.bottom) - Math.max(a.r.top, b.r.top);
      if (x > 2 && y > 2) problems.push(`overlap: ${name(a.el)} / ${name(b.el)}`);
    }
  }
  return problems;
}"""


@pytest.fixture
def busy_city(transactional_db, city):
    """Some of everything the pages list: projects in a round, a report, a blocker being handled."""
    node_templates_seed(city=city.liaocheng)
    projects = [
        make_project(city, name="冠州国际陆港"),
        make_project(city, name="冠县鲁西新区高端装备制造产业园二期标准化厂房及配套基础设施建设项目"),
    ]
    open_round(city, projects)
    report = submit(city.owner, projects[0])
    blocker = walk(city, projects[1], "in_progress")
    city.records = [
        f"/projects/{projects[1].pk}/",
        f"/progress/reports/{report.pk}/",
        f"/blockers/{blocker}/",
    ]
    return city


def navigation(page: Page) -> list[str]:
    """The addresses of the top bar's entries, those under 更多 too."""
    hrefs = page.locator("#kp-nav a.nav-link[href^='/'], #kp-nav a.dropdown-item[href^='/']").evaluate_all(
        "links => links.map(a => a.getAttribute('href'))"
    )
    return list(dict.fromkeys(hrefs))


def test_every_page_of_the_navigation_fits_a_phone_and_a_desktop_for_every_role(page: Page, busy_city):
    problems: dict[str, object] = {}
    for username in ROLES:
        page.set_viewport_size({"width": 1440, "height": 900})
        log_in(page, username)
        urls = navigation(page)
        assert "/todo/" in urls, username
        if username == "city":
            urls += FURTHER + busy_city.records
        for url in urls:
            for size, (width, height) in SIZES.items():
                page.set_viewport_size({"width": width, "height": height})
                page.goto(url)
                scroll_width = page.evaluate("document.scrollingElement.scrollWidth")
                if scroll_width > width:
                    problems[f"{username} {url} {size}"] = f"{scroll_width} px wide"
                if layout := page.evaluate(LAYOUT_PROBLEMS):
                    problems[f"{username} {url} {size} "] = layout[:3]
                if SHOTS and size == "phone":
                    name = url.strip("/").replace("/", "-") or "home"
                    page.screenshot(path=str(Path(SHOTS) / f"nav-{username}-{name}.png"), full_page=True)
    assert problems == {}


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
