"""Reads of change requests, scoped to what the user may see."""

from dataclasses import dataclass
from typing import Any

from django.db.models import QuerySet

from keyprojects.accounts.models import User
from keyprojects.core.templatetags.money import wan
from keyprojects.projects.models import Project, project_field

from . import permissions, services
from .models import ChangeRequest, Status
from .services import KEY_FIELDS


def change_request_list(
    *, user: User, status: str | None = None, project_id: int | None = None
) -> QuerySet[ChangeRequest]:
    qs = permissions.visible_requests(user).select_related(
        "project", "project__region", "requested_by", "decided_by"
    )
    if status is not None:
        qs = qs.filter(status=status)
    if project_id is not None:
        qs = qs.filter(project_id=project_id)
    return qs.order_by("-requested_at", "-id")


def pending_request(*, project: Project) -> ChangeRequest | None:
    return project.change_requests.filter(status=Status.PENDING).first()


@dataclass(frozen=True)
class ChangeRow:
    field: str
    label: str
    old: Any
    new: Any


def change_rows(change_request: ChangeRequest) -> list[ChangeRow]:
    """The request's changes with field labels and choice labels (e.g. 省重点), for pages and the API."""
    rows = []
    for item in change_request.changes:
        field = project_field(item["field"])
        rows.append(
            ChangeRow(
                item["field"],
                str(field.verbose_name),
                _shown(item["field"], services.from_json(item["field"], item["old"])),
                _shown(item["field"], services.from_json(item["field"], item["new"])),
            )
        )
    return rows


def _shown(field: str, value: Any) -> str:
    if value in (None, ""):
        return "—"
    model_field = project_field(field)
    if model_field.choices:
        return str(dict(model_field.flatchoices).get(value, value))
    if field in {"annual_investment", "total_investment"}:
        return wan(value)
    return str(value)


def key_figures(project: Project) -> list[tuple[str, str]]:
    """The project's key figures as (label, shown value), in the order of the request form."""
    return [
        (str(project_field(name).verbose_name), _shown(name, getattr(project, name))) for name in KEY_FIELDS
    ]
