"""The OC4IDS project package of the user's slice of the portfolio: three queries whatever its size (the
projects marked public, their plan nodes, their monthly figures in force), read as plain values."""

import datetime
from typing import Any

from django.conf import settings
from django.db.models import F

from keyprojects.accounts.models import User
from keyprojects.progress.in_force import figures_in_force
from keyprojects.projects.selectors import ProjectFilters, project_list
from keyprojects.schedule.models import PlanNode

from .oc4ids import PROJECT_COLUMNS, VERSION, group_by_project, project_release


def id_prefix() -> str:
    """The package's project-id prefix (OC4IDS asks a publisher to register one)."""
    return getattr(settings, "OC4IDS_PREFIX", "oc4ids-keyprojects")


def public_projects(*, user: User, filters: ProjectFilters | None = None) -> Any:
    return project_list(user=user, filters=filters).filter(is_public=True)


def oc4ids_package(
    *, user: User, filters: ProjectFilters | None, uri: str, now: datetime.datetime
) -> dict[str, Any]:
    projects = public_projects(user=user, filters=filters)
    ids = projects.order_by().values("pk")
    rows = list(projects.values(*PROJECT_COLUMNS))
    nodes = group_by_project(
        PlanNode.objects.filter(project__in=ids)
        .order_by("project_id", "order", "id")
        .values("project_id", "id", "code", "name", "planned_date", "actual_date")
    )
    figures = group_by_project(
        figures_in_force()
        .filter(project__in=ids)
        .values("project_id", "month", "total", progress=F("report__progress_text"))
    )
    today = now.date()
    prefix = id_prefix()
    publisher = user.organization.name if user.organization else "keyprojects"
    return {
        "uri": uri,
        "publishedDate": now.isoformat(),
        "version": VERSION,
        "publisher": {"name": publisher},
        "projects": [
            project_release(
                row,
                prefix=prefix,
                nodes=nodes.get(row["id"], []),
                figures=figures.get(row["id"], []),
                today=today,
            )
            for row in rows
        ],
    }
