"""The factor guarantee over HTTP: the same services, selectors and permissions as the pages."""

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from ninja import Query, Router, Status
from ninja.pagination import paginate

from keyprojects.accounts.auth import api_user
from keyprojects.core.api import RENDERER, Id, Pagination
from keyprojects.core.openapi import answers
from keyprojects.projects.permissions import require_project_access

from . import permissions, selectors, services
from .models import FactorAllocation, FactorDemand, FactorKind, FactorPool, unit_of
from .schemas import (
    AllocationFilter,
    AllocationIn,
    AllocationOut,
    CommandPostFilter,
    CommandPostOut,
    DemandFilter,
    DemandIn,
    DemandOut,
    LedgerEntryOut,
    LedgerFilter,
    PoolFilter,
    PoolIn,
    PoolOut,
    ReleaseIn,
    text,
)

router = Router(tags=["factors"])


@router.get("/factor-pools", response=list[PoolOut], summary="要素指标池")
@paginate(Pagination, max_limit=500)
def pool_list(request: HttpRequest, filters: Query[PoolFilter]) -> object:
    user = api_user(request)
    permissions.require_view(user)
    return selectors.pool_list(user=user, kind=filters.kind, year=filters.year, region=filters.region)


@router.post(
    "/factor-pools", response={200: PoolOut, 201: PoolOut}, summary="核定或调整指标池总量（市重点项目办）"
)
@answers(409)
def pool_set(request: HttpRequest, payload: PoolIn) -> Status[FactorPool]:
    pool, made = services.pool_set(user=api_user(request), **payload.model_dump())
    return Status(201 if made else 200, pool)


@router.get("/factor-pools/{pool_id}", response=PoolOut, summary="要素指标池详情")
def pool_detail(request: HttpRequest, pool_id: Id) -> FactorPool:
    return permissions.pool_access(api_user(request), pool_id)


@router.get("/factor-ledger", response=list[LedgerEntryOut], summary="要素台账（核定、下达、配置、收回）")
@paginate(Pagination, max_limit=500)
def ledger(request: HttpRequest, filters: Query[LedgerFilter]) -> object:
    user = api_user(request)
    permissions.require_view(user)
    return selectors.ledger(user=user, pool_id=filters.pool, project_id=filters.project, kind=filters.kind)


@router.get("/factor-demands", response=list[DemandOut], summary="项目要素需求")
@paginate(Pagination, max_limit=500)
def demand_list(request: HttpRequest, filters: Query[DemandFilter]) -> object:
    user = api_user(request)
    require_project_access(user)
    return selectors.demand_list(
        user=user, project_id=filters.project, kind=filters.kind, unmet=filters.unmet
    )


@router.post("/factor-demands", response={201: DemandOut}, summary="填报项目要素需求")
def demand_create(request: HttpRequest, payload: DemandIn) -> Status[FactorDemand]:
    demand = services.demand_create(
        user=api_user(request),
        project_id=payload.project,
        kind=payload.kind,
        amount=payload.amount,
        needed_by=payload.needed_by,
        note=payload.note,
    )
    return Status(201, demand)


@router.delete("/factor-demands/{demand_id}", response={204: None}, summary="撤回尚未配置的要素需求")
def demand_withdraw(request: HttpRequest, demand_id: Id) -> Status[None]:
    services.demand_withdraw(user=api_user(request), demand_id=demand_id)
    return Status(204, None)


@router.get("/factor-allocations", response=list[AllocationOut], summary="要素配置")
@paginate(Pagination, max_limit=500)
def allocation_list(request: HttpRequest, filters: Query[AllocationFilter]) -> object:
    user = api_user(request)
    require_project_access(user)
    return selectors.allocation_list(user=user, project_id=filters.project, pool_id=filters.pool)


@router.post("/factor-allocations", response={201: AllocationOut}, summary="从指标池为项目配置要素")
@answers(409)
def allocation_create(request: HttpRequest, payload: AllocationIn) -> Status[FactorAllocation]:
    allocation = services.allocation_create(
        user=api_user(request),
        pool_id=payload.pool,
        project_id=payload.project,
        amount=payload.amount,
        reason=payload.reason,
        demand_id=payload.demand,
    )
    return Status(201, allocation)


@router.post(
    "/factor-allocations/{allocation_id}/release", response=AllocationOut, summary="收回已配置的要素"
)
@answers(409)
def allocation_release(request: HttpRequest, allocation_id: Id, payload: ReleaseIn) -> FactorAllocation:
    return services.allocation_release(
        user=api_user(request), allocation_id=allocation_id, amount=payload.amount, reason=payload.reason
    )


@router.get("/factor-command-post", response=CommandPostOut, summary="要素保障指挥部")
def command_post(request: HttpRequest, filters: Query[CommandPostFilter]) -> HttpResponse:
    """Answered in `CommandPostOut`'s shape from plain values, past ninja's validation of each of its
    hundreds of nested rows (as `core.api.rows_page` answers the lists)."""
    user = api_user(request)
    permissions.require_view(user)
    today = timezone.localdate()
    post = selectors.command_post(user=user, year=filters.year or today.year, today=today)
    units = {kind: unit_of(kind) for kind in FactorKind.values}

    def waiting(row: selectors.Waiting) -> dict[str, Any]:
        return {
            "demand": row.id,
            "project": row.project_id,
            "project_name": row.project_name,
            "region_name": row.region_name,
            "kind": row.kind,
            "unit": units[row.kind],
            "lacking": text(row.lacking),
            "needed_by": row.needed_by,
            "overdue": row.overdue,
        }

    answer = {
        "year": post.year,
        "kinds": [
            {
                "kind": k.kind,
                "kind_name": k.label,
                "unit": k.unit,
                "supply": text(k.supply),
                "allocated": text(k.allocated),
                "remaining": text(k.remaining),
                "waiting_count": k.waiting_count,
                "lacking": text(k.lacking),
                "waiting": [waiting(w) for w in k.waiting],
            }
            for k in post.kinds
        ],
        "projects": [
            {
                "project": p.project_id,
                "project_name": p.project_name,
                "region_name": p.region_name,
                "first_needed": p.first_needed,
                "lacking": [waiting(w) for w in p.items],
            }
            for p in post.projects
        ],
        "project_count": post.project_count,
    }
    content = RENDERER.render(request, answer, response_status=200)
    return HttpResponse(content, content_type=f"{RENDERER.media_type}; charset={RENDERER.charset}")
