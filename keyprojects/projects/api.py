"""The project registry over HTTP: the same selectors, services and scoping as the pages."""

from collections.abc import Mapping
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from ninja import Query, Router, Status
from ninja.pagination import paginate
from ninja.patch_dict import PatchDict

from keyprojects.accounts.auth import api_user
from keyprojects.accounts.models import Organization, Region, User
from keyprojects.accounts.schemas import OrganizationFilter, OrganizationOut
from keyprojects.accounts.selectors import city_scope
from keyprojects.chains.selectors import chain_list
from keyprojects.core.api import Id, IfMatch, Pagination, if_match_version, rows_page
from keyprojects.core.errors import ApplicationError, Message
from keyprojects.core.versions import etag_of, tagged

from . import permissions, selectors, services
from .models import DictionaryKind, Project
from .schemas import (
    DictionaryEntryOut,
    DictionaryFilter,
    HistoryOut,
    MeOut,
    PagedProjectOut,
    ProjectFilter,
    ProjectIn,
    ProjectOut,
    ProjectUpdate,
    TransitionIn,
    project_out_rows,
)
from .vocabulary import city_vocabulary

router = Router(tags=["projects"])
# The signed-in user and the organisations it may see: scoped by the projects it sees, so answered
# here rather than by the accounts app, which sits below the projects (mounted at the API's root).
people_router = Router(tags=["accounts"])
dictionary_router = Router(tags=["dictionary"])


@people_router.get("/me", response=MeOut, summary="当前用户")
def me(request: HttpRequest) -> object:
    return request.user


@people_router.get("/organizations", response=list[OrganizationOut], summary="我可见的机构")
@paginate(Pagination, max_limit=1000)
def organization_list(request: HttpRequest, filters: Query[OrganizationFilter]) -> object:
    qs = permissions.visible_organizations(api_user(request))
    if filters.kind:
        qs = qs.filter(kind=filters.kind)
    return qs.order_by("kind", "region__sort_order", "name", "id")


@dictionary_router.get("/dictionary", response=list[DictionaryEntryOut], summary="本市字典")
def dictionary_list(request: HttpRequest, filters: Query[DictionaryFilter]) -> list[dict[str, Any]]:
    """The categories, industries, funding sources and construction natures of the user's city, in its order;
    a reader without a city (the province) has none of its own."""
    user = api_user(request)
    permissions.require_project_access(user)
    words = city_vocabulary(user.city_id)
    kinds = [filters.kind] if filters.kind else list(DictionaryKind)
    return [
        {
            "kind": kind,
            "code": entry.code,
            "label": words.label(user.city_id, kind, entry.code),
            "position": entry.position,
            "active": entry.active,
            "built_in": entry.built_in,
        }
        for kind in kinds
        for entry in words.of(user.city_id, kind)
    ]


def _resolve_references(user: User, data: Mapping[str, Any]) -> dict[str, Any]:
    """Turn the region code, chain code and owner id of a request into objects of the user's city;
    unknown ones (and other cities') are field errors."""
    resolved = dict(data)
    errors: dict[str, list[Message]] = {}
    if "region" in data:
        resolved["region"] = Region.objects.filter(city_scope(user), code=data["region"]).first()
        if resolved["region"] is None:
            errors["region"] = [_("区划代码 %(code)s 不存在") % {"code": data["region"]}]
    if data.get("chain") is not None:
        resolved["chain"] = chain_list(user=user).filter(code=data["chain"]).first()
        if resolved["chain"] is None:
            errors["chain"] = [_("产业链 %(code)s 不存在") % {"code": data["chain"]}]
    if data.get("owner") is not None:
        resolved["owner"] = Organization.objects.filter(city_scope(user), pk=data["owner"]).first()
        if resolved["owner"] is None:
            errors["owner"] = [_("机构 %(id)s 不存在") % {"id": data["owner"]}]
    if data.get("leader") is not None:
        resolved["leader"] = User.objects.filter(
            organization__city_id=user.city_id, pk=data["leader"]
        ).first()
        if resolved["leader"] is None:
            errors["leader"] = [_("账号 %(id)s 不存在") % {"id": data["leader"]}]
    if errors:
        raise ApplicationError(_("请修正标出的错误"), errors=errors)
    return resolved


def _tagged(response: HttpResponse, project: Project) -> Project:
    tagged(response, etag_of(project))
    return project


@router.get("", response=PagedProjectOut, summary="项目列表")
def project_list(
    request: HttpRequest, filters: Query[ProjectFilter], page: Query[Pagination.Input]
) -> HttpResponse:
    user = api_user(request)
    permissions.require_project_access(user)
    wanted = filters.to_filters()
    projects = selectors.project_list(user=user, filters=wanted)
    count = selectors.project_count(user=user, filters=wanted, projects=projects)
    return rows_page(request, project_out_rows(user, projects[page.window(500)]), count)


@router.post("", response={201: ProjectOut}, summary="新建项目")
def project_create(request: HttpRequest, payload: ProjectIn, response: HttpResponse) -> Status[Project]:
    user = api_user(request)
    data = _resolve_references(user, payload.model_dump(exclude_unset=True))
    project = services.project_create(user=user, data=data)
    return Status(201, _tagged(response, project))


@router.get("/{project_id}", response=ProjectOut, summary="项目详情（ETag 为版本号）")
def project_detail(request: HttpRequest, project_id: Id, response: HttpResponse) -> Project:
    return _tagged(response, permissions.project_access(api_user(request), project_id))


@router.patch("/{project_id}", response=ProjectOut, summary="修改项目（须带 If-Match）")
def project_update(
    request: HttpRequest,
    project_id: Id,
    payload: PatchDict[ProjectUpdate],
    response: HttpResponse,
    if_match: str | None = IfMatch,
) -> Project:
    user = api_user(request)
    project = services.project_update(
        user=user,
        project_id=project_id,
        data=_resolve_references(user, payload),
        version=if_match_version(if_match),
    )
    return _tagged(response, project)


@router.post("/{project_id}/transitions", response=ProjectOut, summary="变更建设阶段或入库状态")
def project_transition(
    request: HttpRequest,
    project_id: Id,
    payload: TransitionIn,
    response: HttpResponse,
    if_match: str | None = IfMatch,
) -> Project:
    version = if_match_version(if_match)
    project = services.project_transition(
        user=api_user(request),
        project_id=project_id,
        version=payload.version if version is None else version,
        stage=payload.stage,
        pipeline=payload.pipeline,
        reason=payload.reason,
        actual_start=payload.actual_start,
        actual_end=payload.actual_end,
    )
    return _tagged(response, project)


@router.get("/{project_id}/history", response=list[HistoryOut], summary="项目变更历史")
@paginate(Pagination, max_limit=500)
def project_history(request: HttpRequest, project_id: Id) -> object:
    project = permissions.project_access(api_user(request), project_id)
    return selectors.project_history(project=project)
