"""Signing in from the login page, as a person would, in every browser test; the pages' photographs."""

import os
import re
from pathlib import Path

from playwright.sync_api import Page, expect

PASSWORD = "Secret-pass-1"
SHOTS = os.environ.get("KEYPROJECTS_SCREENSHOTS")  # a folder: the pages are also photographed there
SIZES = {"desktop": (1440, 900), "phone": (390, 844)}


def photograph(page: Page, name: str, selector: str | None = None) -> None:
    """The page (or one part of it) at desktop and phone size, when KEYPROJECTS_SCREENSHOTS names a folder."""
    if not SHOTS:
        return
    for size, (width, height) in SIZES.items():
        page.set_viewport_size({"width": width, "height": height})
        path = str(Path(SHOTS) / f"{name}-{size}.png")
        if selector:
            page.locator(selector).screenshot(path=path)
        else:
            page.screenshot(path=path, full_page=True)
    page.set_viewport_size({"width": 1440, "height": 900})


def log_in(page: Page, username: str) -> None:
    """Sign in as `username` (the factories' password), leaving any earlier session first."""
    # Leave the page first: a request still in flight would set the session cookie again after the
    # clearing (every response saves the session).
    page.goto("about:blank")
    page.context.clear_cookies()
    page.goto("/accounts/login/")
    expect(page.get_by_role("button", name="退出登录")).to_have_count(0)
    page.get_by_label("用户名").fill(username)
    page.get_by_label("密码").fill(PASSWORD)
    page.get_by_role("button", name="登录", exact=True).click()
    expect(page).not_to_have_url(re.compile(r"/accounts/login/"))
