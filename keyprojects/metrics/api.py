"""The three rates over HTTP: the same selector as the metrics page."""

from decimal import Decimal

from django.http import HttpRequest
from django.utils import timezone
from ninja import Query, Router

from keyprojects.projects.permissions import require_project_access

from . import selectors
from .schemas import MetricsFilter, MetricsOut

router = Router(tags=["metrics"])


def _plain(value: Decimal) -> str:
    """0.250 → "0.25": the shortest exact decimal."""
    return format(value.normalize(), "f")


@router.get("/metrics", response=MetricsOut, summary="三率:开工率、纳统率、投资完成率与序时进度")
def metrics(request: HttpRequest, filters: Query[MetricsFilter]) -> dict:
    require_project_access(request.user)  # type: ignore[arg-type]
    query = selectors.MetricsQuery.build(
        as_of=filters.as_of or timezone.localdate(),
        filters=filters.to_filters(),
        start_basis=filters.start_basis,
        time_basis=filters.time_basis,
    )
    result = selectors.metrics(user=request.user, query=query)  # type: ignore[arg-type]
    gap = result.vs_time_progress
    return {
        "as_of": result.as_of,
        "start_rate": result.start_rate,
        "statistics_rate": result.statistics_rate,
        "investment_rate": result.investment_rate,
        "time_progress": _plain(result.time_progress.quantize(selectors.RATE_PLACES)),
        "vs_time_progress": None if gap is None else str(gap),
    }
