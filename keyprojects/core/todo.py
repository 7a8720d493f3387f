"""我的待办 (/todo/): what waits for the signed-in person, whatever their role; where everyone lands.

Each app registers a section in its `AppConfig.ready()`, as for the project page
(`projects/sections.py`): a template and a function giving its context for the request, or None when
the section has nothing for this person. The page shows the sections in `order`.

    register_todo_section(TodoSection("progress", "progress/todo.html", todo_context, order=10))
"""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.http import HttpRequest
from django.template.loader import render_to_string
from django.utils.safestring import SafeString

TodoContext = Callable[[HttpRequest], dict[str, Any] | None]
# How many items a section lists before its link to the whole list.
SHOWN = 8


@dataclass(frozen=True)
class TodoSection:
    key: str
    template: str
    context: TodoContext
    order: int = 100


_sections: dict[str, TodoSection] = {}


def register_todo_section(section: TodoSection) -> None:
    _sections[section.key] = section


def render_todo_sections(request: HttpRequest) -> list[SafeString]:
    html = []
    for section in sorted(_sections.values(), key=lambda s: (s.order, s.key)):
        context = section.context(request)
        if context is not None:
            html.append(render_to_string(section.template, {"shown": SHOWN, **context}, request=request))
    return html
