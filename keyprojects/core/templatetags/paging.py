from typing import Any

from django import template
from django.core.paginator import Page

from keyprojects.core.paging import PAGE_SIZES

register = template.Library()


@register.inclusion_tag("core/_pagination.html", takes_context=True)
def pagination(context: dict[str, Any], page: Page, target: str = "") -> dict[str, Any]:
    """The list's pagination control; with `target`, its links swap that element through htmx."""
    return {
        "request": context.get("request"),
        "page": page,
        "pages": page.paginator.get_elided_page_range(page.number, on_each_side=2, on_ends=1),
        "ellipsis": page.paginator.ELLIPSIS,
        "sizes": PAGE_SIZES,
        "size": page.paginator.per_page,
        "target": target,
    }
