"""Statistics inclusion (入库纳统) over HTTP: the same selectors, services and scoping as the pages."""

from decimal import Decimal

from django.http import HttpRequest, HttpResponse
from ninja import Query, Router
from ninja.pagination import paginate

from keyprojects.core.api import Date, Id, IfMatch, Pagination
from keyprojects.projects import permissions

from . import selectors, services
from .schemas import InclusionIn, InclusionOut, InclusionQuery, InclusionRowOut, SummaryOut

router = Router(tags=["statistics"])


def _status_out(status: selectors.InclusionStatus, response: HttpResponse) -> dict[str, object]:
    response["ETag"] = status.etag
    return {
        "project": status.project.pk,
        "as_of": status.as_of,
        "threshold": status.threshold,
        "should_include": status.due,
        "should_include_since": status.due_since,
        "included": status.included,
        "included_on": status.included_on,
        "statistics_code": status.statistics_code,
        "missing": status.missing,
    }


def _count_out(row: selectors.InclusionCount) -> dict[str, object]:
    return {
        "region": row.region_code,
        "region_name": row.region_name,
        "due": row.due,
        "included": row.included,
        "missing": row.missing,
        "rate": None if row.rate is None else row.rate.quantize(Decimal("0.001")),
    }


@router.get("/projects/{project_id}/statistics", response=InclusionOut, summary="项目入库纳统情况（ETag）")
def project_statistics(
    request: HttpRequest, project_id: Id, response: HttpResponse, as_of: Date | None = None
) -> dict[str, object]:
    status = selectors.project_inclusion(user=request.user, project_id=project_id, as_of=as_of)  # type: ignore[arg-type]
    return _status_out(status, response)


@router.put(
    "/projects/{project_id}/statistics",
    response=InclusionOut,
    summary="登记或撤销入库纳统（须带 If-Match；市重点项目办、项目所在县）",
)
def project_statistics_update(
    request: HttpRequest,
    project_id: Id,
    payload: InclusionIn,
    response: HttpResponse,
    if_match: str | None = IfMatch,
) -> dict[str, object]:
    etag = if_match or None
    if payload.included_on is None:
        services.inclusion_clear(user=request.user, project_id=project_id, reason=payload.reason, etag=etag)  # type: ignore[arg-type]
    else:
        services.inclusion_record(
            user=request.user,  # type: ignore[arg-type]
            project_id=project_id,
            included_on=payload.included_on,
            statistics_code=payload.statistics_code,
            etag=etag,
        )
    return _status_out(selectors.project_inclusion(user=request.user, project_id=project_id), response)  # type: ignore[arg-type]


@router.get("/statistics", response=list[InclusionRowOut], summary="入库纳统清单（应纳未纳在前）")
@paginate(Pagination, max_limit=500)
def statistics_list(request: HttpRequest, filters: Query[InclusionQuery]) -> object:
    permissions.require_project_access(request.user)  # type: ignore[arg-type]
    return selectors.inclusion_list(user=request.user, filters=filters.to_filters())  # type: ignore[arg-type]


@router.get("/statistics/summary", response=SummaryOut, summary="分县（市、区）入库纳统汇总")
def statistics_summary(request: HttpRequest, filters: Query[InclusionQuery]) -> dict[str, object]:
    permissions.require_project_access(request.user)  # type: ignore[arg-type]
    parsed = filters.to_filters()
    rows = selectors.inclusion_summary(user=request.user, filters=parsed)  # type: ignore[arg-type]
    return {
        "as_of": parsed.as_of,
        "year": parsed.year,
        "regions": [_count_out(r) for r in rows],
        "total": _count_out(selectors.inclusion_totals(rows)),
    }
