"""The buttons beside the project list's title that later apps add (export the list as it is filtered, import
one): each app registers its own from `AppConfig.ready()`, so the projects app names none of them."""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.http import HttpRequest
from django.urls import reverse
from django.utils.functional import Promise


@dataclass(frozen=True)
class ListAction:
    key: str
    label: str | Promise
    url_name: str
    order: int = 100
    visible: Callable[[Any], bool] = lambda user: True
    keeps_filters: bool = False  # the link carries the list's filters (an export of what the list shows)


_actions: dict[str, ListAction] = {}


def register_list_action(action: ListAction) -> None:
    _actions[action.key] = action


def list_actions(request: HttpRequest) -> list[dict[str, Any]]:
    """The actions the user may take, with their addresses (the filters of the page's query kept where asked)."""
    query = request.GET.copy()
    query.pop("page", None)
    filters = query.urlencode()
    return [
        {
            "key": action.key,
            "label": action.label,
            "url": reverse(action.url_name) + (f"?{filters}" if action.keeps_filters and filters else ""),
            "keeps_filters": action.keeps_filters,
        }
        for action in sorted(_actions.values(), key=lambda a: (a.order, a.key))
        if action.visible(request.user)
    ]
