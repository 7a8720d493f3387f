"""The main navigation: each app registers its entries in `AppConfig.ready()`."""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.http import HttpRequest
from django.urls import reverse
from django.utils.functional import Promise


@dataclass(frozen=True)
class NavItem:
    key: str
    label: str | Promise
    url_name: str
    order: int = 100
    visible: Callable[[Any], bool] = lambda user: True


_items: dict[str, NavItem] = {}
# How many entries the top bar shows in a row at a desktop's width (1440 px) beside the project list and the
# user's box; beyond that, the later ones (by `order`) go under 更多.
INLINE = 9


def register_nav_item(item: NavItem) -> None:
    _items[item.key] = item


def navigation(request: HttpRequest) -> dict[str, Any]:
    """Context processor: the entries the current user may use, with `active` marking the current one.
    Worked out once per request: a page made of sections renders several templates with the request."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"nav_items": [], "nav_more": []}
    if (items := getattr(request, "_nav_items", None)) is None:
        items = request._nav_items = _entries(request, user)  # type: ignore[attr-defined]
    if len(items) <= INLINE:
        return {"nav_items": items, "nav_more": []}
    return {"nav_items": items[: INLINE - 1], "nav_more": items[INLINE - 1 :]}


def _entries(request: HttpRequest, user: Any) -> list[dict[str, Any]]:
    """The entries the user may use; the one whose address is the longest start of the page's is active
    (the meetings under /blockers/meetings/ are not also the ledger at /blockers/)."""
    visible = [
        (item, reverse(item.url_name))
        for item in sorted(_items.values(), key=lambda i: (i.order, i.key))
        if item.visible(user)
    ]
    longest = max((len(url) for _item, url in visible if request.path.startswith(url)), default=0)
    return [
        {
            "key": item.key,
            "label": item.label,
            "url": url,
            "active": len(url) == longest and request.path.startswith(url),
        }
        for item, url in visible
    ]
