"""The ledger's and the inbox's rows read as the columns they show (plain values, no model instances) and
prepared once per cell for the Jinja2 fragments of `jinja2/blockers/`: a page of 50 rows in one query."""

import datetime
from typing import Any

from django.db.models import QuerySet
from django.utils.translation import gettext as _

from keyprojects.accounts.models import User
from keyprojects.core.rows import Rows, id_url, labels
from keyprojects.projects.permissions import joined_in_city

from .models import Blocker, Category, Level, Status
from .selectors import urgency

COLUMNS = (
    "pk", "category", "description", "status", "level", "deadline", "department_id", "department__name",
    "project__name", "project__region__name", "instruction_pending",
)  # fmt: skip
SHORT = 50


def row_values(user: User, blockers: QuerySet[Blocker]) -> Rows[dict[str, Any]]:
    """The rows' columns, read with their projects joined through the city key; counted without the joins."""
    return Rows(joined_in_city(user, blockers).values(*COLUMNS), list, counted=blockers.select_related(None))


def _short(text: str) -> str:
    return text if len(text) <= SHORT else f"{text[: SHORT - 1]}…"


def headers() -> dict[str, str]:
    """The column names, translated once, that label the cells of a row on a phone."""
    names = ("项目名称", "类别", "问题描述", "责任单位", "办结期限", "状态", "紧急程度", "问题")
    return {name: _(name) for name in names}


def prepare(
    values: list[dict[str, Any]],
    *,
    today: datetime.date,
    due_soon_workdays: int,
    organization_id: int | None = None,
) -> list[dict[str, Any]]:
    """Each row's cells: the blocker's address, labels in the reader's language, the deadline as text, and
    its urgency (overdue, due soon, new) while it is open."""
    url = id_url("blockers:detail")
    categories, statuses, levels = labels(Category.choices), labels(Status.choices), labels(Level.choices)
    rows = []
    for v in values:
        deadline = v["deadline"]
        status = v["status"]
        soon = urgency(status=status, deadline=deadline, today=today, due_soon_workdays=due_soon_workdays)
        rows.append(
            {
                "pk": v["pk"],
                "url": url(v["pk"]),
                "project": v["project__name"],
                "region": v["project__region__name"],
                "category": categories.get(v["category"], v["category"]),
                "description": _short(v["description"]),
                "department": v["department__name"] or "—",
                "deadline": deadline.isoformat() if deadline else "—",
                "status": v["status"],
                "status_label": statuses.get(v["status"], v["status"]),
                "level": v["level"] if v["level"] != Level.COUNTY else "",
                "level_label": levels.get(v["level"], v["level"]),
                "urgency": soon,
                "co_handling": organization_id is not None and v["department_id"] != organization_id,
                "instruction_pending": v["instruction_pending"],
            }
        )
    return rows


def badges() -> dict[str, str]:
    return {
        "overdue": _("已逾期"),
        "due_soon": _("临期"),
        "new": _("新交办"),
        "in_progress": _("办理中"),
        "co_handling": _("协办"),
        "instruction": _("领导批示待答复"),
    }
