"""Sections that other apps add to the project page (the plan timeline, reports, warnings …).

An app registers a section in its `AppConfig.ready()`; the project page renders every section the
user may see, in `order`, each from its own template with the context its function returns
(plus `project`, `request` and `user`). This interface is shared by several apps: keep it stable.

    register_project_section(ProjectSection("schedule", "schedule/project_section.html", plan_context, order=10))

The project page calls `render_project_sections(request, project)` and outputs each HTML string. A
section with `page="edit"` is shown on the project's edit form instead (e.g. the key figures that
only a change request changes).
"""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.http import HttpRequest
from django.template.loader import render_to_string
from django.utils.safestring import SafeString

from .models import Project

SectionContext = Callable[[HttpRequest, Project], dict[str, Any] | None]


@dataclass(frozen=True)
class ProjectSection:
    key: str
    template: str
    context: SectionContext
    order: int = 100
    page: str = "detail"


_sections: dict[str, ProjectSection] = {}


def register_project_section(section: ProjectSection) -> None:
    _sections[section.key] = section


def render_project_sections(
    request: HttpRequest, project: Project, *, page: str = "detail"
) -> list[SafeString]:
    """Each section of `page` rendered for this request; a context function returning None hides it."""
    html = []
    sections = [s for s in _sections.values() if s.page == page]
    for section in sorted(sections, key=lambda s: (s.order, s.key)):
        context = section.context(request, project)
        if context is not None:
            html.append(render_to_string(section.template, {"project": project, **context}, request=request))
    return html
