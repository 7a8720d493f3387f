"""The API docs page works offline and under the platform's Content-Security-Policy."""

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_docs_page_lists_the_endpoints_without_csp_violations(page):
    problems: list[str] = []
    page.on("console", lambda message: problems.append(message.text) if message.type == "error" else None)
    page.on("requestfailed", lambda request: problems.append(request.url))
    page.goto("/api/v1/docs")
    page.locator(".opblock").first.wait_for()
    assert (
        page.locator(".opblock-summary-path", has_text="/api/v1/projects/{project_id}/transitions").count()
        == 1
    )
    assert problems == []
