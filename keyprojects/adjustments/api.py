"""Change requests over HTTP: the same services, selectors and permissions as the pages."""

from django.http import HttpRequest
from ninja import Query, Router, Status
from ninja.pagination import paginate

from keyprojects.accounts.auth import api_user
from keyprojects.core.api import Id, Pagination

from . import permissions, selectors, services
from .models import ChangeRequest
from .schemas import ChangeDecisionIn, ChangeRequestFilter, ChangeRequestIn, ChangeRequestOut

router = Router(tags=["adjustments"])


@router.get("", response=list[ChangeRequestOut], summary="调整申请列表")
@paginate(Pagination, max_limit=500)
def change_request_list(request: HttpRequest, filters: Query[ChangeRequestFilter]) -> object:
    user = api_user(request)
    permissions.require_list(user)
    requests = selectors.change_request_list(user=user, status=filters.status, project_id=filters.project)
    return requests


@router.post("", response={201: ChangeRequestOut}, summary="提交调整申请（调度库项目的关键指标）")
def change_request_create(request: HttpRequest, payload: ChangeRequestIn) -> Status[ChangeRequest]:
    change_request = services.change_request_create(
        user=api_user(request),
        project_id=payload.project,
        changes=payload.changes.model_dump(exclude_unset=True),
        reason=payload.reason,
    )
    return Status(201, change_request)


@router.get("/{request_id}", response=ChangeRequestOut, summary="调整申请详情")
def change_request_detail(request: HttpRequest, request_id: Id) -> ChangeRequest:
    return permissions.request_access(api_user(request), request_id)


@router.post("/{request_id}/approve", response=ChangeRequestOut, summary="批准调整申请（市重点项目办）")
def change_request_approve(request: HttpRequest, request_id: Id, payload: ChangeDecisionIn) -> ChangeRequest:
    return services.change_request_approve(
        user=api_user(request), request_id=request_id, reason=payload.reason
    )


@router.post("/{request_id}/refuse", response=ChangeRequestOut, summary="不批准调整申请（须说明理由）")
def change_request_refuse(request: HttpRequest, request_id: Id, payload: ChangeDecisionIn) -> ChangeRequest:
    return services.change_request_refuse(
        user=api_user(request), request_id=request_id, reason=payload.reason
    )
