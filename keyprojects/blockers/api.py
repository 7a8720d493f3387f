"""Blockers over HTTP: the same services, selectors and permissions as the pages."""

import datetime
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from ninja import Query, Router, Status

from keyprojects.accounts.auth import api_user
from keyprojects.accounts.models import User
from keyprojects.core.api import Id, Pagination, rows_page
from keyprojects.core.openapi import answers
from keyprojects.projects import permissions as project_permissions

from . import permissions, selectors, services
from .events import timeline
from .models import OPEN, Blocker
from .schemas import ActionIn, BlockerDetailOut, BlockerFilter, BlockerIn, PagedBlockerOut

router = Router(tags=["blockers"])


def _row(blocker: Blocker, today: datetime.date) -> dict[str, Any]:
    return {
        "id": blocker.pk,
        "project": blocker.project_id,
        "project_name": blocker.project.name,
        "region": blocker.project.region.name,
        "category": blocker.category,
        "description": blocker.description,
        "request": blocker.request,
        "status": blocker.status,
        "level": blocker.level,
        "department": blocker.department_id,
        "department_name": blocker.department.name if blocker.department else None,
        "deadline": blocker.deadline,
        "overdue": blocker.status in OPEN and blocker.deadline is not None and blocker.deadline < today,
        "rating": blocker.rating or None,
        "raised_at": blocker.raised_at,
        "report": blocker.report_id,
    }


def _detail(user: User, blocker: Blocker) -> dict[str, Any]:
    events = blocker.events.select_related("actor", "organization")
    return {
        **_row(blocker, timezone.localdate()),
        "co_departments": list(blocker.co_departments.values_list("pk", flat=True)),
        "deadline_workdays": blocker.deadline_workdays,
        "instruction_pending": blocker.instruction_pending,
        "actions": services.allowed_actions(user, blocker),
        "events": [step.api() for step in timeline(events)],
    }


@router.get("", response=PagedBlockerOut, summary="问题台账")
def blocker_list(
    request: HttpRequest, filters: Query[BlockerFilter], page: Query[Pagination.Input]
) -> HttpResponse:
    user = api_user(request)
    project_permissions.require_project_access(user)
    today = timezone.localdate()
    blockers = selectors.blocker_list(
        user=user, filters=selectors.LedgerFilter(**filters.dict()), today=today
    )
    values = blockers.values(*LIST_COLUMNS)[page.window(500)]
    return rows_page(request, [list_row(v, today) for v in values], blockers.count())


LIST_COLUMNS = (
    "pk", "project_id", "project__name", "project__region__name", "category", "description", "request", "status",
    "level", "department_id", "department__name", "deadline", "rating", "raised_at", "report_id",
)  # fmt: skip


def list_row(v: dict[str, Any], today: datetime.date) -> dict[str, Any]:
    """A row of the list as `BlockerOut`, from the columns read as plain values."""
    return {
        "id": v["pk"],
        "project": v["project_id"],
        "project_name": v["project__name"],
        "region": v["project__region__name"],
        "category": v["category"],
        "description": v["description"],
        "request": v["request"],
        "status": v["status"],
        "level": v["level"],
        "department": v["department_id"],
        "department_name": v["department__name"],
        "deadline": v["deadline"],
        "overdue": v["status"] in OPEN and v["deadline"] is not None and v["deadline"] < today,
        "rating": v["rating"] or None,
        "raised_at": v["raised_at"],
        "report": v["report_id"],
    }


@router.post("", response={201: BlockerDetailOut}, summary="反映难点堵点问题")
def blocker_create(request: HttpRequest, payload: BlockerIn) -> Status[dict[str, Any]]:
    user = api_user(request)
    blocker = services.blocker_create(
        user=user,
        project_id=payload.project,
        category=payload.category,
        description=payload.description,
        request=payload.request,
        report_id=payload.report,
    )
    return Status(201, _detail(user, blocker))


@router.get("/{blocker_id}", response=BlockerDetailOut, summary="问题详情及办理过程")
def blocker_detail(request: HttpRequest, blocker_id: Id) -> dict[str, Any]:
    user = api_user(request)
    return _detail(user, permissions.blocker_access(user, blocker_id))


@router.post(
    "/{blocker_id}/actions",
    response=BlockerDetailOut,
    summary="办理问题（受理、退回、交办、答复、办结、评价、提级、批示）",
)
@answers(409)
def blocker_action(request: HttpRequest, blocker_id: Id, payload: ActionIn) -> dict[str, Any]:
    user = api_user(request)
    blocker = services.blocker_act(
        user=user,
        blocker_id=blocker_id,
        action=payload.action,
        text=payload.text,
        department_id=payload.department,
        co_department_ids=payload.co_departments,
        deadline_workdays=payload.deadline_workdays,
        rating=payload.rating or "",
    )
    return _detail(user, blocker)
