"""The three rates over HTTP: the same selector as the metrics page; the counting bases and the
projects' monthly plans."""

from decimal import Decimal
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Query, Router

from keyprojects.accounts.auth import api_user
from keyprojects.accounts.models import User
from keyprojects.core.api import Id, IfMatch, Year, request_version
from keyprojects.core.errors import ApplicationError
from keyprojects.core.replicas import lag_tolerant
from keyprojects.core.versions import etag_of, tagged
from keyprojects.projects.models import Project
from keyprojects.projects.permissions import project_access, require_project_access

from . import selectors, services
from .models import MetricsSettings
from .schemas import (
    CityMetricsOut,
    MetricsFilter,
    MetricsOut,
    MetricsSettingsIn,
    MetricsSettingsOut,
    MonthlyPlanIn,
    MonthlyPlanOut,
)

router = Router(tags=["metrics"])


def _plain(value: Decimal) -> str:
    """0.250 → "0.25": the shortest exact decimal."""
    return format(value.normalize(), "f")


def _metrics_query(user: User, filters: MetricsFilter) -> selectors.MetricsQuery:
    return selectors.MetricsQuery.build(
        as_of=filters.as_of or timezone.localdate(),
        filters=filters.to_filters(),
        start_basis=filters.start_basis,
        time_basis=filters.time_basis,
        city_id=user.city_id,
    )


@router.get("/metrics", response=MetricsOut, summary="三率：开工率、纳统率、投资完成率与序时进度")
@lag_tolerant
def metrics(request: HttpRequest, filters: Query[MetricsFilter]) -> dict:
    require_project_access(request.user)  # type: ignore[arg-type]
    query = _metrics_query(api_user(request), filters)
    return _rates_body(selectors.metrics(user=request.user, query=query))  # type: ignore[arg-type]


def _rates_body(result: selectors.Metrics) -> dict[str, Any]:
    gap = result.vs_time_progress
    return {
        "as_of": result.as_of,
        "start_rate": result.start_rate,
        "statistics_rate": result.statistics_rate,
        "investment_rate": result.investment_rate,
        "time_progress": _plain(result.time_progress.quantize(selectors.RATE_PLACES)),
        "vs_time_progress": None if gap is None else str(gap),
    }


@router.get("/metrics/cities", response=list[CityMetricsOut], summary="三率按城市（省发改委比较各市）")
@lag_tolerant
def metrics_by_city(request: HttpRequest, filters: Query[MetricsFilter]) -> list[dict[str, Any]]:
    user = api_user(request)
    require_project_access(user)
    table = selectors.metrics_by_city(user=user, query=_metrics_query(user, filters))
    return [
        {"city": row.region.code, "city_name": row.region.name, **_rates_body(row.metrics)}
        for row in table.rows
    ]


@router.get("/metrics/settings", response=MetricsSettingsOut, summary="三率口径（ETag 为版本号）")
def metrics_settings(request: HttpRequest, response: HttpResponse) -> MetricsSettings:
    require_project_access(request.user)  # type: ignore[arg-type]
    settings = MetricsSettings.for_city(api_user(request).city_id)
    tagged(response, etag_of(settings))
    return settings


@router.put(
    "/metrics/settings",
    response=MetricsSettingsOut,
    summary="修改三率口径（市重点项目办；须带 If-Match 或 version）",
)
def metrics_settings_update(
    request: HttpRequest, payload: MetricsSettingsIn, response: HttpResponse, if_match: str | None = IfMatch
) -> MetricsSettings:
    data = payload.model_dump(exclude_none=True)
    version = request_version(if_match, data.pop("version", None))
    settings = services.metrics_settings_update(
        user=request.user,  # type: ignore[arg-type]
        data=data,
        version=version,
    )
    tagged(response, etag_of(settings))
    return settings


def _plan_body(
    project: Project, year: int, plan: dict[int, Decimal], response: HttpResponse
) -> dict[str, Any]:
    tagged(response, services.monthly_plan_etag(plan))
    return {
        "year": year,
        "annual_plan": project.annual_investment,
        "total": sum(plan.values(), Decimal(0)).quantize(selectors.CENTS),
        "months": [{"month": month, "amount": amount} for month, amount in sorted(plan.items())],
    }


@router.get("/projects/{project_id}/monthly-plan", response=MonthlyPlanOut, summary="项目月度计划投资")
def monthly_plan(
    request: HttpRequest, project_id: Id, response: HttpResponse, year: Year | None = None
) -> dict[str, Any]:
    project = project_access(request.user, project_id)  # type: ignore[arg-type]
    year = year or project.year
    return _plan_body(project, year, services.monthly_plan(project=project, year=year), response)


@router.put(
    "/projects/{project_id}/monthly-plan",
    response=MonthlyPlanOut,
    summary="设置项目月度计划投资（整年替换；须带 If-Match）",
)
def monthly_plan_update(
    request: HttpRequest,
    project_id: Id,
    payload: MonthlyPlanIn,
    response: HttpResponse,
    if_match: str | None = IfMatch,
) -> dict[str, Any]:
    project = project_access(request.user, project_id)  # type: ignore[arg-type]
    year = payload.year or project.year
    months = [row.month for row in payload.months]
    if len(set(months)) != len(months):
        raise ApplicationError(_("请修正标出的错误"), errors={"months": [_("同一月份只能出现一次")]})
    plan = services.monthly_plan_set(
        user=request.user,  # type: ignore[arg-type]
        project_id=project.pk,
        year=year,
        amounts={row.month: row.amount for row in payload.months},
        etag=if_match,
    )
    return _plan_body(project, year, plan, response)
