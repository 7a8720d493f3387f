"""A dashboard as plain data: the API's answer and what the page's charts draw, one shape for both."""

import datetime
from collections.abc import Callable
from decimal import Decimal
from typing import Any

from django.utils import timezone

from keyprojects.accounts.models import User
from keyprojects.batches.selectors import BatchSummary
from keyprojects.metrics.selectors import RATE_PLACES, Metrics, MetricsQuery
from keyprojects.projects.selectors import ProjectFilters

from .cache import cached
from .selectors import Dashboard, dashboard


def _plain(value: Decimal) -> str:
    return format(value.normalize(), "f")


def rates_body(rates: Metrics) -> dict[str, Any]:
    gap = rates.vs_time_progress
    return {
        "start_rate": _rate(rates.start_rate),
        "statistics_rate": _rate(rates.statistics_rate),
        "investment_rate": _rate(rates.investment_rate),
        "time_progress": _plain(rates.time_progress.quantize(RATE_PLACES)),
        "vs_time_progress": None if gap is None else str(gap),
        "vs_time_progress_text": rates.vs_time_progress_text,
    }


def _rate(rate: Any) -> dict[str, Any]:
    return {"numerator": rate.numerator, "denominator": rate.denominator, "value": rate.value}


def batch_body(batch: BatchSummary | None) -> dict[str, Any] | None:
    if batch is None:
        return None
    return {
        "id": batch.id,
        "kind": batch.kind,
        "kind_label": batch.kind_label,
        "name": batch.name,
        "held_on": batch.held_on,
        "venue": batch.venue,
        "venue_project": batch.venue_project,
        "venue_project_name": batch.venue_project_name,
        "region_name": batch.region_name,
        "announced_count": batch.announced_count,
        "announced_investment": batch.announced_investment,
        "project_count": batch.project_count,
        "total_investment": batch.total_investment,
    }


def dashboard_body(board: Dashboard) -> dict[str, Any]:
    return {
        "as_of": board.as_of,
        "year": board.year,
        "scope": vars(board.scope),
        "projects": board.projects,
        "total_investment": board.total_investment,
        "annual_plan": board.annual_plan,
        "completed": board.rates.investment_rate.numerator,
        "rates": rates_body(board.rates),
        "regions": [
            {
                **{k: v for k, v in vars(row).items() if k != "metrics"},
                "rates": rates_body(row.metrics) if row.metrics else None,
            }
            for row in board.regions
        ],
        "trend": [vars(row) for row in board.trend],
        "warnings": {
            "red": board.red,
            "yellow": board.yellow,
            "rows": [
                {
                    "id": w.id,
                    "project": w.project_id,
                    "project_name": w.project_name,
                    "region": w.region_code,
                    "region_name": w.region_name,
                    "color": w.color,
                    "rule": w.rule,
                    "rule_label": w.rule_label,
                    "message": w.message,
                    "since": w.since,
                }
                for w in board.warnings
            ],
        },
        "blockers": {
            "open": board.blockers.open,
            "overdue": board.blockers.overdue,
            "rows": [
                {
                    "id": b.pk,
                    "project": b.project_id,
                    "project_name": b.project.name,
                    "region_name": b.project.region.name,
                    "category": b.get_category_display(),
                    "description": b.description,
                    "status": b.get_status_display(),
                    "deadline": b.deadline,
                    "overdue": b.pk in board.blockers.overdue_ids,
                }
                for b in board.blockers.rows
            ],
        },
        "factors": {
            "kinds": [
                {
                    "kind": k.kind,
                    "label": k.label,
                    "unit": k.unit,
                    "waiting": k.waiting_count,
                    "lacking": k.lacking,
                }
                for k in board.factors.kinds
            ],
            "rows": [
                {
                    "id": w.id,
                    "kind": w.kind,
                    "project": w.project_id,
                    "project_name": w.project_name,
                    "region_name": w.region_name,
                    "amount": w.amount,
                    "allocated": w.allocated,
                    "lacking": w.lacking,
                    "needed_by": w.needed_by,
                    "overdue": w.overdue,
                }
                for w in board.factors.waiting
            ],
            "project_count": board.factors.project_count,
        },
        "points": [vars(p) for p in board.points],
        "batch": batch_body(board.batch),
    }


def _data(user: User, query: MetricsQuery) -> dict[str, Any]:
    today = timezone.localdate()
    return cached(user, query, lambda: dashboard_body(dashboard(user=user, query=query, today=today)))


def dashboard_data(*, user: User, filters: ProjectFilters, as_of: datetime.date) -> dict[str, Any]:
    """The user's dashboard of `filters` on `as_of` as plain data, cached until the city's data changes."""
    return _data(user, MetricsQuery.build(as_of=as_of, filters=filters, city_id=user.city_id))


def dashboard_json(
    *, user: User, filters: ProjectFilters, as_of: datetime.date, render: Callable[[Any], bytes]
) -> bytes:
    """The same as the API sends it (`render`: its JSON renderer), cached beside the data."""
    query = MetricsQuery.build(as_of=as_of, filters=filters, city_id=user.city_id)
    return cached(user, query, lambda: render(_data(user, query)), form="json")
