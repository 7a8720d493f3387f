"""Signing in from the login page, as a person would, in every browser test."""

import re

from playwright.sync_api import Page, expect

PASSWORD = "Secret-pass-1"


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
