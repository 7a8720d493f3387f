"""One way to page a list: `paginate` reads `?page=` and `?size=` (one of `PAGE_SIZES`), and every list shows
the same control, `{% pagination page %}` (`core/templatetags/paging.py`): the rows shown and the total, the
pages around the current one, and the page size."""

from typing import Any

from django.core.paginator import Page, Paginator
from django.http import HttpRequest

PAGE_SIZES = (20, 50, 100)
DEFAULT_SIZE = 50


def page_size(request: HttpRequest, default: int = DEFAULT_SIZE) -> int:
    asked = request.GET.get("size", "")
    return int(asked) if asked.isdigit() and int(asked) in PAGE_SIZES else default


def paginate(
    request: HttpRequest, rows: Any, *, default: int = DEFAULT_SIZE, count: int | None = None
) -> Page:
    """The page of `rows` asked for (the last one past the end); `count` when the rows are already counted."""
    paginator = Paginator(rows, page_size(request, default))
    if count is not None:
        paginator.count = count
    return paginator.get_page(request.GET.get("page"))
