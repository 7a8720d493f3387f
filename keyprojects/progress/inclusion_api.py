"""Statistics inclusion (入库纳统) over HTTP: the same selectors, services and scoping as the pages."""

import datetime
from decimal import Decimal
from typing import Literal

from django.http import HttpRequest, HttpResponse
from ninja import Field, Query, Router, Schema
from ninja.pagination import paginate

from keyprojects.core.api import Date, IfMatch, Pagination, Year
from keyprojects.projects import permissions
from keyprojects.projects.models import Project

from . import inclusion

router = Router(tags=["statistics"])

State = Literal["due", "included", "missing", "not_due"]


class InclusionOut(Schema):
    project: int
    as_of: datetime.date
    threshold: Decimal = Field(description="纳统投资门槛(万元)")
    should_include: bool = Field(description="应纳统:已开工且计划总投资达到门槛")
    should_include_since: datetime.date | None = Field(description="应纳统之日(实际开工日期)")
    included: bool = Field(description="截至 as_of 已入库纳统")
    included_on: datetime.date | None
    statistics_code: str
    missing: bool = Field(description="应纳未纳")


class InclusionIn(Schema):
    included_on: Date | None = Field(description="入库纳统日期;为 null 时撤销入库纳统(须填 reason)")
    statistics_code: str = Field("", max_length=64)
    reason: str = Field("", max_length=255, description="撤销原因")


class InclusionRowOut(Schema):
    """One project of the list, read from `inclusion_list`'s annotated rows."""

    project: int = Field(alias="pk")
    name: str
    region: str = Field(alias="region.code")
    region_name: str = Field(alias="region.name")
    total_investment: Decimal
    actual_start: datetime.date | None
    should_include: bool = Field(alias="is_due")
    included: bool = Field(alias="is_included")
    included_on: datetime.date | None
    statistics_code: str
    missing: bool

    @staticmethod
    def resolve_included_on(obj: Project) -> datetime.date | None:
        return obj.statistics.included_on if obj.is_included else None  # type: ignore[attr-defined]

    @staticmethod
    def resolve_statistics_code(obj: Project) -> str:
        return obj.statistics.statistics_code if obj.is_included else ""  # type: ignore[attr-defined]

    @staticmethod
    def resolve_missing(obj: Project) -> bool:
        return bool(obj.is_due and not obj.is_included)  # type: ignore[attr-defined]


class InclusionQuery(Schema):
    as_of: Date | None = None
    year: Year | None = None
    region: str | None = Field(None, description="区划代码")
    state: State | None = None
    q: str | None = None

    def to_filters(self) -> inclusion.InclusionFilters:
        return inclusion.InclusionFilters.from_mapping(self.model_dump(exclude_none=True))


class CountOut(Schema):
    region: str
    region_name: str
    due: int
    included: int
    missing: int
    rate: Decimal | None = Field(description="纳统率(0–1);无应纳统项目时为 null")


class SummaryOut(Schema):
    as_of: datetime.date
    year: int
    regions: list[CountOut]
    total: CountOut


def _status_out(status: inclusion.InclusionStatus, response: HttpResponse) -> dict[str, object]:
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


def _count_out(row: inclusion.InclusionCount) -> dict[str, object]:
    return {
        "region": row.region_code,
        "region_name": row.region_name,
        "due": row.due,
        "included": row.included,
        "missing": row.missing,
        "rate": None if row.rate is None else row.rate.quantize(Decimal("0.001")),
    }


@router.get("/projects/{project_id}/statistics", response=InclusionOut, summary="项目入库纳统情况(ETag)")
def project_statistics(
    request: HttpRequest, project_id: int, response: HttpResponse, as_of: Date | None = None
) -> dict[str, object]:
    status = inclusion.project_inclusion(user=request.user, project_id=project_id, as_of=as_of)  # type: ignore[arg-type]
    return _status_out(status, response)


@router.put(
    "/projects/{project_id}/statistics",
    response=InclusionOut,
    summary="登记或撤销入库纳统(须带 If-Match;市重点项目办、项目所在县)",
)
def project_statistics_update(
    request: HttpRequest,
    project_id: int,
    payload: InclusionIn,
    response: HttpResponse,
    if_match: str | None = IfMatch,
) -> dict[str, object]:
    etag = if_match or None
    if payload.included_on is None:
        inclusion.inclusion_clear(user=request.user, project_id=project_id, reason=payload.reason, etag=etag)  # type: ignore[arg-type]
    else:
        inclusion.inclusion_record(
            user=request.user,  # type: ignore[arg-type]
            project_id=project_id,
            included_on=payload.included_on,
            statistics_code=payload.statistics_code,
            etag=etag,
        )
    return _status_out(inclusion.project_inclusion(user=request.user, project_id=project_id), response)  # type: ignore[arg-type]


@router.get("/statistics", response=list[InclusionRowOut], summary="入库纳统清单(应纳未纳在前)")
@paginate(Pagination, max_limit=500)
def statistics_list(request: HttpRequest, filters: Query[InclusionQuery]) -> object:
    permissions.require_project_access(request.user)  # type: ignore[arg-type]
    return inclusion.inclusion_list(user=request.user, filters=filters.to_filters())  # type: ignore[arg-type]


@router.get("/statistics/summary", response=SummaryOut, summary="分县(市、区)入库纳统汇总")
def statistics_summary(request: HttpRequest, filters: Query[InclusionQuery]) -> dict[str, object]:
    permissions.require_project_access(request.user)  # type: ignore[arg-type]
    parsed = filters.to_filters()
    rows = inclusion.inclusion_summary(user=request.user, filters=parsed)  # type: ignore[arg-type]
    return {
        "as_of": parsed.as_of,
        "year": parsed.year,
        "regions": [_count_out(r) for r in rows],
        "total": _count_out(inclusion.inclusion_totals(rows)),
    }
