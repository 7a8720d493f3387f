"""The leader's page and the task forces over HTTP: the same selectors, services and permissions as the pages."""

from django.http import HttpRequest
from django.utils import timezone
from ninja import Router, Status
from ninja.pagination import paginate

from keyprojects.accounts.auth import api_user
from keyprojects.core.api import Id, Pagination

from . import permissions, selectors, services
from .models import TaskForce
from .schemas import LeaderOut, MemberIn, TaskForceIn, TaskForceOut, TaskForceProjectIn, TaskForceSummaryOut

router = Router(tags=["leaders"])


@router.get(
    "/leaders/me", response=LeaderOut, summary="本人包保的项目、提级问题、待答复批示、预警和三率（市领导）"
)
def leader_me(request: HttpRequest) -> dict:
    user = api_user(request)
    permissions.require_own_page(user)
    o = selectors.leader_overview(user=user, today=timezone.localdate())
    return {
        "project_count": o.project_count,
        "projects": o.projects,
        "escalated": o.escalated,
        "instructions": o.instructions,
        "warnings": o.warnings,
        "red": o.warning_counts.red,
        "yellow": o.warning_counts.yellow,
        "rates": {
            "start_rate": o.rates.start_rate.value,
            "statistics_rate": o.rates.statistics_rate.value,
            "investment_rate": o.rates.investment_rate.value,
            "time_progress": o.rates.time_progress,
        },
    }


@router.get("/task-forces", response=list[TaskForceSummaryOut], summary="工作专班列表")
@paginate(Pagination, max_limit=500)
def task_force_list(request: HttpRequest) -> object:
    user = api_user(request)
    permissions.require_list(user)
    return selectors.task_force_list(user=user)


def _detail(task_force: TaskForce) -> TaskForce:
    return selectors.task_force_detail(task_force)


@router.post("/task-forces", response={201: TaskForceOut}, summary="组建工作专班（市重点项目办）")
def task_force_create(request: HttpRequest, payload: TaskForceIn) -> Status[TaskForce]:
    task_force = services.task_force_save(
        user=api_user(request),
        name=payload.name,
        lead_organization_id=payload.lead_organization,
        member_ids=payload.members,
        project_ids=payload.projects,
    )
    return Status(201, _detail(task_force))


@router.get("/task-forces/{task_force_id}", response=TaskForceOut, summary="工作专班详情")
def task_force_detail(request: HttpRequest, task_force_id: Id) -> TaskForce:
    return _detail(permissions.task_force_access(api_user(request), task_force_id))


@router.put("/task-forces/{task_force_id}", response=TaskForceOut, summary="调整工作专班（市重点项目办）")
def task_force_update(request: HttpRequest, task_force_id: Id, payload: TaskForceIn) -> TaskForce:
    task_force = services.task_force_save(
        user=api_user(request),
        task_force_id=task_force_id,
        name=payload.name,
        lead_organization_id=payload.lead_organization,
        member_ids=payload.members,
        project_ids=payload.projects,
    )
    return _detail(task_force)


@router.post("/task-forces/{task_force_id}/members", response=TaskForceOut, summary="增加专班成员")
def member_add(request: HttpRequest, task_force_id: Id, payload: MemberIn) -> TaskForce:
    user = api_user(request)
    return _detail(
        services.task_force_add_member(user=user, task_force_id=task_force_id, member_id=payload.user)
    )


@router.delete(
    "/task-forces/{task_force_id}/members/{user_id}", response=TaskForceOut, summary="移出专班成员"
)
def member_remove(request: HttpRequest, task_force_id: Id, user_id: Id) -> TaskForce:
    user = api_user(request)
    return _detail(
        services.task_force_remove_member(user=user, task_force_id=task_force_id, member_id=user_id)
    )


@router.post("/task-forces/{task_force_id}/projects", response=TaskForceOut, summary="增加专班项目")
def project_add(request: HttpRequest, task_force_id: Id, payload: TaskForceProjectIn) -> TaskForce:
    user = api_user(request)
    return _detail(
        services.task_force_add_project(user=user, task_force_id=task_force_id, project_id=payload.project)
    )


@router.delete(
    "/task-forces/{task_force_id}/projects/{project_id}", response=TaskForceOut, summary="移出专班项目"
)
def project_remove(request: HttpRequest, task_force_id: Id, project_id: Id) -> TaskForce:
    user = api_user(request)
    return _detail(
        services.task_force_remove_project(user=user, task_force_id=task_force_id, project_id=project_id)
    )
