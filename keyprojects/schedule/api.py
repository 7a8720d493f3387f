"""Templates, plans and plan nodes over HTTP: the same selectors, services and scoping as the pages."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from ninja import File, Query, Router, Status
from ninja.files import UploadedFile
from ninja.pagination import paginate
from ninja.patch_dict import PatchDict

from keyprojects.accounts.auth import api_user
from keyprojects.accounts.models import User
from keyprojects.core.api import Id, IfMatch, Pagination, if_match_version
from keyprojects.core.versions import etag_of, tagged
from keyprojects.projects import permissions as project_permissions

from . import permissions, selectors, services
from .models import NodeTemplate, PlanNode, ScheduleSettings
from .schemas import (
    PlanCreateIn,
    PlanNodeFilter,
    PlanNodeOut,
    PlanNodeUpdate,
    PlanOut,
    ScheduleSettingsIn,
    ScheduleSettingsOut,
    TemplateIn,
    TemplateOut,
    TemplateUpdate,
)
from .workdays import unknown_calendar_years

router = Router(tags=["schedule"])


def _with_status(node: PlanNode, clock: selectors.StatusClock) -> PlanNode:
    node.status = clock.status(node)  # type: ignore[attr-defined]
    return node


def _template(user: User, template_id: Id) -> NodeTemplate:
    return get_object_or_404(selectors.template_list(user), pk=template_id)


@router.get("/node-templates", response=list[TemplateOut], summary="节点模板")
def template_list(request: HttpRequest) -> object:
    project_permissions.require_project_access(api_user(request))
    return selectors.template_list(api_user(request))


@router.get("/node-templates/{template_id}", response=TemplateOut, summary="节点模板详情（ETag 为版本号）")
def template_detail(request: HttpRequest, template_id: Id, response: HttpResponse) -> NodeTemplate:
    project_permissions.require_project_access(api_user(request))
    template = _template(api_user(request), template_id)
    tagged(response, etag_of(template))
    return template


@router.post("/node-templates", response={201: TemplateOut}, summary="新建节点模板（市重点项目办）")
def template_create(
    request: HttpRequest, payload: TemplateIn, response: HttpResponse
) -> Status[NodeTemplate]:
    data = payload.model_dump(exclude={"nodes"})
    template = services.node_template_create(
        user=api_user(request),
        data=data,
        nodes=[node.model_dump() for node in payload.nodes],
    )
    template = _template(api_user(request), template.pk)
    tagged(response, etag_of(template))
    return Status(201, template)


@router.patch("/node-templates/{template_id}", response=TemplateOut, summary="修改节点模板（须带 If-Match）")
def template_update(
    request: HttpRequest,
    template_id: Id,
    payload: PatchDict[TemplateUpdate],
    response: HttpResponse,
    if_match: str | None = IfMatch,
) -> NodeTemplate:
    _template(api_user(request), template_id)
    nodes = payload.pop("nodes", None)
    template = services.node_template_update(
        user=api_user(request),
        template_id=template_id,
        version=if_match_version(if_match),
        data=payload,
        nodes=[dict(node) for node in nodes] if nodes is not None else None,
    )
    template = _template(api_user(request), template.pk)
    tagged(response, etag_of(template))
    return template


@router.get("/projects/{project_id}/plan", response=PlanOut, summary="项目节点计划（含计算出的状态）")
def plan_detail(request: HttpRequest, project_id: Id) -> dict:
    project = project_permissions.project_access(api_user(request), project_id)
    clock = selectors.StatusClock.on(city_id=project.city_id)
    nodes = [_with_status(node, clock) for node in selectors.project_plan(project=project)]
    for node in nodes:
        node.project = project
    return {
        "project": project.pk,
        "due_soon_until": clock.due_soon_until,
        "calendar_known": not unknown_calendar_years(clock.today, *(n.planned_date for n in nodes)),
        "nodes": nodes,
    }


@router.post("/projects/{project_id}/plan", response={201: PlanOut}, summary="按模板生成项目节点计划")
def plan_create(request: HttpRequest, project_id: Id, payload: PlanCreateIn) -> Status[dict]:
    services.plan_create_from_template(
        user=api_user(request),
        project_id=project_id,
        template_id=payload.template,
    )
    return Status(201, plan_detail(request, project_id))


@router.get("/plan-nodes", response=list[PlanNodeOut], summary="节点列表；mine=1 为本部门待办，最紧急的在前")
@paginate(Pagination, max_limit=500)
def node_list(request: HttpRequest, filters: Query[PlanNodeFilter]) -> object:
    user = api_user(request)
    project_permissions.require_project_access(user)
    clock = selectors.StatusClock.on(city_id=user.city_id)
    nodes = selectors.node_list(
        user=user,
        mine=filters.mine,
        department_id=filters.department,
        status=filters.status,
        open_only=bool(filters.open),
        clock=clock,
        q=filters.q,
    )
    if filters.project is not None:
        nodes = nodes.filter(project_id=filters.project)
    if filters.open is False:
        nodes = nodes.filter(actual_date__isnull=False)
    return selectors.node_page_rows(nodes, user=user, clock=clock).then(selectors.NodeRow.api)


def _node_out(node_id: Id, user: User, response: HttpResponse) -> PlanNode:
    node = permissions.node_access(user, node_id)
    tagged(response, etag_of(node))
    return _with_status(node, selectors.StatusClock.on(city_id=node.city_id))


@router.get("/plan-nodes/{node_id}", response=PlanNodeOut, summary="节点详情（ETag 为版本号）")
def node_detail(request: HttpRequest, node_id: Id, response: HttpResponse) -> PlanNode:
    project_permissions.require_project_access(api_user(request))
    return _node_out(node_id, api_user(request), response)


@router.patch("/plan-nodes/{node_id}", response=PlanNodeOut, summary="修改节点（须带 If-Match）")
def node_update(
    request: HttpRequest,
    node_id: Id,
    payload: PatchDict[PlanNodeUpdate],
    response: HttpResponse,
    if_match: str | None = IfMatch,
) -> PlanNode:
    reason = payload.pop("reason", "")
    services.plan_node_update(
        user=api_user(request),
        node_id=node_id,
        version=if_match_version(if_match),
        data=payload,
        reason=reason,
    )
    return _node_out(node_id, api_user(request), response)


@router.post(
    "/plan-nodes/{node_id}/evidence", response=PlanNodeOut, summary="上传证明材料（PDF或图片，须带 If-Match）"
)
def node_evidence(
    request: HttpRequest,
    node_id: Id,
    response: HttpResponse,
    file: File[UploadedFile],
    if_match: str | None = IfMatch,
) -> PlanNode:
    services.plan_node_update(
        user=api_user(request),
        node_id=node_id,
        version=if_match_version(if_match),
        data={"evidence_file": file},
    )
    return _node_out(node_id, api_user(request), response)


@router.get("/plan-settings", response=ScheduleSettingsOut, summary="节点计划设置（ETag 为版本号）")
def settings_detail(request: HttpRequest, response: HttpResponse) -> ScheduleSettings:
    project_permissions.require_project_access(api_user(request))
    settings = ScheduleSettings.for_city(api_user(request).city_id)
    tagged(response, etag_of(settings))
    return settings


@router.patch(
    "/plan-settings",
    response=ScheduleSettingsOut,
    summary="修改临期提醒工作日数（市重点项目办，须带 If-Match）",
)
def settings_update(
    request: HttpRequest, payload: ScheduleSettingsIn, response: HttpResponse, if_match: str | None = IfMatch
) -> ScheduleSettings:
    settings = services.schedule_settings_update(
        user=api_user(request),
        version=if_match_version(if_match),
        due_soon_workdays=payload.due_soon_workdays,
    )
    tagged(response, etag_of(settings))
    return settings
